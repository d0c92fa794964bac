"""Words against figures: 大于/小于/持平 and 增加/减少 must say what the two figures they compare say.

A sentence that compares two figures of one item (决算 against 预算, 本年 against 上年) is read with
the figures its item prints; a stated change is read against last year's figure when the sentence
prints it. A change needs its reason ("主要原因…") in the same item.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from budgetqa.audit.intervals import HUNDRED, Interval, Quantity, judge_rate, printed
from budgetqa.audit.names import vocab
from budgetqa.audit.narrative import MONEY_UNITS
from budgetqa.audit.registry import Audit, CheckDef, money
from budgetqa.audit.report import Ref
from budgetqa.audit.text import Section, sections
from budgetqa.models import Fact
from budgetqa.numbers import to_wan

RELATION = CheckDef("W-比较", "文字与数字", "error",
                    "“大于/小于/超过/低于/持平/等于”与所比较的两个数（决算数与预算数、本年数与上年数）相符。")
DIRECTION = CheckDef("W-增减", "文字与数字", "error",
                     "“增加/减少/增长/下降”与本年数、上年数的大小一致；增减额与增减率同向；上年数（本年数 − 增加额）不为负。")
REASON = CheckDef("W-原因", "文字与数字", "note", "说明写了增减变化（或决算数不等于预算数）的，同一项下说明原因。")
CHECKS = (RELATION, DIRECTION, REASON)

_SIGN_WORDS = {1: "大于", -1: "小于", 0: "等于"}


@lru_cache
def _patterns() -> tuple[re.Pattern[str], list[tuple[dict, list[re.Pattern[str]], re.Pattern[str], re.Pattern[str]]]]:
    words = vocab()["words"]
    figure = words["figure"]
    comparisons = [(c, [re.compile(p) for p in c["phrases"]], re.compile(c["left"] + figure),
                    re.compile(c["right"] + figure)) for c in words["comparison"]]
    return re.compile(words["reason"]), comparisons


def run(audit: Audit) -> None:
    for check in CHECKS:
        audit.define(check)
    reason, comparisons = _patterns()
    for section in sections(audit.doc):
        for comparison, phrases, left, right in comparisons:
            for phrase in phrases:
                for match in phrase.finditer(section.text):
                    _check_relation(audit, section, comparison["name"], match, left, right, reason)
    for fact in audit.doc.facts:
        _check_direction(audit, fact)
    _check_reasons(audit, reason)


# --- 大于 / 小于 / 持平 -----------------------------------------------------------------------


def _relation(word: str) -> int | None:
    words = vocab()["words"]
    for sign, names in ((1, words["greater"]), (-1, words["less"]), (0, words["equal"])):
        if any(word.endswith(n) for n in names):
            return sign
    return None


def _last(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    matches = list(pattern.finditer(text))
    return matches[-1] if matches else None


def _amount(match: re.Match[str]) -> Decimal:
    return to_wan(Decimal(match.group("n").replace(",", "").replace("，", "")), match.group("u"))


def _check_relation(audit: Audit, section: Section, name: str, match: re.Match[str], left: re.Pattern[str],
                    right: re.Pattern[str], reason: re.Pattern[str]) -> None:
    word = match.group("w")
    sign = _relation(word)
    start = section.item_start(match.start())
    before = section.text[start:match.start()]
    a, b = _last(left, before), _last(right, before)
    if sign is None or a is None or b is None or a.start() == b.start():
        return
    x, y = _amount(a), _amount(b)
    page = section.page_at(match.start())
    sentence = section.text[start:section.item_end(match.end())].strip()
    refs = [Ref(page=page, sentence=sentence)]
    actual = (x > y) - (x < y)
    roughly = vocab()["words"]["roughly"] in word
    if sign == 0 and roughly and max(x, y) > 0:
        ok = abs(x - y) / max(x, y) * HUNDRED <= Decimal(vocab()["words"]["roughly_pct"])
    else:
        ok = actual == sign
    if ok:
        audit.passed(RELATION.id)
        if sign != 0 and not reason.search(section.text[match.end():section.item_end(match.end())]):
            audit.note(REASON.id, "note", f"第{page}页写“{match.group()}”，未说明原因",
                       f"{name}不等时应说明主要原因。", [page], refs)
        return
    severity = "warning" if sign == 0 else "error"
    audit.note(RELATION.id, severity,
               f"第{page}页写“{match.group()}”，但 {money(x)} {_SIGN_WORDS[actual]} {money(y)}",
               f"同一项下印刷的两个数：{a.group()}、{b.group()}；{money(x)} − {money(y)} = {money(x - y)}，"
               f"与“{word}”不符。" + ("（“持平”可能是约数，请核对。）" if severity == "warning" else ""),
               [page], refs)


# --- 增加 / 减少 -----------------------------------------------------------------------------


def _check_direction(audit: Audit, fact: Fact) -> None:
    """Change words against the figures: amount and rate agree in sign, against last year's printed figure."""
    change, pct = fact.change_amount, fact.change_pct
    if change is None and pct is None:
        return
    ref = [Ref(page=fact.page, sentence=fact.sentence)]
    if change is not None and pct is not None and change * pct < 0:
        audit.note(DIRECTION.id, "error", f"“{fact.subject}”增减额与增减率方向相反",
                   f"增减额 {money(change)} 万元，增减率 {pct}%：一个写增加、一个写下降，必有一处用错。", [fact.page], ref)
        return
    if fact.amount is not None and fact.previous is not None:
        _against_previous(audit, fact, fact.amount, fact.previous, ref)
        return
    if fact.amount is not None and change is not None and change > 0 and fact.amount - change < 0:
        audit.note(DIRECTION.id, "error", f"“{fact.subject}”本年 {money(fact.amount)}，却比上年增加 {money(change)}",
                   f"上年数 = 本年数 − 增加额 = {money(fact.amount)} − {money(change)} = {money(fact.amount - change)}，"
                   f"为负数：增加额或本年数写错（常见于复制上一句未改）。", [fact.page], ref)
        return
    audit.passed(DIRECTION.id)


