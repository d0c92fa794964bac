"""How people type questions (holdout_public6's first run): a table pointed at in passing, a part
of a named whole, per-head figures nobody printed, 亿 asked of 万元, a change on last year's
basis, a section's own change, the items of an uncoded total, a form's indicator named outright,
a 决算 类's budget pooled from its 项, and judgements the documents do not make."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import IngestedCorpus, amounts, percents

from budgetqa.answer import ask
from budgetqa.ingest.facts import sentence_facts
from budgetqa.ingest.identity import aliases

pytestmark = pytest.mark.corpus


def test_a_table_pointed_at_names_no_quantity(ingested: IngestedCorpus) -> None:
    # "三公会议培训那张表上的培训费": the 培训费 column of that table, not the 三公 total
    answer = ask(ingested.store, "省法院三公会议培训那张表上的培训费19年比18年多还是少，差多少")
    assert answer.status == "answered" and all("培训费" in (c.column or c.row or "") for c in answer.citations)
    assert Decimal("513.75") not in amounts(answer), answer.answer


def test_a_part_of_a_named_whole(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "江苏省政协办公厅2019年政府采购预算里服务占比多少")
    assert answer.status == "answered" and Decimal("78.45") in percents(answer), answer.answer


@pytest.mark.parametrize("question", ["普陀区财政局2024年人均公用经费是多少", "西南大学2021年生均事业收入多少"])
def test_a_per_head_figure_nobody_printed_is_refused(ingested: IngestedCorpus, question: str) -> None:
    answer = ask(ingested.store, question)
    assert answer.status == "refused" and not answer.values, answer.answer


def test_yi_asked_of_wan(ingested: IngestedCorpus) -> None:
    # "几个亿" asks for money in 亿元 (not a count: "在建工程1项12277.73万元")
    answer = ask(ingested.store, "万里街道2023年预算披露的在建工程价值几个亿")
    assert answer.status == "answered" and Decimal("1.23") in amounts(answer), answer.answer


def test_a_change_on_last_years_basis_is_the_stated_one(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "省法院2017年机关运行经费同口径比上年变化多少")
    assert answer.status == "answered" and Decimal("161.96") in amounts(answer), answer.answer
    assert Decimal("4.39") in percents(answer)
    # without 口径 the first change the narrative states
    answer = ask(ingested.store, "省法院2017年机关运行经费比上年增加多少")
    assert answer.status == "answered" and Decimal("5503.07") in amounts(answer), answer.answer


def test_a_sections_change_belongs_to_its_own_amount(ingested: IngestedCorpus) -> None:
    # the 财政拨款 section's "教育支出比上年减少6,505.48" (its amount 207,796.18), not the whole budget's 1,505.49
    answer = ask(ingested.store, "西南大学2021年财政拨款支出中教育支出比上年减少了多少")
    assert answer.status == "answered" and Decimal("6505.48") in amounts(answer), answer.answer


def test_the_items_of_an_uncoded_total_are_ranked(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "西南大学2021年收入总计里哪两块最多")
    assert answer.status == "answered", answer.answer
    assert amounts(answer) == {Decimal("216552.53"), Decimal("124020.47")}
    assert answer.citations[-1].raw == "490,808.40"  # the whole they add up to


def test_top_items_of_an_economic_table(ingested: IngestedCorpus) -> None:
    # "前三项" of the 经济分类 rows (5-digit codes): items, not the 7-digit 项 level
    answer = ask(ingested.store, "万里街道2024年公用经费最多的前两项是哪些")
    assert answer.status == "answered" and amounts(answer) == {Decimal("475.55"), Decimal("109.00")}, answer.answer
    assert {c.row_code for c in answer.citations[:2]} == {"30201", "30209"}
    # 公用经费 stated only in prose: no table's rows stand in for it
    answer = ask(ingested.store, "江苏省政协办公厅2019年公用经费最多的前两项是哪些")
    assert answer.status == "refused" and not answer.values, answer.answer


def test_a_forms_indicator_named_outright_and_its_amount(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "西南大学2023年捐赠配比专项的学生奖助学金覆盖面目标是多少")
    assert answer.status == "answered" and "50%" in answer.answer, answer.answer
    answer = ask(ingested.store, "西南大学2023年基本科研业务费专项安排了多少")
    assert answer.status == "answered" and amounts(answer) == {Decimal("4878.00")}, answer.answer


def test_a_code_beside_a_name_two_rows_share(ingested: IngestedCorpus) -> None:
    # 21299 and 2129999 are both 其他城乡社区支出: the code written beside the name decides
    answer = ask(ingested.store, "万里街道2024年其他城乡社区支出（2129999）是多少")
    assert answer.status == "answered" and [c.row_code for c in answer.citations] == ["2129999"], answer.answer


def test_a_classs_budget_pooled_from_its_items(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "普陀区财政局2024年住房保障支出年初预算多少，完成率多少")
    assert answer.status == "answered", answer.answer
    assert Decimal("446.25") in amounts(answer) and Decimal("99.87") in percents(answer)
    # the four 项 sentences' 决算 add up to the 类's printed 326.72: their budgets are its budget
    answer = ask(ingested.store, "普陀区财政局2024年社会保障和就业支出年初预算是多少")
    assert answer.status == "answered" and amounts(answer) == {Decimal("328.92")}, answer.answer
    # a 款 named in a 项's sentence is not that 项: its budget is its four 项's, not 行政运行's 1,560.05
    answer = ask(ingested.store, "普陀区财政局2024年财政事务年初预算是多少")
    assert answer.status == "answered" and amounts(answer) == {Decimal("2156.47")}, answer.answer


def test_a_judgement_is_refused(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "省政协2019年会议费安排得合理吗")
    assert answer.status == "refused" and "评价" in answer.answer, answer.answer


def test_a_why_about_a_cut_by_how_much(ingested: IngestedCorpus) -> None:
    # "砍了六成多": a fall (六成多 says by how much), answered by the sentence about that fall
    answer = ask(ingested.store, "江苏省政协办公厅2019年其他政协事务支出为啥砍掉六成多")
    assert answer.status == "answered" and "信息化建设专项" in answer.answer, answer.answer


def test_a_university_called_by_its_short_form() -> None:
    assert "西大" in aliases("西南大学")
    assert "重大" not in aliases("重庆大学")  # a word in its own right: no such form


def test_a_final_accounts_items_against_their_own_budget(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "普陀区财政局2024年哪一项决算与年初预算差距最大")
    assert answer.status == "answered" and "行政运行" in answer.answer, answer.answer
    assert Decimal("48.16") in amounts(answer)
    answer = ask(ingested.store, "普陀区财政局2024年哪些项目决算和年初预算完全相同")
    assert answer.status == "answered", answer.answer
    assert amounts(answer) == {Decimal("10.00"), Decimal("0.94"), Decimal("258.50")}


def test_a_row_printed_under_its_container_as_qizhong(ingested: IngestedCorpus) -> None:
    # "四、其他收入" / "其中：捐赠收入": the 其中 row is the container's
    answer = ask(ingested.store, "西南大学2021年其他收入里面捐赠收入是多少")
    assert answer.status == "answered" and amounts(answer) == {Decimal("500.00")}, answer.answer
    answer = ask(ingested.store, "西南大学2021年事业收入里面捐赠收入是多少")
    assert answer.status == "refused" and not answer.values, answer.answer


def test_a_container_rows_cell_in_the_column_named_after_it(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "福利院2024年社会保障和就业支出中，基本支出的人员经费多少元")
    assert answer.status == "answered" and answer.values[0].value == "6540674.00", answer.answer


def test_a_score_is_a_figure_of_its_own() -> None:
    facts = sentence_facts("绩效自评项目4个，涉及预算金额598.42万元，平均得分99.43分。会议时长30分钟。", 1)
    assert [(f.subject, f.amount, f.unit) for f in facts if f.unit == "分"] == [("平均得分", Decimal("99.43"), "分")]
