"""The LLM as planner, with scripted fake models: a typed plan (decoding constrained to its JSON
schema) goes through the engine's stages; a plan naming what the question doesn't, malformed
output, or a rejected response_format leaves the rule-based answer standing."""

from __future__ import annotations

import json

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from budgetqa.answer import ask
from budgetqa.answer.plan_form import PlanForm, invalid, phrase
from budgetqa.chat import SessionStore, converse
from budgetqa.chat.planning import plan_schema

SEED_DEPT = "机关事务管理局"
UNPLANNABLE = f"请帮我查一下{SEED_DEPT}搞项目一共花了几个钱"


class PlanningModel(GenericFakeChatModel):
    """Replies with scripted plans; records each call's ``response_format`` (and may reject one kind)."""

    formats: list = []
    reject: str | None = None

    def _generate(self, messages, stop=None, run_manager=None, **kwargs):
        fmt = kwargs.get("response_format") or {}
        self.formats.append(fmt)
        if self.reject and fmt.get("type") == self.reject:
            raise ValueError(f"response_format {self.reject} not supported")
        return super()._generate(messages, stop=stop, run_manager=run_manager, **kwargs)


def model(*plans: dict | str, reject: str | None = None) -> PlanningModel:
    replies = [AIMessage(content=p if isinstance(p, str) else json.dumps(p, ensure_ascii=False)) for p in plans]
    fake = PlanningModel(messages=iter(replies))
    fake.formats, fake.reject = [], reject
    return fake


def plan(**fields) -> dict:
    return PlanForm(**fields).model_dump()


def test_the_rules_cannot_plan_the_question(chat_store) -> None:
    assert ask(chat_store, UNPLANNABLE).status == "refused"


def test_a_typed_plan_is_answered_by_the_engine(chat_store) -> None:
    llm = model(plan(operation="lookup", departments=[SEED_DEPT], items=["项目支出"]))
    answer = converse(chat_store, UNPLANNABLE, llm=llm)
    assert answer.status == "answered", answer.answer
    assert [v.value for v in answer.values] == ["1712.80"]
    assert answer.citations and all(SEED_DEPT in c.document for c in answer.citations)
    assert answer.plan.planner == "llm" and answer.plan.form["items"] == ["项目支出"]
    assert answer.plan.phrased == f"{SEED_DEPT}项目支出是多少"
    assert any("语言模型" in n for n in answer.notes)
    # decoding was constrained to the plan's JSON schema, every field required
    sent = llm.formats[0]
    assert sent["type"] == "json_schema" and sent["json_schema"]["schema"] == plan_schema()
    assert set(plan_schema()["required"]) == set(PlanForm.model_fields)


def test_a_multi_part_plan_answers_every_part(chat_store) -> None:
    question = f"{SEED_DEPT}的日常开销跟干项目的钱各是多少，用元说"
    llm = model(plan(operation="lookup", departments=[SEED_DEPT], items=["基本支出", "项目支出"], unit="元"))
    answer = converse(chat_store, question, llm=llm)
    assert answer.status == "answered", answer.answer
    assert {v.value for v in answer.values} >= {"4428600.00", "17128000.00"}
    assert {v.unit for v in answer.values if "表列" not in v.name} == {"元"}


def test_a_plan_naming_a_department_the_question_does_not_is_not_used(chat_store) -> None:
    llm = model(plan(operation="lookup", departments=["财政局"], items=["项目支出"]))
    answer = converse(chat_store, UNPLANNABLE, llm=llm)
    assert answer.status == "refused" and not answer.values
    assert any("财政局" in n and "不在问题中" in n for n in answer.notes)


def test_a_plan_with_a_year_the_question_does_not_name_is_invalid() -> None:
    form = PlanForm(operation="change", departments=[], years=[2023], items=["项目支出"])
    assert "2023" in invalid(form, "项目支出比上年多了多少")
    assert invalid(form, "23年项目支出比上年多了多少") is None


def test_malformed_output_keeps_the_rule_answer(chat_store) -> None:
    answer = converse(chat_store, UNPLANNABLE, llm=model('{"operation": "lookup", "items": 5'))
    assert answer.status == "refused" and not answer.values
    assert any("没有给出有效的计划" in n for n in answer.notes)


def test_a_server_rejecting_json_schema_gets_the_llama_cpp_form(chat_store) -> None:
    llm = model(plan(operation="change", departments=[SEED_DEPT], items=["项目支出"]), reject="json_schema")
    answer = converse(chat_store, f"{SEED_DEPT}搞项目的钱跟前一年比咋样", llm=llm)
    assert [f["type"] for f in llm.formats] == ["json_schema", "json_object"]
    assert llm.formats[1]["schema"] == plan_schema()
    assert answer.status == "answered", answer.answer
    assert {"1433.31", "512.83"} <= {v.value for v in answer.values}


def test_an_unknown_plan_changes_nothing(chat_store) -> None:
    answer = converse(chat_store, "今天天气怎么样", llm=model(plan(operation="unknown")))
    assert answer.status == "refused" and not answer.values


def test_the_rules_answer_without_asking_the_model(chat_store) -> None:
    llm = model()  # no reply scripted: calling it would fail the test
    answer = converse(chat_store, f"{SEED_DEPT}项目支出是多少", sessions=SessionStore(), session_id="s", llm=llm)
    assert answer.status == "answered" and answer.plan.planner == "rules" and not llm.formats


@pytest.mark.parametrize("form, sentence", [
    (PlanForm(operation="change", departments=["某局"], years=[2024], items=["项目支出"]), "某局2024年项目支出比上年增长多少"),
    (PlanForm(operation="share", items=["公务接待费"], total="三公经费"), "公务接待费占三公经费的比例是多少"),
    (PlanForm(operation="rank_departments", items=["基本支出"], smallest=True), "哪个部门的基本支出最少"),
    (PlanForm(operation="sum", items=["基本支出", "项目支出"], unit="亿元"), "基本支出和项目支出一共多少（用亿元表示）"),
])
def test_a_plan_is_written_in_the_parser_grammar(form: PlanForm, sentence: str) -> None:
    assert phrase(form) == sentence


def test_a_question_about_next_year_is_refused_by_the_rules(chat_store) -> None:
    answer = ask(chat_store, "财政局明年打算花多少钱")
    assert answer.status == "refused" and not answer.values and "明年" in answer.answer
