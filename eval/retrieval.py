"""Score narrative retrieval: hit@1, hit@5 and MRR for dense, keyword and hybrid search.

A retrieval item names its documents (keys of eval/documents.toml), a question and a
``gold_phrase``: a hit is a retrieved chunk of one of those documents whose text
contains the phrase (``gold_page`` is reported as a secondary check). Items whose
``expected_status`` is "refused" check that ``answer_text`` refuses them; for the
others, the text answer must quote the gold phrase's sentence.
"""

from __future__ import annotations

import json
import re
import statistics
import tempfile
import time
from pathlib import Path

from budgetqa.eval.runner import document_paths
from budgetqa.index.retriever import ChunkFilter, ChunkSearch, Hit
from budgetqa.index.store import Store
from budgetqa.ingest.pipeline import ingest_file
from budgetqa.settings import Settings

MODES = ("dense", "keyword", "hybrid")
DEPTH = 5
_SPACE = re.compile(r"\s+")


def load_items(paths: list[Path]) -> list[dict]:
    return [json.loads(line) for p in paths for line in Path(p).read_text(encoding="utf-8").splitlines()
            if line.strip()]


def _contains(text: str, phrase: str) -> bool:
    return _SPACE.sub("", phrase) in _SPACE.sub("", text)


def rank_of(hits: list[Hit], doc_ids: set[str], phrase: str) -> int | None:
    """1-based rank of the first hit from the right documents that contains the phrase."""
    for n, hit in enumerate(hits, start=1):
        if hit.row.doc_id in doc_ids and _contains(hit.row.text, phrase):
            return n
    return None


def _summary(ranks: list[int | None], pages_ok: list[bool]) -> dict:
    total = len(ranks) or 1
    return {
        "hit@1": round(sum(r == 1 for r in ranks) / total * 100, 2),
        "hit@5": round(sum(r is not None and r <= 5 for r in ranks) / total * 100, 2),
        "mrr": round(sum(1 / r for r in ranks if r) / total, 4),
        "page@1": round(sum(pages_ok) / total * 100, 2),
    }


def score_store(store: Store, settings: Settings, items: list[dict], keys: dict[str, str],
                with_answers: bool = True) -> dict:
    """Retrieval metrics per mode (and text-answer accuracy) for items over an ingested store."""
    from budgetqa.answer.text import answer_text

    search = ChunkSearch(store, settings)
    positives = [i for i in items if i.get("gold_phrase")]
    negatives = [i for i in items if i.get("expected_status") == "refused"]
    result: dict = {"questions": len(positives), "modes": {}, "misses": {}}
    for mode in MODES:
        ranks, pages_ok, misses, times = [], [], [], []
        for item in positives:
            doc_ids = {keys[k] for k in item["documents"]}
            start = time.perf_counter()
            hits = search.search(item["question"], DEPTH, ChunkFilter(doc_ids=tuple(sorted(doc_ids))), mode)
            times.append((time.perf_counter() - start) * 1000)
            rank = rank_of(hits, doc_ids, item["gold_phrase"])
            ranks.append(rank)
            pages_ok.append(rank == 1 and hits[0].row.page == item.get("gold_page"))
            if rank != 1:
                misses.append({"id": item["id"], "question": item["question"], "rank": rank,
                               "top": hits[0].row.text[:60] if hits else None})
        result["modes"][mode] = {**_summary(ranks, pages_ok), "p50_ms": round(statistics.median(times), 2)}
        result["misses"][mode] = misses
    if with_answers:
        def answer(item: dict):
            return answer_text(store, item["question"], [keys[k] for k in item["documents"]], settings=settings)

        result["answers"] = _answers(positives, negatives, answer)
    return result


def gold_sentence(phrase: str) -> str:
    """The first sentence part of a gold phrase (a phrase may run over a sentence end)."""
    parts = [p for p in re.split(r"[。\n]", phrase) if len(p) >= 4]
    return parts[0] if parts else phrase


def _answers(positives: list[dict], negatives: list[dict], answer_text) -> dict:
    """Share of positives whose text answer quotes the gold sentence, and of off-topic ones refused."""
    quoted, refused, wrong = 0, 0, []
    for item in positives:
        answer = answer_text(item)
        ok = answer.status == "answered" and _contains(answer.answer, gold_sentence(item["gold_phrase"]))
        quoted += ok
        if not ok:
            wrong.append({"id": item["id"], "question": item["question"], "status": answer.status,
                          "answer": answer.answer[:80]})
    for item in negatives:
        answer = answer_text(item)
        refused += answer.status == "refused"
        if answer.status != "refused":
            wrong.append({"id": item["id"], "question": item["question"], "status": answer.status,
                          "answer": answer.answer[:80]})
    return {
        "quoted": round(quoted / (len(positives) or 1) * 100, 2),
        "refused_offtopic": round(refused / (len(negatives) or 1) * 100, 2),
        "offtopic": len(negatives),
        "wrong": wrong,
    }


def ingest_keys(store: Store, settings: Settings, keys: list[str]) -> dict[str, str]:
    """Ingest the documents of eval keys; returns key → doc_id."""
    found = {}
    for key in keys:
        for path in document_paths(key):
            found[key] = ingest_file(store, path, settings).doc_id
    return found


def run_retrieval(paths: list[Path], settings: Settings | None = None) -> dict:
    """Score retrieval sets: every document they name is ingested into one temporary store.

    ``settings`` may name another embedding model; its ``data_dir`` is replaced by the
    temporary store's.
    """
    items = load_items(paths)
    keys = sorted({k for item in items for k in item["documents"]})
    # documents not on this machine (../shared absent): their questions are not scored
    present = {k for k in keys if all(path.exists() for path in document_paths(k))}
    items = [item for item in items if set(item["documents"]) <= present]
    if not items:
        return {"questions": 0, "embedding_model": (settings or Settings()).embedding_model}
    keys = sorted(present & {k for item in items for k in item["documents"]})
    with tempfile.TemporaryDirectory() as tmp:
        base = settings or Settings()
        run_settings = base.model_copy(update={"data_dir": Path(tmp)})
        store = Store(run_settings.data_dir)
        try:
            doc_ids = ingest_keys(store, run_settings, keys)
            result = score_store(store, run_settings, items, doc_ids)
        finally:
            store.close()
    result["embedding_model"] = (settings or Settings()).embedding_model
    return result
