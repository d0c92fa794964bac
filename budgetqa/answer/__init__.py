"""Question → plan → execution → answer, over the documents in a store."""

from __future__ import annotations

import re

from budgetqa.answer.catalog import Catalog, build_catalog
from budgetqa.answer.engine import ask as ask_catalogs
from budgetqa.answer.schema import Answer, Plan

_CACHE: dict[tuple[str, str], Catalog] = {}


def catalogs(store, doc: str | None = None) -> list[Catalog]:
    """A catalog per stored document (cached per document version), or just ``doc``'s."""
    found = []
    for doc_id, version in store.versions().items():
        if doc is not None and doc_id != doc:
            continue
        key = (str(store.path), doc_id)
        cached = _CACHE.get(key)
        if cached is None or cached.version != version:
            cached = build_catalog(store.load(doc_id))
            cached.version = version
            _CACHE[key] = cached
        found.append(cached)
    return found


def ask(store, question: str, doc: str | None = None) -> Answer:
    """Answer a question from the store's documents (or one document).

    Questions asking why / what / how used (``text.is_text_question``) are answered from the
    narrative (falling back to the numeric engine when no passage answers); so are those the
    numeric engine finds no quantity in (its route "none"). ``answer.plan.route`` records
    which way a question went.
    """
    from budgetqa.answer.text import answer_text, is_text_question

    doc_id = store.resolve(doc) if doc else None
    if doc and not doc_id:
        return ask_catalogs(question, [])
    audit = _audit(store, question, doc_id)
    if audit is not None:
        return audit
    doc_ids = [doc_id] if doc_id else None
    if is_text_question(question) and not asks_for_number(question):
        text = answer_text(store, question, doc_ids)
        if text.status == "answered":
            return text
        numeric = ask_catalogs(question, catalogs(store, doc_id))
        recognised = numeric.status == "answered" or (numeric.status == "clarify" and numeric.plan.quantities)
        return numeric if recognised else text
    answer = ask_catalogs(question, catalogs(store, doc_id))
    if answer.plan.route == "none" and not asks_for_number(question):
        return answer_text(store, question, doc_ids)
    return answer


def _audit(store, question: str, doc_id: str | None) -> Answer | None:
    """"这份公开有没有数据不一致的地方": the audit of the one document the question is about."""
    from budgetqa.answer.planner import scope
    from budgetqa.audit import audit_answer, is_audit_question

    if not is_audit_question(question):
        return None
    in_scope = catalogs(store, doc_id)
    if len(in_scope) > 1:
        in_scope = scope(re.sub(r"\s", "", question), in_scope, "lookup")[0]
    if len(in_scope) != 1:
        options = [f"{c.doc.department} {c.doc.year or ''}年{c.doc.kind or ''}" for c in in_scope]
        return Answer(status="clarify", answer="请问要检查哪一份公开？", options=options,
                      plan=Plan(route="numeric", operation="audit", documents=[c.doc.doc_id for c in in_scope]))
    return audit_answer(in_scope[0].doc)


_NUMBER_QUESTION = re.compile(r"更[多少高低大小]|哪(个|一|年).{0,16}(高|低|多|少|大|小)|多少|几[个辆人台项万元]?|金额|数额|比例|占比|百分|比重|增长|减少|增加|下降|合计|总计|一共|排名|最[多少高低大小]")


def asks_for_number(question: str) -> bool:
    """A question that wants a figure: a quoted passage is no answer to it (refuse instead)."""
    return bool(_NUMBER_QUESTION.search(question))
