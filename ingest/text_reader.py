"""Read the tables of a disclosure from a plain-text dump of its PDF.

The dump (one line per PDF line, a leading space opening each page) flattens
tables: empty cells vanish and wrapped cell text splits over lines. Reading
goes in four steps, each in its own module:

1. ``text_blocks``  — find each table's title, unit line, header lines and body
   lines, merging continued pages; everything else is narrative.
2. ``text_headers`` — recognise the column header (value-column paths) from the
   layouts in ``budgetqa/vocab/headers.toml``.
3. ``text_rows``    — assemble rows (code, name, printed values in order), split
   two-sided lines into their 收入 and 支出 items.
4. ``text_columns`` / ``text_evidence`` — decide which column each printed value
   is in from the table's sums, the rest of the document and, last, the
   layout's priors; values left to priors are flagged ambiguous.

Then every table is built with :func:`budgetqa.ingest.assemble.build_table`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from budgetqa.ingest.assemble import RawRow, RawSide, build_table
from budgetqa.ingest.text_blocks import DEFAULT_BLOCKS, BlockSettings, TableBlock, split_blocks
from budgetqa.ingest.text_columns import DEFAULT_COLUMNS, ColumnSettings, SideSolver, row_groups
from budgetqa.ingest.text_evidence import (
    DEFAULT_EVIDENCE,
    EvidenceSettings,
    SideProblem,
    narrative_mentions,
    solve,
)
from budgetqa.ingest.text_headers import (
    DEFAULT_HEADERS,
    GENERIC_NAME,
    GENERIC_PREFIX,
    Header,
    HeaderSettings,
    generic_header,
    read_header,
    vocabulary,
)
from budgetqa.ingest.text_lines import TextLine, paginate
from budgetqa.ingest.text_rows import (
    DEFAULT_ROWS,
    HALF_LEFT,
    HALF_RIGHT,
    SIDE_LEFT,
    SIDE_RIGHT,
    ParsedRow,
    RowSettings,
    parse_one_sided,
    parse_two_sided,
    prints_integers,
    side_by_side,
    split_subjects,
)
from budgetqa.models import Table
from budgetqa.numbers import normalise_unit

TWO_SIDED_KINDS = frozenset({"收支总表", "财政拨款收支总表"})
"""Kinds printed as 收入 | 支出 when no known layout says otherwise."""
_CODED_HEADER_WORDS = ("编码", "代码", "类款")
_PROJECT_HEADER_WORDS = ("项目名称", "科目")


@dataclass(frozen=True, slots=True)
class TextReaderSettings:
    """Every knob of the text reader, grouped by step."""

    blocks: BlockSettings = DEFAULT_BLOCKS
    headers: HeaderSettings = DEFAULT_HEADERS
    rows: RowSettings = DEFAULT_ROWS
    columns: ColumnSettings = DEFAULT_COLUMNS
    evidence: EvidenceSettings = DEFAULT_EVIDENCE


DEFAULT_TEXT = TextReaderSettings()


@dataclass(slots=True)
class TextReadResult:
    """Tables and narrative of one text dump."""

    tables: list[Table]
    narrative_pages: list[tuple[int, list[str]]]
    """(page, lines that are not table content), pages in order."""
    department: str | None = None
    """As printed on the first "编制部门：X" line."""
    unit: str | None = None
    """The first table's unit ("万元", "元")."""
    notes: list[str] = field(default_factory=list)
    """What the reader could not do as expected (unknown headers, sums that do not hold …)."""


@dataclass(slots=True)
class _Parsed:
    block: TableBlock
    header: Header
    sides: list[tuple[str, list[tuple[str, ...]], list[ParsedRow]]]


