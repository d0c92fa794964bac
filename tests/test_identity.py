"""Document identity and department binding: the right department, or a refusal.

Adversarial pairs are built from the seed disclosure with its department renamed: the same
bureau in a city and in one of its districts, two district bureaus whose names share
characters (审计局 / 统计局), a 部门 and a 单位 edition of one bureau, a year not loaded.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SEED, SWU_2021, SWU_2023, WANLI_2024, WELFARE_2024, IngestedCorpus
from typer.testing import CliRunner

from budgetqa.answer import ask, catalogs
from budgetqa.answer.check import grounded
from budgetqa.answer.planner import parse
from budgetqa.answer.schema import Answer, Citation, Value
from budgetqa.cli import app
from budgetqa.index.store import Store
from budgetqa.ingest.identity import aliases, identity_key, implausible, level_of, scope_of
from budgetqa.ingest.pipeline import ingest_file
from budgetqa.settings import Settings

SEED_NAME = "昌吉回族自治州机关事务管理局"
CITY = "东川市财政局"
DISTRICT = "东川市西湖区财政局"
AUDIT = "东川市西湖区审计局"
STATS = "东川市西湖区统计局"


def test_one_department_many_printed_names_share_one_key() -> None:
    forms = ["中国共产党江苏省委员会办公厅", "中共江苏省委办公厅", "江苏省委办公厅"]
    assert len({identity_key(f) for f in forms}) == 1
    assert identity_key("江苏省人大常务委员会办公厅") == identity_key("江苏省人大常委会办公厅")


@pytest.mark.parametrize(("name", "short"), [
    ("江苏省人大常委会办公厅", "省人大"), ("江苏省政协办公厅", "省政协"), ("上海市普陀区人民政府办公室", "区府办"),
    ("江苏省人民检察院", "省检察院"), ("江苏省高级人民法院", "省高院"), ("江苏省高级人民法院", "省法院"),
    ("上海市普陀区人民政府万里街道办事处", "万里街道"),
])
def test_short_names_people_use_are_aliases(name: str, short: str) -> None:
    assert short in aliases(name)


def test_a_region_is_part_of_the_identity() -> None:
    assert "市财政局" not in aliases(DISTRICT)  # a city bureau is not a district bureau
    assert "区财政局" in aliases(DISTRICT) and "西湖区财政局" in aliases(DISTRICT)
    assert not set(aliases(AUDIT)) & set(aliases(STATS))


def test_level_scope_and_implausible_names() -> None:
    assert (level_of(DISTRICT), level_of(CITY), level_of("江苏省政协办公厅")) == ("区县", "市", "省")
    assert level_of("上海市普陀区人民政府万里街道办事处") == "乡镇街道"
    assert scope_of(["上海市普陀区2024年区级单位预算", "预算单位：上海市普陀区某某院"]) == "单位"
    assert scope_of(["上海市普陀区2024年区级部门预算", "预算主管部门：上海市普陀区某某局"]) == "部门"
    assert implausible("单位：万元") and implausible("上海市XX局") and not implausible(DISTRICT)


@pytest.mark.corpus
def test_shared_documents_carry_scope_level_and_aliases(ingested: IngestedCorpus) -> None:
    welfare, wanli, swu = (ingested.document(n) for n in (WELFARE_2024, WANLI_2024, SWU_2021))
    assert (welfare.scope, welfare.level) == ("单位", "区县")
    assert (wanli.scope, wanli.level) == ("部门", "乡镇街道") and "万里街道" in wanli.aliases
    assert (swu.scope, swu.level) == ("部门", "中央")
    listed = CliRunner().invoke(app, ["docs", "--json", "--data-dir", str(ingested.settings.data_dir)])
    first = __import__("json").loads(listed.stdout)[0]
    assert {"scope", "level", "aliases", "metadata_warnings"} <= set(first)


@pytest.fixture(scope="module")
def rivals(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """Five renamed copies of the seed: city vs district bureau, 审计局 vs 统计局, 部门 vs 单位."""
    if not SEED.is_file():
        pytest.skip(f"seed disclosure not available at {SEED}")
    text = SEED.read_text(encoding="utf-8")
    folder = tmp_path_factory.mktemp("rivals")
    settings = Settings(data_dir=tmp_path_factory.mktemp("rival-store"), embedding_model="none")
    store = Store(settings.data_dir)
    variants = {"city": (CITY, ""), "district": (DISTRICT, ""), "audit": (AUDIT, ""), "stats": (STATS, ""),
                "unit": (DISTRICT, f"{DISTRICT}2024年单位预算\n预算单位：{DISTRICT}\n")}
    for key, (name, cover) in variants.items():
        path = folder / f"{key}.txt"
        path.write_text(cover + text.replace(SEED_NAME, name), encoding="utf-8")
        ingest_file(store, path, settings)
    return store


def _cited_departments(store: Store, answer: Answer) -> set[tuple[str, str]]:
    found = set()
    for citation in answer.citations:
        doc = store.load(citation.doc_id)
        found.add((doc.department, doc.scope))
    return found


@pytest.mark.parametrize(("question", "department", "scope"), [
    (f"{CITY}项目支出是多少", CITY, "部门"),
    ("东川市西湖区财政局项目支出是多少", DISTRICT, "部门"),
    ("西湖区财政局的基本支出是多少", DISTRICT, "部门"),
    ("西湖区财政局单位预算的项目支出是多少", DISTRICT, "单位"),
    ("西湖区审计局项目支出是多少", AUDIT, "部门"),
    ("西湖区统计局项目支出是多少", STATS, "部门"),
])
def test_a_named_department_is_answered_from_that_department_only(rivals: Store, question, department, scope):
    answer = ask(rivals, question)
    assert answer.status == "answered", answer.answer
    assert _cited_departments(rivals, answer) == {(department, scope)}


def test_the_department_edition_is_the_default_and_says_so(rivals: Store) -> None:
    answer = ask(rivals, "西湖区财政局项目支出是多少")
    assert any("单位" in note for note in answer.notes)


@pytest.mark.parametrize(("question", "says"), [
    ("东川市北湖区财政局项目支出是多少", "北湖区财政局"),  # same bureau, another district
    ("南川市财政局项目支出是多少", "南川市财政局"),  # another city
    ("西湖区人社局项目支出是多少", "人社局"),  # a bureau not loaded
    ("西湖区统计局2022年项目支出是多少", "2022"),  # a year not loaded
    ("和湖区财政局项目支出是多少", "湖区财政局"),  # a place's name before a level word ("区财政局" alias)
    ("嘉和区财政局项目支出是多少", "嘉和区财政局"),  # 和 ends a place's name there, not a phrase
])
def test_an_unloaded_department_or_year_is_refused(rivals: Store, question: str, says: str) -> None:
    answer = ask(rivals, question)
    assert answer.status == "refused" and says in answer.answer, answer.answer
    assert not answer.values


def test_an_unknown_department_lists_near_names(rivals: Store) -> None:
    answer = ask(rivals, "东川市北湖区财政局项目支出是多少")
    assert "相近的有" in answer.answer and DISTRICT in answer.answer


def test_no_department_named_asks_which(rivals: Store) -> None:
    answer = ask(rivals, "项目支出是多少")
    # the 部门 edition stands for a department that also has a 单位 edition
    assert answer.status == "clarify" and len(answer.options) == 4
    assert not any("单位预算" in option for option in answer.options)


def test_a_shared_short_name_asks_which(rivals: Store) -> None:
    answer = ask(rivals, "财政局项目支出是多少")
    assert answer.status == "clarify" and {CITY, DISTRICT} <= {o.split()[0] for o in answer.options}


def test_the_grounding_check_refuses_an_answer_from_another_department(rivals: Store) -> None:
    every = catalogs(rivals)
    parsed = parse("西湖区审计局项目支出是多少", every)
    stats = next(c.doc for c in every if c.doc.department == STATS)
    forged = Answer(status="answered", answer="项目支出为 1.00 万元。", values=[Value(name="项目支出", value="1.00", unit="万元")],
                    citations=[Citation(doc_id=stats.doc_id, document=stats.title, table="项目支出表", row="项目支出")])
    checked = grounded(forged, parsed)
    assert checked.status == "refused" and not checked.values
    assert "不是问题所问的部门" in checked.answer or "范围以外" in checked.answer


def test_the_grounding_check_refuses_an_unbound_quantity(rivals: Store) -> None:
    every = catalogs(rivals)
    parsed = parse("西湖区审计局基本支出中的人员经费是多少", every)
    audit = next(c.doc for c in every if c.doc.department == AUDIT and c.doc.scope == "部门")
    forged = Answer(status="answered", answer="基本支出为 1.00 万元。", values=[Value(name="基本支出", value="1.00", unit="万元")],
                    citations=[Citation(doc_id=audit.doc_id, document=audit.title, table="支出表", row="基本支出")])
    assert grounded(forged, parsed).status == "refused"


def test_identity_survives_a_store_written_before_it(tmp_path: Path) -> None:
    """A v2 store (no scope, key or aliases) is migrated: its documents get both."""
    import sqlite3

    store = Store(tmp_path)
    store.close()
    db = sqlite3.connect(tmp_path / "budgetqa.sqlite3")
    db.execute("DROP TABLE aliases")
    db.execute("DROP INDEX documents_by_identity")
    for column in ("scope", "level", "dept_key", "warnings"):
        db.execute(f"ALTER TABLE documents DROP COLUMN {column}")
    db.execute("INSERT INTO documents VALUES ('d1', ?, '东川市西湖区', 2024, '预算', '万元', 't', '{}')", (DISTRICT,))
    db.commit()
    db.close()
    store = Store(tmp_path)
    assert store.find_document(identity_key(DISTRICT), 2024, "预算") == "d1"
    assert store.match_aliases(["西湖区财政局"]) == {"西湖区财政局": ["d1"]}


@pytest.mark.corpus
def test_untitled_performance_pages_are_recognised_by_their_labels(ingested: IngestedCorpus) -> None:
    doc = ingested.document(SWU_2023)
    kinds = {t.kind for t in doc.tables if any(c.row_name.startswith("年度资金总额") for c in t.cells)}
    assert kinds == {"绩效目标表"}


@pytest.mark.corpus
@pytest.mark.parametrize("question", [
    # two sub-items asked that the document does not split, one total found: no number stands for both
    "江苏高院2019年“三公”经费里，国内接待和外宾接待各是多少？",
])
def test_answers_that_do_not_fit_the_question_are_refused(ingested: IngestedCorpus, question: str) -> None:
    answer = ask(ingested.store, question)
    assert answer.status == "refused" and not answer.values, answer.answer


@pytest.mark.corpus
def test_each_part_of_a_multi_part_question_is_answered(ingested: IngestedCorpus) -> None:
    answer = ask(ingested.store, "万里街道2023年人员经费和公用经费分别是多少？")
    assert answer.status == "answered", answer.answer
    assert [v.value for v in answer.values if v.unit == "万元"] == ["8402.49", "1538.14"]
    assert "（表列 84,024,865.00 元）" in answer.answer  # the figure as printed beside the converted one
    assert len(answer.citations) == 2


def test_words_that_end_like_an_organisation_are_not_one(rivals: Store) -> None:
    """"…收入在全部收入里" names no body: the question is answered, not refused as an unknown department."""
    answer = ask(rivals, "西湖区审计局的财政拨款收入在全部收入里占多大比例")
    assert answer.status == "answered", answer.answer
    assert _cited_departments(rivals, answer) == {(AUDIT, "部门")}
