"""Decimal parsing, unit conversion and display formatting for money and percentages."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Literal

CellState = Literal["value", "blank", "dash", "text"]
"""How a printed cell reads: a number, a blank, a dash, or text."""

CENT = Decimal("0.01")
UNIT_TO_WAN: dict[str, Decimal] = {
    "万元": Decimal(1),
    "元": Decimal("0.0001"),
    "千元": Decimal("0.1"),
    "亿元": Decimal(10000),
}
DASHES = {"-", "—", "－", "--", "——", "―", "/", "／", "…"}
_NUMBER = re.compile(r"^[(（]?[-－−]?\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?[)）]?$|^[(（]?[-－−]?\d+(?:\.\d+)?[)）]?$")


def parse_cell(raw: str | None) -> tuple[CellState, Decimal | None]:
    """Classify a printed cell: a number, a blank, a dash, or text.

    >>> parse_cell("3,210.45")
    ('value', Decimal('3210.45'))
    >>> parse_cell("")[0], parse_cell("-")[0], parse_cell("行政运行")[0]
    ('blank', 'dash', 'text')
    """
    text = (raw or "").strip().replace(" ", "").replace("\n", "")
    if not text:
        return "blank", None
    if text in DASHES:
        return "dash", None
    value = parse_number(text)
    if value is None:
        return "text", None
    return "value", value


def parse_number(text: str) -> Decimal | None:
    """Parse a printed amount ("1,234.56", "(12.00)", "－5") into a Decimal, or None."""
    text = text.strip().replace(" ", "")
    if not _NUMBER.match(text):
        return None
    negative = text.startswith(("(", "（", "-", "－", "−"))
    digits = re.sub(r"[^\d.]", "", text)
    try:
        value = Decimal(digits)
    except InvalidOperation:
        return None
    return -value if negative else value


def numbers_in(text: str) -> set[Decimal]:
    """Every figure a text prints ("价值940.78万元，车辆21辆" → {940.78, 21})."""
    found = set()
    for number in re.findall(r"\d[\d,]*(?:\.\d+)?", text):
        value = parse_number(number)
        if value is not None:
            found.add(value)
    return found


def normalise_unit(text: str | None) -> str:
    """Map a printed unit ("单位：万元", "元") to one of UNIT_TO_WAN's keys; default 万元."""
    if not text:
        return "万元"
    for unit in ("亿元", "千元", "万元"):
        if unit in text:
            return unit
    return "元" if "元" in text else "万元"


def to_wan(value: Decimal, unit: str) -> Decimal:
    """Convert an amount printed in ``unit`` to 万元 (exact, not rounded)."""
    return value * UNIT_TO_WAN.get(unit, Decimal(1))


def round2(value: Decimal) -> Decimal:
    """Round half-up to 2 decimal places."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def fmt_money(value: Decimal) -> str:
    """Display an amount rounded half-up to 2 places with thousands separators."""
    return f"{round2(value):,.2f}"


def fmt_pct(value: Decimal) -> str:
    """Display a percentage rounded half-up to 2 places."""
    return f"{round2(value):.2f}%"
