"""Why an answer is what it is: the parsed plan, each binding with its provenance, the check's verdict."""

from __future__ import annotations

from budgetqa.answer.check import check
from budgetqa.answer.planner import parse
from budgetqa.answer.schema import Answer


def explain(store, question: str, doc: str | None = None, answer: Answer | None = None) -> dict:
    """The plan, the department and quantity bindings and the grounding verdict behind ``ask``
    (or behind ``answer``, e.g. one an LLM's typed plan led to: that plan is shown too)."""
    from budgetqa.answer import ask, catalogs, documents_named

    answer = answer if answer is not None else ask(store, question, doc=doc)
    parsed_text = answer.plan.phrased or question
    doc_id = store.resolve(doc) if doc else None
    parsed = parse(parsed_text, catalogs(store, doc_id, None if doc_id else documents_named(store, parsed_text)))
    verdict = check(answer, parsed)
    return {
        "question": question,
        "typed_plan": {"planner": answer.plan.planner, "form": answer.plan.form,
                       "phrased": answer.plan.phrased} if answer.plan.form else None,
        "plan": {"operation": parsed.operation, "years": parsed.years, "unit": parsed.unit,
                 "across_documents": parsed.across},
        "departments": [
            {"text": m.text, "span": [m.start, m.end], "bound_to": m.keys, "documents": m.doc_ids,
             "near": m.near, "why": m.why}
            for m in parsed.departments.mentions
        ],
        "documents": [c.doc.label for c in parsed.catalogs],
        "quantities": [{"text": m.text, "as_asked": parsed.compact[m.start:m.end], "kind": m.kind,
                        "printed_forms": list(m.alternatives)} for m in parsed.mentions],
        "scoping": {"refusal": parsed.refusal, "clarify": parsed.clarify, "notes": parsed.notes},
        "check": {"ok": verdict.ok, "reasons": verdict.reasons},
        "answer": answer.model_dump(),
    }
