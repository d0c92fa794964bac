"""Question → plan → execution → answer, over the documents in a store."""

from __future__ import annotations

import re
from collections import OrderedDict
from decimal import Decimal
from threading import Lock

from budgetqa.answer.catalog import Catalog, build_catalog
from budgetqa.answer.engine import ask as ask_catalogs
from budgetqa.answer.plan_form import PlanForm
from budgetqa.answer.schema import Answer, Plan
from budgetqa.vocab import load

CATALOGS_KEPT = 256
"""Catalogs kept per process, least recently used dropped first: a server asked about every one of
10,000 documents keeps the memory of a few hundred (about 1 MB each)."""
_CACHE: OrderedDict[tuple[str, str], Catalog] = OrderedDict()
_LOCK = Lock()


def catalogs(store, doc: str | None = None, among: set[str] | None = None) -> list[Catalog]:
    """A catalog per stored document (cached per document version), or just ``doc``'s, or just
    those ``among`` the given ids."""
    found = []
    for doc_id, version in store.versions([doc] if doc is not None else among).items():
        if (doc is not None and doc_id != doc) or (among is not None and doc_id not in among):
            continue
        key = (store.location, doc_id)
        with _LOCK:
            cached = _CACHE.get(key)
        if cached is None or cached.version != version:
            cached = build_catalog(store.load(doc_id))
            cached.version = version
        with _LOCK:
            _CACHE[key] = cached
            _CACHE.move_to_end(key)
        found.append(cached)
    with _LOCK:
        while len(_CACHE) > max(CATALOGS_KEPT, len(found)):
            _CACHE.popitem(last=False)
    return found


def documents_named(store, question: str) -> set[str] | None:
    """The documents of the departments a question names, from the store's alias index alone
    (no document is loaded); None when it binds no department (every document is in scope)."""
    from budgetqa.answer.departments import bind_departments
    from budgetqa.answer.planner import compact

    binding = bind_departments(compact(question), store.match_aliases, store.dept_key,
                               lambda: [d["department"] for d in store.identities()])
    return binding.doc_ids or None


def ask(store, question: str, doc: str | None = None) -> Answer:
    """Answer a question from the store's documents (or one document): see ``_answer``. An answer
    (a quoted passage too) that leaves out an amount the question states is refused, and so is a
    glossary entry quoted for a question that asks no definition."""
    from budgetqa.answer.check import figures_left_out
    from budgetqa.answer.definitions import term_of
    from budgetqa.answer.planner import fold

    answer = _answer(store, question, doc)
    left_out = figures_left_out(fold(question), answer) if answer.status == "answered" else []
    if left_out:
        return Answer(status="refused", plan=answer.plan,
                      answer=f"找到的内容不是关于问题给出的{'、'.join(left_out)}的，不作回答。")
    if (answer.status == "answered" and answer.citations and not answer.values and not term_of(question)
            and all(any(h in (c.section or "") for h in load("retrieval")["definitions"]["headings"])
                    for c in answer.citations)):
        # "收入是不是全靠财政拨款": a glossary entry defines a word, it says nothing of the department's money
        return Answer(status="refused", plan=answer.plan,
                      answer="找到的只是名词解释，不是对这个问题的回答。")
    return answer



def _answer(store, question: str, doc: str | None = None) -> Answer:
    """Answer a question from the store's documents (or one document).

    Questions asking why / what / how used (``text.is_text_question``) are answered from the
    narrative (falling back to the numeric engine when no passage answers); so are those the
    numeric engine finds no quantity in (its route "none"). A question that asks for a figure
    and its reason ("增加了多少，为什么") gets both: the computed figure and the quoted reason.
    ``answer.plan.route`` records which way a question went.
    """
    from budgetqa.answer.definitions import answer_definition, term_of
    from budgetqa.answer.performance import answer_form, form_amount
    from budgetqa.answer.planner import compact, fold
    from budgetqa.answer.text import answer_text, asks_reason, is_text_question

    question = fold(question)  # traditional characters and full-width digits, for every route below
    doc_id = store.resolve(doc) if doc else None
    if doc and not doc_id:
        return ask_catalogs(question, [])
    audit = _audit(store, question, doc_id)
    if audit is not None:
        return audit
    in_store = catalogs(store, doc_id, None if doc_id else documents_named(store, question))
    form = answer_form(compact(question), in_store)
    if form is not None:
        return form
    if term_of(question):
        doc_ids, refusal = _text_scope(question, in_store, doc_id)
        defined = answer_definition(store, question, doc_ids[0]) if doc_ids and len(doc_ids) == 1 else None
        if defined is not None:
            return defined
    questions = _sub_questions(question)
    if len(questions) > 1:
        combined = _each(store, questions, doc_id, in_store)
        if combined is not None:
            return combined
    if is_text_question(question) and not asks_for_number(question):
        return _text_route(store, question, in_store, doc_id)
    answer = ask_catalogs(question, in_store, _same_department(store, doc_id))
    if answer.plan is not None and answer.plan.route == "none":
        answer = form_amount(compact(question), in_store) or answer
    if answer.status == "refused" and asks_reason(question) and not doc_id:
        # "X为什么增加" where X binds no figure: the narrative may still give the reason
        doc_ids, refusal = _text_scope(question, in_store, doc_id)
        text = refusal or answer_text(store, question, doc_ids)
        return text if text.status == "answered" else answer
    if answer.status == "answered" and asks_reason(question):
        return with_reason(answer, _reason(store, answer, question) or answer_text(store, question, answer.plan.documents))
    if answer.plan.route == "none" and not asks_for_number(question):
        doc_ids, refusal = _text_scope(question, in_store, doc_id)
        return refusal or answer_text(store, question, doc_ids)
    return answer


