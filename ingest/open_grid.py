"""Tables ruled by horizontal lines only (a "three-line" or row-ruled Word table): a grid from alignment.

pdfplumber's line strategy needs vertical rules, so such a table reaches the reader as
loose text. Here its frame is the stack of full-width horizontal rules; its columns are
the x-gaps no data line prints across (a data line prints a number beside other text; a
"栏次 1 2 3" line, centred where integers print right-aligned, is no column's evidence), and
a gap between two header labels over a column blank in every row (``blank_column_cuts``);
its rows are the bands between rules when every row is ruled, else its text lines. A
text piece over several columns' data becomes one merged cell spanning them, as a
header's parent label does in a ruled grid. The header above the first data row is
re-read label by label, on levels by vertical position, each parent spanning the
columns of the labels under it (``open_header``). A frame is told from prose by its share of
data lines, a data row's wrapped name lines counting with it (names wrapped over three lines
left a table unread). A page carrying an open table on without any rule (a three-line table's
middle pages) is read in the table's column span (``continued_fragment``). The result is a
:class:`Fragment`, read from there on like any ruled table.
"""

from __future__ import annotations

from dataclasses import dataclass

from budgetqa.ingest.grid import Fragment, clean_text, is_column_number_row
from budgetqa.ingest.open_header import blank_column_cuts, header_labels, nest_spans
from budgetqa.ingest.text_lines import is_note
from budgetqa.numbers import parse_cell


@dataclass(frozen=True, slots=True)
class OpenGridSettings:
    """Named thresholds for reading a table from horizontal rules and text alignment."""

    min_rule_width: float = 150.0
    """A shorter horizontal line is an underline, not a table rule."""
    rule_x_tolerance: float = 3.0
    """Rules of one table start and end within this many points of each other."""
    line_tolerance: float = 3.0
    """Characters whose tops differ by less than this print on one text line."""
    piece_gap: float = 3.0
    """Characters further apart than this on a line belong to different text pieces."""
    column_gap: float = 4.0
    """A gap no data line prints across must be at least this wide to part two columns."""
    min_data_lines: int = 1
    """A frame needs this many data lines to be read as a table (a page may end a table's last row)."""
    min_data_share: float = 0.4
    """…and this share of its text lines (prose between page rules is not a table)."""
    run_on_lines: float = 3.5
    """A table runs on past its first or last rule over lines no further apart than this many line
    heights (a blank row between them)."""
    wrap_gap: float = 0.35
    """Lines without data closer than this share of a line's height are one cell's wrapped lines."""
    lone_row_gap: float = 0.5
    """With no two data rows to measure, a gap below this share of a line's height is within a cell."""
    cell_line_share: float = 0.6
    """A line without data belongs to a neighbour's cell when their gap is below this share of
    the usual gap between data rows."""
    even_spacing: float = 1.2
    """A line without data whose nearer neighbour reaches no data line reaches on through its other
    neighbour when both stand as close as wrapped lines and that gap is at most this many times the
    nearer one (a cell's evenly spaced wrapped lines)."""


DEFAULT_OPEN_GRID = OpenGridSettings()

Piece = tuple[float, float, float, float, str]
"""A run of characters on one line: x0, top, x1, bottom, text."""


def open_fragments(page, settings: OpenGridSettings = DEFAULT_OPEN_GRID) -> list[Fragment]:
    """Tables on a page without vertical rules, framed by full-width horizontal rules."""
    if any(e["height"] > 20 for e in page.vertical_edges):
        return []
    fragments = []
    frames = _frames(page, settings)
    for n, (x0, x1, rules) in enumerate(frames):
        above = max((r[2][-1] for r in frames[:n]), default=0.0)
        below = min((r[2][0] for r in frames[n + 1:]), default=float(page.height))
        rules = _run_on(page, x0, x1, rules, above, below, settings)
        if len(rules) < 2:
            continue
        fragment = _read_frame(page, x0, x1, rules, settings)
        if fragment is not None:
            fragments.append(fragment)
    return fragments


