"""The render stage: amounts shown in the asked unit, answer values, labels and direction words.

Amounts travel through the engine in 万元 (exact Decimals); they are converted only here, for
display, into the unit the question asked (元, 千元, 万元 or 亿元).
"""

from __future__ import annotations

from decimal import Decimal

from budgetqa.answer.schema import Value
from budgetqa.numbers import UNIT_TO_WAN, fmt_money, round2


def in_unit(amount_wan: Decimal, unit: str) -> Decimal:
    """An amount in 万元 expressed in ``unit``."""
    return amount_wan / UNIT_TO_WAN.get(unit, Decimal(1))


def show(amount_wan: Decimal, unit: str) -> str:
    """An amount in 万元, displayed in ``unit`` with thousands separators and 2 decimals."""
    return fmt_money(in_unit(amount_wan, unit))


def money(name: str, amount_wan: Decimal, unit: str = "万元") -> Value:
    """An answer value: an amount (given in 万元) in the asked unit, rounded half-up to 2 places."""
    return Value(name=name, value=str(round2(in_unit(amount_wan, unit))), unit=unit)


def percent(name: str, pct: Decimal) -> Value:
    return Value(name=name, value=str(round2(pct)), unit="%")


def conversion_note(unit: str) -> str | None:
    """The note an answer in another unit than 万元 carries."""
    if unit == "万元" or unit not in UNIT_TO_WAN:
        return None  # 万元 itself, or a count (个, 辆) shown in its own unit
    return f"按问题要求以{unit}表示（1 万元 = {fmt_money(Decimal(1) / UNIT_TO_WAN[unit]).rstrip('0').rstrip('.')} {unit}）。"


def rise(amount: Decimal) -> str:
    """增加 / 减少 for a signed change."""
    return "增加" if amount >= 0 else "减少"


def growth(amount: Decimal) -> str:
    """增长 / 下降 for a signed change."""
    return "增长" if amount >= 0 else "下降"


def more(amount: Decimal) -> str:
    """多 / 少 for a signed difference."""
    return "多" if amount >= 0 else "少"


def doc_label(doc) -> str:
    """"某部门2024年": how an answer over several documents names each one."""
    return f"{doc.department}{doc.year or ''}年"
