"""Numeric answers on real documents: the number, the formula and the cited cell."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import BACKENDS, database_url

from budgetqa.answer import ask
from budgetqa.index.store import Store
from budgetqa.ingest.pipeline import ingest_file
from budgetqa.settings import Settings

PROJECT = Path(__file__).resolve().parents[1]
SAMPLE = PROJECT / "samples" / "sample_budget.pdf"
SHARED = Path(__file__).resolve().parents[2] / "shared"
FINAL = SHARED / "corpus" / "上海市普陀区财政局2024年度部门决算.pdf"


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Every answer test runs on SQLite and on PostgreSQL (skipped without a server)."""
    return request.param


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory, backend: str) -> Iterator[Store]:
    with database_url(backend) as url:
        data_dir = tmp_path_factory.mktemp("sample")
        store = Store(data_dir, url)
        ingest_file(store, SAMPLE, Settings(data_dir=data_dir))
        yield store
        store.close()


@pytest.fixture(scope="module")
def two_store(tmp_path_factory, backend: str) -> Iterator[Store]:
    if not FINAL.exists():
        pytest.skip("../shared/corpus is absent")
    with database_url(backend) as url:
        data_dir = tmp_path_factory.mktemp("two")
        store = Store(data_dir, url)
        for path in (SAMPLE, FINAL):
            ingest_file(store, path, Settings(data_dir=data_dir))
        yield store
        store.close()


def values(answer) -> list[str]:
    return [v.value for v in answer.values]


def test_lookup_cites_the_cell(sample_store: Store) -> None:
    answer = ask(sample_store, "项目支出是多少")
    assert answer.status == "answered"
    assert values(answer)[0] == "1712.80"
    cite = answer.citations[0]
    assert cite.table == "部门支出总体情况表" and cite.column.endswith("项目支出") and cite.page == 9


def test_row_and_column_pair(sample_store: Store) -> None:
    answer = ask(sample_store, "一般公共服务支出里的项目支出是多少")
    assert values(answer)[0] == "1712.24"


def test_economic_item(sample_store: Store) -> None:
    answer = ask(sample_store, "差旅费安排多少")
    assert values(answer)[0] == "2.00"
    assert answer.citations[0].row == "差旅费"


def test_share_of_natural_total(sample_store: Store) -> None:
    answer = ask(sample_store, "项目支出占比多少")
    assert values(answer)[0] == "79.46"
    assert answer.formula == "1,712.80 ÷ 2,155.66 = 79.46%"


def test_difference(sample_store: Store) -> None:
    answer = ask(sample_store, "人员经费比公用经费多多少")
    assert values(answer)[0] == "307.32"
    assert "375.09 − 67.77" in answer.formula


def test_ranking_by_class(sample_store: Store) -> None:
    answer = ask(sample_store, "哪类支出最大")
    assert "一般公共服务支出" in answer.answer and values(answer)[0] == "2042.80"


def test_amount_in_yuan_on_request(sample_store: Store) -> None:
    answer = ask(sample_store, "三公经费中公务接待费有多少元")
    assert values(answer)[0] == "1900.00"


def test_unknown_year_is_refused(sample_store: Store) -> None:
    answer = ask(sample_store, "2019年基本支出预算多少")
    assert answer.status == "refused"


def test_off_topic_is_refused(sample_store: Store) -> None:
    assert ask(sample_store, "今天天气怎么样").status == "refused"


def test_change_against_last_year(sample_store: Store) -> None:
    answer = ask(sample_store, "项目支出比上年增长多少")
    if answer.status != "answered":
        pytest.fail(answer.answer)
    assert {"1433.31", "512.83", "279.49"} <= set(values(answer))
    assert "279.49" in answer.formula


def test_naming_a_department_picks_its_document(two_store: Store) -> None:
    answer = ask(two_store, "普陀区财政局的项目支出是多少")
    assert values(answer)[0] == "603.14"
    answer = ask(two_store, "昌吉州机关事务管理局的基本支出是多少")
    assert values(answer)[0] == "442.86"


def test_no_department_asks_which(two_store: Store) -> None:
    answer = ask(two_store, "基本支出是多少")
    assert answer.status == "clarify"
    assert len(answer.options) == 2


QUESTIONS = ["项目支出比上年增长多少", "普陀区财政局的项目支出是多少", "基本支出是多少", "哪类支出最大",
             "昌吉州机关事务管理局公物仓维护管理项目资金用在哪些方面", "普陀区财政局的主要职能是什么", "今天天气怎么样"]


def test_both_backends_answer_alike(tmp_path: Path) -> None:
    """The same documents on SQLite and on PostgreSQL give the same answers, numbers, citations and
    quoted sentences (keyword search only, so the two differ in nothing but the database)."""
    if not FINAL.exists():
        pytest.skip("../shared/corpus is absent")
    answers = []
    for backend in BACKENDS:
        with database_url(backend) as url:
            settings = Settings(data_dir=tmp_path / backend, embedding_model="none")
            store = Store(settings.data_dir, url)
            for path in (SAMPLE, FINAL):
                ingest_file(store, path, settings)
            answers.append([ask(store, q).model_dump() for q in QUESTIONS])
            store.close()
    assert answers[0] == answers[1]
    assert {a["status"] for a in answers[0]} == {"answered", "clarify", "refused"}
    assert any(a["plan"]["route"] == "text" and a["status"] == "answered" for a in answers[0])
