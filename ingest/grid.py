"""A ruled table as a grid of text cells with coordinates, merged over pages.

pdfplumber finds each table fragment on a page; a :class:`Grid` holds one
logical table: the column x-ranges of its first fragment, the header cells with
their spans, and the body rows of every fragment mapped onto those columns. Two amounts of a
row never run together in one column: a continuation whose columns would put them so is mapped
column by column in order, and any left together are set apart (the cell then reads as text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from budgetqa.numbers import parse_cell

_CJK_SPACE = re.compile(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")
_AMOUNT = re.compile(r"\d[\d,]*\.\d+|\d{1,3}(?:,\d{3})+")
# a column-number cell: marks and 1–2 digit numbers, possibly several run together ("栏次1", "栏 次 1 2")
_COLUMN_NUMBER_TOKEN = re.compile(r"\s*(?:栏\s*次|行\s*次|[※*＊]|(?<!\d)[0-9]{1,2}(?!\d))")
_TOTAL_LABEL = re.compile(r"^(?:合\s*计|总\s*计)$")
_FIGURE = re.compile(r"^-?\d[\d,]*(?:\.\d+)?$")
_WORDED_FIGURE = re.compile(r"[\u4e00-\u9fff]\s*-?\d[\d,]*(?:\.\d+)?$")
_NOTE = re.compile(r"^(?:注|说明|备注|附注)\s*\d?\s*[:：]")


def clean_text(text: str | None) -> str:
    """Join words split over lines and drop spaces between Chinese characters."""
    if not text:
        return ""
    text = text.replace("\n", " ").replace("\u3000", " ")
    text = _CJK_SPACE.sub("", text)
    text = re.sub(r"[“”\"]", "", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass(slots=True)
class Fragment:
    """One table as pdfplumber found it on one page: cell boxes and texts, read once."""

    bbox: tuple[float, float, float, float]
    boxes: list[list[tuple[float, float, float, float] | None]]
    texts: list[list[str | None]]
    columns: list[tuple[float, float]] = field(default_factory=list)
    """Each column's x-range, read from every row before any (title, unit) row is removed."""
    reader: str = "ruled"
    """"ruled" (pdfplumber's line grid) or "open" (horizontal rules only, see open_grid.py)."""

    @classmethod
    def of(cls, table) -> Fragment:
        fragment = cls(tuple(table.bbox), [list(r.cells) for r in table.rows], table.extract())
        fragment.columns = _col_ranges(fragment)
        return fragment

    def has_text(self) -> bool:
        return any(t and t.strip() for row in self.texts for t in row)


@dataclass(slots=True)
class HeaderCell:
    """A header cell and the column range [first, last] it spans."""

    text: str
    first: int
    last: int
    top: float


@dataclass(slots=True)
class BodyRow:
    texts: list[str]
    page: int


@dataclass(slots=True)
class Grid:
    """One logical table's cells, in the column frame of its first fragment."""

    columns: list[tuple[float, float]]
    header: list[HeaderCell] = field(default_factory=list)
    header_labels: list[str] = field(default_factory=list)
    """Per column: the 类/款/项 label printed in the data row that starts the body, if any."""
    rows: list[BodyRow] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    head_rows: list[list[str]] = field(default_factory=list)
    """The header rows' texts as printed, one per column (a form's label/value rows live here)."""
    notes: list[str] = field(default_factory=list)
    """Note rows printed inside the grid ("注：本表无数据"), kept out of the body."""
    reader: str = "ruled"
    """"open" when any of its fragments was read from alignment rather than rules."""

    @property
    def width(self) -> int:
        return len(self.columns)

    def header_path(self, col: int, stop: int | None = None) -> tuple[str, ...]:
        """Header texts covering column ``col``, top first, repeats dropped."""
        path: list[str] = []
        for cell in sorted(self.header, key=lambda c: c.top):
            if cell.first <= col <= cell.last and cell.text and (not path or path[-1] != cell.text):
                path.append(cell.text)
        return tuple(path)


