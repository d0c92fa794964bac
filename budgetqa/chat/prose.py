"""The prose check: every sentence an LLM writes must be carried by what the tools returned.

The number guard (``guard``) catches a figure no tool gave; this catches the rest of an invented
answer: a reason, a regulation, a claim without digits. A sentence passes when most of its
claim-bearing characters are covered by character n-grams of the tools' results (passages,
engine answers, table rows); a title in 《》 passes only when a returned text contains it.
Connective words (vocab ``prose.toml``) carry no claim and are not scored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from budgetqa.vocab import load

_SENTENCE = re.compile(r"[^。！？!?；;\n]+")
_TITLE = re.compile(r"《([^《》]{1,100})》")
_CONTENT = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")


@dataclass(frozen=True, slots=True)
class Rules:
    neutral: frozenset[str]
    connectives: tuple[str, ...]
    ngram: int
    min_cover: float
    min_chars: int


@lru_cache
def rules() -> Rules:
    words = load("prose")
    return Rules(frozenset(words["neutral_chars"]), tuple(sorted(words["connectives"], key=len, reverse=True)),
                 int(words["ngram"]), float(words["min_cover"]), int(words["min_chars"]))


def _content(text: str) -> str:
    """Only the characters that can carry a claim: CJK, letters, digits (punctuation and spaces dropped)."""
    return "".join(_CONTENT.findall(text))


class Evidence:
    """The n-grams of everything the tools returned in one turn, and the texts themselves."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.texts = [t for t in texts if t]
        n = rules().ngram
        self.grams = {c[i:i + n] for c in map(_content, self.texts) for i in range(len(c) - n + 1)}

    def cover(self, sentence: str) -> float:
        """The share of the sentence's claim-bearing characters inside an n-gram the tools returned."""
        r = rules()
        text = sentence
        for word in r.connectives:
            text = text.replace(word, "，")
        content = _content(text)
        covered = [False] * len(content)
        for i in range(len(content) - r.ngram + 1):
            if content[i:i + r.ngram] in self.grams:
                for j in range(i, i + r.ngram):
                    covered[j] = True
        scored = [ok for ch, ok in zip(content, covered, strict=True) if ch not in r.neutral]
        if len(scored) < r.min_chars:
            return 1.0
        return sum(scored) / len(scored)

    def has_title(self, title: str) -> bool:
        return any(title in text for text in self.texts)


def ungrounded(answer: str, evidence: Evidence) -> list[str]:
    """What in ``answer`` no tool result supports: titles (《…》) and sentences (empty: it passes)."""
    bad = [f"《{t}》" for t in _TITLE.findall(answer) if not evidence.has_title(t)]
    min_cover = rules().min_cover
    for sentence in _SENTENCE.findall(answer):
        if evidence.cover(sentence) < min_cover:
            bad.append(sentence.strip())
    return bad
