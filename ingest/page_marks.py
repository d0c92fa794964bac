"""Page furniture: running heads, running feet and page numbers, found once per document.

A disclosure printed from Word or Excel often repeats a line at the top or the foot of
every page (the department's name, "XX年部门预算公开") and numbers its pages
("第 3 页 共 14 页", "- 3 -", "3/14"). Left in, such a line sits between a title printed at
one page's foot and its table on the next, or joins a table's header as an extra level.
A line is furniture when it is one of a page's outermost lines of upright characters,
prints within the page's top or bottom band, shares its height with no vertical rule, and either reads as a page number
counting up with the pages or repeats in words (digits aside) at the same height on many pages in no more than two runs of text
(a table's header repeated on continuation pages prints one run a column). A line naming a unit or
the department ("单位：元", "部门：…", "编制单位：…") is never furniture, however often it repeats: it
belongs to the table under it (a table printed in 元 read in the default 万元 is 10,000 times off).
Its characters are removed from the page before anything reads it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from statistics import median

from pdfplumber.page import Page

from budgetqa.ingest.glyphs import fold_glyphs
from budgetqa.ingest.side_by_side import pieces

Box = tuple[float, float, float, float]

_PAGE_NUMBER = re.compile(
    r"^(?:[-－—–]?\d{1,4}[-－—–]?|第\d{1,4}页(?:[,，/]?共\d{1,4}页)?|共\d{1,4}页第\d{1,4}页|\d{1,4}/\d{1,4}"
    r"|page\d{1,4}(?:of\d{1,4})?)$",
    re.IGNORECASE,
)
"""A page number, spaces removed: "13", "- 2 -", "第 3 页 共 20 页", "3/20", "Page 3 of 20"."""
_AMOUNT = re.compile(r"\d[\d,]*\.\d{2}\b")
_TABLE_META = re.compile(r"单位[:：]|^(?:编制部门|部门名称|部门)[:：]")
"""A table's unit or department line (spaces removed), printed above each table: never furniture."""
_WORDS = re.compile(r"[^\W\d_]{2}")
"""A running head or foot says something in words (a bare code or number repeated is a table's cell)."""


@dataclass(frozen=True, slots=True)
class PageMarkSettings:
    """Where furniture prints and how often a line must repeat to be furniture."""

    band: float = 0.12
    """Furniture prints within this share of the page's height from its top or bottom edge."""
    edge_lines: int = 2
    """Only this many outermost text lines at each edge of a page are candidates."""
    line_tolerance: float = 3.0
    """Characters whose tops differ by less than this print on one line."""
    min_pages: int = 3
    """A repeated line must print on at least this many pages …"""
    page_share: float = 0.4
    """… and on at least this share of the document's pages."""
    height_tolerance: float = 4.0
    """… at heights within this many points of each other."""
    max_runs: int = 2
    """A repeated line of more runs of text than this is a table's header printed again, never furniture."""


DEFAULT_PAGE_MARKS = PageMarkSettings()


@dataclass(frozen=True, slots=True)
class _Line:
    page: int
    box: Box
    key: str
    runs: int
    """How many runs of text far apart the line prints (a table header prints one a column)."""


def furniture(pages: list[Page], settings: PageMarkSettings = DEFAULT_PAGE_MARKS) -> dict[int, list[Box]]:
    """The boxes of furniture lines, by page index (0-based)."""
    found: dict[int, list[Box]] = defaultdict(list)
    repeated: dict[str, list[_Line]] = defaultdict(list)
    numbered: dict[int, list[_Line]] = defaultdict(list)
    for index, page in enumerate(pages):
        for line in _edge_lines(index, page, settings):
            if _PAGE_NUMBER.match(line.key):
                numbered[int(re.search(r"\d+", line.key).group()) - index].append(line)
            elif (_WORDS.search(line.key) and not _AMOUNT.search(line.key) and line.runs <= settings.max_runs
                  and not _TABLE_META.search(line.key)):
                repeated[re.sub(r"\d+", "#", line.key)].append(line)
    for lines in numbered.values():  # page numbers count up with the pages (a lone code or row number does not)
        if len(lines) >= min(settings.min_pages, len(pages)):
            for line in lines:
                found[line.page].append(line.box)
    floor = max(settings.min_pages, settings.page_share * len(pages))
    for lines in repeated.values():
        middle = median(line.box[1] for line in lines)
        steady = [line for line in lines if abs(line.box[1] - middle) <= settings.height_tolerance]
        if len({line.page for line in steady}) >= floor:
            for line in steady:
                found[line.page].append(line.box)
    return dict(found)


def without_furniture(page: Page, boxes: list[Box]) -> Page:
    """The page with the characters inside ``boxes`` removed."""
    if not boxes:
        return page

    def kept(obj: dict) -> bool:
        if obj.get("object_type") != "char":
            return True
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] - 1 <= x <= b[2] + 1 and b[1] - 1 <= y <= b[3] + 1 for b in boxes)

    return page.filter(kept)


def _edge_lines(index: int, page: Page, settings: PageMarkSettings) -> list[_Line]:
    """The outermost text lines at the top and the foot of a page that lie in its bands and cross no rule."""
    rows: list[list[dict]] = []
    for char in sorted((c for c in page.chars if c["text"].strip() and c.get("upright", True)), key=lambda c: c["top"]):
        if rows and char["top"] - rows[-1][0]["top"] < settings.line_tolerance:
            rows[-1].append(char)
        else:
            rows.append([char])
    height = float(page.height)
    top = [r for r in rows[: settings.edge_lines] if r[0]["top"] - float(page.bbox[1]) <= settings.band * height]
    foot = [r for r in rows[-settings.edge_lines:] if float(page.bbox[3]) - max(c["bottom"] for c in r)
            <= settings.band * height]
    lines = []
    for row in {id(r): r for r in top + foot}.values():
        box = (min(c["x0"] for c in row), min(c["top"] for c in row), max(c["x1"] for c in row),
               max(c["bottom"] for c in row))
        if _crosses_rule(page, box):
            continue
        text = "".join(c["text"] for c in sorted(row, key=lambda c: c["x0"]))
        lines.append(_Line(index, box, fold_glyphs(re.sub(r"\s", "", text)), len(pieces({"chars": row}))))
    return lines


def _crosses_rule(page: Page, box: Box) -> bool:
    """A vertical rule anywhere on the page runs through the line's height: the line is a grid's row."""
    return any(e["orientation"] == "v" and e["top"] < box[3] and e["bottom"] > box[1] for e in page.edges)
