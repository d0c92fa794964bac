"""Read a disclosure PDF with pdfplumber: ruled tables (merged over pages) and the text around them.

Page furniture (running heads and feet, page numbers: ``page_marks``) is removed from every
page before it is read; a table with a neighbour beside it takes its title from the text
printed in its own lane (``side_by_side``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect

from budgetqa.ingest.assemble import build_table
from budgetqa.ingest.bare_grid import bare_fragments, fragments_under_header
from budgetqa.ingest.errors import IngestError
from budgetqa.ingest.filenames import visible_name
from budgetqa.ingest.glyphs import repair_page
from budgetqa.ingest.grid import (
    Fragment,
    Grid,
    clean_text,
    continue_grid,
    fits_columns,
    label_in_figures,
    repeats_header,
    start_grid,
    with_spread_total_on_names,
    with_total_on_names,
)
from budgetqa.ingest.layout import read_sides
from budgetqa.ingest.narrative import is_contents_title
from budgetqa.ingest.open_grid import continued_fragment, open_fragments
from budgetqa.ingest.orientation import upright_page
from budgetqa.ingest.page_marks import furniture, without_furniture
from budgetqa.ingest.performance import grid_rows, read_performance
from budgetqa.ingest.side_by_side import in_lane, lanes, pieces
from budgetqa.models import Table
from budgetqa.numbers import normalise_unit
from budgetqa.vocab import table_kind

_LABEL = re.compile(r"^(?:附表|公开)?\s*\d{1,2}\s*表$|^表\s*\d{1,2}$|^(?:附表|公开)\s*\d{1,2}")
_UNIT = re.compile(r"单位[:：]\s*(亿元|万元|千元|元)")
_UNIT_TAIL = re.compile(r"\s*(?:金额)?单位[:：]\s*(?:亿元|万元|千元|元)\s*$")
"""A unit printed at the right end of the title's line."""
_DEPARTMENT = re.compile(r"(?:编制部门|编制单位|部门名称|单位名称|部门)[:：]\s*(\S+?)(?:\s|单位[:：]|$)")
_EMPTY_STATEMENT = re.compile(
    r"空表|无数据|没有.{0,30}(?:收入|支出|安排|经费)|未安排|不涉及|无此项|无相关|无该项|本(?:部门|单位)无"
)
_UNIT_PART = re.compile(r"^(?:单位[:：]|(?:亿|千|万)?元$)")
"""A unit line, or a piece of one a cell split ("单位：万" / "元")."""
_TITLE_NOT = re.compile(r"\d[\d,]*\.\d{2}|\d{1,3}(?:,\d{3})+|(?:小计|合计|总计)$")
_SENTENCE = re.compile(r"[，。；：:]")
_PAGE_NUMBER = re.compile(r"^[-－—\s第]*\d{1,4}[-－—\s页]*$")
_TOC_LINE = re.compile(r"[.…·]{3,}|\s\d{1,3}$")
_CONTINUED = re.compile(r"续表|（续）|\(续\)")
Box = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class PdfSettings:
    """Named pdfplumber knobs used for every page."""

    text_y_tolerance: float = 5
    """Larger than pdfplumber's default 3 so numbers in another font stay on their sentence's line."""
    table_settings: tuple[tuple[str, object], ...] = (
        ("vertical_strategy", "lines"),
        ("horizontal_strategy", "lines"),
        ("snap_tolerance", 3),
        ("intersection_tolerance", 3),
    )
    title_max_chars: int = 60
    """A line longer than this is prose, not a table title."""


DEFAULT_PDF = PdfSettings()


@dataclass(slots=True)
class PdfReadResult:
    """What a PDF gave: tables, narrative lines per page, and the lines seen near titles."""

    tables: list[Table]
    narrative_pages: list[tuple[int, list[str]]]
    page_count: int
    char_count: int
    departments: list[str] = field(default_factory=list)
    title_lines: list[str] = field(default_factory=list)
    bare_pages: list[tuple[int, list[str]]] = field(default_factory=list)
    """Every text line of each page whose tables were read with no rule at all (``bare_grid``), for
    the text reader to try when such a table's reading is doubtful (``unruled.settle_bare``)."""


