"""Tables printed with no rules at all (Excel printed without borders): a frame from the text alone.

Neither pdfplumber's line grid nor ``open_grid`` (a frame of horizontal rules) finds such a
table, and the page's plain text loses where each figure stands. Here a page with no rule
is cut into frames from its text lines: a table title, a prose sentence, a page mark
("第 3 页 共 9 页", "- 3 -") or a gap of several line heights ends a frame, and a frame is
the run of lines from its header (the lines standing just above its first data line) to
its last data line (one data line only under a header labelling its figures: the header
printed again over the one row a continuation page holds, read as its own band so that the row
is no header line). A data line prints a figure beside other text, as in ``open_grid``,
whose reader then reads the frame exactly as a table between two rules: columns from the
gaps no data line prints across, the header label by label over the columns by alignment,
wrapped names onto their data line.

A 类 code printed once in a merged cell, vertically centred over the rows of its 类, belongs
to no line of its own: it sits between two rows, on a child row's line, or beside the first
line of a later row's wrapped name (read as an integer, it makes that name line look like a
row of its own). Such a code is moved onto the row it denotes, the nearest row above it that
prints no code part, when the rows from there down to a row below it are centred on the code;
a name line it stood beside is then a wrapped name's line again. Uncentred, it stays put and
the self-check judges the reading.

The fragments carry the reader "unruled" (read from alignment with no rule at all), so the
self-check (``self_check``) judges them as it judges the text read of such pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from budgetqa.ingest.grid import Fragment, clean_text, is_column_number_row
from budgetqa.ingest.open_grid import (
    DEFAULT_OPEN_GRID,
    OpenGridSettings,
    Piece,
    _is_column_numbers,
    _is_data_line,
    _lines,
    _read_frame,
)
from budgetqa.numbers import parse_cell
from budgetqa.vocab import table_kind


@dataclass(frozen=True, slots=True)
class BareSettings:
    """When a page without rules holds a table, and where it ends."""

    grid: OpenGridSettings = DEFAULT_OPEN_GRID
    min_data_lines: int = 2
    """A frame needs this many data lines (fewer is a sentence's figures, not a table), or one data
    line under a header labelling each of its figures (a continuation page's one row)."""
    header_gap: float = 2.5
    """A header line stands at most this many line heights above the line below it (a running head
    at the page's top stands further off)."""
    row_gap: float = 5.0
    """Lines of one table stand at most this many line heights apart."""
    centre_tolerance: float = 3.0
    """A merged cell's code is centred on its rows within this many points."""
    title_max_chars: int = 60
    edge_tolerance: float = 1.5
    """Right-aligned figures of one column end within this many points of each other."""
    edge_share: float = 0.3
    """A column's right edge is one that at least this share of the data lines end a figure on."""
    aligned_share: float = 0.85
    """Figures off the columns' edges are moved only when at least this share of the data lines (or
    all but one) print none off them."""


DEFAULT_BARE = BareSettings()

_SENTENCE = re.compile(r"[，。；]")
"""A line with a comma, full stop or semicolon is prose (a table's labels print none)."""
_UNIT = re.compile(r"单位[:：]")
_DEPARTMENT = re.compile(r"^(?:编制部门|编制单位|部门名称|单位名称|部门)[:：]")
_LABEL = re.compile(r"^(?:附表|公开)?\d{1,2}表$|^表\d{1,2}$|^(?:附表|公开)\d{1,2}$")
_PAGE_MARK = re.compile(r"^[-－—]\s*\d{1,4}\s*[-－—]$|^第\s*\d{1,4}\s*页|共\s*\d{1,4}\s*页$")
"""A page number ("- 3 -", "第3页", "第 3 页 共 9 页"); a bare number may be a merged cell's code."""
_LEADERS = re.compile(r"[.…·]{3,}")
_CONTINUED = re.compile(r"续表|（续）|\(续\)")
_AMOUNT = re.compile(r"\d[\d,]*\.\d{2}|\d{1,3}(?:,\d{3})+")
_LEI = re.compile(r"^\d{3}$")
_TOTAL = re.compile(r"(?:合\s*计|总\s*计|小\s*计)$")
_CODE_PART = re.compile(r"^\d{2}$|^\d{3}$|^\d{5}$|^\d{7}$")


def bare_fragments(page, settings: BareSettings = DEFAULT_BARE) -> list[Fragment]:
    """Tables on a page that prints no rule at all, one fragment per frame."""
    if any(e["height"] > 20 for e in page.vertical_edges) or any(
            e["width"] >= settings.grid.min_rule_width for e in page.horizontal_edges):
        return []
    chars = [c for c in page.chars if c["text"].strip()]
    lines = _lines(chars, settings.grid)
    if not any(_is_data_line(line) for line in lines):
        return []
    fragments = []
    for frame in _frames(lines, settings):
        x0 = min(p[0] for line in frame for p in line) - 1
        x1 = max(p[2] for line in frame for p in line) + 1
        top = min(p[1] for p in frame[0]) - 1
        bottom = max(p[3] for p in frame[-1]) + 1
        inside = [c for c in chars if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top < (c["top"] + c["bottom"]) / 2 < bottom]
        inside = _aligned_labels(_aligned_figures(_merged_codes(inside, frame, settings), frame, settings), frame)
        fragment = _read_frame(_Chars(inside), x0, x1, [top, *_row_rule(frame, settings), bottom], settings.grid)
        if fragment is not None:
            fragment.reader = "unruled"
            fragments.append(fragment)
    return fragments


def fragments_under_header(page, head: list[dict], settings: BareSettings = DEFAULT_BARE) -> list[Fragment]:
    """Frames of a page without rules whose table's header was printed alone at the previous page's
    foot: the header's characters (``head``) set one line height above the page's first line and the
    page read with them; [] unless the page's first frame then takes in the whole header."""
    chars = [c for c in page.chars if c["text"].strip()]
    head = [c for c in head if c["text"].strip()]
    if not chars or not head:
        return []
    height = sorted(c["bottom"] - c["top"] for c in head)[len(head) // 2]
    shift = min(c["top"] for c in chars) - height - max(c["bottom"] for c in head)
    moved = [_moved(c, shift) for c in head]
    top = min(c["top"] for c in moved)
    if top < 0:
        return []
    fragments = bare_fragments(_Joined(page, [*moved, *page.chars]), settings)
    return fragments if fragments and fragments[0].bbox[1] <= top else []


def _moved(char: dict, shift: float) -> dict:
    """A character moved down the page by ``shift`` points (up when negative)."""
    return {**char, "top": char["top"] + shift, "bottom": char["bottom"] + shift,
            "y0": char["y0"] - shift, "y1": char["y1"] - shift, "doctop": char["doctop"] + shift}


class _Joined:
    """A page read with other characters added (a header carried over from the page before)."""

    def __init__(self, page, chars: list[dict]) -> None:
        self.chars = chars
        self.vertical_edges = page.vertical_edges
        self.horizontal_edges = page.horizontal_edges


def _row_rule(frame: list[list[Piece]], settings: BareSettings) -> list[float]:
    """Under a header over one data line, a rule between the header and the row (its data line and
    the wrapped name's lines just above it): read as a band of its own, the lone row is no header
    line. None for a frame of more data lines (the rows set apart by their spacing)."""
    if sum(1 for line in frame if _is_data_line(line)) != 1:
        return []
    spans = [(min(p[1] for p in line), max(p[3] for p in line)) for line in frame]
    first = len(frame) - 1
    height = spans[first][1] - spans[first][0]
    while first > 0 and spans[first][0] - spans[first - 1][1] < settings.grid.lone_row_gap * height:
        first -= 1
    return [(spans[first - 1][1] + spans[first][0]) / 2] if first > 0 else []


class _Chars:
    """What ``open_grid`` reads of a page: its characters (here with merged codes moved)."""

    def __init__(self, chars: list[dict]) -> None:
        self.chars = chars


def _text(line: list[Piece]) -> str:
    return clean_text(" ".join(p[4] for p in line))


def _height(line: list[Piece]) -> float:
    return max(p[3] for p in line) - min(p[1] for p in line)


def _ends(line: list[Piece], settings: BareSettings) -> bool:
    """A line no table runs across: a title, a unit or 部门 line, a label, a page mark, prose, a contents line."""
    text = _text(line)
    compact = text.replace(" ", "")
    if _PAGE_MARK.search(compact) or _LEADERS.search(text) or _SENTENCE.search(compact):
        return True  # a sentence's figures print apart from its words in another font: still prose
    if _is_data_line(line):
        return False
    if _LABEL.match(compact) or _UNIT.search(compact) or _DEPARTMENT.match(compact):
        return True
    return _is_title(compact, settings)


def _is_title(compact: str, settings: BareSettings) -> bool:
    ending = _CONTINUED.sub("", re.sub(r"[（(][^）)]*[）)]$", "", compact)).strip()
    return (len(compact) <= settings.title_max_chars and "表" in ending[-3:] and not _AMOUNT.search(compact)
            and not _SENTENCE.search(compact) and bool(table_kind(compact)))


def _frames(lines: list[list[Piece]], settings: BareSettings) -> list[list[list[Piece]]]:
    """Runs of lines holding a table: cut at ending lines and wide gaps, trimmed to header + data."""
    heights = sorted(_height(line) for line in lines) or [10.0]
    height = heights[len(heights) // 2]
    runs: list[list[list[Piece]]] = [[]]
    for line in lines:
        if _ends(line, settings):
            runs.append([])
            continue
        run = runs[-1]
        if run and min(p[1] for p in line) - max(p[3] for p in run[-1]) > settings.row_gap * height:
            runs.append(run := [])
        run.append(line)
    frames = []
    for run in runs:
        data = [i for i, line in enumerate(run) if _is_data_line(line)]
        if not data:
            continue
        first, last = data[0], data[-1]
        while first > 0 and min(p[1] for p in run[first]) - max(p[3] for p in run[first - 1]) \
                <= settings.header_gap * height:
            first -= 1
        # a "栏次 1 2 3" line's centred numbers are the header's, no row: one row under them is a lone row
        rows = [i for i in data if not _is_column_numbers(run[i])]
        if len(data) >= settings.min_data_lines and _aligned(run[i] for i in data) or (
                len(rows) == 1 and _headed(run[first:last + 1])):
            frames.append(run[first:last + 1])
    return frames


def _headed(frame: list[list[Piece]]) -> bool:
    """A frame of one data line under a header (a table's header printed again over the one row a
    continuation page holds): two figures or more, each standing under a header label."""
    line = frame[-1]
    figures = line[len(_label_pieces(line)):]
    labels = [p for above in frame[:-1] for p in above if parse_cell(p[4])[0] == "text"]
    owners = [_label_over(f, labels) for f in figures]
    return len(figures) >= 2 and None not in owners and len(set(owners)) == len(owners)


def _label_over(figure: Piece, labels: list[Piece]) -> Piece | None:
    """The header label a figure stands under: one it overlaps, or (a short figure set right in a
    column whose label is centred) the label nearest it on its left, closer to it than its own
    width, whose centre is the nearest to the figure's."""
    over = [p for p in labels if p[0] < figure[2] and figure[0] < p[2]]
    if over:
        return max(over, key=lambda p: min(p[2], figure[2]) - max(p[0], figure[0]))
    left = [p for p in labels if p[2] <= figure[0]]
    if not left:
        return None
    near = max(left, key=lambda p: p[2])
    centre = (figure[0] + figure[2]) / 2
    nearest = min(labels, key=lambda p: abs((p[0] + p[2]) / 2 - centre))
    return near if near is nearest and figure[0] - near[2] <= near[2] - near[0] else None


def _aligned(data) -> bool:
    """Figures of two data lines end on one right edge (a column), as a table's do and prose's do not."""
    edges = [round(p[2]) for line in data for p in line[len(_label_pieces(line)):]]
    return any(sum(1 for e in edges if abs(e - edge) <= 1) >= 2 for edge in set(edges))


def _merged_codes(chars: list[dict], frame: list[list[Piece]], settings: BareSettings) -> list[dict]:
    """The frame's characters, each 类 code printed in a merged cell moved onto the row it denotes."""
    labels = {id(line): _label_pieces(line) for line in frame}
    leis = [p for line in frame for p in labels[id(line)] if _LEI.match(p[4])]
    if not leis:
        return chars
    left = min(p[0] for p in leis)
    floating = {id(line): lei for line in frame if (lei := _beside_name(line, labels[id(line)], left))}
    rows = _row_extents(frame, settings, floating)
    moves: list[tuple[Piece, list[Piece] | None]] = []
    for line in frame:
        pieces = labels[id(line)]
        lei = next((p for p in pieces if _LEI.match(p[4]) and p[0] - left < 3), None)
        if lei is None:
            continue
        others = [p for p in pieces if p is not lei]
        on_child = bool(others) and _CODE_PART.match(others[0][4]) is not None and _is_data_line(line)
        alone = not others and not _is_data_line(line)
        if not (on_child or alone or id(line) in floating):
            continue
        target = _lei_row(lei, rows, labels, settings, tuple(floating.values()))
        if target is not None and target is not line:
            moves.append((lei, target))
        elif target is None and alone:
            moves.append((lei, None))  # printed again over a 类 continued from an earlier page
    if not moves:
        return chars
    moved = []
    for char in chars:
        for piece, target in moves:
            if piece[0] - 0.5 <= char["x0"] and char["x1"] <= piece[2] + 0.5 and piece[1] - 0.5 <= char["top"] \
                    and char["bottom"] <= piece[3] + 0.5:
                if target is None:
                    break
                top = min(p[1] for p in target)
                char = {**char, "top": top, "bottom": top + (char["bottom"] - char["top"])}
                moved.append(char)
                break
        else:
            moved.append(char)
    return moved


def _aligned_figures(chars: list[dict], frame: list[list[Piece]], settings: BareSettings) -> list[dict]:
    """The frame's characters, a figure printed off its column's right edge (a bold 合计 row set
    left in its cell) moved to the edge of the column whose cell it stands in.

    Figures in a table without rules are right-aligned: most end on one of a few right edges, one
    per column, and a column's cell reaches from the edge before it to its own. Only when those
    edges hold nearly every figure is a figure off them moved.
    """
    # the column numbers ("栏次 1 2 3") are centred over their columns, not set on the figures' edges
    data = [line for line in frame if _is_data_line(line) and not is_column_number_row([p[4] for p in line])]
    figures = [p for line in data for p in line[len(_label_pieces(line)):]]  # codes stay where printed
    if not figures:
        return chars
    edges: list[list[float]] = []
    for x1 in sorted(p[2] for p in figures):
        if edges and x1 - edges[-1][-1] <= settings.edge_tolerance:
            edges[-1].append(x1)
        else:
            edges.append([x1])
    columns = [max(e) for e in edges if len(e) >= max(2, settings.edge_share * len(data))]
    odd = [p for p in figures if not any(abs(p[2] - edge) <= settings.edge_tolerance for edge in columns)]
    off = sum(1 for line in data if any(p in odd for p in line))
    if not columns or not odd or off > max(1.0, (1 - settings.aligned_share) * len(data)):
        return chars
    shifts: list[tuple[Piece, float]] = []
    for piece in odd:
        edge = next((e for e in columns if e > piece[2]), None)
        before = max((e for e in columns if e < piece[2]), default=None)
        # text (a name) may stand between the edge before and the figure: the cell starts after it
        if edge is not None and (before is None or piece[0] > before):
            shifts.append((piece, edge - piece[2]))
    if not shifts:
        return chars
    return [_shifted(char, shifts) for char in chars]


def _aligned_labels(chars: list[dict], frame: list[list[Piece]]) -> list[dict]:
    """The frame's characters, a row's lone label printed apart from every other row's name (a 总计
    row's label set right or centred in its cell) moved to the left edge of the names before it,
    so that it makes no column of its own."""
    data = [line for line in frame if _is_data_line(line)]
    names = {id(line): [p for p in _label_pieces(line) if parse_cell(p[4])[0] == "text"] for line in data}
    shifts: list[tuple[Piece, float]] = []
    for line in data:
        mine = names[id(line)]
        if spread := _spread_total(mine, line, data, names):
            shifts += spread
            continue
        # one label, or one letter-spaced ("总　　计") in single characters
        if not mine or len(mine) != len(_label_pieces(line)) or (len(mine) > 1 and any(len(p[4]) > 1 for p in mine)):
            continue
        x0, x1 = mine[0][0], mine[-1][2]
        others = [p for other in data if other is not line for p in names[id(other)]]
        if any(p[0] < x1 and x0 < p[2] for p in others):
            continue
        before = [p[0] for p in others if p[2] < x0]
        if before and len(before) * 2 >= len(data) - 1:
            shifts += [(piece, min(before) - x0) for piece in mine]
    if not shifts:
        return chars
    return [_shifted(char, shifts) for char in chars]


def _spread_total(mine: list[Piece], line: list[Piece], data: list[list[Piece]],
                  names: dict[int, list[Piece]]) -> list[tuple[Piece, float]]:
    """Shifts setting a letter-spaced total label ("合　　计", a merged cell over the code and name
    columns) that starts left of every other row's name, its characters standing apart, one after
    another at the names' left edge, so that it neither makes columns of its own nor falls into
    the code column."""
    if len(mine) < 2 or len(mine) != len(_label_pieces(line)) or any(len(p[4]) > 1 for p in mine):
        return []
    if not _TOTAL.search("".join(p[4] for p in mine)):
        return []
    lefts = [p[0] for other in data if other is not line for p in names[id(other)][:1]]
    if not lefts or mine[0][0] >= min(lefts):
        return []
    shifts, x = [], min(lefts)
    for piece in mine:
        shifts.append((piece, x - piece[0]))
        x += piece[2] - piece[0]
    return shifts


def _shifted(char: dict, shifts: list[tuple[Piece, float]]) -> dict:
    shift = next((d for p, d in shifts if p[0] - 0.5 <= char["x0"] and char["x1"] <= p[2] + 0.5
                  and p[1] - 0.5 <= char["top"] and char["bottom"] <= p[3] + 0.5), 0.0)
    return {**char, "x0": char["x0"] + shift, "x1": char["x1"] + shift} if shift else char


def _beside_name(line: list[Piece], label: list[Piece], left: float) -> Piece | None:
    """A 类 code in the 类 column on a line that, the code aside, prints only name text (a wrapped
    name's first line beside which a merged cell's centred code happens to fall): read as an
    integer the code makes the line look like a row of its own."""
    lei = next((p for p in label if _LEI.match(p[4]) and p[0] - left < 3), None)
    others = [p for p in line if p is not lei]
    if lei is None or not others:
        return None
    if any(_CODE_PART.match(p[4]) or parse_cell(p[4])[0] != "text" for p in others):
        return None
    return lei


def _row_extents(frame: list[list[Piece]], settings: BareSettings,
                 floating: dict[int, Piece] | None = None) -> list[tuple[float, float, list[Piece]]]:
    """(top, bottom, data line) of each data row, a wrapped name's lines standing right above or
    below its data line counted in; a line holding a ``floating`` 类 code beside name text only
    counts as a wrapped name's line, not a row."""
    floating = floating or {}

    def is_data(line: list[Piece]) -> bool:
        return id(line) not in floating and _is_data_line(line)

    heights = sorted(_height(line) for line in frame) or [10.0]
    wrap = settings.grid.wrap_gap * heights[len(heights) // 2]
    spans = [(min(p[1] for p in line), max(p[3] for p in line)) for line in frame]
    rows = []
    for i, line in enumerate(frame):
        if not is_data(line):
            continue
        top, bottom = spans[i]
        j = i - 1
        while j >= 0 and not is_data(frame[j]) and 0 <= spans[j + 1][0] - spans[j][1] < wrap:
            top, j = spans[j][0], j - 1
        j = i + 1
        while j < len(frame) and not is_data(frame[j]) and 0 <= spans[j][0] - spans[j - 1][1] < wrap:
            bottom, j = spans[j][1], j + 1
        rows.append((top, bottom, line))
    return rows


def _label_pieces(line: list[Piece]) -> list[Piece]:
    """A line's pieces up to its last text (its codes and name); a line without text (a code on a
    line of its own) is all label."""
    last = max((i for i, p in enumerate(line) if parse_cell(p[4])[0] == "text"), default=None)
    return line if last is None else line[: last + 1]


def _lei_row(lei: Piece, rows: list[tuple[float, float, list[Piece]]], labels: dict[int, list[Piece]],
             settings: BareSettings, floating: tuple[Piece, ...] = ()) -> list[Piece] | None:
    """The data line a merged 类 code denotes: the nearest row above it printing no code part, when the
    rows from it down to one below the code are centred on the code and no other 类 code beside a
    name (``floating``, counted in no row) stands between."""
    centre = (lei[1] + lei[3]) / 2
    target = None
    for top, _, line in reversed([r for r in rows if r[0] < centre - settings.centre_tolerance]):
        names = [p[4] for p in labels[id(line)] if not _CODE_PART.match(p[4])]
        if is_column_number_row([p[4] for p in line]) or not names or _TOTAL.search(names[-1]):
            return None  # the header, or the rows start on an earlier page: no row here to take it
        codes = [p for p in labels[id(line)] if _CODE_PART.match(p[4]) and p is not lei]
        if not codes:
            target = (top, line)
            break
        if any(_LEI.match(p[4]) for p in codes):
            return None
    if target is None or any(target[0] <= (p[1] + p[3]) / 2 < centre for p in floating if p is not lei):
        return None
    if any(abs((target[0] + bottom) / 2 - centre) <= settings.centre_tolerance for _, bottom, _ in rows
           if bottom >= centre):
        return target[1]
    return None
