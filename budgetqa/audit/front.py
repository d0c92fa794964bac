"""The cover, the table of contents and the blank pages as the audit reads them (kept apart from the
narrative at ingest)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from budgetqa.ingest.narrative import heading_level, is_contents_title
from budgetqa.models import Document

_LEADER = re.compile(r"\s*(?:[.．·•…。]{2,}|[-－—]{4,})[\s.．·•…。\d]*$|\s+\d{1,3}$")
"""Dot leaders and the page number after an entry ("一、主要职能 ………… 3")."""
_PRINTED_PAGE = re.compile(r"(?:[.．·•…。]{2,}|[-－—]{4,}|\s)[\s.．·•…。]*(\d{1,3})$")
"""The page number an entry prints at its end, after a leader or a space."""
_SPACE = re.compile(r"\s+")
_NUMBERED_YEAR = re.compile(r"^\d{1,2}[、.．](?:19|20)\d\d年")
"""“4．2023年部门…表”: an entry numbered 1. 2. … whose title starts with its year."""


@dataclass(frozen=True, slots=True)
class Printed:
    """A cover, or one entry of the contents, with its page: ``text`` has no spaces, wrapped lines joined."""

    text: str
    page: int
    lines: tuple[str, ...] = ()
    printed_page: int | None = None
    """For a contents entry: the page number it prints (the printed page, not the PDF's)."""


def covers(doc: Document) -> list[Printed]:
    """Each cover (one per file), its lines joined (a title may wrap mid-name)."""
    return [Printed(_SPACE.sub("", "".join(p.lines)), p.page, tuple(_SPACE.sub("", line) for line in p.lines))
            for p in doc.front if p.role == "cover" and p.lines]


def contents(doc: Document) -> list[Printed]:
    """Every entry of the table of contents, leaders and page numbers dropped; a line that opens with no
    heading marker continues the entry before it ("…培训费支" + "出预算表")."""
    entries: list[Printed] = []
    for page in doc.front:
        if page.role != "contents":
            continue
        for line in page.lines:
            text = _SPACE.sub("", _LEADER.sub("", line))
            if not text or is_contents_title(text):
                continue
            number = _PRINTED_PAGE.search(line.strip())
            printed = int(number.group(1)) if number else None
            opens = heading_level(text) is not None or _NUMBERED_YEAR.match(text)
            if entries and not opens and entries[-1].page == page.page:
                entries[-1] = Printed(entries[-1].text + text, page.page, printed_page=printed)
            else:
                entries.append(Printed(text, page.page, printed_page=printed))
    return entries


@dataclass(frozen=True, slots=True)
class Blank:
    """A page printed blank (nothing on it but, perhaps, its page number)."""

    source_file: str
    page: int
    printed_page: int | None


_PAGE_NUMBER = re.compile(r"^[-－—第\s]*(\d{1,3})[-－—页\s]*$")


def blank_pages(doc: Document) -> list[Blank]:
    """Every blank page ingest kept, with the page number it prints."""
    found = []
    for page in doc.front:
        if page.role == "blank":
            numbers = [int(m.group(1)) for m in map(_PAGE_NUMBER.match, page.lines) if m]
            found.append(Blank(page.source_file, page.page, numbers[0] if numbers else None))
    return found


def is_part(entry: Printed) -> bool:
    """“第二部分 …”: a part of the disclosure, not one table or section."""
    return heading_level(entry.text) == 0
