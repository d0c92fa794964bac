"""`budgetqa ingest --jobs N`: files parsed in N worker processes, one writer, the same store as one job."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CPPCC_NARRATIVE, CPPCC_TABLES, SEED, WANLI_2024, WELFARE_2024, corpus_file
from typer.testing import CliRunner, Result

from budgetqa.cli import app
from budgetqa.index.store import Store
from budgetqa.ingest.errors import IngestError
from budgetqa.ingest.parallel import read_many
from budgetqa.settings import Settings

pytestmark = pytest.mark.corpus

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "sample_budget.pdf"
GOOD = [WANLI_2024, WELFARE_2024, CPPCC_NARRATIVE, CPPCC_TABLES]


def ingest(folder: Path, data_dir: Path, jobs: int) -> Result:
    return CliRunner().invoke(app, ["ingest", str(folder), "--data-dir", str(data_dir), "--jobs", str(jobs)],
                              env={"BUDGETQA_EMBEDDING_MODEL": "none"})


def contents(data_dir: Path) -> dict[str, object]:
    """Every stored document as loaded: metadata, tables with every cell, facts, chunks."""
    store = Store(data_dir)
    try:
        return {item["doc_id"]: store.load(item["doc_id"]) for item in store.documents()}
    finally:
        store.close()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Real disclosures (one published as two files), the seed text, and a corrupt PDF among them."""
    if not SEED.is_file():
        pytest.skip("seed not available")
    root = tmp_path_factory.mktemp("jobs") / "in"
    root.mkdir()
    for name in GOOD:
        (root / name).symlink_to(corpus_file(name))
    (root / SEED.name).symlink_to(SEED)
    (root / "0_broken.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 200)
    return root


@pytest.fixture(scope="module")
def runs(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[int, tuple[Path, Result]]:
    out = {}
    for jobs in (1, 2):
        data_dir = tmp_path_factory.mktemp(f"store{jobs}")
        out[jobs] = data_dir, ingest(folder, data_dir, jobs)
    return out


def test_two_jobs_store_the_same_as_one(runs: dict[int, tuple[Path, Result]]) -> None:
    one, two = contents(runs[1][0]), contents(runs[2][0])
    assert len(one) == 4, "two files of one disclosure merge into one document"
    assert one == two
    assert sum(len(doc.facts) for doc in one.values()) > 0
    assert sum(1 for doc in one.values() for t in doc.tables for c in t.cells if c.state == "value") > 500


def test_a_corrupt_file_is_listed_and_the_others_land(runs: dict[int, tuple[Path, Result]]) -> None:
    for _, result in runs.values():
        assert result.exit_code == 1
        assert result.stdout.count("added") == 4 and result.stdout.count("merged") == 1, result.stdout
        failed = result.stderr[result.stderr.index("1 failed"):]
        assert "0_broken.pdf" in failed and "corrupt" in failed, result.stderr
        assert "5 of 6 files ingested" in result.stderr


def test_reingesting_with_jobs_changes_nothing(folder: Path, runs: dict[int, tuple[Path, Result]]) -> None:
    data_dir, _ = runs[2]
    before = contents(data_dir)
    again = ingest(folder, data_dir, 2)
    assert again.stdout.count("unchanged") == 5, again.stdout
    assert contents(data_dir) == before


@pytest.mark.parametrize(("limits", "code"), [({"ingest_memory_mb": 80}, "too_much_memory"),
                                              ({"ingest_timeout_seconds": 0.05}, "timeout")])
def test_bounded_limits_hold_in_the_workers(tmp_path: Path, limits: dict, code: str) -> None:
    settings = Settings(data_dir=tmp_path, embedding_model="none", **limits)
    files = [SAMPLE, corpus_file(WELFARE_2024), SAMPLE]
    outcomes = list(read_many(files, settings, jobs=2))
    assert [path for path, _ in outcomes] == files, "in the order given"
    assert all(isinstance(o, IngestError) and o.reason == code for _, o in outcomes), outcomes


def test_keyword_only_store_answers_text_questions(runs: dict[int, tuple[Path, Result]]) -> None:
    """BUDGETQA_EMBEDDING_MODEL=none: nothing embedded, no vector index, text questions still answered."""
    data_dir, _ = runs[2]
    assert not (data_dir / "chroma").exists() and not (data_dir / "vectors.sqlite3").exists()
    seed_id = next(doc_id for doc_id, doc in contents(data_dir).items() if doc.files[0].file_name == SEED.name)
    answer = CliRunner().invoke(app, ["ask", "公物仓维护管理项目资金用在哪些方面", "--doc", seed_id, "--json",
                                      "--data-dir", str(data_dir)], env={"BUDGETQA_EMBEDDING_MODEL": "none"})
    body = json.loads(answer.stdout)
    assert body["status"] == "answered" and body["plan"]["route"] == "text", body
    assert {c["doc_id"] for c in body["citations"]} == {seed_id}
    rebuilt = CliRunner().invoke(app, ["index", "rebuild", "--data-dir", str(data_dir)],
                                 env={"BUDGETQA_EMBEDDING_MODEL": "none"})
    assert rebuilt.exit_code == 0 and "nothing to embed" in rebuilt.stderr
    assert not (data_dir / "chroma").exists()
