"""Sub-items listed after a named quantity: "政府采购预算中，货物、工程、服务各是多少".

People name the whole once and then its parts by a short word the document never prints alone
("货物" for "政府采购货物预算"). Each short word is bound to the one printed name that holds both
it and the whole's stem; when a word binds to no such name, or to several, no part is bound (and
the multi-part check then refuses rather than guess).
"""

from __future__ import annotations

import re

from budgetqa.answer.catalog import normalise_name
from budgetqa.answer.planner import Mention, ParsedQuestion
from budgetqa.vocab import load

_SEPARATOR = re.compile(r"[、和与及,，]")
_LEAD = re.compile(r"^(?:的)?(?:中|里|内|下|当中|之中|里面)?[，,：:]?")
_STEM_END = re.compile(r"(?:预算数|决算数|预算|决算|支出|金额|资金|情况)$")
_ITEM = re.compile(r"^[\u4e00-\u9fa5]{1,6}$")


def listed_items(parsed: ParsedQuestion) -> list[Mention]:
    """The parts listed right after the last named quantity, each bound to a printed name."""
    if not parsed.mentions or len(parsed.catalogs) != 1:
        return []
    whole = parsed.mentions[-1]
    stem = _STEM_END.sub("", normalise_name(whole.text))
    if len(stem) < 2:
        return []
    rest = parsed.compact[whole.end:]
    lead = _LEAD.match(rest)
    offset = whole.end + (lead.end() if lead else 0)
    words = load("questions")["parts"]["words"]
    cut = min((i for i in (parsed.compact.find(w, offset) for w in words) if i >= 0), default=-1)
    if cut < 0:
        return []
    items: list[Mention] = []
    position = offset
    for word in _SEPARATOR.split(parsed.compact[offset:cut]):
        start = parsed.compact.find(word, position)
        position = start + len(word)
        if not _ITEM.match(word):
            return []
        name = _holding(parsed.catalogs[0].names, word, stem)
        if name is None:
            return []
        items.append(Mention(name, start, start + len(word), "name"))
    return items if len(items) > 1 else []


def _holding(names: set[str], word: str, stem: str) -> str | None:
    """The one printed name holding the word and the whole's stem (or, failing that, the stem's
    last two characters: "拟采购货物支出" under 政府采购); None when none or several differ."""
    for part in (stem, stem[-2:]) if len(stem) > 2 else (stem,):
        found = sorted((n for n in names if word in n and part in n), key=len)
        if found:
            # nested forms of one name ("X预算", "X预算总额") are one; different names are a guess
            return found[0] if all(found[0] in n for n in found) else None
    return None

