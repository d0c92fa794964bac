"""The compute stage: pure Decimal arithmetic over bound values, each result with the formula that made it.

Nothing here reads a question or a document; every function takes numbers and returns numbers
(and the formula as the answer shows it), so each can be tested on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from budgetqa.numbers import fmt_money, fmt_pct, round2

HUNDRED = Decimal(100)
HALF_CENT = Decimal("0.005")


@dataclass(frozen=True, slots=True)
class Change:
    """This year against last year: the amount, the rate (None from a zero base) and how they were found."""

    current: Decimal
    previous: Decimal
    amount: Decimal
    pct: Decimal | None
    formula: str

    @property
    def rising(self) -> bool:
        return self.amount >= 0


def _signed(amount: Decimal) -> str:
    return f"({fmt_money(amount)})" if amount < 0 else fmt_money(amount)


def rate(amount: Decimal, base: Decimal) -> Decimal | None:
    """``amount`` as a percentage of ``base``; None when the base is 0."""
    return None if base == 0 else amount / base * HUNDRED


def _change(current: Decimal, previous: Decimal, amount: Decimal, first_step: str) -> Change:
    pct = rate(amount, previous)
    formula = first_step
    if pct is not None:
        formula += f"；{fmt_money(amount)} ÷ {fmt_money(previous)} = {fmt_pct(pct)}"
    return Change(current, previous, amount, pct, formula)


def change_from_previous(current: Decimal, previous: Decimal) -> Change:
    """Both years' figures known: change = current − previous."""
    amount = current - previous
    return _change(current, previous, amount, f"{fmt_money(current)} − {_signed(previous)} = {fmt_money(amount)}")


def change_from_amount(current: Decimal, amount: Decimal) -> Change:
    """The printed change known: last year's figure = current − change."""
    previous = current - amount
    return _change(current, previous, amount, f"{fmt_money(current)} − {_signed(amount)} = {fmt_money(previous)}")


def pct_tolerance(amount: Decimal, previous: Decimal) -> Decimal:
    """How far a rate recomputed from 2-decimal inputs may drift from a printed one."""
    if previous == 0:
        return Decimal("0.01")
    spread = (abs(amount) + HALF_CENT) / max(abs(previous) - HALF_CENT, HALF_CENT) - abs(amount) / abs(previous)
    return abs(spread) * HUNDRED * 2 + Decimal("0.01")


def agrees(computed: Decimal, printed: Decimal, tolerance: Decimal = Decimal("0.01")) -> bool:
    """A recomputed figure matches a printed one within rounding."""
    return abs(round2(computed) - printed) <= tolerance


def share(part: Decimal, whole: Decimal) -> tuple[Decimal, str]:
    """part ÷ whole as a percentage, with its formula (the caller makes sure whole ≠ 0)."""
    pct = part / whole * HUNDRED
    return pct, f"{fmt_money(part)} ÷ {fmt_money(whole)} = {fmt_pct(pct)}"


def difference(first: Decimal, second: Decimal) -> tuple[Decimal, str]:
    """first − second, with its formula."""
    diff = first - second
    return diff, f"{fmt_money(first)} − {fmt_money(second)} = {fmt_money(diff)}"


def total(values: list[Decimal]) -> tuple[Decimal, str]:
    """The sum of several values, with its formula."""
    result = sum(values, Decimal(0))
    return result, " + ".join(fmt_money(v) for v in values) + f" = {fmt_money(result)}"


def ratio(first: Decimal, second: Decimal) -> tuple[Decimal | None, str]:
    """How many times ``second`` the ``first`` is (None when second is 0)."""
    if second == 0:
        return None, ""
    times = first / second
    return times, f"{fmt_money(first)} ÷ {fmt_money(second)} = {round2(times)} 倍"


def average_growth(first: Decimal, last: Decimal, years: int) -> tuple[Decimal | None, str]:
    """The compound annual growth rate from ``first`` to ``last`` over ``years`` years."""
    if first <= 0 or last <= 0 or years <= 0:
        return None, ""
    factor = (last / first) ** (Decimal(1) / Decimal(years))
    pct = (factor - 1) * HUNDRED
    return pct, f"({fmt_money(last)} ÷ {fmt_money(first)})^(1/{years}) − 1 = {fmt_pct(pct)}"
