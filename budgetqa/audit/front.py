"""The cover and the table of contents as the audit reads them (kept apart from the narrative at ingest)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from budgetqa.ingest.narrative import heading_level, is_contents_title
from budgetqa.models import Document

_LEADER = re.compile(r"\s*(?:[.．·•…。]{2,}|[-－—]{4,})[\s.．·•…。\d]*$|\s+\d{1,3}$")
"""Dot leaders and the page number after an entry ("一、主要职能 ………… 3")."""
_SPACE = re.compile(r"\s+")
_NUMBERED_YEAR = re.compile(r"^\d{1,2}[、.．](?:19|20)\d\d年")
"""“4．2023年部门…表”: an entry numbered 1. 2. … whose title starts with its year."""


@dataclass(frozen=True, slots=True)
class Printed:
    """A cover, or one entry of the contents, with its page: ``text`` has no spaces, wrapped lines joined."""

    text: str
    page: int
    lines: tuple[str, ...] = ()


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
            opens = heading_level(text) is not None or _NUMBERED_YEAR.match(text)
            if entries and not opens and entries[-1].page == page.page:
                entries[-1] = Printed(entries[-1].text + text, page.page)
            else:
                entries.append(Printed(text, page.page))
    return entries


def is_part(entry: Printed) -> bool:
    """“第二部分 …”: a part of the disclosure, not one table or section."""
    return heading_level(entry.text) == 0