@dataclass(slots=True)
class _Pending:
    grid: Grid
    title: str
    kind: str
    label: str | None
    unit: str
    statements: list[str] = field(default_factory=list)
    span: tuple[float, float] = (0.0, 0.0)
    """The x-range of the table's frames (its rules) so far: a page continuing it without any rule is
    read across it, never only across the figures printed so far (a wider figure reaches further)."""
    passed: list[int] = field(default_factory=list)
    """Pages printing nothing of their own (a blank row spilled there, a page number) since its last
    rows: its pages too when it goes on after them."""

    @property
    def last_page(self) -> int:
        return max([*self.grid.pages, *self.passed])


def open_pdf(path: Path):
    """Open a PDF, turning pdfminer's failures into clear ingest errors."""
    try:
        pdf = pdfplumber.open(path)
        _ = pdf.pages
    except Exception as exc:  # pdfminer raises many types on broken files
        if _is_password_error(exc):
            raise IngestError(path.name, "encrypted", "the PDF is encrypted (password-protected)") from exc
        raise IngestError(path.name, "corrupt", f"not a readable PDF ({type(exc).__name__})") from exc
    return pdf


def find_tables(page, table_settings: dict) -> list:
    """pdfplumber's tables; again with a closing rule added where vertical rules run past a table.

    A table continued from the previous page often has no top rule, so its first
    row (and, at a page's foot, its last row) falls outside the found grid.
    """
    tables = page.find_tables(table_settings)
    if not tables:
        return tables
    extra: list[float] = []
    for table in tables:
        x0, top, x1, bottom = table.bbox
        verticals = [
            e for e in page.vertical_edges
            if x0 - 1 <= e["x0"] <= x1 + 1 and e["bottom"] >= top - 1 and e["top"] <= bottom + 1
        ]
        above = [e["top"] for e in verticals if e["top"] < top - 3]
        below = [e["bottom"] for e in verticals if e["bottom"] > bottom + 3]
        if above:
            extra.append(min(above))
        if below:
            extra.append(max(below))
    if not extra:
        return tables
    return page.find_tables({**table_settings, "explicit_horizontal_lines": extra})


