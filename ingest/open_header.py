"""A multi-level header read from text alignment: its labels, their levels and the columns each spans.

Without vertical rules a header's rows cannot be told from its bands: a label merged
over several rows (科目编码) prints halfway between two levels and would join them. So a
header is read label by label: text lines stacked as close as one cell's wrapped lines
and over the same x-range are one label; labels are put on levels by their top, but those ending on the header's last line (or centred
on the same line as those) are the lowest level, however many lines they wrap over.

A parent label spans a run of columns centred under it that holds every label below it
its columns touch: a child never takes a parent that does not cover it whole. A label
that no centred run can cover so (a label over only part of a child), and parents of one
level that compete for a column, are doubtful: they are left out, so the columns under
them get a path without them rather than a wrong one.

A column blank in every row shows no gap in the figures; two labels side by side inside
one figure column, the figures all under one of them, part there (``blank_column_cuts``)
rather than join into one label ("财政拨款其他收入").
"""

from __future__ import annotations

Piece = tuple[float, float, float, float, str]
"""A run of characters on one line: x0, top, x1, bottom, text."""
Span = tuple[int, int]

CENTRE_SHARE = 0.15
"""A label is centred over a run of columns when its middle is within this share of the run's width."""
_KEY_VALUE = ("：", ":")
"""A "编制单位：…" or "单位：元" line is the table's metadata, never a column label."""


def header_labels(rows: list[list[Piece]], rules: list[float], wrap: float,
                  line_tolerance: float) -> list[list[Piece]]:
    """Header rows re-read as labels (one piece each, wrapped lines joined by "\\n"), one row per level.

    ``wrap`` is the largest gap between two lines of one label; no label crosses a rule.
    """
    pieces = sorted((p for row in rows for p in row), key=lambda p: (p[1], p[0]))
    owner = list(range(len(pieces)))

    def root(i: int) -> int:
        while owner[i] != i:
            owner[i] = owner[owner[i]]
            i = owner[i]
        return i

    for i, upper in enumerate(pieces):
        for j in range(i + 1, len(pieces)):
            lower = pieces[j]
            gap = lower[1] - upper[3]
            if (upper[0] < lower[2] and lower[0] < upper[2] and gap < wrap
                    and not any(upper[3] <= r <= lower[1] for r in rules)):
                owner[root(j)] = root(i)
    groups: dict[int, list[Piece]] = {}
    for i, piece in enumerate(pieces):
        groups.setdefault(root(i), []).append(piece)
    labels = sorted((_joined(group) for group in groups.values()), key=lambda p: (p[1], p[0]))
    # the lowest level's labels end (or stand centred) on one line, however many lines they wrap over
    bottom = max(p[3] for p in labels)
    lowest = [p for p in labels if bottom - p[3] < line_tolerance]
    middle = sum(p[1] + p[3] for p in lowest) / (2 * len(lowest))
    leaves = [p for p in labels if bottom - p[3] < line_tolerance or abs((p[1] + p[3]) / 2 - middle) < line_tolerance]
    levels: list[list[Piece]] = []
    for label in (p for p in labels if p not in leaves):
        if levels and label[1] - levels[-1][0][1] < line_tolerance:
            levels[-1].append(label)
        else:
            levels.append([label])
    return [sorted(level, key=lambda p: p[0]) for level in [*levels, leaves]]


def blank_column_cuts(head: list[list[Piece]], figures: list[Piece], edges: list[float],
                      min_gap: float) -> list[float]:
    """Column boundaries the header shows where the figures below do not (a column blank in every
    row has no figures to part it from its neighbour, and its label would join the neighbour's).

    Two labels printed side by side on one header line (``head``), each of two characters or
    more, centred in one column the figures show (between two of ``edges``), are split
    at the middle of the gap between them when no figure prints across it, the figures stand
    under one of them and none under the other.
    """
    cuts: list[float] = []
    for line in [*head, _stacked_labels(head)]:
        words = sorted((p for p in line if len(p[4].strip()) >= 2 and not any(k in p[4] for k in _KEY_VALUE)),
                       key=lambda p: p[0])
        for left, right in zip(words, words[1:], strict=False):
            column = next(((a, b) for a, b in zip(edges, edges[1:], strict=False)
                           if a <= (left[0] + left[2]) / 2 and (right[0] + right[2]) / 2 <= b), None)
            if column is None or right[0] - left[2] < min_gap:
                continue
            cut = (left[2] + right[0]) / 2
            below = [f for f in figures if column[0] <= (f[0] + f[2]) / 2 <= column[1]]
            under_left = [f for f in below if f[2] < cut and left[0] < f[2]]
            under_right = [f for f in below if f[0] > cut and f[0] < right[2]]
            if below and len(below) in (len(under_left), len(under_right)):
                cuts.append(cut)
    return cuts