def is_data_row(texts: list[str]) -> bool:
    """A body row prints at least one amount (with decimals or thousands separators)."""
    return any(_AMOUNT.fullmatch(t.replace(" ", "")) for t in texts if t)


def is_note_row(texts: list[str]) -> bool:
    """A row holding only a note ("注：…", "说明：…"), usually one cell across the table."""
    filled = [t for t in texts if t]
    return len(filled) == 1 and bool(_NOTE.match(filled[0]))


def is_column_number_row(texts: list[str]) -> bool:
    """The "※ 1 2 3 …" / "栏次" row that numbers the columns.

    Its label may be letter-spaced or glued to the first number in one cell ("栏次1" when no name
    column is found to hold it), and the first number may be missing: every cell is marks and at
    most one small number, at least two of them in the row. (Cells of several numbers, "3 4 5",
    are a bare line's pieces the unruled readers part by column; they stay theirs.)
    """
    tokens: list[str] = []
    for text in texts:
        cell = _column_number_tokens(text) if text else []
        if cell is None or sum(t.isdigit() for t in cell) > 1:
            return False
        tokens += cell
    return len(tokens) >= 2


def _column_number_tokens(text: str) -> list[str] | None:
    """A cell's column marks and numbers ("栏次1" → 栏次, 1), or None when it holds anything else."""
    tokens, end = [], 0
    for match in _COLUMN_NUMBER_TOKEN.finditer(text):
        if match.start() != end:
            return None
        tokens.append(match.group().strip())
        end = match.end()
    return tokens if tokens and not text[end:].strip() else None


def _col_ranges(table: Fragment) -> list[tuple[float, float]]:
    """Each column's x-range: the narrowest cell that starts in that column (merged cells are wider)."""
    if table.columns:
        return table.columns
    width = max(len(row) for row in table.boxes)
    ranges: list[tuple[float, float] | None] = [None] * width
    for row in table.boxes:
        for j, bbox in enumerate(row):
            if bbox is None:
                continue
            current = ranges[j]
            if current is None or bbox[2] - bbox[0] < current[1] - current[0]:
                ranges[j] = (bbox[0], bbox[2])
    filled = [r for r in ranges if r is not None]
    fallback = filled[-1] if filled else (table.bbox[0], table.bbox[2])
    return [r or fallback for r in ranges]


def _map_columns(base: list[tuple[float, float]], frag: list[tuple[float, float]]) -> list[int]:
    """For each fragment column, the base column it matches best: most overlap over the span of both.

    Overlap alone ties a narrow column between a wide merged base column and the
    narrow one it sits in (a form whose first page prints 指标值 and 分值 under one
    cell); measured against the union, the narrow base column wins.
    """
    mapping = []
    for x0, x1 in frag:
        overlaps = [max(0.0, min(x1, b1) - max(x0, b0)) for b0, b1 in base]
        spans = [max(x1, b1) - min(x0, b0) or 1.0 for b0, b1 in base]
        best = max(range(len(base)), key=lambda i: overlaps[i] / spans[i])
        if overlaps[best] <= 0:
            centre = (x0 + x1) / 2
            best = min(range(len(base)), key=lambda i: abs((base[i][0] + base[i][1]) / 2 - centre))
        mapping.append(best)
    return mapping


def _fragment_rows(table: Fragment) -> list[list[tuple[str, tuple[float, float, float, float] | None]]]:
    return [
        [(clean_text(t), bbox) for t, bbox in zip(row_texts, row, strict=False)]
        for row, row_texts in zip(table.boxes, table.texts, strict=False)
    ]


