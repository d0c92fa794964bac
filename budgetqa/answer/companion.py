"""A count (or area) and the amount printed beside it: "车辆21辆，价值940.78万元".

A question asking both at once ("有几辆车，价值多少", "项目有几个，涉及金额多少", "面积多少，价值
多少") is answered from one narrative clause: the fact the question binds to and the fact printed
right after it (or right before it) in the same clause, each with its own value and citation.
Nothing is paired across a "；" or "。", or over another figure standing between the two.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from budgetqa.models import Fact
from budgetqa.vocab import load

_CLAUSE_END = re.compile(r"[；;。]")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_COUNTED = ("count", "area")


def asks_count_and_amount(text: str) -> bool:
    """Whether the question asks a count or an area and an amount of money."""
    words = load("questions")["companion"]
    return any(re.search(p, text) for p in words["count"]) and any(re.search(p, text) for p in words["amount"])


def companion(facts: list[Fact], fact: Fact) -> Fact | None:
    """The fact of the other kind (count/area ↔ amount in 万元) printed next to ``fact``, in its clause."""
    index = next((i for i, f in enumerate(facts) if f is fact), None)
    if index is None:
        return None
    counted = fact.kind in _COUNTED
    j = index + 1 if counted else index - 1
    if not 0 <= j < len(facts):
        return None
    other = facts[j]
    first, second = (fact, other) if counted else (other, fact)
    if other.sentence != fact.sentence or first.kind not in _COUNTED or second.kind != "amount":
        return None
    if second.unit != "万元" or first.amount is None or second.amount is None:
        return None
    return other if _adjacent(fact.sentence, first.amount, second.amount) else None


def _adjacent(sentence: str, count: Decimal, amount: Decimal) -> bool:
    """Whether some clause of the sentence prints ``count`` and then ``amount`` as consecutive figures."""
    for clause in _CLAUSE_END.split(sentence):
        numbers = [_decimal(n) for n in _NUMBER.findall(clause)]
        if any(a == count and b == amount for a, b in zip(numbers, numbers[1:], strict=False)):
            return True
    return False


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None
