"""Narrative against tables: every amount, share, change and completion rate recomputed."""

from __future__ import annotations

import re
from decimal import Decimal

from budgetqa.audit.index import DocIndex
from budgetqa.audit.intervals import (
    HUNDRED,
    SHARES_WHOLE,
    ZERO,
    Interval,
    Quantity,
    Verdict,
    judge_at_most,
    judge_equal,
    judge_rate,
    ratio,
    total,
)
from budgetqa.audit.names import normalise, vocab
from budgetqa.audit.narrative import Placed, parts_of, place
from budgetqa.audit.registry import Audit, CheckDef, money, sum_formula
from budgetqa.audit.report import Unverified

AMOUNT = CheckDef("N-金额", "说明与表", "error",
                  "说明中的金额与表中同名的数相同；同一个数两处印刷只差末位 1 时为尾差（提示），差得更多为错误。")
SHARE = CheckDef("N-占比", "说明与表", "error",
                 "占比 = 该数 ÷ 所属总数（“占…的”所指之数，或“其中/包括”之前的总数），按印刷精度的区间复算。")
CHANGE = CheckDef("N-增减率", "说明与表", "error",
                  "增减率 = 增减额 ÷ 上年数，上年数 = 本年数 − 增减额；上年数为 0 时增长率无从计算（“增长100%”记为提示）。")
COMPLETION = CheckDef("N-完成率", "说明与表", "error", "完成率 = 决算数 ÷ 预算数。")
PARTS = CheckDef("N-分项", "说明与表", "error", "说明中“其中/包括”所列各项之和不超过前面的总数（各项可能未列全）。")
MAGNITUDE = CheckDef("N-万元元", "说明与表", "error",
                     "说明中的金额与表中同名的数相差 10,000 倍：元与万元写错（口径错位）。")
CHECKS = (AMOUNT, SHARE, CHANGE, COMPLETION, PARTS, MAGNITUDE)

_LEVEL_SPLIT = re.compile(r"[（(](?:类|款|项)[)）]")
_REMARK = re.compile(r"[（(][^（）()]{2,}[)）]")
BUDGET_MEASURE = "预算数"
STRIP_ROUNDS = 2
"""A subject may carry two words tables do not print ("…费预算支出")."""
CLASS_DIGITS = 3
"""A 类 code has three digits; each 款/项 level adds two."""


def run(audit: Audit) -> None:
    for check in CHECKS:
        audit.define(check)
    placed = place(audit.doc.facts)
    own = audit.index.own
    for item in placed:
        fact = item.fact
        if not item.is_money:
            continue
        if fact.amount is not None:
            _check_amount(audit, item, fact.amount, own if fact.kind == "completion" else None)
        if fact.budget is not None:
            _check_amount(audit, item, fact.budget, BUDGET_MEASURE, budget=True)
        if fact.share is not None and fact.amount is not None:
            _check_share(audit, item, placed)
        if fact.change_pct is not None and fact.change_amount is not None:
            _check_change(audit, item)
        if fact.completion_pct is not None and fact.amount is not None and fact.budget is not None:
            _check_completion(audit, item)
    for item in placed:
        if item.is_lead and item.is_money:
            _check_parts(audit, item, parts_of(item, placed))


# --- amounts ------------------------------------------------------------------------------


def candidates(index: DocIndex, subject: str, measure: str | None = None) -> tuple[list[Quantity], bool]:
    """Table figures a narrative subject names, and whether they must equal it (False for loose concepts)."""
    for name, depth, scope in _names(subject):
        strict = True
        found: list[Quantity] = []
        for concept in vocab()["concept"]:
            if name in {normalise(s) for s in concept["subjects"]}:
                found = index.concept_values(concept, measure)
                strict = concept.get("strict", True)
                break
        found += index.lookup(name, measure)
        if depth:
            found = [q for q in found if _code_length(q) == depth or (depth == CLASS_DIGITS and _code_length(q) == 0)]
        if scope:
            found = [q for q in found if any(scope in normalise(r.table) for r in q.refs if r.table)]
        if found:
            return found, strict
    return [], True