def start_grid(table: Fragment, page: int) -> Grid:
    """A grid from a table's first fragment: header cells with spans, then body rows."""
    columns = _col_ranges(table)
    grid = Grid(columns=columns, pages=[page], reader=table.reader)
    rows = _fragment_rows(table)
    first_data = _first_body_row(rows)
    centres = [(x0 + x1) / 2 for x0, x1 in columns]
    for row in rows[:first_data]:
        texts = [t for t, _ in row]
        if is_column_number_row(texts):
            continue
        grid.head_rows.append(texts)
        for text, bbox in row:
            if bbox is None or not text or _UNIT_CELL.match(text):
                continue
            covered = [i for i, c in enumerate(centres) if bbox[0] <= c <= bbox[2]]
            if covered:
                grid.header.append(HeaderCell(text, covered[0], covered[-1], bbox[1]))
    grid.header = _join_split_header_words(grid.header)
    body = rows[first_data:]
    if body:
        grid.header_labels = [t if t in ("类", "款", "项") else "" for t, _ in body[0]]
    for row in body:
        texts = [t for t, _ in row]
        if is_column_number_row(texts):
            continue
        if is_note_row(texts):
            grid.notes += [t for t in texts if t]
            continue
        texts = ["" if t in ("类", "款", "项") else t for t in texts]
        grid.rows.append(BodyRow(texts, page))
    return grid


_UNIT_CELL = re.compile(r"^单位[:：]")
_CODE_LABEL = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
_INTEGER = re.compile(r"^-?\d+$")
_YEAR = re.compile(r"^(?:19|20)\d{2}$")


def _first_body_row(rows: list[list[tuple[str, object]]]) -> int:
    """The first row holding data: an amount, or a label beside a whole number, whichever comes first.

    A table printed in whole numbers (元 without separators) has no amount with decimals;
    its first body row is the first that prints a label and then an integer (a header
    never does: column numbers and years aside).
    """
    amounts = next((i for i, row in enumerate(rows) if is_data_row([t for t, _ in row])), len(rows))
    for i, row in enumerate(rows[:amounts]):
        texts = [t for t, _ in row if t]
        if is_column_number_row(texts):
            continue
        label = 0 if texts and _CODE_LABEL.match(texts[0].replace(" ", "")) else next(
            (j for j, t in enumerate(texts) if not _INTEGER.match(t.replace(" ", ""))), None)
        if label is not None and any(
            _INTEGER.match(t.replace(" ", "")) and not _YEAR.match(t) for t in texts[label + 1:]
        ):
            return i
    return amounts


def _join_split_header_words(cells: list[HeaderCell]) -> list[HeaderCell]:
    """Rejoin a header word printed over two cells of the same span ("公务接" / "待费", "因公出国" / "（境）费").

    Stacked cells over exactly the same columns are one label: a real parent
    header spans more columns than each of its children.
    """
    cells = sorted(cells, key=lambda c: (c.first, c.last, c.top))
    joined: list[HeaderCell] = []
    for cell in cells:
        previous = joined[-1] if joined else None
        if previous is not None and (previous.first, previous.last) == (cell.first, cell.last):
            previous.text += cell.text
            continue
        joined.append(cell)
    return joined


_CODE_LEVELS = ("类", "款", "项")


def _is_repeated_header(texts: list[str], header_texts: set[str]) -> bool:
    """Every filled text of the row is a header text of the grid, or several run together: a page
    whose rows leave a column empty (a continued 类 prints no 类 code) reads the labels over it and
    its neighbour as one ("类款")."""
    known = {t for t in header_texts if t} | set(_CODE_LEVELS)
    filled = [t for t in texts if t]
    return bool(filled) and all(_joined_from(t, known) for t in filled)


def _joined_from(text: str, known: set[str]) -> bool:
    """``text`` is one known text or several written one after another."""
    ends = {0}
    for end in range(1, len(text) + 1):
        if any(text[start:end] in known for start in ends if start < end):
            ends.add(end)
    return len(text) in ends


