"""The tool-calling agent for questions the rule-based planner cannot plan (``BUDGETQA_LLM_MODE=agent``).

Its answer is kept only when every number is one a tool returned (``guard``) and every sentence
and 《title》 is carried by the tools' results (``prose``); otherwise the rule-based answer stands.
"""

from __future__ import annotations

import json
import logging

from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage

from budgetqa.answer.schema import Answer, Plan
from budgetqa.chat.guard import tool_figures, unsupported
from budgetqa.chat.prose import Evidence, ungrounded
from budgetqa.chat.tools import make_tools
from budgetqa.prompts import load_prompt

log = logging.getLogger(__name__)

PROMPT = "agent_system"


def _content(message: AIMessage) -> str:
    if isinstance(message.content, str):
        return message.content.strip()
    return "".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in message.content).strip()


def run_agent(store, llm, question: str, *, fallback: Answer, doc: str | None = None,
              max_steps: int = 6) -> Answer:
    """Let ``llm`` answer with the tools; an answer with a number no tool gave is replaced by ``fallback``."""
    record: list[Answer] = []
    vouched: list[str | dict] = []
    returned: list[str] = []
    tools = make_tools(store, doc, record, vouched)
    by_name = {t.name: t for t in tools}
    messages = [SystemMessage(load_prompt(PROMPT)), HumanMessage(question)]
    try:
        model = llm.bind_tools(tools)
        reply: AIMessage | None = None
        for _ in range(max_steps):
            reply = model.invoke(messages)
            messages.append(reply)
            if not reply.tool_calls:
                break
            for call in reply.tool_calls:
                tool = by_name.get(call["name"])
                try:
                    result = tool.invoke(call.get("args") or {}) if tool else json.dumps(
                        {"error": f"没有工具 {call['name']}", "numbers": []}, ensure_ascii=False)
                except Exception as exc:  # a bad argument is the model's problem, not the user's
                    result = json.dumps({"error": str(exc)[:200], "numbers": []}, ensure_ascii=False)
                returned.append(result)
                messages.append(ToolMessage(content=result, tool_call_id=call.get("id") or call["name"]))
        else:
            reply = None
    except Exception as exc:
        log.warning("LLM agent failed (%s); keeping the rule-based answer", exc)
        return fallback
    text = _content(reply) if reply is not None and not reply.tool_calls else ""
    if not text:
        return fallback
    bad = unsupported(text, tool_figures(vouched))  # the question's own numbers are not evidence
    if bad:
        log.warning("number guard: LLM answer %r has numbers no tool returned: %s", text, bad)
        fallback.notes.append("语言模型的回答含有工具未给出的数字，已改用规则引擎的答复。")
        return fallback
    invented = ungrounded(text, Evidence(returned))
    if invented:
        log.warning("prose check: LLM answer %r has what no tool returned: %s", text, invented)
        fallback.notes.append("语言模型的回答含有工具结果中没有的内容（如“" + invented[0][:30]
                              + "”），已改用规则引擎的答复。")
        return fallback
    answered = [a for a in record if a.status == "answered"]
    return Answer(
        status="answered",
        answer=text,
        values=[v for a in answered for v in a.values],
        formula="；".join(a.formula for a in answered if a.formula) or None,
        citations=[c for a in answered for c in a.citations],
        plan=Plan(route="agent", operation="agent", documents=sorted({d for a in answered for d in a.plan.documents}),
                  quantities=[q for a in answered for q in a.plan.quantities]),
        notes=["由语言模型调用查询工具作答；其中每个数字都来自工具结果。"],
    )