def _is_password_error(exc: BaseException | None) -> bool:
    """pdfplumber wraps pdfminer's PDFPasswordIncorrect; look through the wrapping."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, PDFPasswordIncorrect) or any(isinstance(a, PDFPasswordIncorrect) for a in exc.args):
            return True
        if "password" in repr(exc).lower() or "encrypt" in repr(exc).lower():
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def read_pdf(path: Path, settings: PdfSettings = DEFAULT_PDF) -> PdfReadResult:
    """Tables and narrative of one PDF file."""
    pdf = open_pdf(path)
    with pdf:
        if pdf.doc.encryption is not None and not pdf.pages:
            raise IngestError(path.name, "encrypted", "the PDF is encrypted")
        return _read_pages(pdf, visible_name(path.name), settings)


def _read_pages(pdf, source: str, settings: PdfSettings) -> PdfReadResult:
    tables: list[Table] = []
    narrative: list[tuple[int, list[str]]] = []
    departments: list[str] = []
    title_lines: list[str] = []
    pending: _Pending | None = None
    chars = 0
    doc_unit = "万元"
    foot: list[tuple[int, str]] = []
    """A table title (with its unit line) printed at the previous page's foot."""
    bare_pages: list[tuple[int, list[str]]] = []
    held: _Held | None = None
    """A table's header printed alone at the previous page's foot, under its title."""
    table_settings = dict(settings.table_settings)
    pages = [repair_page(upright_page(raw_page)) for raw_page in pdf.pages]
    marks = furniture(pages)
    for number, repaired in enumerate(pages, start=1):
        page = without_furniture(repaired, marks.get(number - 1, []))
        chars += len(page.chars)
        fragments = (list(map(Fragment.of, find_tables(page, table_settings))) or open_fragments(page)
                     or _open_continuation(page, pending, number, settings))
        under = _under_held(page, held, pending, number) if not fragments else []
        if not fragments and (fragments := under or bare_fragments(page) or _open_continuation(
                page, pending, number, settings, reader="unruled")):
            bare_pages.append((number, _all_lines(page, settings)))
        found = [
            part for f in fragments
            for part in _split_at_titles(f, settings) if part.has_text() and not _is_contents_frame(part)
        ]
        found.sort(key=lambda t: (t.bbox[1], t.bbox[0]))
        bboxes = [t.bbox for t in found]
        outside = page.filter(lambda obj, boxes=bboxes: not _inside(obj, boxes)) if bboxes else page
        side = lanes(bboxes)
        lines = outside.extract_text_lines(y_tolerance=settings.text_y_tolerance, return_chars=bool(side))
        lines = [line for line in lines if line["text"].strip()]
        page_lines = [(line["top"], line["bottom"], line["text"].strip()) for line in lines]
        for _, _, text in page_lines:
            match = _DEPARTMENT.search(text)
            if match:
                departments.append(match.group(1))
        used: set[int] = set()
        previous_bottom = 0.0
        for position, table in enumerate(found):
            if position in side:
                above = _above_in_lane(lines, bboxes, position, side[position])
            else:
                above = [
                    (i, text)
                    for i, (top, bottom, text) in enumerate(page_lines)
                    if previous_bottom - 2 <= top and bottom <= table.bbox[1] + 2
                ]
            inner = _title_rows(table, page)
            departments += [m.group(1) for m in map(_DEPARTMENT.search, inner) if m]
            above += [(-1, text) for text in inner]
            if position == 0 and foot and not any(_is_title(t, settings) for _, t in above):
                above = foot + above
            title, label, unit = _title_of(above, settings, used)
            if unit:
                doc_unit = unit
            carried_on = position == 0 and pending is not None and pending.last_page == number - 1
            repeated = carried_on and (
                _CONTINUED.search(" ".join(t for _, t in above))
                or (title and _same_title(title, pending.title) and repeats_header(pending.grid, table))
            )
            if (title is None and pending is not None and not _has_title_words(above)) or repeated:
                continue_grid(pending.grid, table, number)
                pending.span = (min(pending.span[0], table.bbox[0]), max(pending.span[1], table.bbox[2]))
                pending.grid.pages[-1:-1], pending.passed = pending.passed, []
            else:
                if pending is not None:
                    _append(tables, _finish(pending, len(tables), source))
                title = title or (pending.title if pending and _CONTINUED.search(" ".join(t for _, t in above)) else None)
                title = title or _continued_title(above, settings)
                kind = table_kind(title) if title else None
                if title is None:
                    title = f"未命名表{len(tables) + 1}"
                    kind = "其他"
                title_lines.append(title)
                pending = _Pending(start_grid(table, number), title, kind or "其他", label, unit or doc_unit,
                                   span=(table.bbox[0], table.bbox[2]))
            previous_bottom = table.bbox[3]
        last_bottom = max((t.bbox[3] for t in found), default=0.0)
        after = [(i, t) for i, (top, _, t) in enumerate(page_lines) if top > last_bottom - 1]
        held, band, foot = _held_header(page, page_lines, found, pending, number, after, foot, settings)
        used |= {i for i, _ in foot} | band
        foot = [(-1, text) for _, text in foot]
        below = [text for i, (top, _, text) in enumerate(page_lines) if i not in used]
        if pending is not None:
            pending.statements.extend(t for t in below if _EMPTY_STATEMENT.search(t) and len(t) < 120)
        if found:
            # narrative keeps the text that is neither a table title nor inside a table
            narrative.append((number, below))
            if not _ends_with_table(page_lines, found):
                if pending is not None:
                    _append(tables, _finish(pending, len(tables), source))
                pending = None
        else:
            narrative.append((number, below))
            # a page printing nothing but its number (a table's last, blank row spilled onto it) is no
            # more the table's end than an empty page
            if pending is not None and any(not _PAGE_NUMBER.match(clean_text(t)) for _, _, t in page_lines):
                _append(tables, _finish(pending, len(tables), source))
                pending = None
            elif pending is not None:
                pending.passed.append(number)
    if pending is not None:
        _append(tables, _finish(pending, len(tables), source))
    return PdfReadResult(tables, narrative, len(pdf.pages), chars, departments, title_lines, bare_pages)


