"""Narrative figures placed in their sentences: which figure heads a list, which share belongs to which whole."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from budgetqa.audit.intervals import Quantity, last_unit, printed
from budgetqa.audit.names import vocab
from budgetqa.audit.report import Ref
from budgetqa.models import Fact
from budgetqa.numbers import UNIT_TO_WAN

MONEY_UNITS = set(UNIT_TO_WAN)
_NUMBER = re.compile(r"\d[\d,，]*(?:\.\d+)?")
_EXPLICIT_WHOLE = re.compile(r"占([^，。；：%\d]{2,30}?)的")
_SENTENCE_END = "。"


@dataclass(slots=True)
class Placed:
    """A fact with the position of its figure in its sentence."""

    fact: Fact
    order: int
    start: int
    end: int
    raw: str
    window: str = ""
    """The words between this figure and the next figure of the sentence (or the sentence's end)."""

    @property
    def is_money(self) -> bool:
        return self.fact.unit in MONEY_UNITS and self.fact.kind not in ("count", "area")

    @property
    def top_section(self) -> str:
        return " > ".join(self.fact.section.split(" > ")[:2])

    @property
    def is_lead(self) -> bool:
        """A figure followed by 其中/包括/…: the whole of the figures after it."""
        if self.fact.amount is None or self.fact.share is not None:
            return False
        return any(marker in self.window for marker in vocab()["narrative"]["lead_markers"])

    def explicit_whole(self) -> str | None:
        match = _EXPLICIT_WHOLE.search(self.window)
        return match.group(1) if match else None

    def quantity(self, value: Decimal | None = None, label: str | None = None) -> Quantity:
        """The printed figure as an interval in 万元 (or in its own unit for counts)."""
        value = self.fact.amount if value is None else value
        assert value is not None
        scale = UNIT_TO_WAN.get(self.fact.unit, Decimal(1))
        ref = Ref(page=self.fact.page, sentence=self.fact.sentence, raw=self.raw or str(value))
        return Quantity(value * scale, printed(value, scale), label or f"说明第{self.fact.page}页“{self.fact.subject}”",
                        [ref], unit=last_unit(value) * scale)


def place(facts: list[Fact]) -> list[Placed]:
    """Every fact with the position of its figure, found in order within its sentence."""
    placed: list[Placed] = []
    cursors: dict[tuple[str, int], int] = {}
    for order, fact in enumerate(facts):
        key = (fact.sentence, fact.page)
        cursor = cursors.get(key, 0)
        start, end, raw = _find(fact, cursor)
        if start >= 0:
            cursors[key] = end
        placed.append(Placed(fact, order, start, end, raw))
    by_sentence: dict[tuple[str, int], list[Placed]] = {}
    for item in placed:
        if item.start >= 0:
            by_sentence.setdefault((item.fact.sentence, item.fact.page), []).append(item)
    for items in by_sentence.values():
        items.sort(key=lambda p: p.start)
        for current, following in zip(items, [*items[1:], None], strict=True):
            sentence = current.fact.sentence
            stop = following.start if following is not None else len(sentence)
            full_stop = sentence.find(_SENTENCE_END, current.end)
            if 0 <= full_stop < stop:
                stop = full_stop
            current.window = sentence[current.end:stop]
    return placed


def _find(fact: Fact, cursor: int) -> tuple[int, int, str]:
    target = fact.amount if fact.amount is not None else fact.change_amount
    sentence = fact.sentence
    if target is None:
        at = sentence.find(fact.subject, cursor)
        return (at, at + len(fact.subject), "") if at >= 0 else (-1, -1, "")
    for match in _NUMBER.finditer(sentence, cursor):
        try:
            value = Decimal(match.group().replace(",", "").replace("，", ""))
        except ArithmeticError:
            continue
        if value == abs(target):
            return match.start(), match.end(), match.group()
    return -1, -1, ""


def parts_of(lead: Placed, placed: list[Placed]) -> list[Placed]:
    """The figures a lead figure lists after its marker, up to the next list in the sentence."""
    same = sorted((p for p in placed if p.fact.sentence == lead.fact.sentence and p.fact.page == lead.fact.page
                   and p.start > lead.start), key=lambda p: p.start)
    parts: list[Placed] = []
    markers = [m for m in vocab()["narrative"]["lead_markers"] if m != "："]
    for item in same:
        if not _same_measure(lead, item) or item.fact.amount is None:
            if parts and any(m in item.window for m in markers):
                break
            continue
        parts.append(item)
        if any(m in item.window for m in markers) or _SENTENCE_END in item.window:
            break
    return parts


def _same_measure(lead: Placed, item: Placed) -> bool:
    if lead.is_money:
        return item.is_money
    return item.fact.unit == lead.fact.unit and item.fact.kind == lead.fact.kind
