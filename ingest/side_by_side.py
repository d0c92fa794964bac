"""Tables printed side by side on one page, each with its own title above it.

Two small tables set next to each other put their titles (and their 部门/单位 lines) on
one text line: read whole, that line is one title naming neither table, and the second
grid, having no title above it, is taken for the first one's continuation. Here a table
with a neighbour beside it (their heights overlap, their widths do not) gets its own
lane — the page width between the middles of the gaps to its neighbours — and the text
above it is read from the pieces of each line that print in that lane, a line being cut
into pieces where its characters stand far apart.
"""

from __future__ import annotations

from dataclasses import dataclass

Box = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class SideBySideSettings:
    """How far apart tables and text pieces must stand to be read apart."""

    min_gap: float = 6.0
    """Two tables whose x-ranges are at least this far apart stand side by side when their heights overlap."""
    piece_gap: float = 2.5
    """Characters further apart than this many character widths belong to different pieces of a line."""


DEFAULT_SIDE_BY_SIDE = SideBySideSettings()


def lanes(boxes: list[Box], settings: SideBySideSettings = DEFAULT_SIDE_BY_SIDE) -> dict[int, tuple[float, float]]:
    """For each table (by index) with a neighbour beside it, the x-range of its lane."""
    result: dict[int, tuple[float, float]] = {}
    for i, box in enumerate(boxes):
        beside = [b for j, b in enumerate(boxes) if j != i and b[1] < box[3] and box[1] < b[3]]
        left = [b[2] for b in beside if b[2] + settings.min_gap <= box[0]]
        right = [b[0] for b in beside if box[2] + settings.min_gap <= b[0]]
        if not left and not right:
            continue
        lo = (max(left) + box[0]) / 2 if left else float("-inf")
        hi = (min(right) + box[2]) / 2 if right else float("inf")
        result[i] = (lo, hi)
    return result


def pieces(line: dict, settings: SideBySideSettings = DEFAULT_SIDE_BY_SIDE) -> list[tuple[float, float, str]]:
    """A text line (pdfplumber's, with its chars) cut where its characters stand far apart:
    (x0, x1, text) each."""
    chars = sorted((c for c in line["chars"]), key=lambda c: c["x0"])
    result: list[list[dict]] = []
    for char in chars:
        width = max(char["x1"] - char["x0"], 1.0)
        if result and char["x0"] - result[-1][-1]["x1"] > settings.piece_gap * width:
            result.append([char])
        elif result:
            result[-1].append(char)
        else:
            result.append([char])
    texts = [(p[0]["x0"], p[-1]["x1"], "".join(c["text"] for c in p).strip()) for p in result]
    return [t for t in texts if t[2]]


def in_lane(piece: tuple[float, float, str], lane: tuple[float, float]) -> bool:
    """Whether a piece of text prints within a table's lane (its middle does)."""
    middle = (piece[0] + piece[1]) / 2
    return lane[0] <= middle <= lane[1]
