"""An LLM as planner: it fills a typed plan (``PlanForm``), decoding constrained to its JSON schema,
and the plan goes through the engine's own stages (``ask_plan``). The model writes no answer text
and sees no figure; a plan that names what the question doesn't, or that the parser reads as
another operation, is not used.

Constrained decoding: ``response_format`` with a JSON schema, in the OpenAI form (``json_schema``:
OpenAI, vLLM, llama.cpp's ``llama-server``) or llama-cpp-python's (``json_object`` with ``schema``,
turned into a grammar). ``BUDGETQA_LLM_SCHEMA_FORMAT`` picks one; ``auto`` tries the first and
falls back to the second when the server rejects it.
"""

from __future__ import annotations

import json
import logging

from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import ValidationError

from budgetqa.answer import ask_plan
from budgetqa.answer.plan_form import PlanForm
from budgetqa.answer.schema import Answer
from budgetqa.prompts import load_prompt

log = logging.getLogger(__name__)

PROMPT = "plan"
FORMATS = ("json_schema", "json_object")


def plan_schema() -> dict:
    """``PlanForm``'s JSON schema with every field required (strict structured output needs that)."""
    schema = PlanForm.model_json_schema()
    schema["required"] = list(schema["properties"])
    return schema


def response_format(kind: str) -> dict:
    schema = plan_schema()
    if kind == "json_object":
        return {"type": "json_object", "schema": schema}
    return {"type": "json_schema", "json_schema": {"name": "plan", "schema": schema, "strict": True}}


def draft_plan(llm, question: str, schema_format: str = "auto") -> tuple[PlanForm | None, str]:
    """The model's plan for ``question`` (None when it gave no valid one) and its raw output or error."""
    messages = [SystemMessage(load_prompt(PROMPT)), HumanMessage(question)]
    kinds = FORMATS if schema_format == "auto" else (schema_format,)
    raw = ""
    for kind in kinds:
        try:
            reply = llm.bind(response_format=response_format(kind)).invoke(messages)
        except Exception as exc:  # a server that rejects this response_format, or is down
            raw = f"error: {exc}"[:300]
            log.info("LLM plan with %s failed: %s", kind, raw)
            continue
        raw = reply.content if isinstance(reply.content, str) else json.dumps(reply.content, ensure_ascii=False)
        try:
            return PlanForm.model_validate_json(raw), raw
        except ValidationError as exc:
            log.info("LLM plan is not a valid form: %s (%s)", raw[:300], exc.errors()[:2])
            return None, raw
    return None, raw


def plan_and_answer(store, llm, question: str, *, fallback: Answer, doc: str | None = None,
                    schema_format: str = "auto") -> Answer:
    """Answer ``question`` from the model's plan, or keep ``fallback`` (the rule-based answer), noting why."""
    form, raw = draft_plan(llm, question, schema_format)
    log.info("LLM plan for %r: %s", question, raw)
    if form is None:
        fallback.notes.append("语言模型没有给出有效的计划，保留规则引擎的答复。")
        return fallback
    answer = ask_plan(store, form, question, doc=doc, planner="llm")
    if answer.status == "refused":
        fallback.notes.append(f"语言模型的计划也没有得到答案：{answer.answer}")
        fallback.plan = fallback.plan.model_copy(update={"form": form.model_dump(), "phrased": answer.plan.phrased})
        return fallback
    answer.notes.append(f"规则没能读懂原问题，由语言模型整理为“{answer.plan.phrased}”后按规则作答；数字均由程序从表中读取和计算。")
    return answer
