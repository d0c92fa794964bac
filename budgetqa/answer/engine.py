"""Answering in stages: parse → scope → bind and compute (an operation) → check.

``ask`` is the one entry: :func:`planner.parse` reads the question and scopes it to documents,
an operation of :mod:`operations` binds and computes, and :func:`check.grounded` vets every
answer before it leaves.
"""

from __future__ import annotations

import copy

from budgetqa.answer.bind import Refusal, previous_year
from budgetqa.answer.budget_items import compared_items
from budgetqa.answer.catalog import Catalog
from budgetqa.answer.check import grounded
from budgetqa.answer.completion import counterparts, with_pair
from budgetqa.answer.operations import OPERATIONS, across, budget_lookup, lookup
from budgetqa.answer.parts import listed_items
from budgetqa.answer.planner import Mention, ParsedQuestion, containers, parse
from budgetqa.answer.pooled import pooled_answer
from budgetqa.answer.schema import Answer, Plan
from budgetqa.vocab import load


def ask(question: str, catalogs: list[Catalog], related: list[Catalog] | None = None) -> Answer:
    """Answer one question over the given documents; ``related`` are other documents of the same
    department (other years) that a change may be computed against when the question is pinned
    to one document."""
    parsed = parse(question, catalogs)
    plan = Plan(
        operation=parsed.operation,
        documents=[c.doc.doc_id for c in parsed.catalogs],
        years=parsed.years,
        quantities=[m.text for m in parsed.mentions],
        unit=parsed.unit,
    )
    if parsed.refusal:
        return Answer(status="refused", answer=parsed.refusal, plan=plan)
    if parsed.clarify:
        return Answer(status="clarify", answer=parsed.clarify_text, options=parsed.clarify, plan=plan)
    if {m.text for m in parsed.mentions} <= {"总计", "合计", "小计"} and parsed.mentions:
        return Answer(status="refused", answer="请说明是哪一项（哪张表）的合计。", plan=plan)
    compared = compared_items(parsed, parsed.catalogs[0]) if len(parsed.catalogs) == 1 else None
    if compared is not None:
        # a 决算's items against their own 年初预算 ("哪项决算与预算相差最多"), named or not
        compared.plan = plan
        return compared
    if not parsed.mentions and parsed.operation != "ranking":
        plan.route = "none"
        return Answer(status="refused", answer="没有在已载入的公开中找到问题所说的项目。", plan=plan)
    pair = counterparts(parsed.catalogs, [*catalogs, *(related or [])]) if parsed.operation == "completion" else None
    if pair is not None:
        # completion: the 决算 with its department's 预算 of the same year (see completion.py)
        parsed = with_pair(parsed, *pair)
        plan.documents = [c.doc.doc_id for c in parsed.catalogs]
    previous = previous_year(parsed, [*catalogs, *(related or [])])
    if previous is not None:
        # both years are loaded: compute the change from the two years' tables
        parsed.catalogs = [previous, parsed.catalogs[0]]
        parsed.across = True
        if parsed.operation == "last_year":
            parsed.catalogs = [previous]
            parsed.across = False
            parsed.operation = "lookup"
    parts = _parts(parsed)
    if parts:
        return _multi_part(parsed, parts, plan)
    try:
        if parsed.across and len(parsed.catalogs) > 1:
            answer = across(parsed)
        else:
            catalog = parsed.catalogs[0]
            answer = None
            if parsed.operation in ("lookup", "difference"):
                answer = budget_lookup(parsed, catalog)
            if answer is None and parsed.operation in ("lookup", "sum", "completion"):
                answer = pooled_answer(parsed, catalog)  # a 决算 类's budget from its 项 sentences
            if answer is None:
                answer = OPERATIONS.get(parsed.operation, lookup)(parsed, catalog)
    except Refusal as exc:
        return Answer(status="refused", answer=str(exc), plan=plan)
    answer.plan = plan
    answer.notes = [*parsed.notes, *answer.notes]
    return grounded(answer, parsed)


def _parts(parsed: ParsedQuestion) -> list[Mention]:
    """The items of a multi-part question ("X和Y各是多少"), or [] for a single question."""
    if parsed.operation not in ("lookup", "sum", "change", "last_year") or len(parsed.catalogs) != 1:
        return []
    if not any(w in parsed.compact for w in load("questions")["parts"]["words"]):
        return []
    qualifiers = set(load("questions")["qualifiers"]["words"])
    outer = containers(parsed)
    items = [m for m in parsed.mentions if m.text not in qualifiers and m not in outer]
    if len(items) < 2 and (listed := listed_items(parsed)):
        parsed.mentions = [*parsed.mentions, *listed]  # "X中，货物、服务各是多少": X's parts
        return listed
    return items if len(items) > 1 else []


def _multi_part(parsed: ParsedQuestion, parts: list[Mention], plan: Plan) -> Answer:
    """Every part answered on its own (each checked), then put together; any part missing refuses."""
    answers = []
    containers = [m for m in parsed.mentions if m not in parts and m.start < parts[0].start]
    for part in parts:
        sub = copy.copy(parsed)
        sub.mentions = [*containers, part]
        sub.operation = parsed.operation if parsed.operation in ("change", "last_year") else "lookup"
        sub.is_part = True
        sub.siblings = [p for p in parts if p is not part]
        try:
            answer = grounded(OPERATIONS[sub.operation](sub, parsed.catalogs[0]), sub)
        except Refusal as exc:
            answer = Answer(status="refused", answer=str(exc))
        if answer.status != "answered":
            return Answer(status="refused", plan=plan,
                          answer=f"“{parsed.compact[part.start:part.end]}”没有找到确切的数：{answer.answer}")
        answers.append(answer)
    return Answer(
        status="answered",
        answer="；".join(a.answer.rstrip("。") for a in answers) + "。",
        values=[v for a in answers for v in a.values],
        formula="；".join(a.formula for a in answers if a.formula) or None,
        citations=[c for a in answers for c in a.citations],
        notes=[*parsed.notes, *(n for a in answers for n in a.notes)],
        plan=plan,
    )