def _against_previous(audit: Audit, fact: Fact, current: Decimal, previous: Decimal, ref: list[Ref]) -> None:
    stated = fact.change_pct if fact.change_pct is not None else fact.change_amount
    assert stated is not None
    actual = current - previous
    if stated * actual < 0 or (actual == 0 and stated != 0) or (stated == 0 and actual != 0):
        word = "增加" if stated > 0 else ("减少" if stated < 0 else "持平")
        audit.note(DIRECTION.id, "error", f"“{fact.subject}”写“{word}”，但本年 {money(current)}、上年 {money(previous)}",
                   f"句中印刷的两个数：本年 {money(current)}，上年 {money(previous)}，相差 {money(actual)}，"
                   f"与“{word}”不符。", [fact.page], ref)
        return
    if previous == 0 and fact.change_pct:
        audit.note(DIRECTION.id, "warning", f"“{fact.subject}”上年数为 0，却写增长 {fact.change_pct}%",
                   f"上年 {money(previous)}、本年 {money(current)}：从 0 起算的增长率无从计算；写“增长100%”是公开中"
                   f"常见的写法，建议改为“上年无此项”。", [fact.page], ref)
        return
    if fact.change_pct is None or fact.change_amount is not None or previous == 0:
        audit.passed(DIRECTION.id)
        return
    now, before = printed(current), printed(previous)
    corners = [(a - b) / b * HUNDRED for a in (now.lo, now.hi) for b in (before.lo, before.hi) if b != 0]
    point = actual / previous * HUNDRED
    verdict = judge_rate(fact.change_pct, Interval(min(corners), max(corners)), point)
    stated_q = Quantity(fact.change_pct, Interval(fact.change_pct, fact.change_pct),
                        f"说明第{fact.page}页“{fact.subject}”增减率", ref)
    recomputed = Quantity(point, Interval(min(corners), max(corners)),
                          f"({money(current)} − {money(previous)}) ÷ {money(previous)}", ref)
    audit.record(DIRECTION.id, verdict, f"“{fact.subject}”增减 {fact.change_pct}%，复算 {point:.2f}%", stated_q,
                 recomputed, f"({money(current)} − {money(previous)}) ÷ {money(previous)} × 100% = {point:.4f}%"
                             f"（印刷 {fact.change_pct}%）", unit="%")


# --- reasons --------------------------------------------------------------------------------


def _check_reasons(audit: Audit, reason: re.Pattern[str]) -> None:
    """A stated change against last year gets its reason in the same list item (or the same paragraph)."""
    seen: set[tuple[str, str]] = set()
    for section in sections(audit.doc):
        for fact in audit.doc.facts:
            if not fact.change_amount or fact.unit not in MONEY_UNITS or (fact.subject, fact.sentence) in seen:
                continue
            at = section.text.find(fact.sentence[:40])
            if at < 0:
                continue
            seen.add((fact.subject, fact.sentence))
            tail = section.text[at:section.item_end(at + len(fact.sentence))]
            if reason.search(tail):
                audit.passed(REASON.id)
                continue
            audit.note(REASON.id, "note", f"第{fact.page}页“{fact.subject}”增减 {money(fact.change_amount)} 万元，未说明原因",
                       "说明增减变化时应写明主要原因。", [fact.page], [Ref(page=fact.page, sentence=fact.sentence)])