def read_text_tables(
    lines: list[str], source_file: str = "", settings: TextReaderSettings = DEFAULT_TEXT
) -> TextReadResult:
    """Tables (with every printed value in its column) and narrative pages of a text dump."""
    segmentation = split_blocks(paginate(lines), settings.blocks)
    notes: list[str] = []
    parsed = [_parse(block, settings, notes) for block in segmentation.blocks]
    _split_project_rows(parsed)
    problems = _problems(parsed, settings)
    solve(problems, narrative_mentions([x.text for x in segmentation.narrative]), settings.evidence)
    notes.extend(_problem_notes(problems, parsed))
    tables = [_table(k, p, problems, source_file) for k, p in enumerate(parsed)]
    blocks = segmentation.blocks
    return TextReadResult(
        tables=tables,
        narrative_pages=_pages(segmentation.narrative),
        department=next((b.department for b in blocks if b.department), None),
        unit=normalise_unit(blocks[0].unit) if blocks else None,
        notes=notes,
    )


def _parse(block: TableBlock, settings: TextReaderSettings, notes: list[str]) -> _Parsed:
    """Header and rows of one table block."""
    header_lines = [x.text for x in block.header]
    header = read_header(header_lines, block.kind, block.column_count, settings.headers)
    header, row_sets = _rows(block, header, settings)
    if header is not None and _too_narrow(header, row_sets):
        name = header.layout.name if header.layout else "?"
        notes.append(f"{block.label or block.title}: rows print more values than layout {name!r} has")
        header = None
    if header is None:
        two_sided = set(row_sets) == {SIDE_LEFT, SIDE_RIGHT}
        header = _generic(block, header_lines, row_sets, two_sided, settings.headers.max_blank_columns)
        notes.append(f"{block.label or block.title}: header not recognised, columns named {header.sides}")
    sides = []
    for name, paths in header.sides:
        rows = row_sets.get(name, [])
        _trim(rows, len(paths), block, notes)
        sides.append((name, paths, rows))
    return _Parsed(block, header, sides)


def _rows(
    block: TableBlock, header: Header | None, settings: TextReaderSettings
) -> tuple[Header | None, dict[str, list[ParsedRow]]]:
    """Rows per side: 收入 | 支出, two halves (左 | 右), or one side; halves bring their own header."""
    integers = prints_integers(block.body)
    totals = frozenset(vocabulary()["total_rows"])
    two_sided = header.layout.two_sided if header and header.layout else block.kind in TWO_SIDED_KINDS
    if two_sided:
        left, right = parse_two_sided(block.body, integers, totals)
        return header, {SIDE_LEFT: left, SIDE_RIGHT: right}
    if side_by_side(block.body, integers, settings.rows):
        left, right = parse_two_sided(block.body, integers, totals, halves=True)
        return _halves_header([x.text for x in block.header], left, right), {HALF_LEFT: left, HALF_RIGHT: right}
    coded = any(w in block.header_text for w in _CODED_HEADER_WORDS)
    return header, {"": parse_one_sided(block.body, integers, coded, settings.rows)}


def _too_narrow(header: Header, row_sets: dict[str, list[ParsedRow]]) -> bool:
    """Does some row print more values than the header has columns on its side?"""
    widths = {name: len(paths) for name, paths in header.sides}
    return any(len(r.tokens) > widths.get(name, 0) for name, rows in row_sets.items() for r in rows)


def _halves_header(header_lines: list[str], left: list[ParsedRow], right: list[ParsedRow]) -> Header:
    """Columns of a table printed as two halves: the header's words split in two, else 列1…."""
    widths = [max((len(r.tokens) for r in rows), default=0) or 1 for rows in (left, right)]
    names = generic_header(header_lines, sum(widths)).sides[0][1]
    if names[0][0].startswith(GENERIC_PREFIX):
        names = [(GENERIC_NAME.format(k + 1),) for k in range(widths[0])] + [
            (GENERIC_NAME.format(k + 1),) for k in range(widths[1])
        ]
    return Header(sides=[(HALF_LEFT, names[: widths[0]]), (HALF_RIGHT, names[widths[0] :])], generic=True)