_ONE_FIGURE = ("lookup", "change")
"""Operations whose figure a why asks about (a ranking's figures are not the subject)."""


def _text_route(store, question: str, in_store: list[Catalog], doc_id: str | None) -> Answer:
    """A prose question: its list section, the figure it names with the reason printed for it
    (a why), or the best passage; a figure alone only when the question names no reason."""
    from budgetqa.answer.lists import answer_list
    from budgetqa.answer.reasons import asks_use
    from budgetqa.answer.text import answer_text, asks_reason

    doc_ids, refusal = _text_scope(question, in_store, doc_id)
    if refusal is not None and refusal.status == "clarify":
        anywhere = answer_text(store, question, None)
        return refusal if anywhere.status == "answered" else anywhere  # off-topic: refused, not asked back
    if refusal is not None:
        return refusal
    listed = answer_list(store, question, doc_ids[0]) if doc_ids and len(doc_ids) == 1 else None
    if listed is not None:
        return listed
    numeric = ask_catalogs(question, in_store) if not asks_field(question) else None
    if (numeric is not None and numeric.status == "answered" and numeric.plan.quantities
            and numeric.plan.operation in _ONE_FIGURE and asks_reason(question)):
        # a why about a figure (not a ranking "哪些…"): the sentence that prints that figure, with its reason
        reason = _reason(store, numeric, question)
        if reason is not None:
            return with_reason(numeric, reason, "用途" if asks_use(question) else "原因")
    text = answer_text(store, question, doc_ids)
    if text.status == "answered" or numeric is None or asks_reason(question) or asks_use(question):
        return text  # a why (or what for) answered with a figure only is no answer
    recognised = numeric.plan.quantities and numeric.status in ("answered", "clarify")
    return numeric if recognised else text


def _reason(store, numeric: Answer, question: str) -> Answer | None:
    """The narrative's reason for a numeric answer's figures (or what they are used for)."""
    from budgetqa.answer.reasons import asks_use, reason_for

    figures = [Decimal(v.value) for v in numeric.values if v.unit in ("万元", "元")]
    return reason_for(store, numeric.plan.documents, figures, numeric.plan.quantities, asks_use(question))


_QUESTION_END = re.compile(r"[？?]+")


def ask_plan(store, form: PlanForm, question: str | None = None, doc: str | None = None,
             planner: str = "llm") -> Answer:
    """Answer a typed plan (an LLM's, a tool call's) through the same stages as a question.

    The plan is checked against ``question`` (it may name only departments and years the question
    names), written in the parser's grammar, answered by :func:`ask`, and kept only when the parse
    agrees with it (the same operation); otherwise the answer is a refusal that says why.
    """
    from budgetqa.answer.plan_form import agrees, invalid, phrase
    from budgetqa.answer.planner import compact, detect_operation

    record = Plan(route="none", operation=form.operation, planner=planner, form=form.model_dump())
    reason = None
    if question is not None:
        numeric = asks_for_number(question) or detect_operation(compact(question)) != "lookup"
        reason = invalid(form, question) if numeric else "问题不是问数字的"
    if reason:
        return Answer(status="refused", answer=f"没有读懂这个问题（{reason}）。", plan=record)
    phrased = phrase(form)
    answer = ask(store, phrased, doc=doc)
    if answer.status == "answered" and not agrees(form, answer.plan.operation):
        record.phrased = phrased
        return Answer(status="refused", plan=record,
                      answer=f"没有读懂这个问题（计划是“{form.operation}”，按“{phrased}”解析却是“{answer.plan.operation}”）。")
    answer.plan = answer.plan.model_copy(update={"planner": planner, "form": form.model_dump(), "phrased": phrased})
    return answer


