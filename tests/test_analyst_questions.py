"""A finance analyst's questions (holdout_public8's first run): 年末 against 年初, a prior year named
and then compared, several items' changes at once, a share asked in a second sentence, and answers
that are no answer — a glossary entry, a passage about another figure, one change for "哪几块"."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import IngestedCorpus, amounts, percents

from budgetqa.answer import ask
from budgetqa.answer.check import figures_asked, figures_left_out
from budgetqa.answer.schema import Answer, Citation

pytestmark = pytest.mark.corpus


def test_the_years_end_against_its_start(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "普陀区财政局2024年决算的年末结转和结余比年初多了多少")
    assert answer.status == "answered" and Decimal("6.20") in amounts(answer), answer.answer


def test_a_prior_year_named_then_compared(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "普陀区财政局2023年一般公共预算财政拨款支出多少，2024年比它少了多少")
    assert answer.status == "answered" and {Decimal("3003.19"), Decimal("63.14")} <= amounts(answer), answer.answer


def test_several_items_changes_at_once(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "西南大学2021年事业收入和其他收入分别比上年增加多少")
    assert answer.status == "answered" and {Decimal("2110.30"), Decimal("3113.84")} <= amounts(answer), \
        answer.answer


def test_a_share_asked_in_a_second_sentence_is_of_the_first_ones_item(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "西南大学2023年使用非财政拨款结余是多少？占收入总计的比重呢？")
    assert answer.status == "answered" and Decimal("10.76") in percents(answer), answer.answer


def test_a_glossary_entry_answers_only_a_definition(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "万里街道2024年收入是不是全靠财政拨款，其他收入有没有")
    assert not (answer.status == "answered" and all("名词解释" in (c.section or "") for c in answer.citations)), \
        answer.answer
    answer = ask(ingested.store, "万里街道2024年预算里的其他收入是指什么")
    assert answer.status == "answered" and "名词解释" in (answer.citations[0].section or ""), answer.answer


def test_one_change_is_no_breakdown(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "江苏高院2019年收入预算比上年增加4016.19万元，这个增量由哪几块构成")
    assert answer.status == "refused" and not answer.values, answer.answer


def test_a_passage_must_print_the_amount_the_question_states() -> None:
    passage = Answer(status="answered", answer="“…2024年预算数为30.00万元…”",
                     citations=[Citation(doc_id="d", document="d", sentence="2024年预算数为30.00万元。")])
    assert figures_left_out("一般行政管理事务1712.24万分别是哪几块钱", passage) == ["1712.24万"]
    assert figures_left_out("一般行政管理事务30.00万元是什么钱", passage) == []
    assert figures_asked("那20万非财政拨款结转结余是什么钱") == [Decimal("20")]
    assert figures_asked("单价20万元以上的设备有几台") == []


def test_a_zero_carries_the_documents_own_none(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "万里街道2023年有没有政府性基金预算拨款，是多少")
    assert answer.status == "answered" and amounts(answer) == {Decimal("0.00")}, answer.answer
    assert "无政府性基金" in answer.answer and any("无政府性基金" in (c.sentence or "") for c in answer.citations)
