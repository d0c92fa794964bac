"""The narrative as the wording checks read it: sections rejoined from their chunks, sentences with their page."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from budgetqa.audit.report import Ref
from budgetqa.models import Document

_SENTENCE = re.compile(r"[^。；;\n]+[。；;]?")
ITEM_START = re.compile(r"(?:^|\n|[。；;])\s*(?:\d{1,2}[、.．](?!\d)|[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}、)")
"""Where a list item starts: "1、" "（2）" "三、" at the start of a line or after a sentence."""


@dataclass(slots=True)
class Section:
    """The text of one narrative section (its chunks joined in order), with the page of every offset."""

    path: list[str]
    text: str = ""
    starts: list[int] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)

    def page_at(self, offset: int) -> int:
        return self.pages[max(0, bisect.bisect_right(self.starts, offset) - 1)] if self.pages else 0

    def item_start(self, offset: int) -> int:
        """Where the list item holding ``offset`` starts (the section's start when it is in no item)."""
        start = 0
        for match in ITEM_START.finditer(self.text, 0, offset):
            start = match.start()
        return start

    def item_end(self, offset: int) -> int:
        match = ITEM_START.search(self.text, offset)
        return match.start() if match else len(self.text)


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of the narrative, where it stands."""

    text: str
    page: int
    section: tuple[str, ...]

    def ref(self) -> Ref:
        return Ref(page=self.page, sentence=self.text.strip())


def sections(doc: Document) -> list[Section]:
    """Consecutive chunks of one section path joined (a chunk is at most a few hundred characters of a paragraph)."""
    found: list[Section] = []
    for chunk in doc.chunks:
        if not found or found[-1].path != chunk.section_path:
            found.append(Section(list(chunk.section_path)))
        section = found[-1]
        if section.text:
            section.text += "\n"
        section.starts.append(len(section.text))
        section.pages.append(chunk.page)
        section.text += chunk.text
    return found


def sentences(doc: Document) -> Iterator[Sentence]:
    """Every sentence of the narrative (split at 。； and line ends), in reading order."""
    for section in sections(doc):
        for match in _SENTENCE.finditer(section.text):
            if match.group().strip():
                yield Sentence(match.group(), section.page_at(match.start()), tuple(section.path))


def headings(doc: Document) -> dict[str, int]:
    """Every section heading of the narrative, with the first page it heads."""
    found: dict[str, int] = {}
    for chunk in doc.chunks:
        for heading in chunk.section_path:
            found.setdefault(heading, chunk.page)
    return found
