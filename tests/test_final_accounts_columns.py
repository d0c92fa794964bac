"""Which figure a 决算 answers with, and items asked with "经费" (real documents, all loaded at once).

A 决算 table printing a 预算数 beside each 决算数 (the 三公经费 table) answers with the 决算数 unless
the question asks for the budget, and says which column it read; a fund type before an item
("一般公共预算财政拨款三公经费") qualifies it and is never answered as the quantity itself.
"""

from __future__ import annotations

from decimal import Decimal

from conftest import IngestedCorpus

from budgetqa.answer import ask


def _values(answer) -> set[Decimal]:
    return {Decimal(v.value).quantize(Decimal("0.01")) for v in answer.values}


def test_a_final_account_answers_with_its_final_column(ingested: IngestedCorpus) -> None:
    # 三公经费 合计: 预算数 0.95, 决算数 printed blank (the narrative: 支出决算为0.00万元)
    answer = ask(ingested.store, "普陀区财政局2024年三公经费多少")
    assert answer.status == "answered" and _values(answer) == {Decimal("0.00")}, answer.answer
    assert "决算数" in answer.answer and answer.citations[0].column.endswith("决算数")
    answer = ask(ingested.store, "普陀区财政局2024年三公经费预算数是多少")
    assert answer.status == "answered" and _values(answer) == {Decimal("0.95")}, answer.answer


def test_a_fund_type_before_an_item_is_not_the_quantity(ingested: IngestedCorpus) -> None:
    # "一般公共预算财政拨款" is also a printed row (2,940.05): never the answer to a question about 三公经费
    answer = ask(ingested.store, "普陀区财政局2024年一般公共预算财政拨款三公经费多少")
    assert Decimal("2940.05") not in _values(answer), answer.answer


def test_a_share_with_no_total_of_its_own_is_not_taken_against_its_sibling(ingested: IngestedCorpus) -> None:
    # the 决算数 of 三公经费 合计 has no total beside it: its 预算数 is no denominator
    answer = ask(ingested.store, "普陀区财政局2024年三公经费占比多少")
    assert answer.status != "answered" or "预算数" not in (answer.formula or ""), answer.answer


def test_items_asked_with_jingfei(ingested: IngestedCorpus) -> None:
    cases = {
        "万里街道2024年培训经费多少": "8.30",  # printed 培训费
        "普陀区财政局2024年办公经费多少": "21.21",  # printed 办公费
        "省法院2018年案件审判经费多少": "1833.30",  # printed 案件审判 (another year prints 案件审判经费)
    }
    for question, gold in cases.items():
        answer = ask(ingested.store, question)
        assert answer.status == "answered" and Decimal(gold) in _values(answer), (question, answer.answer)
