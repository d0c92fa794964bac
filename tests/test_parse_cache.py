"""The parse cache the suite and the eval gates share: one parse per file and parser version."""

from __future__ import annotations

from pathlib import Path

import pytest

from budgetqa.eval import runner
from budgetqa.ingest import parse_cache
from budgetqa.ingest.parse_cache import ParseCache
from budgetqa.settings import Settings

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "sample_budget.pdf"


def test_a_file_is_parsed_once_and_each_caller_gets_its_own_copy(tmp_path: Path) -> None:
    calls: list[Path] = []

    def reader(path: Path, settings: Settings):
        calls.append(path)
        from budgetqa.ingest.pipeline import read_document
        return read_document(path, settings)

    settings = Settings(data_dir=tmp_path / "data")
    first = ParseCache(tmp_path / "cache", reader)
    doc = first(SAMPLE, settings)
    doc.tables.clear()  # a caller's change never reaches the cache
    again = ParseCache(tmp_path / "cache", reader)(SAMPLE, settings)  # another process: read from the folder
    assert calls == [SAMPLE] and again.tables


def test_a_change_to_the_parser_makes_the_cached_parse_stale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache, settings = ParseCache(tmp_path, lambda p, s: None), Settings(data_dir=tmp_path)
    before = cache.key(SAMPLE, settings)
    monkeypatch.setattr(parse_cache, "code_fingerprint", lambda: "another parser")
    assert cache.key(SAMPLE, settings) != before


def test_eval_reads_through_the_cache_only_when_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BUDGETQA_PARSE_CACHE", raising=False)
    assert runner._reader() is None
    monkeypatch.setenv("BUDGETQA_PARSE_CACHE", str(tmp_path))
    reader = runner._reader()
    assert isinstance(reader, ParseCache) and reader.folder == tmp_path
