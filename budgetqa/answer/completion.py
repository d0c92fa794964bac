"""Completion (完成率 / 执行率) from two documents: the 预算 disclosure and the 决算 disclosure of
the same department, year and edition.

A 决算 that prints its own 预算数 / 全年预算 column, or a narrative 年初预算 beside the 决算数,
is answered from itself (:func:`operations._completion`). Only when it prints neither is the
budget read from the department's 预算 disclosure of that year — which is the 年初预算, and the
answer says so.
"""

from __future__ import annotations

import copy

from budgetqa.answer.bind import Refusal, one
from budgetqa.answer.catalog import Catalog
from budgetqa.answer.compute import difference, share
from budgetqa.answer.planner import ParsedQuestion
from budgetqa.answer.render import doc_label, money, more, percent
from budgetqa.answer.schema import Answer
from budgetqa.numbers import fmt_money, fmt_pct


def counterparts(in_scope: list[Catalog], pool: list[Catalog]) -> tuple[Catalog, Catalog] | None:
    """(预算, 决算) of one department, year and edition, when the documents in scope are one of them
    (or both) and the other is loaded; None when there is no such pair or more than one."""
    pairs: dict[tuple[str, str], tuple[Catalog, Catalog]] = {}
    for catalog in in_scope:
        doc = catalog.doc
        for other in pool:
            o = other.doc
            if (o.key, o.year, o.scope) == (doc.key, doc.year, doc.scope) and {o.kind, doc.kind} == {"预算", "决算"}:
                budget, final = (catalog, other) if doc.kind == "预算" else (other, catalog)
                pairs[(budget.doc.doc_id, final.doc.doc_id)] = (budget, final)
    return next(iter(pairs.values())) if len(pairs) == 1 else None


def completion_of_two(parsed: ParsedQuestion, budget: Catalog, final: Catalog) -> Answer:
    """决算数 (from the 决算) ÷ 年初预算数 (from the 预算 disclosure), each cell cited."""
    planned = one(parsed, budget)
    spent = one(parsed, final)
    if planned.value == 0:
        raise Refusal(f"{doc_label(budget.doc)}中{planned.name}为 0，无法计算完成率。")
    pct, formula = share(spent.value, planned.value)
    diff, diff_formula = difference(spent.value, planned.value)
    return Answer(
        status="answered",
        answer=f"{spent.name}决算 {fmt_money(spent.value)} 万元，年初预算 {fmt_money(planned.value)} 万元，"
               f"完成年初预算的 {fmt_pct(pct)}，决算比预算{more(diff)} {fmt_money(abs(diff))} 万元。",
        values=[percent("完成率", pct), money(f"决算比预算{more(diff)}", abs(diff)),
                money(f"{spent.name}决算数", spent.value), money(f"{planned.name}年初预算数", planned.value)],
        formula=f"{formula}；{diff_formula}",
        citations=[spent.citation, planned.citation],
        notes=[f"{doc_label(final.doc)}决算没有列出预算数：预算数取自{doc_label(budget.doc)}预算公开，即年初预算"
               "（不含年中调整）；决算数取自决算公开。"],
    )


def with_pair(parsed: ParsedQuestion, budget: Catalog, final: Catalog) -> ParsedQuestion:
    """The question scoped to the pair, the 决算 first (its own budget figures are tried first)."""
    paired = copy.copy(parsed)
    paired.catalogs = [final, budget]
    paired.across = False
    return paired