def _generic(
    block: TableBlock, header_lines: list[str], row_sets: dict[str, list[ParsedRow]], two_sided: bool, blank: int
) -> Header:
    """Columns for a header no layout fits: N from the column-number line, else the widest row.

    Without column numbers a one-sided header naming up to ``blank`` more columns than
    the widest row has is believed (columns blank in every row are common).
    """
    sides = []
    for name, rows in row_sets.items():
        widest = max(max((len(r.tokens) for r in rows), default=0), 1)
        if block.column_count and not two_sided:
            sides.extend(generic_header(header_lines, block.column_count, name).sides)
            continue
        header = next(
            (
                h
                for n in range(widest + (0 if two_sided else blank), widest - 1, -1)
                if not (h := generic_header(header_lines, n, name)).sides[0][1][0][0].startswith(GENERIC_PREFIX)
            ),
            generic_header(header_lines, widest, name),
        )
        sides.extend(header.sides)
    return Header(sides=sides, generic=True)


def _trim(rows: list[ParsedRow], count: int, block: TableBlock, notes: list[str]) -> None:
    """A row printing more values than the table has columns: the extra leading ones belong to its name."""
    for row in rows:
        if len(row.tokens) > count:
            extra, row.tokens = row.tokens[: len(row.tokens) - count], row.tokens[len(row.tokens) - count :]
            row.name = f"{row.name} {' '.join(extra)}".strip()
            notes.append(f"{block.label or block.title}: row {row.name!r} printed more values than columns")


def _split_project_rows(parsed: list[_Parsed]) -> None:
    """In tables listing projects under 科目, move the 科目 name of coded rows to ``subject``."""
    known: dict[str, str] = {}
    project_tables = []
    for p in parsed:
        if all(w in p.block.header_text for w in _PROJECT_HEADER_WORDS):
            project_tables.append(p)
            continue
        for _, _, rows in p.sides:
            for row in rows:
                if row.code:
                    known.setdefault(row.code, row.name)
    for p in project_tables:
        for _, _, rows in p.sides:
            split_subjects(rows, known)


def _problems(parsed: list[_Parsed], settings: TextReaderSettings) -> list[SideProblem]:
    total_names = set(vocabulary()["total_rows"])
    problems = []
    for k, p in enumerate(parsed):
        for name, paths, rows in p.sides:
            total, groups = row_groups(rows, total_names, p.block.department)
            solver = SideSolver(paths, rows, total, groups, settings.columns)
            unit = normalise_unit(p.block.unit)
            problems.append(SideProblem(k, p.block.title, name, unit, paths, rows, solver, p.header.likely))
    return problems


def _problem_notes(problems: list[SideProblem], parsed: list[_Parsed]) -> list[str]:
    notes = []
    for prob in problems:
        label = parsed[prob.table].block.label or prob.title
        for group in prob.solver.groups:
            if group.broken:
                parent = prob.rows[group.parent]
                notes.append(f"{label}{prob.side}: children of {parent.code or parent.name!r} do not add up; sum not used")
        for slot, row in zip(prob.solver.slots, prob.rows, strict=True):
            if slot.capped:
                notes.append(f"{label}{prob.side}: row {row.name!r} has too many placements; left-aligned")
    return notes


def _table(index: int, p: _Parsed, problems: list[SideProblem], source_file: str) -> Table:
    raw_sides = []
    for prob in (x for x in problems if x.table == index):
        raw_rows = [
            RawRow(
                code=row.code,
                name=row.name,
                values=prob.solver.placed(i),
                page=row.page,
                subject=row.subject,
                ambiguous=prob.solver.ambiguous(i),
            )
            for i, row in enumerate(prob.rows)
        ]
        raw_sides.append(RawSide(prob.side, list(prob.paths), raw_rows))
    block = p.block
    table = build_table(
        table_id=f"t{index + 1:02d}",
        title=block.title,
        kind=block.kind,
        label=block.label,
        unit=normalise_unit(block.unit),
        pages=block.pages,
        sides=raw_sides,
        empty_statement=block.empty_statement,
        source_file=source_file,
    )
    table.reader = "text"
    return table


def _pages(lines: list[TextLine]) -> list[tuple[int, list[str]]]:
    pages: list[tuple[int, list[str]]] = []
    for line in lines:
        if not pages or pages[-1][0] != line.page:
            pages.append((line.page, []))
        pages[-1][1].append(line.text)
    return pages
