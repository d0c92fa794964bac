"""Text questions in wording the engine was not tuned on, over the shared PDFs loaded at once:
definitions from the glossary, lists under their own heading, a figure's use or reason from the
sentence that prints it, and fields a document does not print (page given beside each)."""

from __future__ import annotations

import pytest
from conftest import IngestedCorpus

from budgetqa.answer import ask, asks_for_number
from budgetqa.answer.definitions import term_of
from budgetqa.answer.schema import Answer

pytestmark = pytest.mark.corpus


def quoted(ingested: IngestedCorpus, question: str) -> Answer:
    answer = ask(ingested.store, question)
    assert answer.status == "answered", answer.answer
    assert any(c.sentence for c in answer.citations), "a text answer quotes its sentence"
    return answer


def test_the_term_a_question_asks_the_meaning_of() -> None:
    assert term_of("决算里说的“年末结转和结余”是什么意思？") == "年末结转和结余"
    assert term_of("预算中使用非财政拨款结余指的是什么？") == "使用非财政拨款结余"
    assert term_of("什么是基本支出") == "基本支出"
    assert term_of("基本支出是多少") is None


def test_a_definition_is_the_glossary_line(ingested: IngestedCorpus) -> None:
    # 省法院2017 第四部分 名词解释 (p25): "七、单位预留机动经费：指预算单位年初预留用于…"
    answer = quoted(ingested, "江苏省高级人民法院2017年预算里的“单位预留机动经费”指什么？")
    assert "增人、增资等不可预见支出" in answer.answer and answer.plan.operation == "define"
    # 西南大学2023 名词解释 (p14): "（2）高中教育：反映教育部直属高校举办的附属中学…", not the 高中教育 figure
    answer = quoted(ingested, "西南大学2023年“高中教育”科目反映什么支出？")
    assert "举办的附属中学" in answer.answer and not answer.values


def test_what_a_figure_is_used_for_is_its_own_sentence(ingested: IngestedCorpus) -> None:
    # 福利院2024 编制说明 (p6): 事业单位医疗（项）50.37万元，主要用于人员医疗保险 (its 原因 is another sentence)
    answer = quoted(ingested, "普陀区社会福利院2024年事业单位医疗（项）用于什么？")
    assert "人员医疗保险" in answer.answer and "用途（原文）" in answer.answer


def test_department_names_are_no_evidence_for_a_passage(ingested: IngestedCorpus) -> None:
    # 普陀区财政局2024 说明五(三)3 (p22): the 信息化建设（项） item, not the page that repeats the name most
    answer = quoted(ingested, "普陀区财政局2024年信息化建设（项）的钱主要花在什么地方？")
    assert "系统日常维护费" in answer.answer


def test_lists_of_tasks_and_procurement_quote_their_section(ingested: IngestedCorpus) -> None:
    # 江苏高院2019 三、2019年部门主要工作任务及目标 (p6)
    answer = quoted(ingested, "江苏高院2019年的主要工作任务是什么？")
    assert "以更大力度服务经济社会发展大局" in answer.answer and answer.plan.operation == "list"
    # 万里街道2024 三、政府采购预算情况: 货物/工程/服务, asked as "哪几块" (not a count)
    assert not asks_for_number("政府采购预算分成哪几块？")
    answer = quoted(ingested, "万里街道办事处2024年政府采购预算分成哪几块？")
    assert "政府采购货物预算" in answer.answer


def test_a_field_not_printed_is_refused_never_a_figure(ingested: IngestedCorpus) -> None:
    assert not asks_for_number("项目的联系电话是多少？")
    # 万里街道2023 财政项目支出绩效目标填报表 (p18): 主管部门 and 实施单位, no 负责人
    answer = ask(ingested.store, "万里街道2023年就业援助基地补贴项目的负责人是谁？")
    assert answer.status == "refused" and not answer.values
    answer = ask(ingested.store, "普陀区财政局局长叫什么名字？")
    assert answer.status == "refused"
    # 万里街道2024 prints 专项普查活动's amount (25.77万元) and no form for it: who answers it is not printed
    for question in ("万里街道2024年专项普查活动的负责人是谁？", "万里街道2024年专项普查活动由谁负责？"):
        answer = ask(ingested.store, question)
        assert answer.status == "refused" and not answer.values and "负责人" in answer.answer, answer.answer


def test_a_why_is_never_answered_with_a_figure_alone(ingested: IngestedCorpus) -> None:
    # 西南大学2023 (四) (p13): "1.教育支出比上年增加3,805.13万元，主要原因是中" + next line "小学、研究生招生人数…"
    answer = quoted(ingested, "西南大学2023年教育支出为什么比上年增加？")
    assert "研究生招生人数有所增加" in answer.answer
    # 省法院2017 说明五(一)6 (p22): the item names no figure the tables bind, the narrative gives the reason
    answer = quoted(ingested, "省法院2017年其他法院支出（项）增加的原因是什么？")
    assert "援藏、援疆、援青" in answer.answer