@dataclass(frozen=True, slots=True)
class _Held:
    """A table's header printed alone at a page's foot (its body begins on the next page)."""

    page: int
    chars: list[dict]
    header_only_grid: bool
    """The header was read as a table of its own (a frame over its column-number line), body-less."""


_HEADER_FIGURE = re.compile(r"\d[\d,]*\.\d+|\d{1,3}(?:,\d{3})+|\d{3,}(?!\d|年)")
_HEADER_MAX_LINES = 6


def _held_header(page, page_lines: list[tuple[float, float, str]], found: list[Fragment], pending: _Pending | None,
                 number: int, after: list[tuple[int, str]], foot: list[tuple[int, str]], settings: PdfSettings,
                 ) -> tuple[_Held | None, set[int], list[tuple[int, str]]]:
    """(the header held for the next page, the indices of its lines, the title lines for the next page).

    A page without rules may end with a table's title and header and no body row: the header read
    as a body-less table of its own (a frame over its column-number line), or, no frame found, the
    header-like lines ending the page under title lines (here, or carried from the page before).
    """
    if page.vertical_edges or page.horizontal_edges:
        return None, set(), _foot_title(after, settings)
    if (found and pending is not None and pending.grid.pages == [number] and not pending.grid.rows
            and pending.grid.reader == "unruled" and not _text_after(after)):
        box = found[-1].bbox
        chars = [c for c in page.chars if box[1] <= (c["top"] + c["bottom"]) / 2 <= box[3]]
        return _Held(number, chars, True), set(), []
    if found:
        return None, set(), _foot_title(after, settings)
    band = _header_band(page_lines)
    titles = _foot_title([(i, t) for i, t in after if i not in band], settings)
    rest = [(i, t) for i, t in after if i not in band and not _PAGE_NUMBER.match(clean_text(t))]
    if not band or not (titles or foot) or len(titles) != len(rest) and not (foot and all(_is_metadata(t) for _, t in rest)):
        return None, set(), _foot_title(after, settings)
    top, bottom = page_lines[min(band)][0], page_lines[max(band)][1]
    chars = [c for c in page.chars if top - 1 <= (c["top"] + c["bottom"]) / 2 <= bottom + 1]
    return _Held(number, chars, False), band, titles or [*foot, *((-1, t) for _, t in rest)]


def _text_after(after: list[tuple[int, str]]) -> bool:
    """Some line other than a page number."""
    return any(not _PAGE_NUMBER.match(clean_text(t)) for _, t in after)


def _header_band(page_lines: list[tuple[float, float, str]]) -> set[int]:
    """The indices of the header-like lines ending a page (page numbers below them aside): short,
    no figure but column numbers, neither a sentence nor a title nor a unit or 部门 line."""
    band: set[int] = set()
    for index in range(len(page_lines) - 1, -1, -1):
        compact = clean_text(page_lines[index][2])
        if _PAGE_NUMBER.match(compact) and not band:
            continue
        if (_HEADER_FIGURE.search(compact) or _SENTENCE.search(compact) or _is_metadata(compact)
                or _is_title(compact, DEFAULT_PDF) or len(compact) > DEFAULT_PDF.title_max_chars):
            break
        band.add(index)
    return band if len(band) <= _HEADER_MAX_LINES else set()


def _under_held(page, held: _Held | None, pending: _Pending | None, number: int) -> list[Fragment]:
    """The page's frames read under a header held from the page before, when its own first frame
    prints no header (its body begins at the page's top); a body-less grid of that header restarts."""
    if held is None or held.page != number - 1:
        return []
    own = bare_fragments(page)
    if not own or start_grid(own[0], number).header:
        return []
    joined = fragments_under_header(page, held.chars)
    if joined and held.header_only_grid and pending is not None:
        pending.grid.header, pending.grid.head_rows = [], []
    return joined


_EDGE_SLACK = 1.0
"""Points a right-aligned figure may end past its column's printed right edge."""