def repeats_header(grid: Grid, table: Fragment) -> bool:
    """The fragment opens with the grid's header printed again (a continuation page, not a new form)."""
    header_texts = {h.text for h in grid.header} | {t for row in grid.head_rows for t in row if t}
    rows = _fragment_rows(table)
    head = [[t for t, _ in row] for row in rows[: _first_body_row(rows)]]
    head = [texts for texts in head if any(texts) and not is_column_number_row(texts)]
    return bool(head) and all(_is_repeated_header(texts, header_texts) for texts in head)


def _widened(grid: Grid, table: Fragment, page: int) -> bool:
    """A table without rules begun by a page printing one row under its header (a 总计 row spanning
    the code and name columns: a frame of names and figures only) and carried on by rows in more
    columns (split code columns): the grid takes the rows' columns, its header and row set on them
    by position. False (the grid unchanged) when two of its cells would fall in one column."""
    body = start_grid(table, page)
    if body.header:
        return False
    onto = _map_columns(body.columns, grid.columns)
    back = _map_columns(grid.columns, body.columns)
    header = []
    for cell in grid.header:
        covered = [i for i, old in enumerate(back) if cell.first <= old <= cell.last]
        if not covered:
            continue  # a label column's header centred over none of the rows' columns
        if covered != list(range(covered[0], covered[-1] + 1)):
            return False
        header.append(HeaderCell(cell.text, covered[0], covered[-1], cell.top))
    rows = []
    for row in grid.rows:
        texts = [""] * body.width
        for j, text in enumerate(row.texts):
            if text and texts[onto[j]]:
                return False
            texts[onto[j]] = texts[onto[j]] or text
        rows.append(BodyRow(texts, row.page))
    grid.columns, grid.header, grid.header_labels = body.columns, header, body.header_labels
    grid.rows = rows + body.rows
    grid.notes += body.notes
    grid.pages.append(page)
    return True


def _restart_grid(grid: Grid, table: Fragment, page: int) -> None:
    """A header printed alone at a page's foot: read the body's fragment, keep the header over it."""
    body = start_grid(table, page)
    centres = [(x0 + x1) / 2 for x0, x1 in body.columns]
    carried = []
    for cell in grid.header:
        x0, x1 = grid.columns[cell.first][0], grid.columns[cell.last][1]
        covered = [i for i, c in enumerate(centres) if x0 <= c <= x1]
        if covered:
            carried.append(HeaderCell(cell.text, covered[0], covered[-1], cell.top - 10_000))
    grid.columns = body.columns
    grid.header = carried + body.header
    grid.header_labels = body.header_labels
    grid.rows = body.rows
    grid.notes += body.notes
    grid.pages.append(page)


def fits_columns(grid: Grid, table: Fragment) -> bool:
    """Each column of the fragment falls in a column of the grid of its own (two falling in one
    would run a label and a figure, or two figures, together)."""
    mapping = _map_columns(grid.columns, _col_ranges(table))
    return len(set(mapping)) == len(mapping)


def label_in_figures(grid: Grid, table: Fragment) -> bool:
    """Does a cell of the fragment, in a column where the grid's rows print figures, hold words
    beside its figure (a label set off its column run into a figure's cell)?"""
    for j in range(min(grid.width, max((len(r) for r in table.texts), default=0))):
        printed = [clean_text(row.texts[j]) for row in grid.rows if j < len(row.texts) and row.texts[j]]
        if not printed or sum(bool(_FIGURE.match(t)) for t in printed) * 2 <= len(printed):
            continue
        cells = [clean_text(row[j]) for row in table.texts if j < len(row) and row[j]]
        if any(_WORDED_FIGURE.search(t) for t in cells):
            return True
    return False