def continued_fragment(page, x0: float, x1: float, settings: OpenGridSettings = DEFAULT_OPEN_GRID,
                       cuts: list[float] | None = None, header: str = "") -> Fragment | None:
    """A page without any rule that carries on an open table from the page before (a three-line
    table ruled only above its header and under its last row): its text between ``x0`` and ``x1``
    from its first row (a data line with its wrapped name's lines just above) down over the rows
    that follow, read as one frame (between the table's own column ``cuts`` when given). None when
    that text is not mostly rows of figures, or when other lines stand close above that first row
    (a header: a table of its own), unless they only print the table's ``header`` words again (and
    its column numbers): its header repeated, passed over."""
    if any(e["height"] > 20 for e in page.vertical_edges) or any(
            e["x1"] - e["x0"] >= settings.min_rule_width for e in page.horizontal_edges):
        return None
    chars = [c for c in page.chars if c["text"].strip() and x0 - 1 <= (c["x0"] + c["x1"]) / 2 <= x1 + 1]
    lines = _lines(chars, settings)
    passed = _repeated_header(lines, header) if header else 0
    head_top = min(p[1] for p in lines[0]) - 1 if passed else None
    lines = lines[passed:]
    spans = [(min(p[1] for p in line), max(p[3] for p in line), _is_data_line(line)) for line in lines]
    first = next((i for i, s in enumerate(spans) if s[2]), None)
    if first is None:
        return None
    height = spans[first][1] - spans[first][0]
    while first > 0 and spans[first][0] - spans[first - 1][1] < settings.lone_row_gap * height:
        first -= 1
    top = spans[first][0] - 1
    if first > 0 and top - spans[first - 1][1] <= settings.run_on_lines * height:
        return None
    rules = _run_on(page, x0, x1, [top], top, float(page.height), settings)
    fragment = _read_frame(page, x0, x1, rules, settings, cuts) if len(rules) >= 2 else None
    if fragment is not None and head_top is not None:
        # the header printed again stands inside the frame, no title or text above it
        fragment.bbox = (fragment.bbox[0], head_top, *fragment.bbox[2:])
    return fragment


def _repeated_header(lines: list[list[Piece]], header: str) -> int:
    """How many lines at the top print the table's header again: lines whose every piece is a word
    of ``header`` (the run of its texts), and column numbers under them."""
    def repeats(line: list[Piece]) -> bool:
        return _is_column_numbers(line) or not _is_data_line(line) and all(clean_text(p[4]) in header for p in line)
    count = 0
    while count < len(lines) and repeats(lines[count]):
        count += 1
    return count


def _frames(page, settings: OpenGridSettings) -> list[tuple[float, float, list[float]]]:
    """(x0, x1, rule tops) of each stack of two or more rules of one width."""
    rules = sorted((e for e in page.horizontal_edges if e["x1"] - e["x0"] >= settings.min_rule_width),
                   key=lambda e: e["top"])
    stacks: list[tuple[float, float, list[float]]] = []
    for rule in rules:
        stack = next((s for s in stacks if abs(s[0] - rule["x0"]) <= settings.rule_x_tolerance
                      and abs(s[1] - rule["x1"]) <= settings.rule_x_tolerance), None)
        if stack is None:
            stacks.append((rule["x0"], rule["x1"], [rule["top"]]))
        elif rule["top"] - stack[2][-1] > 1:
            stack[2].append(rule["top"])
    # a shorter rule under a spanning header label, inside a wider table's rules, is no table
    inner = [s for s in stacks if any(
        o is not s and o[0] - 1 <= s[0] and s[1] <= o[1] + 1 and (o[1] - o[0]) > (s[1] - s[0])
        and o[2][0] <= s[2][0] and s[2][-1] <= o[2][-1] for o in stacks)]
    return sorted((s for s in stacks if s not in inner), key=lambda s: s[2][0])