def _all_lines(page, settings: PdfSettings) -> list[str]:
    lines = page.extract_text_lines(y_tolerance=settings.text_y_tolerance, return_chars=False)
    return [line["text"].strip() for line in lines if line["text"].strip()]


def _open_continuation(page, pending: _Pending | None, number: int, settings: PdfSettings,
                       reader: str = "open") -> list[Fragment]:
    """An open table's next page printed without any rule, read across the table's frame, unless a
    title or prose stands above its rows (a table or text of its own, for the unruled reader).

    With ``reader`` "unruled": a table read without any rule whose next page holds too few rows for
    a frame of its own (one row spilled over), read the same way."""
    if pending is None or pending.grid.reader != reader or pending.last_page != number - 1:
        return []
    fragment = continued_fragment(page, *pending.span)
    if reader == "unruled" and (fragment is None or not fits_columns(pending.grid, fragment)):
        # a label set off its column would run into a figure's cell; a lone 总计 row's, set right, goes on the names
        fragment = fragment and with_total_on_names(pending.grid, fragment) or _in_columns(page, pending)
    if fragment is None:
        return []
    fragment.reader = reader
    above = page.crop((0, 0, page.width, fragment.bbox[1]), strict=False)
    lines = above.extract_text_lines(y_tolerance=settings.text_y_tolerance, return_chars=False)
    return [] if _prose_or_title([line["text"].strip() for line in lines]) else [fragment]


def _in_columns(page, pending: _Pending) -> Fragment | None:
    """A table without rules carried on by a few rows whose own gaps make no columns of the table's
    (a bold 合计 row's figures set left in their cells, a letter-spaced 总　计): the rows read in the
    table's columns, each cell reaching from the right edge of the column before it (figures are
    right-aligned) or, after a column of names (left-aligned, a longer name reaching further), from
    halfway across the gap after it; None when a text runs across such an edge or the rows still
    do not fit. A letter-spaced total label those edges cut into pieces is set on the names."""
    columns = pending.grid.columns
    names = _name_columns(pending.grid)
    cuts = [(left[1] + right[0]) / 2 if j in names and right[0] > left[1] else left[1] + _EDGE_SLACK
            for j, (left, right) in enumerate(zip(columns, columns[1:], strict=False))]
    fragment = continued_fragment(page, *pending.span, cuts=cuts, header=_header_words(pending.grid))
    if fragment is None or not fits_columns(pending.grid, fragment) or label_in_figures(pending.grid, fragment):
        return None
    return with_spread_total_on_names(fragment, min(names)) if names else fragment


def _name_columns(grid: Grid) -> set[int]:
    """The grid's columns whose rows mostly print Chinese words (names, not codes or figures)."""
    found = set()
    for j in range(grid.width):
        printed = [row.texts[j] for row in grid.rows if j < len(row.texts) and row.texts[j]]
        if printed and sum(bool(_CHINESE.search(t)) for t in printed) * 2 > len(printed):
            found.add(j)
    return found


_CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _header_words(grid: Grid) -> str:
    """A table's header texts run together (what its header printed again on a later page holds)."""
    return "".join(clean_text(cell.text).replace(" ", "") for cell in grid.header)


def _above_in_lane(lines: list[dict], bboxes: list[Box], position: int, lane: tuple[float, float]) -> list[tuple[int, str]]:
    """The text above a table with a neighbour beside it: the pieces of lines printed in its lane,
    below the nearest table above it in that lane."""
    box = bboxes[position]
    floor = max((b[3] for j, b in enumerate(bboxes) if j != position and b[3] <= box[1] + 2
                 and b[0] < lane[1] and lane[0] < b[2]), default=0.0)
    return [
        (i, piece[2])
        for i, line in enumerate(lines)
        if floor - 2 <= line["top"] and line["bottom"] <= box[1] + 2
        for piece in pieces(line) if in_lane(piece, lane)
    ]


def _is_contents_frame(fragment: Fragment) -> bool:
    """A table of contents printed inside a ruled frame (its first text is “目录”): read as page text."""
    first = next((t.strip() for row in fragment.texts for t in row if t and t.strip()), "")
    return bool(first) and is_contents_title(first.splitlines()[0])


