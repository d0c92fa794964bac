"""What the widget shows beside an answer: each figure's direction, and clarify choices as documents.

The answer object states a change as a magnitude named in words ("比上年减少", "下降率",
"之差") and says the direction in its sentence ("减少 148.26 万元", "少 1,269.94 万元").
``figures`` gives every value its direction (``up``/``down``/``same``) and the word, so a
headline never shows a decrease as a bare number. ``choices`` turns a clarifying
question's options into the documents they name, labelled and ordered like the
document list.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Literal

from pydantic import BaseModel

from budgetqa.answer.schema import Answer, Value
from budgetqa.index.store import Store
from budgetqa.numbers import fmt_money
from budgetqa.service.lookup import resolve_document
from budgetqa.views import document_label

Direction = Literal["up", "down", "same"]

UP_WORDS = ("增加", "增长", "多")
DOWN_WORDS = ("减少", "下降", "少")


class Figure(Value):
    """A value of the answer with the direction it moves in (None: not a change)."""

    direction: Direction | None = None
    word: str | None = None
    """The direction as the sentence says it: 增加/减少, 增长/下降, 多/少."""


class Choice(BaseModel):
    """A document a clarifying question offers."""

    doc_id: str
    label: str
    option: str
    """The option as the answer printed it."""


def _word_in_name(name: str) -> str | None:
    for word in ("增加", "增长", "减少", "下降"):
        if word in name:
            return word
    return None


def _word_in_sentence(sentence: str, value: str, unit: str) -> str | None:
    """The direction word printed right before ``value`` in the sentence, if any."""
    try:
        shown = fmt_money(Decimal(value))
    except InvalidOperation:
        return None
    number = re.escape(shown + ("%" if unit == "%" else ""))
    found = re.search(rf"({'|'.join(UP_WORDS + DOWN_WORDS)})\s*{number}", sentence)
    return found.group(1) if found else None


def figure(answer: Answer, name: str, value: str, unit: str) -> Figure:
    """One value with its direction, read from its name, else from the answer sentence."""
    word = _word_in_name(name) or _word_in_sentence(answer.answer, value, unit)
    direction: Direction | None = None
    if word:
        try:
            zero = Decimal(value) == 0
        except InvalidOperation:
            zero = False
        direction = "same" if zero else "up" if word in UP_WORDS else "down"
    return Figure(name=name, value=value, unit=unit, direction=direction, word=word)


def figures(answer: Answer) -> list[Figure]:
    return [figure(answer, v.name, v.value, v.unit) for v in answer.values]


def choices(store: Store, answer: Answer) -> list[Choice]:
    """The clarify options that name one document, in the document list's order."""
    if answer.status != "clarify":
        return []
    by_id = {}
    for option in answer.options:
        doc_id = resolve_document(store, option)
        if doc_id is not None and doc_id not in by_id:
            by_id[doc_id] = option
    return [Choice(doc_id=d["doc_id"], label=document_label(d), option=by_id[d["doc_id"]])
            for d in store.documents() if d["doc_id"] in by_id]
