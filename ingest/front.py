"""The cover, the table of contents and the blank pages: kept as printed for the audit, apart from the narrative.

The narrative reader drops both (a contents page is not prose; a cover is a title, not a
paragraph), so answers never quote them and retrieval never finds them. The audit needs them:
the cover's year and department, the years and names in the contents, and the tables it lists.
A blank page (nothing printed but a page number) is kept too: where the contents list a table
that is missing, a blank page in its place says the table was lost on the way to print.
"""

from __future__ import annotations

import re

from budgetqa.ingest.narrative import PageText, contents_flags, is_contents_title, printed_lines
from budgetqa.models import FrontPage

COVER_MAX_LINES = 12
"""A cover prints a title, the department and a date: a first page with more lines is not one."""
PROSE_END = "。"
YEAR_LINE = re.compile(r"^(?:19|20)\d\d$")
"""A line ending a sentence is prose: a page holding one is no cover."""


def front_pages(pages: list[tuple[int, list[str]]], table_pages: set[int], source_file: str) -> list[FrontPage]:
    """The cover (the first page with text, when it holds no table and no prose), every contents page
    and every blank page (no table, nothing printed but a page number).

    A first page that is both (a title above “目录”) gives the lines above the title as the cover."""
    printed = printed_lines([PageText(page=p, lines=lines) for p, lines in pages])
    found: list[FrontPage] = []
    first = next((i for i, lines in enumerate(printed) if lines), None)
    for i, ((page, _), lines, toc) in enumerate(zip(pages, printed, contents_flags(printed), strict=True)):
        if toc:
            title = next((j for j, line in enumerate(lines) if is_contents_title(line)), 0)
            if i == first and title:
                found.append(FrontPage("cover", page, lines[:title], source_file))
            found.append(FrontPage("contents", page, lines[title:], source_file))
        elif i == first and page not in table_pages and _is_cover(lines):
            found.append(FrontPage("cover", page, _cover_lines(pages[i][1]), source_file))
        elif not lines and page not in table_pages:
            found.append(FrontPage("blank", page, [line.strip() for line in pages[i][1] if line.strip()], source_file))
    return found


def _cover_lines(lines: list[str]) -> list[str]:
    """A cover's lines: a year printed on a line of its own (“2024”) is the title's, not a page number."""
    kept = [line.strip() for line in lines if line.strip()]
    return [line for line in kept if YEAR_LINE.match(line) or printed_lines([PageText(0, [line])])[0]]


def _is_cover(lines: list[str]) -> bool:
    return len(lines) <= COVER_MAX_LINES and not any(PROSE_END in line for line in lines)
