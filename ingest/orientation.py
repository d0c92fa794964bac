"""Turn a page whose text is set sideways, without a /Rotate flag, so that it reads upright.

A landscape table printed onto a portrait page by some exporters and print drivers is drawn
turned a quarter (every character's matrix rotated 90°) while the page carries no /Rotate:
each line of the table then runs up or down the page and no reader finds a row. pdfminer
lays a page out in the orientation its /Rotate asks for, so the page is read again with the
quarter turn that makes most of its characters upright added to its rotation. A page whose
characters are mostly upright (a rotated stamp, a sideways margin note) is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from pdfplumber.page import Page


@dataclass(frozen=True, slots=True)
class OrientationSettings:
    """When a page counts as set sideways."""

    min_chars: int = 10
    """Fewer printed characters than this (a cover, a blank page) are never turned."""
    min_share: float = 0.6
    """The share of printed characters that must run the same quarter turn."""


DEFAULT_ORIENTATION = OrientationSettings()


def _quarter_turn(matrix: tuple[float, ...]) -> int:
    """The clockwise display turn (90/270) that sets a character with this matrix upright, else 0."""
    a, b, c, d = matrix[:4]
    if abs(a) > 0.01 * abs(b) or abs(d) > 0.01 * abs(c):
        return 0
    if b > 0 > c:
        return 90
    if b < 0 < c:
        return 270
    return 0


def sideways_turn(page: Page, settings: OrientationSettings = DEFAULT_ORIENTATION) -> int:
    """The quarter turn (90 or 270) most of the page's printed characters need, or 0."""
    turns = [_quarter_turn(char["matrix"]) for char in page.chars if char["text"].strip()]
    if len(turns) < settings.min_chars:
        return 0
    for turn in (90, 270):
        if turns.count(turn) >= settings.min_share * len(turns):
            return turn
    return 0


def upright_page(page: Page, settings: OrientationSettings = DEFAULT_ORIENTATION) -> Page:
    """The page itself, or, when its text is set sideways, the page read again turned upright."""
    turn = sideways_turn(page, settings)
    if not turn:
        return page
    rotation = (page.rotation + turn) % 360
    page.page_obj.attrs["Rotate"] = rotation  # pdfplumber sizes the page from the attribute,
    page.page_obj.rotate = rotation  # pdfminer lays it out from this one
    return Page(page.pdf, page.page_obj, page.page_number, page.initial_doctop)
