"""Rewrite a follow-up into a full question from the previous turns' resolved plans.

"比上年呢" keeps the quantity and changes the operation; "那基本支出呢" keeps the operation and
changes the quantity; "财政局的呢" asks the same question of another department; a bare
department or option after a clarifying answer re-asks the pending question of that document.
The words are data (``vocab/followup.toml``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from budgetqa.answer.catalog import Catalog
from budgetqa.answer.planner import (
    _ACROSS_DOCS,
    _YEAR,
    _department_match,
    _department_score,
    _mask_departments,
    compact,
    detect_operation,
    find_mentions,
    mask_mentions,
)
from budgetqa.chat.session import Turn
from budgetqa.vocab import load


@dataclass(slots=True)
class Rewrite:
    """The question to ask, the document to pin it to, and how it was derived."""

    question: str
    doc: str | None = None
    how: str = "new"
    """"new" (asked as typed), "inherit" (document carried over), "followup", "pick" (clarify answered)."""


@lru_cache
def _vocab() -> dict:
    return load("followup")


def strip_markers(text: str) -> str:
    """The follow-up without its opening and closing words ("那基本支出呢" → "基本支出")."""
    vocab = _vocab()["markers"]
    text = compact(text).strip(vocab["punctuation"])
    for _ in range(3):
        before = text
        for prefix in vocab["prefixes"]:
            if text.startswith(prefix) and len(text) > len(prefix):
                text = text[len(prefix):]
                break
        for suffix in vocab["suffixes"]:
            if text.endswith(suffix) and len(text) > len(suffix):
                text = text[: -len(suffix)]
                break
        text = text.strip(vocab["punctuation"])
        if text == before:
            break
    return text


def _has_marker(text: str) -> bool:
    vocab = _vocab()["markers"]
    text = compact(text).strip(vocab["punctuation"])
    return text.endswith("呢") or any(text.startswith(p) for p in vocab["prefixes"])


def named_documents(text: str, catalogs: list[Catalog]) -> list[Catalog]:
    """The documents whose department the text names (the strongest match), or none."""
    scores = {id(c): _department_score(text, c.doc.department) for c in catalogs}
    best = max(scores.values(), default=0)
    return [c for c in catalogs if scores[id(c)] == best] if best >= 2 else []


_NUMERALS = "一二三四五六七八九"
_ORDINAL = re.compile(r"^第?([一二三四五六七八九十]{1,3}|\d{1,2})(?:个|份|项|条)?$")


def _ordinal(text: str) -> int | None:
    """0 for "第一个" / "前者", 5 for "第六个" / "第6份" / "6", …; None for anything else."""
    for number, forms in _vocab()["ordinals"].items():
        if text in forms:
            return int(number) - 1
    match = _ORDINAL.match(text)
    if not match:
        return None
    word = match.group(1)
    if word.isdigit():
        return int(word) - 1
    tens, _, ones = word.rpartition("十")
    value = (_NUMERALS.index(tens) + 1 if tens else 1) * 10 if "十" in word else 0
    value += _NUMERALS.index(ones) + 1 if ones else 0
    return value - 1 if value else None


def template(operation: str, quantities: list[str]) -> str | None:
    """The full question for an operation over quantities (vocab templates), if there is one."""
    forms = _vocab()["templates"].get(operation)
    if not forms or not quantities:
        return None
    form = forms[min(len(quantities), len(forms)) - 1]
    return form.format(*quantities, *[""] * 2)


def _pick(question: str, pending: Turn, catalogs: list[Catalog]) -> Rewrite | None:
    """A reply to a clarifying answer: the option (or department) chosen, with the pending question."""
    options = pending.answer.options
    docs = pending.answer.plan.documents
    text = compact(question).strip(_vocab()["markers"]["punctuation"])
    candidates = [c for c in catalogs if c.doc.doc_id in docs] or catalogs
    chosen: list[str] = []
    index = _ordinal(text)
    if index is not None and index < len(docs):
        chosen = [docs[index]]
    elif text in {compact(o) for o in options} and len(options) == len(docs):
        chosen = [docs[[compact(o) for o in options].index(text)]]
    else:
        named = named_documents(text, candidates)
        years = {int(y) for y in _YEAR.findall(text)}
        if years:
            named = [c for c in (named or candidates) if c.doc.year in years]
        for kind in ("预算", "决算"):
            if kind in text:
                named = [c for c in (named or candidates) if c.doc.kind == kind]
        chosen = [c.doc.doc_id for c in named]
    if not chosen:
        return None
    masked = _mask_departments(text, catalogs)
    if find_mentions(masked, [c for c in catalogs if c.doc.doc_id in chosen]):
        return None  # a new question that names a department, not a bare choice
    if len(chosen) == 1:
        return Rewrite(pending.resolved, chosen[0], "pick")
    return Rewrite(text + pending.resolved, None, "pick")


def _previous(history: list[Turn]) -> Turn | None:
    """The latest turn with something to lean on (quantities or a pinned document)."""
    for turn in reversed(history):
        if turn.answer.plan.quantities or turn.doc:
            return turn
    return None


def _pinned(turn: Turn) -> str | None:
    docs = turn.answer.plan.documents
    return turn.doc or (docs[0] if len(docs) == 1 else None)


def _same_kind(named: list[Catalog], previous: Catalog | None) -> list[Catalog]:
    """Of a department's documents, those like the previous one (same kind and year when loaded)."""
    if previous is None or len(named) <= 1:
        return named
    for keep in (lambda c: c.doc.kind == previous.doc.kind and c.doc.year == previous.doc.year,
                 lambda c: c.doc.kind == previous.doc.kind):
        narrowed = [c for c in named if keep(c)]
        if narrowed:
            return narrowed
    return named