def _code_length(quantity: Quantity) -> int:
    code = quantity.refs[0].row_code if quantity.refs else None
    return len(code) if code else 0


def _names(subject: str) -> list[tuple[str, int, str | None]]:
    """Names to try for a subject, most specific first: (name, code length a 类/款/项 path implies, fund scope).

    "A（类）B（款）C（项）" names C, a 7-digit code; "A（类）支出" names "A支出" (or A), a 类. Words a table does
    not print are dropped one by one; a dropped fund scope ("一般公共预算…") then limits the tables searched.
    """
    marks = _LEVEL_SPLIT.findall(subject)
    if marks:
        pieces = _LEVEL_SPLIT.split(subject)
        last, trailing = pieces[-2], pieces[-1]
        depth = CLASS_DIGITS + 2 * (len(marks) - 1)
        names = [normalise(last + trailing), normalise(last)] if trailing.strip() else [normalise(last)]
        return [(n, depth, None) for n in dict.fromkeys(names) if n]
    narrative = vocab()["narrative"]
    bases = _stems([normalise(subject), normalise(_REMARK.sub("", subject))])
    found: list[tuple[str, int, str | None]] = [(n, 0, None) for n in bases]
    for prefix, scope in narrative["scope_prefixes"].items():
        scoped = [n[len(prefix):] for n in bases if n.startswith(prefix) and len(n) - len(prefix) >= 2]
        found += [(n, 0, scope) for n in _stems(scoped)]
    for prefix in narrative["strip_prefixes"]:
        found += [(n[len(prefix):], 0, None) for n in bases if n.startswith(prefix) and len(n) - len(prefix) >= 2]
    return list(dict.fromkeys(f for f in found if f[0]))


def _stems(names: list[str]) -> list[str]:
    """The names, their aliases, and the names without the suffixes tables do not print."""
    narrative = vocab()["narrative"]
    stems = list(dict.fromkeys(names))
    for _ in range(STRIP_ROUNDS):
        for suffix in narrative["strip_suffixes"]:
            stems += [n[: -len(suffix)] for n in stems if n.endswith(suffix) and len(n) - len(suffix) >= 2]
        stems = list(dict.fromkeys(stems))
    stems += [normalise(narrative["aliases"][n]) for n in stems if n in narrative["aliases"]]
    return list(dict.fromkeys(stems))


def _check_amount(audit: Audit, item: Placed, value: Decimal, measure: str | None, budget: bool = False) -> None:
    fact = item.fact
    found, strict = candidates(audit.index, fact.subject, measure)
    label = f"说明第{fact.page}页“{fact.subject}”{'预算数' if budget else ''}"
    stated = item.quantity(value, label)
    if budget:
        stated.refs[0].raw = str(value)
    if not found:
        audit.unverified.append(Unverified(subject=fact.subject + ("（预算数）" if budget else ""), value=str(value),
                                           unit=fact.unit, page=fact.page, sentence=fact.sentence))
        return
    verdicts = [(judge_equal(stated, q, same_figure=not q.is_sum), q) for q in found]
    if any(verdict.severity is None for verdict, _ in verdicts):
        audit.passed(AMOUNT.id)
        return
    rounding = [(v, q) for v, q in verdicts if v.severity == "rounding"]
    slip = None if rounding else _unit_slip(stated, found)
    if slip is not None:
        factor, table = slip
        audit.record(MAGNITUDE.id, Verdict("error", f"说明的数是表中数的 {factor.normalize():f} 倍：单位写错（元与万元相差"
                                                    f" 10,000 倍），或数字照抄了以元为单位的表。"),
                     f"{label} {money(stated.value)} 万元，{table.label} {money(table.value)} 万元：元/万元错位",
                     stated, table, f"{money(stated.value)} ÷ {money(table.value)} = {factor.normalize():f}")
        return
    verdict, nearest = rounding[0] if rounding else min(
        verdicts, key=lambda vq: (abs(vq[1].value - stated.value), len(vq[1].label)))
    title = f"{label} {money(stated.value)} 万元，{nearest.label} {money(nearest.value)}"
    if verdict.severity != "rounding" and not strict:
        verdict = Verdict("info", "两者口径不必相同（例如机关运行经费只在行政单位等于公用经费），仅供参考。")
    others = [q for q in found if q is not nearest]
    note = f"（表中同名的数还有：{'；'.join(f'{q.label} {money(q.value)}' for q in others[:4])}）" if others else ""
    audit.record(AMOUNT.id, verdict, title, stated, nearest,
                 f"{money(stated.value)} − {money(nearest.value)} = {money(stated.value - nearest.value)}", note=note)


