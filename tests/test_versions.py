"""Replacement never loses data: every version kept, a less complete file only a candidate, restore."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from conftest import WELFARE_2024, corpus_file, database_url, store_counts

from budgetqa.index.schema import SCHEMA_VERSION
from budgetqa.index.store import Store
from budgetqa.ingest.errors import IngestError
from budgetqa.ingest.pipeline import ingest_file, restore_version
from budgetqa.settings import Settings


@pytest.fixture
def store(tmp_path: Path) -> tuple[Store, Settings]:
    settings = Settings(data_dir=tmp_path / "store", embedding_model="none")
    return Store(settings.data_dir), settings


def test_less_complete_file_is_only_a_candidate(each_store, seed_copies) -> None:
    store, settings = each_store
    first = ingest_file(store, seed_copies["full"], settings)
    before = store_counts(store)
    damaged = ingest_file(store, seed_copies["damaged"], settings)
    assert damaged.status == "candidate" and damaged.version == 2 and damaged.tables == first.tables - 1
    assert any("表的张数少于已存版本" in w and "候选" in w for w in damaged.warnings)
    assert store_counts(store) == before  # the complete one is still what answers come from
    listed = store.document_versions(first.doc_id)
    assert [(v["version"], v["status"]) for v in listed] == [(1, "current"), (2, "candidate")]
    assert listed[1]["files"][0]["file_name"] == "seed-damaged.txt" and listed[1]["warnings"]
    again = ingest_file(store, seed_copies["damaged"], settings)
    assert again.status == "unchanged" and again.version == 2 and "restore" in again.warnings[-1]


def test_shared_pdf_with_its_last_4kb_scrambled_never_replaces_it(store, read_cache, tmp_path: Path) -> None:
    """The probe's defect on a real PDF: a copy whose last 4 KB are noise is refused or kept as a candidate;
    the complete version keeps answering."""
    store, settings = store
    original = corpus_file(WELFARE_2024)
    first = ingest_file(store, original, settings)
    before = store_counts(store)
    data = bytearray(original.read_bytes())
    noise = random.Random(4)
    data[-4096:] = bytes(noise.randrange(256) for _ in range(4096))
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(bytes(data))
    try:
        result = ingest_file(store, damaged, settings)
        assert result.status in ("candidate", "unchanged"), result
    except IngestError as exc:
        assert exc.reason in ("corrupt", "not_a_disclosure", "blank"), exc
    assert store_counts(store) == before
    assert [v["status"] for v in store.document_versions(first.doc_id)][0] == "current"


def test_complete_new_version_replaces_and_restore_brings_back(each_store, seed_copies) -> None:
    store, settings = each_store
    first = ingest_file(store, seed_copies["full"], settings)
    original = store_counts(store)
    newer = ingest_file(store, seed_copies["newer"], settings)
    assert (newer.status, newer.version) == ("replaced", 2)
    assert [v["status"] for v in store.document_versions(first.doc_id)] == ["superseded", "current"]
    restored = restore_version(store, first.doc_id, 1, settings)
    assert restored is not None and restored.status == "restored"
    assert store_counts(store) == original
    assert [v["status"] for v in store.document_versions(first.doc_id)] == ["current", "superseded"]
    assert restore_version(store, first.doc_id, 9, settings) is None


def test_delete_keeps_versions_for_restore(store, seed_copies) -> None:
    store, settings = store
    first = ingest_file(store, seed_copies["full"], settings)
    before = store_counts(store)
    assert store.delete(first.doc_id) and store_counts(store) == []
    assert [v["status"] for v in store.document_versions(first.doc_id)] == ["deleted"]
    assert restore_version(store, first.doc_id, 1, settings) is not None
    assert store_counts(store) == before


def test_v3_store_gets_its_documents_as_version_one(store, seed_copies) -> None:
    store, settings = store
    first = ingest_file(store, seed_copies["full"], settings)
    store.db.connection.executescript("DROP TABLE versions; DROP TABLE version_files; PRAGMA user_version = 3;")
    store.close()
    reopened = Store(settings.data_dir)
    assert reopened.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    listed = reopened.document_versions(first.doc_id)
    assert [(v["version"], v["status"], v["tables"]) for v in listed] == [(1, "current", first.tables)]
    assert reopened.load(first.doc_id) == reopened.restore(first.doc_id, 1)


def test_backup_restores_the_store_with_its_versions(tmp_path: Path, seed_copies) -> None:
    from typer.testing import CliRunner

    from budgetqa.cli import app

    data_dir = tmp_path / "live"
    runner = CliRunner(env={"BUDGETQA_EMBEDDING_MODEL": "none"})
    for name in ("full", "damaged"):
        assert runner.invoke(app, ["ingest", str(seed_copies[name]), "--data-dir", str(data_dir)]).exit_code == 0
    saved = tmp_path / "backup"
    result = runner.invoke(app, ["backup", str(saved), "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["backup", str(saved), "--data-dir", str(data_dir)]).exit_code == 2
    live, copy = Store(data_dir), Store(saved)
    doc_id = live.identities()[0]["doc_id"]
    assert store_counts(copy) == store_counts(live) and copy.load(doc_id) == live.load(doc_id)
    assert copy.document_versions(doc_id) == live.document_versions(doc_id)
    assert runner.invoke(app, ["restore", doc_id, "2", "--data-dir", str(saved)]).exit_code == 0
    assert store_counts(Store(saved)) != store_counts(live)


def test_postgres_backup_is_a_pg_dump_that_restores(tmp_path: Path, seed_copies) -> None:
    """On PostgreSQL, ``budgetqa backup`` writes a pg_dump; pg_restore into an empty database and
    the backup folder as data dir give back the same documents and versions."""
    from typer.testing import CliRunner

    from budgetqa.cli import app
    from budgetqa.index.backup import DUMP_NAME, restore_postgres

    with database_url("postgresql") as live_url, database_url("postgresql") as copy_url:
        data_dir = tmp_path / "live"
        runner = CliRunner(env={"BUDGETQA_EMBEDDING_MODEL": "none", "BUDGETQA_DATABASE_URL": live_url})
        for name in ("full", "damaged"):
            assert runner.invoke(app, ["ingest", str(seed_copies[name]), "--data-dir", str(data_dir)]).exit_code == 0
        saved = tmp_path / "backup"
        result = runner.invoke(app, ["backup", str(saved), "--data-dir", str(data_dir)])
        assert result.exit_code == 0, result.output
        assert (saved / DUMP_NAME).is_file() and not (saved / "budgetqa.sqlite3").exists()
        restore_postgres(saved / DUMP_NAME, copy_url)
        live, copy = Store(data_dir, live_url), Store(saved, copy_url)
        try:
            doc_id = live.identities()[0]["doc_id"]
            assert store_counts(copy) == store_counts(live) and copy.load(doc_id) == live.load(doc_id)
            assert copy.document_versions(doc_id) == live.document_versions(doc_id)
            copy.restore(doc_id, 2)
            assert store_counts(copy) != store_counts(live)
        finally:
            live.close()
            copy.close()