def _append(tables: list[Table], table: Table | None) -> None:
    if table is not None:
        tables.append(table)


def _title_rows(table: Fragment, page) -> list[str]:
    """Lines printed inside the grid above its header — title, label, unit, "部门：/编制单位：" —
    removed from it, so they become the table's metadata and never header text.

    Leading rows with no cell text are dropped too; text printed over them (a
    "公开03表" label outside any cell) is returned with the title lines.
    """
    lines: list[str] = []
    while len(table.texts) > 1:
        filled = [c for c in table.texts[0] if c and c.strip()]
        if not filled:
            boxes = [b for b in table.boxes[0] if b]
            if boxes:
                top, bottom = min(b[1] for b in boxes), max(b[3] for b in boxes)
                region = page.crop((table.bbox[0], top, table.bbox[2], bottom), strict=False)
                lines += [t for t in (region.extract_text() or "").splitlines() if t.strip()]
        elif all(_is_metadata(c) for c in filled):
            lines += [line for c in filled for line in c.splitlines() if line.strip()]
        else:
            break
        del table.texts[0], table.boxes[0]
    return lines


def _is_metadata(text: str) -> bool:
    """A line above a table's header: its unit, its 部门/编制单位, its label or its title."""
    compact = clean_text(text)
    if _UNIT_PART.match(compact) or _DEPARTMENT.match(compact) or _LABEL.search(compact.replace(" ", "")):
        return True
    return "表" in compact and bool(table_kind(compact)) and len(compact) <= DEFAULT_PDF.title_max_chars


def _inside(obj: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    if obj.get("object_type") != "char":
        return False
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)


def _title_of(
    above: list[tuple[int, str]], settings: PdfSettings, used: set[int]
) -> tuple[str | None, str | None, str | None]:
    """The title, label and unit printed above a table (nearest title line wins)."""
    title = label = unit = None
    for index, text in reversed(above):
        compact = clean_text(text)
        unit_match = _UNIT.search(compact)
        if unit_match:
            unit = unit or normalise_unit(unit_match.group(1))
            used.add(index)
            compact = compact[: unit_match.start()].strip()
            if not compact or _DEPARTMENT.search(compact):
                continue
        if _DEPARTMENT.match(compact):
            used.add(index)
            continue
        if title is None and len(compact) <= settings.title_max_chars and table_kind(compact) and _may_be_title(compact):
            title = _strip_label(compact)
            label = label or _label_in(compact)
            used.add(index)
            continue
        if label is None and _LABEL.search(compact.replace(" ", "")) and len(compact) <= 12:
            label = compact.replace(" ", "")
            used.add(index)
    if title and _CONTINUED.search(title):
        return None, label, unit
    return title, label, unit


def _split_at_titles(table: Fragment, settings: PdfSettings) -> list[Fragment]:
    """Tables stacked in one ruled grid, each opened by a title row (one filled cell), apart."""
    starts = [0] + [
        i for i, row in enumerate(table.texts)
        if i > 0 and len(filled := [c for c in row if c and c.strip()]) == 1 and _is_title(filled[0], settings)
    ]
    if len(starts) == 1:
        return [table]
    parts = []
    for start, end in zip(starts, [*starts[1:], len(table.texts)], strict=True):
        boxes = [b for row in table.boxes[start:end] for b in row if b]
        top = min((b[1] for b in boxes), default=table.bbox[1])
        bottom = max((b[3] for b in boxes), default=table.bbox[3])
        parts.append(Fragment((table.bbox[0], top, table.bbox[2], bottom), table.boxes[start:end],
                              table.texts[start:end], table.columns, table.reader))
    return parts


def _is_title(text: str, settings: PdfSettings) -> bool:
    compact = _UNIT_TAIL.sub("", clean_text(text))
    ending = _CONTINUED.sub("", re.sub(r"[（(][^）)]*[）)]$", "", compact)).strip()
    return (
        len(compact) <= settings.title_max_chars and ending.endswith("表") and not _SENTENCE.search(compact)
        and bool(table_kind(compact)) and _may_be_title(compact)
    )


