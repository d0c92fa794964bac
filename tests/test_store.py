"""The store: idempotent re-ingest, atomic saves, whole-document deletes, faithful round trips."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import (
    CPPCC_NARRATIVE,
    CPPCC_TABLES,
    FINAL_2024,
    WANLI_2024,
    corpus_file,
    database_url,
    row_count,
    store_counts,
)

from budgetqa.index.db import Database
from budgetqa.index.store import Store
from budgetqa.ingest import pipeline
from budgetqa.ingest.parse_cache import ParseCache
from budgetqa.ingest.pipeline import ingest_file
from budgetqa.models import Document
from budgetqa.settings import Settings

pytestmark = pytest.mark.corpus

CHILD_TABLES = ("files", "tables", "cells", "facts", "chunks")


def _rows(store: Store, doc_id: str) -> dict[str, int]:
    """Rows per SQL table for one document (cells of every state, not only values)."""
    return {name: row_count(store, name, doc_id) for name in CHILD_TABLES}


def test_reingesting_the_same_file_changes_nothing(read_cache: ParseCache, each_store: tuple[Store, Settings],
                                                   tmp_path: Path) -> None:
    store, settings = each_store
    path = corpus_file(FINAL_2024)
    first = ingest_file(store, path, settings)
    assert first.status == "added"
    before = (store_counts(store), _rows(store, first.doc_id), store.load(first.doc_id))
    again = ingest_file(store, path, settings)
    assert again.status == "unchanged"
    assert (again.doc_id, again.tables, again.cells, again.facts, again.chunks) == (
        first.doc_id, first.tables, first.cells, first.facts, first.chunks,
    )
    renamed = tmp_path / "same-bytes-other-name.pdf"
    renamed.write_bytes(path.read_bytes())
    assert ingest_file(store, renamed, settings).status == "unchanged"
    assert (store_counts(store), _rows(store, first.doc_id), store.load(first.doc_id)) == before
    assert all(n > 0 for n in _rows(store, first.doc_id).values())


def test_stored_document_is_what_was_read(read_cache: ParseCache, each_store: tuple[Store, Settings]) -> None:
    """Everything read from the PDF comes back from the store unchanged (Decimals, paths, states)."""
    store, settings = each_store
    path = corpus_file(WANLI_2024)
    read = pipeline.read_document(path, settings)  # the session cache: parsed once
    result = ingest_file(store, path, settings)
    loaded = store.load(result.doc_id)
    assert loaded is not None
    assert loaded.tables == read.tables
    assert loaded.facts == read.facts
    assert loaded.chunks == read.chunks
    assert (loaded.department, loaded.year, loaded.kind, loaded.unit, loaded.profile) == (
        read.department, read.year, read.kind, read.unit, read.profile,
    )


def _fail_after_insert(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make Store._insert write everything, then raise (inside the save transaction)."""
    original = Store._insert

    def insert_then_fail(self: Store, db: Database, doc: Document) -> None:
        original(self, db, doc)
        raise RuntimeError("disk full (simulated)")

    monkeypatch.setattr(Store, "_insert", insert_then_fail)