WAN = Decimal(10000)
SLIP_CLOSENESS = Decimal("0.001")
"""A figure 10,000 times off is a unit slip only when it is that multiple to within this share (0.1%)."""


def _unit_slip(stated: Quantity, found: list[Quantity]) -> tuple[Decimal, Quantity] | None:
    """(stated ÷ table, the table figure) when the stated figure is 10,000 times (or 1/10,000 of) a table figure."""
    if stated.value == 0:
        return None
    for factor in (WAN, 1 / WAN):
        scaled = Quantity(stated.value * factor, stated.interval.scaled(factor), stated.label, stated.refs,
                          unit=stated.unit * factor)
        for quantity in found:
            close = abs(scaled.value - quantity.value) <= abs(quantity.value) * SLIP_CLOSENESS
            if quantity.value and close and judge_equal(scaled, quantity, same_figure=False).severity in (None, "rounding"):
                return 1 / factor, quantity
    return None


# --- shares -------------------------------------------------------------------------------


def _whole_of(audit: Audit, item: Placed, placed: list[Placed]) -> tuple[Quantity | None, Placed | None]:
    """The figure a share is of: the one "占…的" names, else the nearest lead figure before it in its section."""
    named = item.explicit_whole()
    if named:
        key = normalise(named)
        for other in reversed(placed[: item.order]):
            if normalise(other.fact.subject) == key and other.fact.amount is not None and other.is_money:
                return other.quantity(), other
        found, _ = candidates(audit.index, named)
        values = {q.value for q in found}
        return (found[0], None) if len(values) == 1 else (None, None)
    for other in reversed(placed[: item.order]):
        if other.top_section != item.top_section:
            break
        if other.is_lead and other.is_money:
            return other.quantity(), other
    return None, None


def _check_share(audit: Audit, item: Placed, placed: list[Placed]) -> None:
    fact = item.fact
    whole, lead = _whole_of(audit, item, placed)
    if whole is None or fact.share is None:
        return
    part = item.quantity()
    interval = ratio(part.interval, whole.interval)
    if interval is None or whole.value == 0:
        return
    point = part.value / whole.value * HUNDRED
    siblings = [p.fact.share for p in placed if p.fact.share is not None and lead is not None
                and _whole_of(audit, p, placed)[1] is lead]
    adjusted = len(siblings) > 1 and sum(siblings, ZERO) == SHARES_WHOLE
    verdict = judge_rate(fact.share, interval, point, adjusted)
    share = Quantity(fact.share, Interval(fact.share, fact.share), f"说明第{fact.page}页“{fact.subject}”占比",
                     part.refs)
    recomputed = Quantity(point, interval, f"{money(part.value)} ÷ {money(whole.value)}", part.refs + whole.refs)
    audit.record(SHARE.id, verdict, f"“{fact.subject}”占 {fact.share}%，复算 {point:.2f}%", share, recomputed,
                 f"{money(part.value)} ÷ {money(whole.value)} × 100% = {point:.4f}%（印刷 {fact.share}%）", unit="%")


# --- changes and completion ---------------------------------------------------------------