def with_total_on_names(grid: Grid, table: Fragment) -> Fragment | None:
    """A lone total row carried over ("总计 47520 21660 25860", its label set right in its cell, in the
    gap between the grid's name column and its first figure column), its label set on that name
    column; None unless it prints a figure for every column right of the label, each standing in
    its column, and the column left of the label is a column of names."""
    if len(table.texts) != 1:
        return None
    texts, columns = _label_joined([clean_text(t) for t in table.texts[0]], _col_ranges(table))
    if len(texts) != len(columns) or len(texts) < 2 or not _TOTAL_LABEL.match(texts[0]) or not all(
            _FIGURE.match(t) for t in texts[1:]):
        return None
    label = columns[0]
    left = [i for i, (_, b1) in enumerate(grid.columns) if b1 < label[0]]
    right = [i for i, (b0, _) in enumerate(grid.columns) if b0 > label[1]]
    if not left or len(left) + len(right) != grid.width or len(right) != len(texts) - 1:
        return None
    if _map_columns(grid.columns, columns[1:]) != right or any(
            min(x1, grid.columns[i][1]) <= max(x0, grid.columns[i][0]) for (x0, x1), i in zip(columns[1:], right, strict=True)):
        return None
    names = [row.texts[left[-1]] for row in grid.rows if row.texts[left[-1]]]
    if not names or any(_FIGURE.match(t.replace(" ", "")) for t in names):
        return None
    joined = len(table.texts[0]) - len(texts)
    if joined:
        table = replace(table, texts=[[texts[0], *table.texts[0][joined + 1:]]],
                        boxes=[_joined_boxes(table.boxes[0], joined)])
    return replace(table, columns=[grid.columns[left[-1]], *columns[1:]])


def with_spread_total_on_names(table: Fragment, names: int) -> Fragment:
    """The fragment with a total label cut into pieces by the label columns left of the name column
    ``names`` ("合" | "计": a letter-spaced 合　　计 in a cell spanning the code and name columns, read
    in the table's own columns) joined on that name column, where the table's other pages set it;
    code columns then hold codes only. A row whose pieces there spell no total label is kept as read."""
    rows = []
    for row in table.texts:
        pieces = [t for t in (clean_text(c) for c in row[: names + 1]) if t]
        label = "".join(pieces).replace(" ", "")
        if len(pieces) > 1 and _TOTAL_LABEL.match(label) and not any(_FIGURE.match(t) for t in pieces):
            row = [*[""] * names, label, *row[names + 1:]]
        rows.append(row)
    return replace(table, texts=rows)


def _joined_boxes(boxes: list, extra: int) -> list:
    """A row's cell boxes with its first ``extra`` + 1 boxes joined into one (their union)."""
    if not extra:
        return boxes
    first = [b for b in boxes[: extra + 1] if b is not None]
    union = (min(b[0] for b in first), min(b[1] for b in first), max(b[2] for b in first),
             max(b[3] for b in first)) if first else None
    return [union, *boxes[extra + 1:]]


def _label_joined(texts: list[str], columns: list[tuple[float, float]]) -> tuple[list[str], list[tuple[float, float]]]:
    """A row's leading pieces that spell a total label only together (a letter-spaced "合　　计" whose
    characters stand apart as columns of their own) joined into one piece spanning them."""
    for end in range(len(texts), 1, -1):
        label = "".join(texts[:end])
        if _TOTAL_LABEL.match(label) and not any(_FIGURE.match(t) for t in texts[:end]):
            return [label, *texts[end:]], [(columns[0][0], columns[end - 1][1]), *columns[end:]]
    return texts, columns


