"""A 决算's items compared with their own 年初预算: the largest gaps, and the items that met it exactly.

A 决算 narrative states, item by item, "年初预算为 X 万元，支出决算为 Y 万元". "哪个项的决算和年初预算
差得最多" ranks those items by |X − Y|; "哪几项决算和年初预算一分不差" lists the items where X = Y.
Only the items the narrative states are compared (the answer says how many), each cited.
"""

from __future__ import annotations

import re
from decimal import Decimal

from budgetqa.answer.catalog import Catalog, subject_levels
from budgetqa.answer.planner import ParsedQuestion
from budgetqa.answer.render import money
from budgetqa.answer.resolve import fact_citation
from budgetqa.answer.schema import Answer
from budgetqa.models import Fact
from budgetqa.numbers import fmt_money, to_wan

_ITEM_MARK = re.compile(r"[（(]项[)）]$")
_BOTH = re.compile(r"决算.{0,8}预算|预算.{0,8}决算")
_GAP = re.compile(r"差(?:得|了|距|额)?(?:最|第)|相差最|差距最")
_EQUAL = re.compile(r"一分不差|完全一致|完全相同|相等|一样多|持平")
_WHICH = re.compile(r"哪几|哪些|哪个|哪项|哪一项")


def _items(catalog: Catalog) -> list[Fact]:
    """The narrative's items with both figures: its 项 sentences when it has such, else every one."""
    both = [f for f in catalog.doc.facts if f.budget is not None and f.amount is not None
            and f.unit in ("万元", "元")]
    items = [f for f in both if _ITEM_MARK.search(f.subject.strip())]
    return items or both


def _budget(fact: Fact) -> Decimal:
    return to_wan(fact.budget, fact.unit)


def _final(fact: Fact) -> Decimal:
    return to_wan(fact.amount, fact.unit)


def _name(fact: Fact) -> str:
    return subject_levels(fact.subject)[-1] if _ITEM_MARK.search(fact.subject.strip()) else fact.subject


def compared_items(parsed: ParsedQuestion, catalog: Catalog) -> Answer | None:
    """The answer to a gap ranking or an exact-match listing over a 决算's items, or None."""
    text = parsed.compact
    if catalog.doc.kind != "决算" or not _BOTH.search(text) or not _WHICH.search(text):
        return None
    items = _items(catalog)
    if len(items) < 2:
        return None
    if _GAP.search(text):
        return _largest_gap(items, catalog)
    if _EQUAL.search(text):
        return _equal(items, catalog)
    return None


def _largest_gap(items: list[Fact], catalog: Catalog) -> Answer:
    ranked = sorted(items, key=lambda f: abs(_budget(f) - _final(f)), reverse=True)
    top = ranked[0]
    gap = abs(_budget(top) - _final(top))
    listing = "；".join(f"{_name(f)} |{fmt_money(_budget(f))} − {fmt_money(_final(f))}| = {fmt_money(abs(_budget(f) - _final(f)))}"
                       for f in ranked[:5])
    return Answer(
        status="answered",
        answer=f"决算与年初预算相差最多的是{_name(top)}：年初预算 {fmt_money(_budget(top))} 万元，"
               f"决算 {fmt_money(_final(top))} 万元，相差 {fmt_money(gap)} 万元。",
        values=[money(f"{_name(top)}决算与年初预算之差", gap), money(f"{_name(top)}年初预算", _budget(top)),
                money(f"{_name(top)}决算数", _final(top))],
        formula=f"按相差额排序：{listing}",
        citations=[fact_citation(catalog, f) for f in ranked[:3]],
        notes=[f"比较的是情况说明逐项列出年初预算和决算的 {len(items)} 项。"],
    )


def _equal(items: list[Fact], catalog: Catalog) -> Answer:
    same = [f for f in items if _budget(f) == _final(f)]
    if not same:
        return Answer(status="answered", answer=f"情况说明逐项列出的 {len(items)} 项中，没有决算与年初预算完全相同的。",
                      citations=[fact_citation(catalog, f) for f in items[:3]])
    return Answer(
        status="answered",
        answer="决算与年初预算完全相同的有 " + "、".join(f"{_name(f)}（{fmt_money(_final(f))} 万元）" for f in same) + "。",
        values=[money(_name(f), _final(f)) for f in same],
        citations=[fact_citation(catalog, f) for f in same],
        notes=[f"比较的是情况说明逐项列出年初预算和决算的 {len(items)} 项。"],
    )
