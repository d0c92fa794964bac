"""How the public phrases questions (holdout_public): "去年" of a 决算, "最多的三个项", 福利院,
traditional characters, "采购里工程", a 元 figure the document never printed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import IngestedCorpus

from budgetqa.answer import ask
from budgetqa.answer.bind import rank_level, top_count
from budgetqa.answer.planner import compact, detect_operation
from budgetqa.ingest.identity import aliases


@pytest.mark.parametrize(("text", "count", "level"), [
    ("万里街道2024年钱最多的三个项级科目是哪些", 3, 7),
    ("普陀区财政局支出最大的两个项", 2, 7),
    ("支出最多的类", 1, 3),
    ("前两名是哪些", 2, None),
])
def test_leaders_named_after_a_superlative(text: str, count: int, level: int | None) -> None:
    assert top_count(text) == count
    assert rank_level(text) == level


def test_difference_with_le() -> None:
    assert detect_operation("省法院17年和18年的会议费预算差了多少") == "difference"


def test_traditional_characters_and_full_width_digits_fold() -> None:
    assert compact("萬里街道２０２４年機關運行經費預算") == "万里街道2024年机关运行经费预算"
    assert compact("西南大學科學技術支出") == "西南大学科学技术支出"


def test_a_social_welfare_home_is_called_by_its_short_name() -> None:
    assert "福利院" in aliases("上海市普陀区社会福利院")
    assert "福利院" not in aliases("上海市普陀区儿童福利院")


def _values(answer) -> set[Decimal]:
    return {Decimal(v.value).quantize(Decimal("0.01")) for v in answer.values}


def test_last_year_of_final_accounts_is_their_own_year(ingested: IngestedCorpus) -> None:
    # a 决算 of 2024 is published in 2025: "去年花了多少" is 2024's figure, not 2023's (182.10)
    answer = ask(ingested.store, "普陀财政局去年机关运行经费花了多少")
    assert answer.status == "answered" and Decimal("184.65") in _values(answer)
    # "上年" still counts from the document's year
    answer = ask(ingested.store, "普陀区财政局上年机关运行经费是多少")
    assert answer.status == "answered" and Decimal("182.10") in _values(answer)


def test_short_names_and_colloquial_items(ingested: IngestedCorpus) -> None:
    cases = {
        "福利院24年办公费多少": "6.90",
        "福利院24年养老保险缴费多少元": "767579.00",  # the table's 元 figure, not 76.76 万元 × 10000
        "万里街道24年社保就业支出占总支出多少": "12.55",
        "西南大学21年学费收入大概多少": "75020.47",
        "江苏高院2019年一共多少预算": "37188.34",
        "万里街道2024年采购里工程多少": "815.87",
        "省法院２０１８年的差旅費": "305.00",
    }
    for question, gold in cases.items():
        answer = ask(ingested.store, question)
        assert answer.status == "answered", (question, answer.answer)
        assert Decimal(gold) in _values(answer), (question, answer.answer)


def test_top_n_at_the_level_asked(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "普陀区财政局支出最大的两个项")
    assert {Decimal("1511.89"), Decimal("449.52")} <= _values(answer)
    assert Decimal("2106.66") not in _values(answer)  # the 类 total is not a 项


def test_a_yuan_figure_is_not_made_from_a_rounded_narrative(ingested: IngestedCorpus) -> None:
    # tables in 元, the item only in the narrative in 万元 (to 0.01): no 元 figure to give
    answer = ask(ingested.store, "福利院2024年政府采购服务预算多少元")
    assert answer.status == "refused", answer.answer
    assert ask(ingested.store, "福利院2024年政府采购服务预算多少万元").status == "answered"


# holdout_public2 (second colloquial set): 前年, a ranking inside a named whole, "排前三的类",
# a spending verb beside the item, "预算加在一起", two department names run together, "决算比预算"

def test_top_n_of_a_level_after_qian() -> None:
    assert rank_level("西南大学2023年财政拨款支出排前三的类") == 3
    assert top_count("西南大学2023年财政拨款支出排前三的类") == 3
    assert rank_level("前两个项是哪些") == 7


def test_names_run_together_are_both_bound_and_flagged() -> None:
    from budgetqa.answer.departments import bind_departments

    index = {"万里街道": ["a"], "福利院": ["b"]}
    binding = bind_departments(compact("万里街道福利院2024年事业收入多少"),
                               lambda cands: {c: index[c] for c in cands if c in index}, str.upper, list)
    assert [(m.text, m.keys, m.run_together) for m in binding.mentions] == [
        ("万里街道", ["A"], False), ("福利院", ["B"], True)]
    binding = bind_departments(compact("万里街道和福利院2024年事业收入"),
                               lambda cands: {c: index[c] for c in cands if c in index}, str.upper, list)
    assert not any(m.run_together for m in binding.mentions)


def test_year_before_last(ingested: IngestedCorpus) -> None:
    # a 2024 决算 is read in 2025: "前年" is 2023, its own 上年 (2,940.05 + 63.14)
    answer = ask(ingested.store, "普陀财政局前年的一般公共预算拨款支出是多少")
    assert answer.status == "answered" and Decimal("3003.19") in _values(answer), answer.answer
    # a 2024 预算 is read in 2024: "前年" is 2022, which it does not print
    assert ask(ingested.store, "福利院前年办公费多少").status == "refused"


def test_a_ranking_inside_a_named_whole_stays_inside_it(ingested: IngestedCorpus) -> None:
    # the 三公 table prints its parts as columns of one row: no group to rank, never the 项 of another table
    answer = ask(ingested.store, "江苏高院2019年三公里哪项花得最多")
    assert Decimal("17279.29") not in _values(answer), answer.answer
    answer = ask(ingested.store, "西南大学2023年财政拨款支出排前三的类")
    assert _values(answer) >= {Decimal("208613.34"), Decimal("13345.79"), Decimal("7629.03")}, answer.answer


def test_a_spending_verb_beside_an_item_asks_for_that_item(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "普陀区财政局去年三公到底花了多少钱")
    assert answer.status == "answered" and _values(answer) == {Decimal("0.00")}, answer.answer
    answer = ask(ingested.store, "普陀财政局去年一共花了多少钱")  # alone, the verb still names the total
    assert Decimal("2940.05") in _values(answer), answer.answer


def test_budgets_added_across_years(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "省法院17年和18年预算加在一起多少")
    assert Decimal("62021.53") in _values(answer), answer.answer
    answer = ask(ingested.store, "江苏高院2019年预算一共合多少亿")
    assert Decimal("3.72") in _values(answer), answer.answer


def test_two_names_run_together_are_asked_back(ingested: IngestedCorpus) -> None:
    assert ask(ingested.store, "万里街道福利院2024年事业收入多少").status == "clarify"
    assert ask(ingested.store, "省法院政协2019年三公经费多少").status == "clarify"
    answer = ask(ingested.store, "省法院和政协2019年三公经费分别多少")
    assert {Decimal("660.10"), Decimal("513.75")} <= _values(answer), answer.answer


def test_final_less_than_budget_without_nianchu(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "普陀财政局行政运行决算比预算少了多少")
    assert Decimal("48.16") in _values(answer), answer.answer


def test_a_short_name_shared_by_parts_binds_only_their_whole() -> None:
    from budgetqa.answer.planner import _longest_contained

    parts = ["政府采购货物", "政府采购工程", "政府采购服务"]
    assert _longest_contained("政府采购有多少钱", parts) is None  # was whichever the set gave first
    assert _longest_contained("政府采购有多少钱", [*parts, "政府采购预算"])[2] == "政府采购预算"