def continue_grid(grid: Grid, table: Fragment, page: int) -> None:
    """Append a continuation fragment, dropping its repeated header rows."""
    if table.reader != "ruled":
        grid.reader = table.reader
    if not grid.rows:
        _restart_grid(grid, table, page)
        return
    rows = _fragment_rows(table)
    mapping = _continued_mapping(grid.columns, _col_ranges(table), rows)
    if table.reader == "unruled" and len(grid.rows) <= 1 and len(set(mapping)) < len(mapping) \
            and _widened(grid, table, page):
        return
    header_texts = {h.text for h in grid.header}
    first_data = 0
    while first_data < len(rows) and (
        _is_repeated_header([t for t, _ in rows[first_data]], header_texts)
        or is_column_number_row([t for t, _ in rows[first_data]])
    ):
        first_data += 1
    for row in rows[first_data:]:
        texts = [""] * grid.width
        amounts, placed = _amounts([text for text, _ in row]), set()
        for j, ((text, _), target) in enumerate(zip(row, mapping, strict=False)):
            if text and text not in _CODE_LEVELS:
                texts[target] = _joined(texts[target], text, j in amounts and target in placed)
                placed |= {target} if j in amounts else set()
        if is_column_number_row(texts):
            continue
        if is_note_row(texts):
            grid.notes += [t for t in texts if t]
            continue
        grid.rows.append(BodyRow(texts, page))
    grid.pages.append(page)


_FIGURE_STATES = frozenset({"value", "dash"})


def _is_figure(text: str) -> bool:
    """A printed amount or a dash standing for none."""
    return bool(text) and parse_cell(text)[0] in _FIGURE_STATES


def _amounts(texts: list[str]) -> set[int]:
    """The cells of a row holding a figure right of its last text (its name): amounts, not the codes
    printed before the name (a code's parts in columns of their own run together in one)."""
    last = max((j for j, text in enumerate(texts) if text and not _is_figure(text)), default=-1)
    return {j for j, text in enumerate(texts) if j > last and _is_figure(text)}


def _joined(text: str, more: str, amounts: bool) -> str:
    """Two pieces of one cell run together (a name's or a code's parts), but two amounts never:
    glued, "543" and "780" would read as 543780; set apart by " / ", the cell reads as text."""
    if not text:
        return more
    return f"{text} / {more}" if amounts else f"{text}{more}"


def _continued_mapping(base: list[tuple[float, float]], frag: list[tuple[float, float]],
                       rows: list[list[tuple[str, tuple[float, float, float, float] | None]]]) -> list[int]:
    """For each continuation column, the grid column it carries on: the best match by position, unless
    that puts two amounts of a row in one grid column (a column set left on one page, its figures
    nearer the column before than their own); then each column in a grid column of its own, in order."""
    mapping = _map_columns(base, frag)
    for row in rows:
        targets = [mapping[j] for j in _amounts([text for text, _ in row]) if j < len(mapping)]
        if len(set(targets)) < len(targets):
            return _ordered_mapping(base, frag) or mapping
    return mapping


def _ordered_mapping(base: list[tuple[float, float]], frag: list[tuple[float, float]]) -> list[int] | None:
    """Each fragment column on a base column of its own, left to right, with the most overlap over the
    span of both (then the nearest centres) summed over the columns; None with more fragment columns
    than base columns."""
    if len(frag) > len(base):
        return None

    def score(j: int, i: int) -> tuple[float, float]:
        (x0, x1), (b0, b1) = frag[j], base[i]
        overlap = max(0.0, min(x1, b1) - max(x0, b0)) / (max(x1, b1) - min(x0, b0) or 1.0)
        return overlap, -abs((x0 + x1) / 2 - (b0 + b1) / 2)

    # best[j][i]: the best total placing fragment columns j.. on base columns i.., and where j goes
    n, m = len(frag), len(base)
    best: dict[tuple[int, int], tuple[tuple[float, float], list[int]]] = {}
    for j in range(n - 1, -1, -1):
        for i in range(m - (n - j), -1, -1):
            here = score(j, i)
            rest = best[(j + 1, i + 1)] if j + 1 < n else ((0.0, 0.0), [])
            take = ((here[0] + rest[0][0], here[1] + rest[0][1]), [i, *rest[1]])
            skip = best.get((j, i + 1))
            best[(j, i)] = take if skip is None or take[0] >= skip[0] else skip
    return best[(0, 0)][1]
