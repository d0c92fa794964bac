"""The number guard: every number in an LLM's answer must come from a tool result of that turn."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_NUMBER = re.compile(r"\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
CENT = Decimal("0.01")


def normalise(text: str) -> Decimal | None:
    """"1,234.50" / "1234.5" / "12.34%" → Decimal('1234.50') (thousands separators dropped, 2 places)."""
    try:
        return Decimal(re.sub(r"[,，%\s]", "", text)).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return None


def numbers_in(text: str) -> list[str]:
    """The numbers written in a text, as written."""
    return _NUMBER.findall(text or "")


def allowed_numbers(sources: Iterable[str | int | float | Decimal]) -> set[Decimal]:
    """The normalised numbers in ``sources`` (tool numbers, the question's years and ordinals)."""
    found: set[Decimal] = set()
    for source in sources:
        for raw in numbers_in(str(source)):
            value = normalise(raw)
            if value is not None:
                found.add(value)
    return found


def unsupported(answer: str, allowed: set[Decimal]) -> list[str]:
    """The numbers in ``answer`` that no allowed source gave (empty: the answer passes)."""
    return [raw for raw in numbers_in(answer) if normalise(raw) not in allowed]
