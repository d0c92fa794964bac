"""The number guard: every number in an LLM's answer must be one a tool returned in that turn.

Numbers are read as a person reads them (``numerals``): a number passes only if a tool returned
the same value in the same unit (“1,234.50万元” = “12,345,000元”, but not “1,234.50亿元”, “1234.50%”
or “1234.5049万元”); a bare number passes if a tool printed it. A value a tool read from a table
(``show_table``) passes only in a clause that names its own row. Numbers the user wrote in the
question pass only if a tool returned them too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from budgetqa.chat.numerals import Figure, normalise_text, read_figures

_CLAUSE_END = re.compile(r"[。；;！？!?、\n]|(?<!\d),|,(?!\d)")
_NAME_NOISE = re.compile(r"^(?:其中)?[:：]?(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十\d]+[、.．])?|[:：]$")
MIN_NAME = 2
"""A name shorter than this ties nothing (a stray character would match anywhere)."""


def name_key(name: str) -> str:
    """A row or column name as it would be written in a sentence: no spaces, no 其中/numbering."""
    return _NAME_NOISE.sub("", re.sub(r"\s+", "", normalise_text(name or "")))


def tool_figures(specs: Iterable[str | dict]) -> list[Figure]:
    """The figures tools vouch for: texts (“1234.50万元”, “45.67%”, “2024年”), or
    ``{"text": ..., "names": [...]}`` for a value that passes only next to one of its names."""
    found: list[Figure] = []
    for spec in specs:
        text, names = (spec, []) if not isinstance(spec, dict) else (str(spec.get("text", "")), spec.get("names", []))
        keys = tuple(k for k in dict.fromkeys(name_key(str(n)) for n in names) if len(k) >= MIN_NAME)
        found += [Figure(f.number, f.value, f.unit, f.text, names=keys) for f in read_figures(str(text))]
    return found


def unsupported(answer: str, allowed: Iterable[Figure]) -> list[str]:
    """The numbers in ``answer`` (as written) that no allowed figure gives (empty: the answer passes)."""
    allowed = list(allowed)
    text = normalise_text(answer or "")
    bad = []
    for figure in read_figures(text):
        clause = re.sub(r"\s+", "", _clause(text, figure.start))
        if not any(_vouches(tool, figure, clause) for tool in allowed):
            bad.append(figure.text)
    return bad


def _clause(text: str, at: int) -> str:
    starts = [m.end() for m in _CLAUSE_END.finditer(text, 0, at)]
    end = _CLAUSE_END.search(text, at)
    return text[(starts[-1] if starts else 0):(end.start() if end else len(text))]


def _vouches(tool: Figure, figure: Figure, clause: str) -> bool:
    same = (tool.unit == figure.unit and tool.value == figure.value) if figure.unit else tool.number == figure.number
    return same and (not tool.names or any(name in clause for name in tool.names))