def _stacked_labels(head: list[list[Piece]]) -> list[Piece]:
    """Labels printed one character a line (人 / 员 / 经 / 费 down a narrow column), each as one piece:
    the single characters of consecutive header lines standing at one x, two or more."""
    stacks: list[list[Piece]] = []
    for line in head:
        for piece in (p for p in line if len(p[4].strip()) == 1):
            stack = next((s for s in stacks if abs(s[-1][0] - piece[0]) <= 1 and abs(s[-1][2] - piece[2]) <= 1
                          and s[-1] in _previous(head, line)), None)
            if stack is None:
                stacks.append([piece])
            else:
                stack.append(piece)
    return [_joined(stack) for stack in stacks if len(stack) >= 2]


def _previous(head: list[list[Piece]], line: list[Piece]) -> list[Piece]:
    """The header line just above ``line``."""
    index = next(i for i, other in enumerate(head) if other is line)
    return head[index - 1] if index else []


def _joined(group: list[Piece]) -> Piece:
    text = ""
    last_top = None
    for piece in sorted(group, key=lambda p: (p[1], p[0])):
        if text:
            text += "\n" if last_top is not None and piece[1] > last_top + 2 else " "
        text += piece[4]
        last_top = piece[1]
    return (min(p[0] for p in group), min(p[1] for p in group), max(p[2] for p in group),
            max(p[3] for p in group), text)


def nest_spans(labels: list[Piece], spans: dict[Piece, Span], columns: list[tuple[float, float]]
               ) -> dict[Piece, Span | None]:
    """Each label's columns, widened to cover the labels below it, or None when doubtful.

    Labels are taken bottom-up. A label whose columns touch part of a lower label's
    columns is widened to the narrowest run centred under it that covers those labels
    whole; with none, it is doubtful. Two labels of one level over a shared column are
    both doubtful.
    """
    final: dict[Piece, Span | None] = {}
    for label in sorted(labels, key=lambda p: -p[1]):
        below = [s for d, s in final.items() if s is not None and d[1] >= label[3] - 1]
        metadata = any(k in label[4] for k in _KEY_VALUE)
        final[label] = spans[label] if metadata else _cover(label, spans[label], below, columns)
    for label, span in final.items():
        rivals = [o for o, s in final.items() if o is not label and s is not None and span is not None
                  and abs(o[1] - label[1]) < 1 and s[0] <= span[1] and span[0] <= s[1]]
        if rivals and span is not None and span[1] > span[0]:
            final[label] = None
            for rival in rivals:
                final[rival] = None
    return final


def _cover(label: Piece, span: Span, below: list[Span], columns: list[tuple[float, float]]) -> Span | None:
    """The narrowest run centred under ``label`` holding ``span`` and every lower span it touches."""
    need = span
    while True:
        crossing = [s for s in below if s[0] <= need[1] and need[0] <= s[1] and not (need[0] <= s[0] and s[1] <= need[1])]
        if not crossing:
            return need
        low = min(need[0], *(s[0] for s in crossing))
        high = max(need[1], *(s[1] for s in crossing))
        run = _centred_run(label, (low, high), columns)
        if run is None:
            return None
        need = run


def _centred_run(label: Piece, need: Span, columns: list[tuple[float, float]]) -> Span | None:
    """The narrowest run of columns holding ``need`` whose middle is the label's middle."""
    runs = [(a, b) for a in range(need[0] + 1) for b in range(need[1], len(columns))]
    fits = [r for r in runs if _centred(label, r, columns)]
    return min(fits, key=lambda r: r[1] - r[0]) if fits else None


def _centred(label: Piece, run: Span, columns: list[tuple[float, float]]) -> bool:
    left, right = columns[run[0]][0], columns[run[1]][1]
    return abs((left + right) / 2 - (label[0] + label[2]) / 2) <= CENTRE_SHARE * (right - left)
