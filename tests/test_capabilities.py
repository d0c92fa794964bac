"""The questions people ask, on the shared PDFs loaded at once: comparisons with a difference,
several years, top-N rankings, units, totals, several questions in one, and a figure with
its reason. Expected figures are read from the PDFs (page given beside each)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import CPPCC_NARRATIVE, CPPCC_TABLES, IngestedCorpus

from budgetqa.answer import ask
from budgetqa.answer.compute import average_growth, change_from_amount, change_from_previous
from budgetqa.answer.reasons import printed_forms
from budgetqa.answer.schema import Answer

pytestmark = pytest.mark.corpus


def values(answer: Answer, unit: str | None = None) -> list[str]:
    return [v.value for v in answer.values if unit is None or v.unit == unit]


def asked(ingested: IngestedCorpus, question: str) -> Answer:
    answer = ask(ingested.store, question)
    assert answer.status == "answered", answer.answer
    return answer


def test_change_arithmetic_shows_its_formula() -> None:
    fell = change_from_amount(Decimal("426.00"), Decimal("-3.30"))
    assert (fell.previous, round(fell.pct, 2)) == (Decimal("429.30"), Decimal("-0.77"))
    assert fell.formula.startswith("426.00 − (-3.30) = 429.30")
    rose = change_from_previous(Decimal("10"), Decimal("0"))
    assert rose.amount == 10 and rose.pct is None  # no rate from a zero base
    pct, formula = average_growth(Decimal("100"), Decimal("121"), 2)
    assert round(pct, 2) == Decimal("10.00") and "^(1/2)" in formula
    assert average_growth(Decimal("0"), Decimal("5"), 2) == (None, "")


def test_a_figure_is_looked_for_in_every_form_it_is_printed_in() -> None:
    assert printed_forms(Decimal("-1134.33")) == ["1,134.33", "1134.33"]
    assert printed_forms(Decimal("426.00")) == ["426.00"]  # "426" alone is too short to anchor on
    assert printed_forms(Decimal("15621.10")) == ["15,621.10", "15,621.1", "15621.10", "15621.1"]


def test_which_year_is_larger_and_by_how_much(ingested: IngestedCorpus) -> None:
    # 省法院 三公经费、会议费、培训费支出预算表 (p14): 公务接待费 183.95 in 2018, 86.95 in 2019
    answer = asked(ingested, "省法院2018年和2019年“三公”经费中的公务接待费，哪年预算多？多多少？")
    assert "97.00" in values(answer) and answer.answer.startswith("江苏省高级人民法院2018年更多")
    assert [c.column for c in answer.citations] == ["三公经费 / 公务接待费"] * 2


def test_two_departments_compared_say_which_is_larger(ingested: IngestedCorpus) -> None:
    answer = asked(ingested, "2019年江苏高院和江苏省政协办公厅的培训费预算哪个多？多多少？")
    assert "1315.48" in values(answer)  # 1,597.25 − 281.77
    assert answer.answer.startswith("江苏省高级人民法院2019年培训费更多")
    assert "5.67" in values(answer, "倍")


def test_several_years_listed_summed_and_averaged(ingested: IngestedCorpus) -> None:
    answer = asked(ingested, "省法院2017到2019年的基本支出分别是多少？三年一共多少？")
    assert values(answer) == ["57662.01", "17123.19", "18570.82", "21968.00"]
    assert len({c.doc_id for c in answer.citations}) == 3
    growth = asked(ingested, "省法院提租补贴17年到19年分别是多少？年均增长率（复合）是多少？")
    assert "66.98" in values(growth, "%")


def test_a_range_of_years_names_every_year_in_it(ingested: IngestedCorpus) -> None:
    # 政府采购预算总金额 printed in each year's narrative: 3742.4 (2017 p26), 4641.62 (2018 p24), 5227.59 (2019 p24)
    answer = asked(ingested, "省法院2017—2019年政府采购预算各是多少？三年合计多少？")
    assert values(answer) == ["13611.61", "3742.40", "4641.62", "5227.59"]


def test_top_three_are_each_given_and_cited(ingested: IngestedCorpus) -> None:
    answer = asked(ingested, "江苏高院2019年基本支出的商品和服务支出中，金额前三的是哪几项？")
    assert values(answer) == ["668.00", "613.25", "506.00"]
    assert len(answer.citations) == 3


@pytest.mark.parametrize(("question", "value", "unit"), [
    ("省政协办公厅2019年会议费预算是多少千元？", "12825.60", "千元"),
    ("西南大学2023年收入总计是多少亿元？", "55.73", "亿元"),
    ("普陀区社会福利院2024年工资福利支出里哪一项最多？是多少元？", "3580522.00", "元"),
])
def test_amounts_in_the_unit_asked(ingested: IngestedCorpus, question: str, value: str, unit: str) -> None:
    assert value in values(asked(ingested, question), unit)


@pytest.mark.parametrize(("question", "total"), [
    ("省法院2018年的部门预算是多少？", "33172.15"),
    ("上海普陀区财政局24年决算的收支总规模是多少？", "2995.39"),
])
def test_the_total_people_mean(ingested: IngestedCorpus, question: str, total: str) -> None:
    assert total in values(asked(ingested, question))


def test_several_questions_in_one_are_each_answered(ingested: IngestedCorpus) -> None:
    answer = asked(ingested, "江苏高院2019年一共有多少辆车？其中执法执勤用车几辆？")
    assert values(answer) == ["66", "38"]


def test_a_why_about_a_figure_gives_the_figure_and_its_reason(ingested: IngestedCorpus) -> None:
    answer = asked(ingested, "省政协2019年委员视察经费减少的原因是什么？")
    assert "3.30" in values(answer) and "省政协委员人数减少" in answer.answer
    named = asked(ingested, "普陀区社会福利院2024年财政拨款收入增加的主要原因是什么？")
    assert "退休人员活动费" in named.answer


def test_an_office_not_loaded_in_a_loaded_district_is_refused(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "上海市普陀区长征镇2024年部门预算总额是多少？")
    assert answer.status == "refused" and "长征镇" in answer.answer


def test_citations_name_the_file_of_a_two_file_disclosure(ingested: IngestedCorpus) -> None:
    answer = asked(ingested, "江苏省政协办公厅2019年一般公共预算拨款是多少")
    assert {c.source_file for c in answer.citations} <= {CPPCC_NARRATIVE, CPPCC_TABLES}
    assert all(c.source_file for c in answer.citations)


def test_a_fund_type_named_on_the_container_picks_that_table(ingested: IngestedCorpus) -> None:
    # 西南大学2023 财政拨款支出预算表 (p10): 教育支出 208,613.34 of 230,876.38; the narrative prints 90.36%
    answer = asked(ingested, "西南大学2023年的财政拨款支出中，教育支出占比多少？")
    assert values(answer, "%")[0] == "90.36"
    assert {c.table for c in answer.citations} == {"西南大学财政拨款支出预算表"}


def test_completion_reads_the_final_accounts_own_budget_column(ingested: IngestedCorpus) -> None:
    # 普陀区财政局2024 财政拨款三公经费支出决算表 (p18): 公务接待费 预算数 0.95, 决算数 blank
    answer = asked(ingested, "普陀区财政局2024年公务接待费的预算执行率是多少？")
    assert values(answer, "%") == ["0.00"] and "0.95" in values(answer)
    assert [c.column.split(" / ")[-1] for c in answer.citations] == ["决算数", "预算数"]
    assert any("按 0 计" in note for note in answer.notes)


def conversation(ingested: IngestedCorpus, *turns: str) -> list[Answer]:
    from budgetqa.chat import converse
    from budgetqa.chat.session import SessionStore

    sessions = SessionStore()
    return [converse(ingested.store, turn, sessions=sessions, session_id="s") for turn in turns]


def test_follow_up_after_a_comparison_swaps_the_item_not_the_answer(ingested: IngestedCorpus) -> None:
    # 三公经费、会议费、培训费支出预算表 2019: 会议费 271.02 (省法院 p14), 1,282.56 (省政协)
    first, second = conversation(ingested, "2019年江苏高院和江苏省政协办公厅的培训费预算哪个多", "那会议费呢")
    assert "1597.25" in values(first)
    assert "会议费" in second.plan.question and "1597.25" not in values(second)
    assert "1282.56" in values(second)


def test_follow_up_share_and_change_keep_the_item_and_the_department(ingested: IngestedCorpus) -> None:
    _, share = conversation(ingested, "江苏高院2019年基本支出多少", "占支出总计的比例呢")
    assert share.plan.question == "基本支出占支出总计的比例是多少" and share.status == "answered"
    _, change = conversation(ingested, "江苏高院2019年项目支出为什么比上年减少", "那基本支出呢")
    assert "3397.18" in values(change)  # 21,968.00 (2019) − 18,570.82 (2018), both years' tables


def test_any_ordinal_picks_a_clarify_option(ingested: IngestedCorpus) -> None:
    clarify, picked = conversation(ingested, "基本支出是多少", "第六个")
    assert clarify.status == "clarify" and len(clarify.options) >= 6
    assert picked.status == "answered"
    assert picked.citations[0].doc_id == clarify.plan.documents[5]


def test_performance_forms_answer_amounts_indicators_and_people(ingested: IngestedCorpus) -> None:
    # 西南大学2023 项目绩效目标表 (p16-18): 年度资金总额 2,112.76 and 1,111.98 万元
    answer = asked(ingested, "西南大学2023年“中央高校教育教学改革专项”和“中央高校管理改革等绩效拨款”"
                             "两个项目的年度资金总额分别是多少？")
    assert values(answer) == ["2112.76", "1111.98"] and all(c.page and c.table_id for c in answer.citations)
    # 万里街道2023 财政项目支出绩效目标填报表 (p32): two 产出指标, no 负责人 printed
    indicators = asked(ingested, "万里街道2023年就业援助基地补贴项目有哪些产出指标？")
    assert "补贴对象申请审核完成率" in indicators.answer and "=100.00(%)" in indicators.answer
    person = ask(ingested.store, "万里街道2023年就业援助基地补贴项目的负责人是谁？")
    assert person.status == "refused" and "没有印出" in person.answer


@pytest.mark.parametrize(("question", "printed"), [
    ("万里街道办事处2024年部门预算包括哪些下属单位？", "社区事务受理服务中心"),  # p4, 机构设置
    ("江苏省政协2019年部门预算里写的主要职能是什么？", "政治协商、民主监督、参政议政"),  # p3, 主要职能
    ("上海市普陀区社会福利院2024年有哪些内设机构", "院长室、办公室、财务室、后勤部、护理部"),
])
def test_list_questions_quote_their_section(ingested: IngestedCorpus, question: str, printed: str) -> None:
    answer = asked(ingested, question)
    assert printed in answer.answer and answer.plan.operation == "list" and not answer.values


def test_a_text_question_naming_no_document_asks_which(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "主要职能是什么")
    assert answer.status == "clarify" and len(answer.options) >= 2
