"""Passages: what retrieval actually scores inside a chunk.

A chunk (up to ~300 characters) often holds several near-identical sentences about
different items, so both searches score *passages*: every run of one or two
consecutive sentences, with the chunk's deepest headings as context. A chunk
scores as its best passage, and that passage is what a text answer quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LONG_SENTENCE = 100
"""A sentence longer than this is cut into its "；" clauses."""
WINDOW = 2
"""A passage joins at most this many consecutive sentences."""
CONTEXT_LEVELS = 2
"""How many of the deepest section headings are searched with each passage."""

_SENTENCE_END = re.compile(r"(?<=[。！？!?])|\n")
_ITEM_START = re.compile(r"^(?:[（(]?[一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十\d]{1,3}[、.．]|第[一二三四五六七八九十\d]+条)")
_CLAUSE_END = re.compile(r"(?<=[；;])")


def sentences(text: str) -> list[str]:
    """A chunk cut at sentence ends and line breaks; long sentences also at "；"."""
    out: list[str] = []
    for piece in _SENTENCE_END.split(text):
        piece = piece.strip()
        if not piece:
            continue
        if len(piece) > LONG_SENTENCE:
            out.extend(c.strip() for c in _CLAUSE_END.split(piece) if c.strip())
        else:
            out.append(piece)
    return out


@dataclass(frozen=True, slots=True)
class Passage:
    """Sentences ``start`` … ``start + size - 1`` of a chunk."""

    chunk_id: str
    n: int
    """Position among the chunk's passages (stable for the same chunk text)."""
    start: int
    size: int
    text: str
    context: str
    """The chunk's deepest headings, one per line."""

    @property
    def searchable(self) -> str:
        """What both searches see: headings, then the sentences."""
        return f"{self.context}\n{self.text}" if self.context else self.text


def starts_item(sentence: str) -> bool:
    """True for a sentence opening a numbered item ("7、…", "（三）…", "第二条…")."""
    return bool(_ITEM_START.match(sentence))


def passages(chunk_id: str, section_path: list[str] | tuple[str, ...], text: str) -> list[Passage]:
    """Every window of one to ``WINDOW`` consecutive sentences of a chunk (a window never runs
    into the next numbered item)."""
    parts = sentences(text)
    context = "\n".join(section_path[-CONTEXT_LEVELS:])
    found: list[Passage] = []
    for start in range(len(parts)):
        for size in range(1, WINDOW + 1):
            if start + size <= len(parts) and not any(starts_item(p) for p in parts[start + 1:start + size]):
                found.append(Passage(chunk_id, len(found), start, size, "".join(parts[start:start + size]),
                                     context))
    return found


def sentence_passages(chunk_id: str, section_path: list[str] | tuple[str, ...], text: str) -> list[Passage]:
    """The one-sentence passages of a chunk: what the vector index embeds (a longer passage's
    similarity is its best sentence's)."""
    return [p for p in passages(chunk_id, section_path, text) if p.size == 1]
