"""What a question's own words pin down, on the shared documents loaded together
(holdout_public4's first run): the whole after 占, a row under a coded container, a prior
year's 执行数, a project's procurement line, the performance forms asked as a ranking or for an
indicator's target, a measure asked of prose, and the words that make a figure no answer."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import IngestedCorpus, amounts, percents

from budgetqa.answer import ask
from budgetqa.ingest.facts import sentence_facts

pytestmark = pytest.mark.corpus


def test_the_whole_is_the_name_after_zhan_not_the_table_named_before(ingested: IngestedCorpus) -> None:
    # "支出预算里" names where to read; 教育支出 after 占 is the whole, not 支出总计
    answer = ask(ingested.store, "西南大学21年支出预算里，高等教育占教育支出的比重是多少")
    assert answer.status == "answered" and Decimal("92.40") in percents(answer), answer.answer


def test_a_row_under_a_coded_container_is_that_containers_row(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "万里街道2023年城乡社区管理事务下的行政运行预算安排了多少")
    assert answer.status == "answered" and Decimal("1837.36") in amounts(answer), answer.answer
    assert [c.row_code for c in answer.citations] == ["2120101"]
    # a container holding no row of that name: no other 行政运行 stands in for it
    answer = ask(ingested.store, "万里街道2023年一般公共服务下的行政运行是多少")
    assert answer.status == "refused" and not answer.values, answer.answer


def test_a_change_against_last_years_execution_reads_the_printed_execution(ingested: IngestedCorpus) -> None:
    # the 2023 budget prints 144.55 (a budget); the 2024 narrative prints 2023's 执行数 95.16
    answer = ask(ingested.store, "万里街道2024年行政单位医疗比23年执行数多出多少万")
    assert answer.status == "answered" and Decimal("47.06") in amounts(answer), answer.answer
    assert Decimal("2.33") not in amounts(answer)
    # asked without 执行, the two budgets are compared
    answer = ask(ingested.store, "万里街道2024年行政单位医疗比23年多出多少万")
    assert answer.status == "answered" and Decimal("2.33") in amounts(answer), answer.answer


def test_a_row_name_holding_a_departments_word_stays_a_row(ingested: IngestedCorpus) -> None:
    # "其他法院支出" holds 法院, an alias of the court: it is the row, summed over the three years
    answer = ask(ingested.store, "省法院其他法院支出这三年加起来一共多少")
    assert answer.status == "answered" and Decimal("2450.00") in amounts(answer), answer.answer


def test_a_projects_procurement_line(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "江苏法院云平台租赁费的政府采购预算，17年18年19年各是多少")
    assert answer.status == "answered", answer.answer
    assert {Decimal("1000.00"), Decimal("190.00"), Decimal("185.00")} <= amounts(answer)
    # the procurement line is not the project's amount when procurement is not asked
    answer = ask(ingested.store, "江苏高院19年江苏法院云平台租赁费是多少")
    assert answer.status == "refused" and not answer.values, answer.answer


def test_performance_forms_ranked_by_their_amount(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "西南大学23年那些项目绩效目标表里，哪个项目钱最少")
    assert answer.status == "answered" and amounts(answer) == {Decimal("0.18")}, answer.answer
    assert "语言文字信息管理与语保工程专项" in answer.answer
    answer = ask(ingested.store, "西南大学2023年公开的项目绩效目标表里，年度资金总额最大的是哪个项目？有多少钱？")
    assert answer.status == "answered" and amounts(answer) == {Decimal("8306.85")}, answer.answer
    # two documents print forms and the question names neither
    assert ask(ingested.store, "项目绩效目标表里哪个项目资金最多").status == "clarify"


def test_an_indicators_target_answers_a_count_asked_of_a_project(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "西南大学23年童语同音计划打算培训多少人")
    assert answer.status == "answered" and "300人" in answer.answer, answer.answer
    assert answer.citations[0].page == 37


def test_a_measure_asked_of_prose_is_quoted_not_an_amount(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "万里街道24年说的社区公共服务中心新建工程，楼盖多高")
    assert answer.status == "answered" and "29.8米" in answer.answer and not answer.values, answer.answer


def test_a_comparison_of_two_departments_gives_both_figures(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "2019年政协和江苏高院谁的离休费多")
    assert answer.status == "answered" and {Decimal("236.12"), Decimal("526.16")} <= amounts(answer)


def test_the_source_of_a_rise_is_its_reason(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "西南大学21年其他收入增加主要是什么来源")
    assert answer.status == "answered" and "非同级财政拨款" in answer.answer, answer.answer


def test_an_amount_right_after_a_count_is_the_counted_things_value() -> None:
    facts = sentence_facts("截止2022年12月31日，无形资产471项234.37万元。")
    assert {(f.kind, f.subject, f.amount, f.unit) for f in facts} == {
        ("count", "无形资产", Decimal("471"), "项"), ("amount", "无形资产", Decimal("234.37"), "万元")}


def test_an_intangible_assets_value_is_answered_as_money(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "万里街道23年预算里披露的无形资产有多少钱")
    assert answer.status == "answered" and Decimal("234.37") in amounts(answer), answer.answer


def test_a_row_left_out_of_a_ranking_by_its_code(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "省法院2018年20405法院款下各项，除2040501行政运行以外哪一项最大？是多少？")
    assert answer.status == "answered" and amounts(answer) == {Decimal("6049.97")}, answer.answer


def test_the_parts_summed_leave_out_the_whole_and_what_is_excluded(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "西南大学2023年收支预算总表，收入总计里本年收入合计以外的两块（上年结转、使用非财政拨款结余）合计多少？")
    assert answer.status == "answered" and Decimal("153774.49") in amounts(answer), answer.answer


def test_a_figure_the_question_states_must_be_the_one_answered_about(ingested: IngestedCorpus) -> None:
    # 16916.56 is 住房保障支出 in the 支出预算表: the share is of it (never of the 财政拨款 total), and cites it
    answer = ask(ingested.store, "西南大学2023年住房保障支出16916.56万元中，财政拨款安排多少？占比多少？")
    assert answer.status == "answered" and Decimal("45.10") in percents(answer), answer.answer
    assert {Decimal("7629.03"), Decimal("16916.56")} <= amounts(answer) and Decimal("230876.38") not in amounts(answer)
    # a stated whole the answer does not cite is refused
    answer = ask(ingested.store, "西南大学2023年住房保障支出16916.56万元中，财政拨款安排多少")
    assert answer.status == "refused" and not answer.values, answer.answer


def test_two_departments_asked_together_are_listed_or_summed(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "2019年江苏高院与省政协办公厅的2080505机关事业单位基本养老保险缴费支出合计多少？")
    assert answer.status == "answered" and Decimal("1800.03") in amounts(answer), answer.answer
    answer = ask(ingested.store, "2019年政协办公厅和江苏高院，单位预留机动经费占支出合计的比重哪个高？各是多少？")
    assert answer.status == "answered" and {Decimal("14.10"), Decimal("13.48")} <= percents(answer), answer.answer


def test_not_the_execution_figure_compares_the_two_budgets(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "万里街道212 05 01城乡社区环境卫生，2024年预算比2023年预算（不是执行数）多多少万元？")
    assert answer.status == "answered" and Decimal("35.95") in amounts(answer), answer.answer


def test_an_item_written_after_its_whole_is_the_item(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "江苏高院2019年公开08表一般公共预算基本支出，经济科目30305生活补助是多少？")
    assert answer.status == "answered" and amounts(answer) == {Decimal("278.59")}, answer.answer
    answer = ask(ingested.store, "查万里街道2023年部门预算：民政管理事务款下社会组织管理（208 02 06）给了多少万元？")
    assert answer.status == "answered" and Decimal("21.50") in amounts(answer), answer.answer


def test_the_longest_table_title_named_is_the_table(ingested: IngestedCorpus) -> None:
    # "财政拨款支出预算表" ends with "支出预算表", another table's title: the one named in full is read
    answer = ask(ingested.store, "西南大学2023年财政拨款支出预算表中，2050699其他留学教育支出的基本支出列是多少？")
    assert answer.status == "answered" and amounts(answer) == {Decimal("738.86")}, answer.answer
    answer = ask(ingested.store, "西南大学2023年财政拨款支出预算表，205教育支出类下三个款里哪一款最小？金额多少？")
    assert answer.status == "answered" and amounts(answer) == {Decimal("637.08")}, answer.answer


def test_yuan_and_wan_asked_together(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "万里街道2023年财务收支预算总表里卫生健康支出是多少元？折合多少万元？")
    assert answer.status == "answered", answer.answer
    assert {(v.value, v.unit) for v in answer.values} >= {("3095732.00", "元"), ("309.57", "万元")}


@pytest.mark.parametrize("question", [
    # a 决算 prints no 年初预算 for the 类 (one 项 sentence under it): its 决算 figure is no answer
    "普陀区财政局2024年卫生健康支出年初预算是多少",
    # which items meet a condition: one total is no answer
    "江苏高院2019年哪几项支出和上年一分不差",
    # a budget disclosure prints no 调整预算数
    "江苏省政协办公厅2019年2010201行政运行的调整预算数是多少？",
    # the 2024 form prints 2023's 执行数, not its budget, and the 2023 budget is not loaded
    "普陀区社会福利院2023年单位预算里住房公积金安排了多少？",
    "西南大学23年给小学的财政拨款有多少？",  # 小学 matched nothing: the 财政拨款 total is not its share
])
def test_a_figure_that_does_not_fit_the_question_is_refused(ingested: IngestedCorpus, question: str) -> None:
    answer = ask(ingested.store, question)
    assert answer.status == "refused" and not answer.values, answer.answer