def _sub_questions(question: str) -> list[str]:
    """"X有多少？其中Y几辆？": the questions of a question in several sentences."""
    return [part for part in _QUESTION_END.split(question) if len(part.strip()) >= 2]


def _each(store, questions: list[str], doc_id: str | None, in_store: list[Catalog]) -> Answer | None:
    """Several questions in one: the first binds the document, the rest are asked of it; every
    one must be answered (else all are refused, saying which). None when a later sentence names
    no quantity of its own ("少了多少？降幅多少？" is one question about one quantity)."""
    from budgetqa.answer.planner import parse

    first = ask(store, questions[0], doc_id)
    if first.status != "answered" or len(set(first.plan.documents)) != 1:
        return None
    doc = first.plan.documents[0]
    scoped = [c for c in in_store if c.doc.doc_id == doc]
    generic = set(load("questions")["grounding"]["generic_columns"]["words"])
    subject = first.plan.quantities[0] if len(first.plan.quantities) == 1 else ""
    # "X多少？占收入总计的比重是多少？": a later share with no part of its own is X's
    questions = [questions[0], *(subject + q.lstrip("，,、 ") if subject and q.lstrip("，,、 ").startswith("占")
                                 else q for q in questions[1:])]
    later = [parse(q, scoped).mentions for q in questions[1:]]
    if not all(later):
        return None
    if all(m.text in generic for mentions in later for m in mentions):
        return first  # "哪一款最小？金额多少？": the later sentences ask for the figure the first one gives
    if any(all(m.text in generic for m in mentions) for mentions in later):
        return None
    answers = [first, *(ask(store, q, doc) for q in questions[1:])]
    failed = [(q, a) for q, a in zip(questions, answers, strict=True) if a.status != "answered"]
    if failed:
        return Answer(status="refused", plan=first.plan,
                      answer="；".join(f"“{q}”没有找到确切的答案：{a.answer}" for q, a in failed))
    return Answer(
        status="answered",
        answer="".join(a.answer for a in answers),
        values=[v for a in answers for v in a.values],
        formula="；".join(a.formula for a in answers if a.formula) or None,
        citations=[c for a in answers for c in a.citations],
        notes=list(dict.fromkeys(n for a in answers for n in a.notes)),
        plan=first.plan,
    )


def _same_department(store, doc_id: str | None) -> list[Catalog]:
    """The other documents (other years) of a pinned document's department."""
    if not doc_id:
        return []
    siblings = set(store.same_department(doc_id))
    return catalogs(store, among=siblings) if siblings else []


def _text_scope(question: str, in_store: list[Catalog], doc_id: str | None) -> tuple[list[str] | None, Answer | None]:
    """The documents a text question is about, bound like a numeric one's: the department and
    year it names (a department not loaded is refused), or None to search them all."""
    from budgetqa.answer.planner import parse

    if doc_id:
        return [doc_id], None
    parsed = parse(question, in_store)
    if not parsed.departments.mentions and not parsed.years:
        if len({c.doc.key for c in in_store}) > 1:
            # several departments loaded and none named: ask which, as a numeric question does
            return None, Answer(status="clarify", answer="请问您问的是哪一份公开？",
                                options=[c.doc.label for c in in_store],
                                plan=Plan(route="text", operation="quote", documents=[c.doc.doc_id for c in in_store]))
        return None, None
    if parsed.refusal or not parsed.catalogs:
        return None, Answer(status="refused", answer=parsed.refusal or "没有载入问题所说的公开。",
                            plan=Plan(route="text", operation="quote"))
    return [c.doc.doc_id for c in parsed.catalogs], None


def with_reason(numeric: Answer, text: Answer, label: str = "原因") -> Answer:
    """A figure and the narrative's reason for it (or its use), in one answer (quoted, with its page)."""
    if text.status != "answered":
        numeric.notes.append("公开的说明中没有找到解释原因的文字。")
        return numeric
    merged = numeric.model_copy(deep=True)
    merged.answer = f"{numeric.answer}{label}（原文）：{text.answer}"
    merged.citations += text.citations
    merged.notes += text.notes
    return merged


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


_NUMBER_QUESTION = re.compile(r"更[多少高低大小]|哪(个|一|年).{0,16}(高|低|多|少|大|小)|多少|(?<!哪)几[个辆人台项万元]?|金额|数额|比例|占比|百分|比重|增长|减少|增加|下降|合计|总计|一共|排名|最[多少高低大小]")


def asks_field(question: str) -> bool:
    """"联系电话是多少": a question for a printed field, never answered with a figure."""
    return any(word in question for word in load("retrieval")["route"]["not_figures"])


def asks_for_number(question: str) -> bool:
    """A question that wants a figure: a quoted passage is no answer to it (refuse instead)."""
    return not asks_field(question) and bool(_NUMBER_QUESTION.search(question))