def test_failed_save_of_a_new_document_leaves_the_store_as_it_was(
    read_cache: ParseCache, each_store: tuple[Store, Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, settings = each_store
    kept = ingest_file(store, corpus_file(WANLI_2024), settings)
    before = (store_counts(store), _rows(store, kept.doc_id))
    with monkeypatch.context() as patch:
        _fail_after_insert(patch)
        with pytest.raises(RuntimeError, match="simulated"):
            ingest_file(store, corpus_file(FINAL_2024), settings)
    assert (store_counts(store), _rows(store, kept.doc_id)) == before
    assert store.db.execute("SELECT COUNT(*) FROM cells").fetchone()[0] == _rows(store, kept.doc_id)["cells"]
    assert ingest_file(store, corpus_file(FINAL_2024), settings).status == "added"


def test_failed_replacing_save_keeps_the_old_version(
    read_cache: ParseCache, each_store: tuple[Store, Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Store.save(new, replaces=old) deletes the old version first; a failure restores it whole."""
    store, settings = each_store
    old = ingest_file(store, corpus_file(FINAL_2024), settings)
    before = (store_counts(store), _rows(store, old.doc_id), store.load(old.doc_id))
    newer = store.load(old.doc_id)
    assert newer is not None
    newer.tables = newer.tables[:2]
    with monkeypatch.context() as patch:
        _fail_after_insert(patch)
        with pytest.raises(RuntimeError, match="simulated"):
            store.save(newer, replaces=old.doc_id)
    assert (store_counts(store), _rows(store, old.doc_id), store.load(old.doc_id)) == before
    store.save(newer, replaces=old.doc_id)
    assert _rows(store, old.doc_id)["tables"] == 2


def test_failed_merge_keeps_the_first_half(
    read_cache: ParseCache, each_store: tuple[Store, Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A merge deletes the stored half and writes the whole; if that fails, the stored half is intact."""
    store, settings = each_store
    narrative = ingest_file(store, corpus_file(CPPCC_NARRATIVE), settings)
    before = (store_counts(store), _rows(store, narrative.doc_id), store.load(narrative.doc_id))
    with monkeypatch.context() as patch:
        _fail_after_insert(patch)
        with pytest.raises(RuntimeError, match="simulated"):
            ingest_file(store, corpus_file(CPPCC_TABLES), settings)
    assert (store_counts(store), _rows(store, narrative.doc_id), store.load(narrative.doc_id)) == before
    merged = ingest_file(store, corpus_file(CPPCC_TABLES), settings)
    assert (merged.status, merged.doc_id) == ("merged", narrative.doc_id)


def test_delete_removes_the_document_and_everything_under_it(
    read_cache: ParseCache, each_store: tuple[Store, Settings]
) -> None:
    store, settings = each_store
    gone = ingest_file(store, corpus_file(FINAL_2024), settings)
    kept = ingest_file(store, corpus_file(WANLI_2024), settings)
    assert all(n > 0 for n in _rows(store, gone.doc_id).values())
    kept_rows = _rows(store, kept.doc_id)
    assert store.delete(gone.doc_id) is True
    assert _rows(store, gone.doc_id) == dict.fromkeys(CHILD_TABLES, 0)
    assert store.load(gone.doc_id) is None and store.tables(gone.doc_id) == []
    assert [d["doc_id"] for d in store.documents()] == [kept.doc_id]
    assert _rows(store, kept.doc_id) == kept_rows
    assert store.delete(gone.doc_id) is False
    assert ingest_file(store, corpus_file(FINAL_2024), settings).status == "added"


def test_store_survives_reopening(read_cache: ParseCache, each_store: tuple[Store, Settings]) -> None:
    """A second Store on the same folder or database sees the same documents (the database is the
    source of truth)."""
    store, settings = each_store
    result = ingest_file(store, corpus_file(WANLI_2024), settings)
    other = Store(settings.data_dir, settings.database_url)
    try:
        assert store_counts(other) == store_counts(store)
        assert other.resolve("万里街道") == result.doc_id
        assert other.resolve(result.doc_id[:5]) == result.doc_id
        assert other.resolve("no such department") is None
    finally:
        other.close()


def test_keyword_index_is_kept_in_the_store_and_follows_deletes(
    read_cache: ParseCache, each_store: tuple[Store, Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Passage tokens are written with the document and found by the full-text index; a search
    reads only the documents in scope, from the stored tokens (nothing is tokenised again); a
    delete takes the document's passages out of the full-text index too."""
    from budgetqa.index import keyword
    from budgetqa.index.retriever import ChunkFilter, ChunkSearch

    store, settings = each_store
    final = ingest_file(store, corpus_file(FINAL_2024), settings)
    wanli = ingest_file(store, corpus_file(WANLI_2024), settings)
    expected = sum(len(keyword.passages(c.chunk_id, c.section_path, c.text)) for c in store.load(wanli.doc_id).chunks)
    assert row_count(store, "passages", wanli.doc_id) == expected > 0
    assert set(keyword.matching_documents(store, ["街道"], 10)) == {wanli.doc_id}
    with monkeypatch.context() as patch:
        patch.setattr(keyword, "_tokens", lambda *_: pytest.fail("a stored passage was tokenised again"))
        hits = ChunkSearch(store, settings).search("主要职能", 5, ChunkFilter(doc_ids=(final.doc_id,)), "keyword")
    assert hits and {h.row.doc_id for h in hits} == {final.doc_id}
    assert store.delete(wanli.doc_id)
    assert row_count(store, "passages", wanli.doc_id) == 0
    assert keyword.matching_documents(store, ["街道"], 10) == []
    assert keyword.matching_documents(store, ["财政局"], 10) == [final.doc_id]


def test_a_dropped_postgresql_connection_is_opened_again(tmp_path: Path) -> None:
    """A server restart (here: the server ending the session) does not leave the store unusable."""
    import psycopg

    with database_url("postgresql") as url:
        store = Store(tmp_path, url)
        pid = store.db.execute("SELECT pg_backend_pid()").fetchone()[0]
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        with pytest.raises(psycopg.OperationalError):
            store.db.execute("SELECT 1")  # the statement in flight fails
        assert store.documents() == [] and store.db.execute("SELECT pg_backend_pid()").fetchone()[0] != pid
        store.close()


def test_aliases_are_written_again_when_the_alias_rules_change(read_cache: ParseCache,
                                                                each_store: tuple[Store, Settings]) -> None:
    """A store written under older alias rules answers to the short names today's rules give."""
    from budgetqa.ingest.identity import aliases

    store, settings = each_store
    doc_id = ingest_file(store, corpus_file(WANLI_2024), settings).doc_id
    department = store.load(doc_id).department
    with store.transaction() as tx:  # as an older version left it: fewer aliases, other rules
        tx.execute("DELETE FROM aliases WHERE doc_id = ? AND alias <> ?", (doc_id, department))
        tx.execute("UPDATE store_meta SET value = 'older rules' WHERE key = 'alias_rules'")
    reopened = Store(settings.data_dir, settings.database_url)
    try:
        assert reopened.aliases_of(doc_id) == aliases(department)
        assert doc_id in reopened.match_aliases(["万里街道"])["万里街道"]
        with reopened.transaction() as tx:  # same rules: opening again rewrites nothing
            tx.execute("DELETE FROM aliases WHERE doc_id = ? AND alias = '万里街道'", (doc_id,))
    finally:
        reopened.close()
    again = Store(settings.data_dir, settings.database_url)
    try:
        assert "万里街道" not in again.aliases_of(doc_id)
    finally:
        again.close()