def _recent_quantities(history: list[Turn], doc: str | None, start: list[str]) -> list[str]:
    """Two quantities for "合起来呢" / "差多少呢": the latest ones asked of the same document."""
    found = list(start)
    for turn in reversed(history):
        if doc is not None and doc not in turn.answer.plan.documents:
            continue
        for name in turn.answer.plan.quantities:
            if name not in found:
                found.insert(0, name)
        if len(found) >= 2:
            break
    return found


def _without_department(question: str, department: str) -> str:
    """The question with the department it names cut out ("财政局的基本支出是多少" → "基本支出是多少")."""
    _, span = _department_match(question, department)
    if span is None:
        return question
    rest = question[span[1]:]
    return question[: span[0]] + (rest[1:] if rest.startswith("的") else rest)


def _swapped(resolved: str, old: list[str], new: list[str]) -> str | None:
    """The previous question with its item replaced ("…培训费哪个多" → "…会议费哪个多"), when
    one item is swapped for one and the old one stands in the question as written."""
    if len(old) != 1 or len(new) != 1 or old[0] not in resolved:
        return None
    return resolved.replace(old[0], new[0])


def rewrite(question: str, history: list[Turn], catalogs: list[Catalog]) -> Rewrite:
    """The full question a turn stands for, given the conversation so far."""
    if not history:
        return Rewrite(question)
    last = history[-1]
    if last.pending:
        picked = _pick(question, last, catalogs)
        if picked is not None:
            return picked
    previous = _previous(history)
    if previous is None:
        return Rewrite(question)
    prev_doc = _pinned(previous)
    by_id = {c.doc.doc_id: c for c in catalogs}
    core = strip_markers(question)
    named = named_documents(core, catalogs)
    years = [int(y) for y in _YEAR.findall(core)]
    masked = _mask_departments(core, catalogs)
    scope = named or ([by_id[prev_doc]] if prev_doc in by_id else catalogs)
    mentions = find_mentions(masked, scope)
    operation = detect_operation(mask_mentions(masked, mentions))
    if operation == "lookup":  # "差多少呢": the closing words may carry the operation
        full = compact(question)
        for mention in mentions:
            full = full.replace(core[mention.start:mention.end], "□")
        operation = detect_operation(_mask_departments(full, catalogs))
    if not _has_marker(question) and mentions:
        # a full question: it only inherits the document, when it names none itself
        if named or years or _ACROSS_DOCS.search(compact(question)) or prev_doc is None:
            return Rewrite(question)
        return Rewrite(question, prev_doc, "inherit")
    if not (mentions or named or years or operation != "lookup"):
        return Rewrite(question, prev_doc, "inherit") if prev_doc else Rewrite(question)
    plan = previous.answer.plan
    quantities = [m.text for m in mentions] or list(plan.quantities)
    if operation == "share" and mentions and "占" in core[:mentions[0].start] and plan.quantities:
        quantities = [*plan.quantities[:1], *quantities]  # "占总支出的比例呢": the last item's share of it
    if operation in ("sum", "difference") and len(quantities) < 2:
        quantities = _recent_quantities(history, prev_doc, quantities)
    if operation == "lookup" and not any(w in compact(question) for w in _vocab()["lookup"]["words"]):
        operation = plan.operation if not mentions or len(mentions) == len(plan.quantities) else "lookup"
    if quantities == list(plan.quantities) and operation == plan.operation:
        body = previous.resolved
    else:
        body = template(operation, quantities) or _swapped(previous.resolved, list(plan.quantities), quantities)
        if body is None:
            return Rewrite(question)  # never the previous question with another item asked
    doc = prev_doc
    if named and body == previous.resolved and prev_doc in by_id:
        body = _without_department(body, by_id[prev_doc].doc.department)
    if named:
        named = _same_kind(named, by_id.get(prev_doc) if prev_doc else None)
        doc = named[0].doc.doc_id if len(named) == 1 else None
        if doc is None:
            body = named[0].doc.department + body
    if years:
        department = (by_id[doc].doc.department if doc in by_id else "")
        body, doc = f"{department}{'、'.join(map(str, years))}年{body}", None
    return Rewrite(body, doc, "followup")
