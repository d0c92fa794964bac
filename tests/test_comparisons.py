"""Comparisons across departments and years (holdout_public7's first run): a year not loaded is
refused, not swapped for another; departments with several years, or a 决算 beside budgets, are
asked back; "实际花了" of budgets is refused; "几倍" is computed; a fund word inside a named row
("X中财政拨款") reads X in that fund's table, and its share is taken of X as a whole."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import IngestedCorpus, amounts, percents

from budgetqa.answer import ask

pytestmark = pytest.mark.corpus


def test_a_year_not_loaded_is_refused_not_replaced(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "江苏省高级人民法院2020年的三公经费比2019年多了多少")
    assert answer.status == "refused" and "2020" in answer.answer and not answer.values, answer.answer
    # the year before a loaded one is printed in it: still answered from that document
    answer = ask(ingested.store, "江苏省高级人民法院2019年的三公经费比2018年多了多少")
    assert answer.status == "answered" and Decimal("107.00") in amounts(answer), answer.answer


@pytest.mark.parametrize(("question", "says"), [
    ("省政协办公厅和江苏高院的机关运行经费相差多少", "哪一年"),
    ("哪个单位的三公经费预算最高", "哪一年"),
    ("普陀区财政局和普陀区社会福利院2024年三公经费差多少", "预算数还是决算数"),
])
def test_uneven_comparisons_are_asked_back(ingested: IngestedCorpus, question: str, says: str) -> None:
    answer = ask(ingested.store, question)
    assert answer.status == "clarify" and says in answer.answer and answer.options, answer.answer


def test_a_comparison_with_the_year_named_is_answered(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "2019年省政协办公厅和江苏高院的机关运行经费相差多少")
    assert answer.status == "answered" and Decimal("2449.31") in amounts(answer), answer.answer


def test_what_was_spent_is_not_read_from_budgets(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "2024年万里街道和福利院的三公经费实际支出谁多")
    assert answer.status == "refused" and not answer.values, answer.answer


@pytest.mark.parametrize(("question", "times"), [
    ("2024年万里街道的三公经费是普陀区社会福利院的多少倍", "7.49"),
    ("江苏高院住房保障支出2019年是2017年的几倍", "2.46"),
])
def test_how_many_times(ingested: IngestedCorpus, question: str, times: str) -> None:
    answer = ask(ingested.store, question)
    assert answer.status == "answered" and [v.value for v in answer.values if v.unit == "倍"] == [times], \
        answer.answer


def test_a_fund_word_inside_a_named_row(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "西南大学2023年住房保障支出里财政拨款安排了多少")
    assert answer.status == "answered" and amounts(answer) == {Decimal("7629.03")}, answer.answer
    answer = ask(ingested.store, "西南大学2023年住房保障支出中财政拨款的比重是多少")
    assert answer.status == "answered" and Decimal("45.10") in percents(answer), answer.answer
    assert Decimal("230876.38") not in amounts(answer)
    # no 财政拨款 table prints the 三公 row: refused, never the 财政拨款 total
    answer = ask(ingested.store, "万里街道2024年三公经费中财政拨款安排多少")
    assert answer.status == "refused" and not answer.values, answer.answer


def test_counts_across_years_keep_their_unit_or_give_the_money_beside_them(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "万里街道编报绩效目标的项目，2024年比2023年多了几个")
    assert answer.status == "answered" and "万元" not in answer.answer, answer.answer
    answer = ask(ingested.store, "万里街道编报绩效目标的项目涉及资金2024年比2023年增加多少")
    assert answer.status == "answered" and Decimal("2306.68") in amounts(answer), answer.answer
    assert Decimal("45.00") not in amounts(answer)


def test_two_shares_differ_by_percentage_points(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "西南大学2021年和2023年财政拨款占收入总计的比重差了几个百分点")
    assert answer.status == "answered", answer.answer
    assert [v.value for v in answer.values if v.unit == "个百分点"] == ["2.69"], answer.answer


def test_a_part_of_a_whole_across_years(ingested: IngestedCorpus) -> None:
    # "政府采购预算中的货物部分": each year's 货物 row, never the procurement totals
    answer = ask(ingested.store, "江苏高院2017年到2019年政府采购预算中的货物部分分别是多少")
    assert answer.status == "answered", answer.answer
    assert {Decimal("525.40"), Decimal("962.86"), Decimal("1637.72")} <= amounts(answer), answer.answer
    assert Decimal("5227.59") not in amounts(answer)


def test_a_share_of_the_item_itself(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "普陀区社会福利院2024年社会福利事业单位的事业收入占这项的比例")
    assert answer.status == "answered" and Decimal("27.33") in percents(answer), answer.answer


@pytest.mark.parametrize("question", ["普陀区社会福利院2024年收入来源哪个最多", "万里街道2024年收入预算里哪一块来源最大"])
def test_income_sources_are_never_ranked_by_function_rows(ingested: IngestedCorpus, question: str) -> None:
    answer = ask(ingested.store, question)
    assert "支出" not in answer.answer, answer.answer


def test_loaded_names_written_one_after_another_are_asked_back(ingested: IngestedCorpus) -> None:
    # not "没有“街道福利院普陀区财政局”的公开": each name is a loaded department's
    answer = ask(ingested.store, "2024年万里街道 福利院 普陀区财政局三家的三公经费一共多少")
    assert answer.status == "clarify" and answer.options, answer.answer
