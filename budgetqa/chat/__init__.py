"""Conversations: follow-ups and clarifications over ``budgetqa.answer.ask``, and the optional LLM agent.

``converse`` rewrites a turn with the session's history (``followup.rewrite``), answers it with
the deterministic engine and, when an LLM is configured and the engine cannot plan the question,
asks it for a typed plan the engine answers (``planning``; ``llm_mode="agent"``: lets the
tool-calling agent try, its numbers checked by ``guard`` and its prose by ``prose``).
"""

from __future__ import annotations

import logging

from budgetqa.answer import ask, catalogs
from budgetqa.answer.schema import Answer
from budgetqa.chat.followup import Rewrite, rewrite
from budgetqa.chat.llm import LLMOptions
from budgetqa.chat.session import SessionStore, Turn

log = logging.getLogger(__name__)
DEFAULT_OPTIONS = LLMOptions()

__all__ = ["LLMOptions", "SessionStore", "Turn", "converse", "needs_agent"]


def needs_agent(answer: Answer) -> bool:
    """The rule-based planner could not plan the question (no quantity, no passage)."""
    return answer.status == "refused" and answer.plan.route in ("none", "text")


def _with_llm(store, llm, question: str, fallback: Answer, doc: str | None, options: LLMOptions) -> Answer:
    if options.mode == "agent":
        from budgetqa.chat.agent import run_agent

        return run_agent(store, llm, question, fallback=fallback, doc=doc, max_steps=options.max_steps)
    from budgetqa.chat.planning import plan_and_answer

    return plan_and_answer(store, llm, question, fallback=fallback, doc=doc, schema_format=options.schema_format)


def converse(store, question: str, *, sessions: SessionStore | None = None, session_id: str | None = None,
             doc: str | None = None, llm=None, options: LLMOptions = DEFAULT_OPTIONS) -> Answer:
    """Answer one turn of a conversation (no session: a single question, as ``ask``).

    ``doc`` (an explicit choice, e.g. a clarify option clicked) overrides the inherited document.
    ``llm``: a langchain chat model for questions the engine cannot plan; None keeps it rule-based;
    ``options``: how it is used (``LLMOptions.from_settings``).
    """
    history = sessions.get(session_id).turns[:] if sessions is not None and session_id else []
    found = rewrite(question, history, catalogs(store)) if history else Rewrite(question)
    pinned = store.resolve(doc) if doc else found.doc
    answer = ask(store, found.question, doc=pinned)
    if llm is not None and needs_agent(answer):
        answer = _with_llm(store, llm, found.question, answer, pinned, options)
    if session_id:
        answer.plan.question = found.question
        answer.plan.session_id = session_id
    if found.how != "new":
        answer.notes.append(f"按上文理解为：{found.question}")
    if sessions is not None and session_id:
        sessions.add(session_id, Turn(question, found.question, pinned, answer))
    return answer