def _may_be_title(text: str) -> bool:
    """A header cell or a row is never a title: no amount in it, no 小计/合计 at its end."""
    return not _TITLE_NOT.search(text)


def _same_title(a: str, b: str) -> bool:
    """One title printed again (on a continuation page), labels, 续 marks and spaces aside."""
    def key(text: str) -> str:
        return _CONTINUED.sub("", _strip_label(clean_text(text))).replace(" ", "")

    return key(a) == key(b)


def _foot_title(after: list[tuple[int, str]], settings: PdfSettings) -> list[tuple[int, str]]:
    """The title (and unit, 部门 lines) ending a page with no table below it: it names the next page's table.

    Read from the page's last lines up, page numbers skipped; any other line ends the search.
    """
    lines: list[tuple[int, str]] = []
    for index, text in reversed(after):
        compact = clean_text(text)
        if _PAGE_NUMBER.match(compact) and not lines:
            continue
        if _is_title(compact, settings) and not _TOC_LINE.search(compact) or _is_metadata(compact):
            lines.insert(0, (index, text))
            continue
        break
    return lines if any(_is_title(t, settings) for _, t in lines) else []


# a label's number never takes the first digit of the year printed right after it ("表62025年" is 表6)
_LABEL_NUMBER = r"\d{1,2}(?=\s*\d{4}年|\D|$)"
_LABEL_IN = re.compile(rf"(公开\s*\d{{1,2}}\s*表|表\s*{_LABEL_NUMBER}|附表\s*{_LABEL_NUMBER})")


def _label_in(text: str) -> str | None:
    match = _LABEL_IN.search(text)
    return match.group(1).replace(" ", "") if match else None


def _strip_label(text: str) -> str:
    match = _LABEL_IN.match(text)
    return text[match.end():].strip() if match else text.strip()


def _continued_title(above: list[tuple[int, str]], settings: PdfSettings) -> str | None:
    """The title a continuation page prints marked 续, without the mark: the table's title when its
    part before was not read as a grid (nothing to continue)."""
    for _, text in reversed(above):
        if _CONTINUED.search(text):
            title = _title_of([(-1, _CONTINUED.sub("", text))], settings, set())[0]
            if title:
                return title
    return None


def _has_title_words(above: list[tuple[int, str]]) -> bool:
    return any(_UNIT.search(t) for _, t in above)


def _ends_with_table(page_lines: list[tuple[float, float, str]], found: list) -> bool:
    """True when no prose follows the last table on the page (so it may continue)."""
    last_bottom = max(t.bbox[3] for t in found)
    return not _prose_or_title([text for top, _, text in page_lines if top > last_bottom - 1])


def _prose_or_title(lines: list[str]) -> bool:
    """Some line is prose or a table title (page numbers and a short running head are neither)."""
    return any(len(t) > 25 or table_kind(t) for t in lines)


def _finish(pending: _Pending, index: int, source: str) -> Table | None:
    sides = read_sides(pending.grid)
    has_values = any(v for s in sides for r in s.rows for v in r.values)
    form = read_performance(grid_rows(pending.grid), pending.unit)
    if form is not None and pending.kind not in ("绩效目标表", "其他"):
        form = None
    if pending.kind == "其他" and not has_values and form is None:
        return None
    if form is not None:
        pending.unit = form.unit  # "项目资金（元）" inside the form outranks the page's unit line
    statement = None
    if not has_values:
        texts = [t for r in pending.grid.rows for t in r.texts] + [h.text for h in pending.grid.header]
        texts += pending.grid.notes
        inside = [t for t in texts if t and _EMPTY_STATEMENT.search(t)]
        candidates = inside + pending.statements
        statement = candidates[0] if candidates else None
    table = build_table(
        table_id=f"t{index + 1:02d}",
        title=pending.title,
        kind=pending.kind,
        label=pending.label,
        unit=pending.unit,
        pages=pending.grid.pages,
        sides=sides,
        empty_statement=statement,
        source_file=source,
    )
    table.performance = form
    table.reader = pending.grid.reader
    return table