def _check_change(audit: Audit, item: Placed) -> None:
    fact = item.fact
    change, pct = fact.change_amount, fact.change_pct
    assert change is not None and pct is not None
    if change == 0 and pct == 0:
        audit.passed(CHANGE.id)
        return
    if fact.amount is None:
        return  # the sentence does not say the figure the change is on (it may be on another basis)
    current = item.quantity(label=f"说明第{fact.page}页“{fact.subject}”本年数")
    delta = item.quantity(change, f"说明第{fact.page}页“{fact.subject}”增减额")
    previous = current.value - delta.value
    label = f"“{fact.subject}”{'增长' if pct >= 0 else '下降'} {abs(pct)}%"
    if previous == 0:
        audit.record(CHANGE.id, Verdict("warning", f"本年 {money(current.value)} − 增减额 {money(delta.value)} = 0：上年数为 0，"
                                                   f"增长率无从计算；文中写 {pct}%，是公开中常见的写法（从无到有记为增长"
                                                   f"100%），建议改为“上年无此项”。"),
                     f"{label}，但上年数为 0", current, delta,
                     f"上年数 = {money(current.value)} − {money(delta.value)} = 0.00；{money(delta.value)} ÷ 0 无意义")
        return
    before = current.interval - delta.interval
    if before.contains_zero():
        return
    corners = [c / (a - c) * HUNDRED for c in (delta.interval.lo, delta.interval.hi)
               for a in (current.interval.lo, current.interval.hi)]
    interval = Interval(min(corners), max(corners))
    point = delta.value / previous * HUNDRED
    verdict = judge_rate(pct, interval, point)
    stated = Quantity(pct, Interval(pct, pct), f"说明第{fact.page}页“{fact.subject}”增减率", delta.refs)
    recomputed = Quantity(point, interval, f"{money(delta.value)} ÷ {money(previous)}", current.refs + delta.refs)
    audit.record(CHANGE.id, verdict, f"{label}，复算 {point:.2f}%", stated, recomputed,
                 f"上年数 = {money(current.value)} − ({money(delta.value)}) = {money(previous)}；"
                 f"{money(delta.value)} ÷ {money(previous)} × 100% = {point:.4f}%（印刷 {pct}%）", unit="%")


def _check_completion(audit: Audit, item: Placed) -> None:
    fact = item.fact
    assert fact.amount is not None and fact.budget is not None and fact.completion_pct is not None
    actual = item.quantity()
    planned = item.quantity(fact.budget, f"说明第{fact.page}页“{fact.subject}”预算数")
    pct = fact.completion_pct
    if planned.value == 0:
        return
    interval = ratio(actual.interval, planned.interval)
    if interval is None:
        return
    point = actual.value / planned.value * HUNDRED
    verdict = judge_rate(pct, interval, point)
    stated = Quantity(pct, Interval(pct, pct), f"说明第{fact.page}页“{fact.subject}”完成率", actual.refs)
    recomputed = Quantity(point, interval, f"{money(actual.value)} ÷ {money(planned.value)}", actual.refs)
    audit.record(COMPLETION.id, verdict, f"“{fact.subject}”完成 {pct}%，复算 {point:.2f}%", stated, recomputed,
                 f"{money(actual.value)} ÷ {money(planned.value)} × 100% = {point:.4f}%（印刷 {pct}%）", unit="%")


# --- parts --------------------------------------------------------------------------------


def _check_parts(audit: Audit, lead: Placed, parts: list[Placed]) -> None:
    if len(parts) < 2 or lead.fact.amount is None:
        return
    whole = lead.quantity()
    terms = [p.quantity() for p in parts]
    summed = total(terms, f"说明第{lead.fact.page}页“{lead.fact.subject}”所列各项之和")
    verdict = judge_at_most(summed, whole)
    unit = "万元" if lead.is_money else lead.fact.unit
    audit.record(PARTS.id, verdict,
                 f"“{lead.fact.subject}” {money(whole.value)}，所列各项相加 {money(summed.value)}",
                 summed, whole, f"{sum_formula(terms)}；总数 {money(whole.value)}", unit=unit)
