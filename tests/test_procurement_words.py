"""A part asked of a whole the question names only as a table's subject ("采购里服务"), the whole a
narrative states before 其中, and a table's subject asked about alone (holdout_public3's refusals)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import IngestedCorpus, amounts, percents

from budgetqa.answer import ask

pytestmark = pytest.mark.corpus


def test_a_narrative_part_is_a_share_of_the_total_stated_before_qizhong(ingested: IngestedCorpus) -> None:
    # "…政府采购金额…为251.25万元，其中：…服务采购金额246.47万元": the whole is in the same sentence
    answer = ask(ingested.store, "普陀区财政局2024年决算采购当中服务占比是多少")
    assert answer.status == "answered" and Decimal("98.10") in percents(answer), answer.answer
    # "…总金额为5227.59万元。其中拟采购…服务支出3059.87万元": the sentence before one opening with 其中
    answer = ask(ingested.store, "江苏省高级人民法院2019年政府采购里服务占百分之几")
    assert answer.status == "answered" and Decimal("58.53") in percents(answer), answer.answer
    assert any("5227.59" in (c.sentence or "") for c in answer.citations)


def test_a_part_read_from_the_table_titled_with_its_whole(ingested: IngestedCorpus) -> None:
    # no sentence names the 2017 categories: the row "三、服务C" of the procurement table answers
    answer = ask(ingested.store, "省法院2017年采购里工程类安排了多少")
    assert answer.status == "answered" and amounts(answer) == {Decimal("500.00")}, answer.answer
    assert "采购" in answer.citations[0].table
    # a part that begins a row's subject (家具 → 家具用具) in that table
    answer = ask(ingested.store, "江苏省政协办公厅2019年政府采购里家具是多少")
    assert answer.status == "answered" and amounts(answer) == {Decimal("198.00")}, answer.answer


def test_a_tables_subject_asked_alone_is_its_total(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "省法院2018年政府采购比2017年增加了多少")
    assert answer.status == "answered" and Decimal("899.22") in amounts(answer), answer.answer
    # beside an item the subject only says which table: the item is answered, not the total
    answer = ask(ingested.store, "省法院2018年政府采购里货物是多少")
    assert answer.status == "answered" and Decimal("4641.62") not in amounts(answer), answer.answer