def _run_on(page, x0: float, x1: float, rules: list[float], above: float, below: float,
            settings: OpenGridSettings) -> list[float]:
    """The rules, with the frame carried past its first or last rule over the data lines a table
    split over pages prints there without a rule (its top rule on the page before, its bottom on
    the next)."""
    chars = [c for c in page.chars if c["text"].strip() and x0 - 1 <= (c["x0"] + c["x1"]) / 2 <= x1 + 1]
    lines = _lines(chars, settings)
    spans = [(min(p[1] for p in line), max(p[3] for p in line), _is_data_line(line)) for line in lines]
    heights = sorted(s[1] - s[0] for s in spans) or [10.0]
    step = settings.run_on_lines * heights[len(heights) // 2]
    top, bottom = rules[0], rules[-1]
    for line_top, line_bottom, _ in sorted((s for s in spans if s[1] <= rules[0] and s[0] > above),
                                           key=lambda s: -s[0]):
        if top - line_bottom > step:
            break
        top = line_top - 1
    run = sorted(s for s in spans if top <= s[0] < rules[0])
    first = next((i for i, s in enumerate(run) if s[2]), None)
    if first is None:
        top = rules[0]
    else:
        # a wrapped label's first lines stand just above its data line
        while first > 0 and run[first][0] - run[first - 1][1] < settings.lone_row_gap * (run[first][1] - run[first][0]):
            first -= 1
        top = run[first][0] - 1
    for line_top, line_bottom, _ in sorted(s for s in spans if s[0] >= rules[-1] and s[1] < below):
        if line_top - bottom > step:
            break
        bottom = line_bottom + 1
    run = [s for s in spans if rules[-1] < s[0] and s[1] <= bottom]
    last_data = next((s for s in sorted(run, reverse=True) if s[2]), None)
    bottom = rules[-1] if last_data is None else last_data[1] + 1
    return sorted({top, *rules, bottom})


def _lines(chars: list[dict], settings: OpenGridSettings) -> list[list[Piece]]:
    """Characters grouped into text lines (top to bottom) of pieces (left to right)."""
    lines: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        if lines and abs(char["top"] - lines[-1][0]["top"]) < settings.line_tolerance:
            lines[-1].append(char)
        else:
            lines.append([char])
    result = []
    for line in lines:
        pieces: list[list[dict]] = []
        for char in sorted(line, key=lambda c: c["x0"]):
            if pieces and char["x0"] - pieces[-1][-1]["x1"] <= settings.piece_gap:
                pieces[-1].append(char)
            else:
                pieces.append([char])
        result.append([(p[0]["x0"], min(c["top"] for c in p), p[-1]["x1"], max(c["bottom"] for c in p),
                        "".join(c["text"] for c in p)) for p in pieces])
    return result


def _is_data_line(pieces: list[Piece]) -> bool:
    return len(pieces) >= 2 and any(parse_cell(p[4])[0] == "value" for p in pieces)


def _is_column_numbers(pieces: list[Piece]) -> bool:
    """The "栏次 1 2 3 …" line under a header numbering its columns (the ruled reader's rule): a row
    of its own, never joined to a label above it or a row's wrapped name."""
    return is_column_number_row([p[4] for p in pieces])


def _text_lines(lines: list[list[Piece]], rules: list[float], in_band: list[list[list[Piece]]],
                settings: OpenGridSettings) -> int:
    """How many text lines a frame prints, a run of lines of single characters (header labels printed
    one character per line) counting as one, and a row with data (its wrapped name's lines too:
    within its ruled band, or as close to it as one cell's lines, :func:`_anchors`) counting as one.
    A header ruled off from the body (its lines above a rule above the first data line) counts as
    one line, and a 注/说明 line as none: a continuation page's header printed again over a row or
    two, or a one-row table, is no prose."""
    bands = list(zip(rules, rules[1:], strict=False))
    ruled = all(len(band) <= 1 for band in in_band)
    anchors = [None] * len(lines) if ruled else _anchors(lines, rules, settings)
    first = next((_middle((line[0][1], line[0][3])) for line in lines if _is_data_line(line)), None)
    head = max((b for _, b in bands if first is not None and b < first), default=None)
    count, in_run, in_head = 0, False, False
    for line, anchor in zip(lines, anchors, strict=True):
        middle = (line[0][1] + line[0][3]) / 2
        if _is_note_line(line):
            continue
        if head is not None and middle < head:
            count += not in_head
            in_head = True
            continue
        if ruled and not _is_data_line(line) and any(
                held and a < middle < b for (a, b), held in zip(bands, in_band, strict=True)):
            continue
        if anchor is not None and not _is_data_line(line):
            continue
        vertical = not _is_data_line(line) and all(len(p[4]) == 1 for p in line)
        count += not (vertical and in_run)
        in_run = vertical
    return count


def _is_note_line(line: list[Piece]) -> bool:
    """A note under (or in the last row of) a table ("注：…", "说明：…"): a row of its own, never a
    wrapped line of the row above."""
    return not _is_data_line(line) and is_note(line[0][4])


def _separators(data: list[list[Piece]], x0: float, x1: float, settings: OpenGridSettings) -> list[float]:
    """The middles of the x-gaps that no data line prints across."""
    spans = sorted((p[0], p[2]) for line in data for p in line)
    cuts: list[float] = []
    reach = spans[0][1]
    for start, end in spans[1:]:
        if start - reach >= settings.column_gap:
            cuts.append((start + reach) / 2)
        reach = max(reach, end)
    return [c for c in cuts if x0 < c < x1]


def _read_frame(page, x0: float, x1: float, rules: list[float], settings: OpenGridSettings,
                given: list[float] | None = None) -> Fragment | None:
    """The frame's text between ``rules`` read as a table, its columns cut where no data line prints
    (or at the ``given`` cuts, None when a text piece runs across one)."""
    top, bottom = rules[0], rules[-1]
    chars = [c for c in page.chars if c["text"].strip() and x0 - 1 <= (c["x0"] + c["x1"]) / 2 <= x1 + 1
             and top < (c["top"] + c["bottom"]) / 2 < bottom]
    lines = _lines(chars, settings)
    data = [line for line in lines if _is_data_line(line)]
    bands = list(zip(rules, rules[1:], strict=False))
    in_band = [[line for line in data if a < (line[0][1] + line[0][3]) / 2 < b] for a, b in bands]
    if len(data) < settings.min_data_lines or len(data) < settings.min_data_share * _text_lines(lines, rules, in_band, settings):
        return None
    # the columns are where figures print: a "栏次 1 2 3" line numbers them centred, not aligned as they are
    figures = [line for line in data if not _is_column_numbers(line)] or data
    if given is not None:
        if any(p[0] + 0.5 < cut < p[2] - 0.5 for line in lines for p in line for cut in given):
            return None
        cuts = list(given)
    else:
        cuts = _separators(figures, x0, x1, settings)
        head = lines[:lines.index(figures[0])]
        cuts = sorted({*cuts, *blank_column_cuts(head, [p for line in figures for p in line], [x0, *cuts, x1],
                                                 settings.column_gap)})
    if not cuts:
        return None
    edges = [x0, *cuts, x1]
    columns = list(zip(edges, edges[1:], strict=False))
    extents = _extents(figures, columns)
    rows: list[list[Piece]] = []
    if all(len(band) <= 1 for band in in_band):
        # every row ruled: a band with data is one row; the lines of another (title, header), a note
        # and a column-number line stay apart
        spans = []
        for a, b in bands:
            inside = [line for line in lines if a < (line[0][1] + line[0][3]) / 2 < b]
            apart = [line for line in inside if _is_note_line(line) or _is_column_numbers(line)]
            inside = [line for line in inside if line not in apart]
            whole = any(_is_data_line(line) for line in inside)
            groups = [[p for line in inside for p in line]] if whole else _wrapped(inside, rules, settings)
            spans += [(a, b)] * len(groups) if whole else [_line_band(group) for group in groups]
            rows += groups + apart
            spans += [_line_band(line) for line in apart]
        bands = spans
    else:
        rows = _rows_of_lines(lines, rules, settings)
        bands = [_line_band(row) for row in rows]
    rows, bands, labels = _relevel_header(rows, bands, rules, settings)
    boxes: list[list[tuple[float, float, float, float] | None]] = []
    texts: list[list[str | None]] = []
    first_spans = _header_spans(rows, columns, extents)
    nested = nest_spans(labels, {p: first_spans.get(p) or _covered(p, columns, extents) for p in labels}, columns)
    spans: dict[Piece, tuple[int, int]] = {**first_spans, **{p: s for p, s in nested.items() if s is not None}}
    rows = [[p for p in row if p not in nested or nested[p] is not None] for row in rows]
    for (band_top, band_bottom), pieces in zip(bands, rows, strict=True):
        if not pieces:
            continue
        row_texts: list[str | None] = [""] * len(columns)
        row_boxes: list[tuple[float, float, float, float] | None] = [
            (c0, band_top, c1, band_bottom) for c0, c1 in columns]
        for piece in sorted(pieces, key=lambda p: (p[1], p[0])):
            first, last = spans.get(piece) or _covered(piece, columns, extents)
            text = row_texts[first]
            joiner = "\n" if text and piece[1] > _last_top(pieces, first, columns, extents, piece) else " "
            row_texts[first] = f"{text}{joiner}{piece[4]}" if text else piece[4]
            if last > first:
                row_boxes[first] = (columns[first][0], band_top, columns[last][1], band_bottom)
                for col in range(first + 1, last + 1):
                    row_boxes[col], row_texts[col] = None, None
        texts.append(row_texts)
        boxes.append(row_boxes)
    if not texts:
        return None
    # a column is where its data prints: a continuation's few rows map onto the first page's columns
    printed = [extent or column for extent, column in zip(extents, columns, strict=True)]
    return Fragment((x0, top, x1, bottom), boxes, texts, printed, reader="open")


def _relevel_header(rows: list[list[Piece]], bands: list[tuple[float, float]], rules: list[float],
                    settings: OpenGridSettings) -> tuple[list[list[Piece]], list[tuple[float, float]], list[Piece]]:
    """Rows and bands with the header rows (above the first data row) re-read label by label, one
    row per level (:func:`header_labels`), and those labels."""
    head = next((i for i, row in enumerate(rows) if _is_data_line(row)), 0)
    if head == 0:
        return rows, bands, []
    heights = sorted(p[3] - p[1] for row in rows[:head] for p in row) or [10.0]
    levels = header_labels(rows[:head], rules, settings.wrap_gap * heights[len(heights) // 2],
                           settings.line_tolerance)
    labels = [p for level in levels for p in level]
    return levels + rows[head:], [_line_band(level) for level in levels] + bands[head:], labels


def _rows_of_lines(lines: list[list[Piece]], rules: list[float], settings: OpenGridSettings) -> list[list[Piece]]:
    """Text lines as table rows: a line without data joins the data line its cell continues
    (:func:`_anchors`); lines that reach none (a header's lines) stay rows of their own."""
    data = [_is_data_line(line) for line in lines]
    rows: dict[int, list[Piece]] = {}
    for i, (line, target) in enumerate(zip(lines, _anchors(lines, rules, settings), strict=True)):
        rows.setdefault(i if target is None else target, []).extend(line)
    result: list[list[Piece]] = []
    loose: list[list[Piece]] = []
    for k in sorted(rows):
        if data[k]:
            result += _wrapped(loose, rules, settings) + [rows[k]]
            loose = []
        else:
            loose.append(rows[k])
    return result + _wrapped(loose, rules, settings)


def _anchors(lines: list[list[Piece]], rules: list[float], settings: OpenGridSettings) -> list[int | None]:
    """Per text line, the data line whose row it belongs to (itself for a data line), or None.

    Lines of one cell stand closer together than rows do; a line without data goes to
    its nearer neighbour (never across a rule) when that gap is well below the usual gap
    before or after a data line (the wider of the two: the other side holds a wrapped
    cell's lines), and so on until a data line is reached.
    """
    tops = [min(p[1] for p in line) for line in lines]
    bottoms = [max(p[3] for p in line) for line in lines]
    data = [_is_data_line(line) for line in lines]
    apart = [_is_column_numbers(line) for line in lines]

    def gap(i: int, j: int) -> float:
        upper, lower = min(i, j), max(i, j)
        if any(bottoms[upper] <= r <= tops[lower] for r in rules):
            return float("inf")
        return tops[lower] - bottoms[upper]

    pairs = range(len(lines) - 1)
    after = sorted(g for i in pairs if data[i] and (g := gap(i, i + 1)) != float("inf"))
    before = sorted(g for i in pairs if data[i + 1] and (g := gap(i, i + 1)) != float("inf"))
    heights = sorted(b - t for t, b in zip(tops, bottoms, strict=True))
    # a cell's lines wrap below (or above) its data line; the gap on the other side is a row's
    limit = (max(after[len(after) // 2], before[len(before) // 2]) * settings.cell_line_share
             if after and before else heights[len(heights) // 2] * settings.lone_row_gap)
    wrap = heights[len(heights) // 2] * settings.wrap_gap
    near: list[list[int]] = [[] for _ in lines]
    for i in range(len(lines)):
        if data[i] or _is_note_line(lines[i]):
            continue
        near[i] = sorted((j for j in (i - 1, i + 1) if 0 <= j < len(lines) and not apart[j] and gap(i, j) < limit),
                         key=lambda j: gap(i, j))

    def anchor(i: int, seen: frozenset[int] = frozenset()) -> int | None:
        # on to the nearer neighbour; lines as close as one cell's wrapped lines, evenly spaced, lead
        # on either way
        if data[i]:
            return i
        steps = [j for j in near[i] if j not in seen and (j == near[i][0] or gap(i, j) < wrap
                                                          and gap(i, j) <= settings.even_spacing * gap(i, near[i][0]))]
        return next((a for j in steps if (a := anchor(j, seen | {i})) is not None), None)

    return [anchor(i) for i in range(len(lines))]


def _wrapped(lines: list[list[Piece]], rules: list[float], settings: OpenGridSettings) -> list[list[Piece]]:
    """Consecutive lines without data joined where they stand as close as one cell's wrapped lines
    (a header label printed over several lines, one character per line in a narrow column)."""
    if not lines:
        return []
    heights = sorted(max(p[3] for p in line) - min(p[1] for p in line) for line in lines)
    limit = heights[len(heights) // 2] * settings.wrap_gap
    groups = [list(lines[0])]
    for previous, line in zip(lines, lines[1:], strict=False):
        bottom, top = max(p[3] for p in previous), min(p[1] for p in line)
        if top - bottom < limit and not any(bottom <= r <= top for r in rules):
            groups[-1].extend(line)
        else:
            groups.append(list(line))
    return groups


def _header_spans(rows: list[list[Piece]], columns: list[tuple[float, float]],
                  extents: list[tuple[float, float] | None]) -> dict[Piece, tuple[int, int]]:
    """Columns a parent label spans: in a header row with fewer labels than the row below it, a
    label stands centred over the columns it spans, so it spans the narrowest run of two or more
    columns (nearer to it than to its neighbours) whose middle is its middle."""
    head = next((i for i, row in enumerate(rows) if _is_data_line(row)), 0)
    spans: dict[Piece, tuple[int, int]] = {}
    for upper, lower in zip(rows[:head], rows[1:head], strict=False):
        if len(upper) >= len(lower):
            continue
        for piece in upper:
            centre = (piece[0] + piece[2]) / 2
            mine = [c for c in range(len(columns)) if min(
                upper, key=lambda p, c=c: abs(_middle(columns[c]) - (p[0] + p[2]) / 2)) is piece]
            runs = [(a, b) for a in mine for b in mine if b > a and set(range(a, b + 1)) <= set(mine)]
            fits = [(a, b) for a, b in runs
                    if abs((columns[a][0] + columns[b][1]) / 2 - centre) <= 0.15 * (columns[b][1] - columns[a][0])]
            if fits:
                spans[piece] = min(fits, key=lambda r: r[1] - r[0])
    return spans


def _plus_one(span: tuple[int, int]) -> tuple[int, int]:
    return span[0], span[1] + 1


def _middle(column: tuple[float, float]) -> float:
    return (column[0] + column[1]) / 2


def _line_band(line: list[Piece]) -> tuple[float, float]:
    return min(p[1] for p in line) - 1, max(p[3] for p in line) + 1


def _extents(data: list[list[Piece]], columns: list[tuple[float, float]]) -> list[tuple[float, float] | None]:
    """Per column, the x-range its data lines print in (None for a column no data line fills)."""
    extents: list[tuple[float, float] | None] = [None] * len(columns)
    for line in data:
        for x0, _, x1, _, _ in line:
            col = next(i for i, (a, b) in enumerate(columns) if a <= (x0 + x1) / 2 <= b)
            current = extents[col]
            extents[col] = (x0, x1) if current is None else (min(current[0], x0), max(current[1], x1))
    return extents


def _covered(piece: Piece, columns: list[tuple[float, float]], extents: list[tuple[float, float] | None]
             ) -> tuple[int, int]:
    """The first and last column a piece of text stands over: those whose data it overlaps, else
    the one its middle falls in."""
    x0, x1 = piece[0], piece[2]
    over = [i for i, extent in enumerate(extents) if extent is not None and x0 < extent[1] and extent[0] < x1]
    if not over:
        middle = (x0 + x1) / 2
        col = min(range(len(columns)), key=lambda i: 0 if columns[i][0] <= middle <= columns[i][1]
                  else min(abs(columns[i][0] - middle), abs(columns[i][1] - middle)))
        return col, col
    return over[0], over[-1]


def _last_top(pieces: list[Piece], col: int, columns, extents, piece: Piece) -> float:
    """The top of the previous piece placed in ``col`` before ``piece`` (a new line starts lower)."""
    earlier = [p for p in pieces if p is not piece and (p[1], p[0]) < (piece[1], piece[0])
               and _covered(p, columns, extents)[0] == col]
    return max((p[1] for p in earlier), default=piece[1]) + 2
