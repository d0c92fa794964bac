"""Retrieval speed: embedding throughput, and search latency with 2 and with 100 documents indexed.

The 100-document store holds the seed and the 决算 PDF plus 98 copies of their chunks
under other document ids (copies of real text, so the index has realistic near-duplicates).
Run: ``python bench/retrieve.py [--model NAME] [--queries N]``. Needs ../shared.
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import tempfile
import time
from pathlib import Path

from budgetqa.eval.retrieval import load_items
from budgetqa.eval.runner import EVAL_DIR, document_paths
from budgetqa.index.embeddings import embedder_for
from budgetqa.index.passages import sentence_passages
from budgetqa.index.retriever import ChunkFilter, ChunkSearch
from budgetqa.index.store import Store
from budgetqa.index.vectors import VectorIndex
from budgetqa.ingest.pipeline import ingest_file, read_document
from budgetqa.settings import Settings

KEYS = ("seed", "putuo_final")


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {"p50_ms": round(statistics.median(ordered), 2),
            "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 2)}


def embedding_throughput(settings: Settings) -> dict:
    """Sentences (what the vector index embeds) and chunks per second, embedding the two documents
    cold (no cache)."""
    docs = [read_document(p, settings) for k in KEYS for p in document_paths(k)]
    texts = [p.searchable for d in docs for c in d.chunks
             for p in sentence_passages(c.chunk_id, c.section_path, c.text)]
    chunks = sum(len(d.chunks) for d in docs)
    embedder = embedder_for(settings)
    embedder.encode(["预热"])
    embedder._cache.clear()
    start = time.perf_counter()
    embedder.encode(texts)
    seconds = time.perf_counter() - start
    return {"chunks": chunks, "sentences": len(texts), "seconds": round(seconds, 2),
            "chunks_per_s": round(chunks / seconds, 1), "sentences_per_s": round(len(texts) / seconds, 1)}


def latency(store: Store, settings: Settings, questions: list[str], doc_ids: tuple[str, ...] | None) -> dict:
    """Hybrid search latency per question (query embeddings not cached), over all or some documents."""
    search = ChunkSearch(store, settings)
    search.search("预热", 5)  # builds the keyword index once
    embedder = search.vectors.embedder
    times = []
    for question in questions:
        embedder._cache.clear()
        start = time.perf_counter()
        search.search(question, 5, ChunkFilter(doc_ids=doc_ids) if doc_ids else None)
        times.append((time.perf_counter() - start) * 1000)
    return percentiles(times)


def copies(store: Store, settings: Settings, total: int) -> float:
    """Fill the store to ``total`` documents with copies of its documents; returns seconds spent indexing."""
    originals = [store.load(d["doc_id"]) for d in store.documents()]
    index = VectorIndex(settings)
    seconds = 0.0
    for n in range(total - len(originals)):
        doc = copy.deepcopy(originals[n % len(originals)])
        doc.doc_id = f"copy{n:03d}"
        doc.department = f"{doc.department}（副本{n}）"
        for f in doc.files:
            f.sha256 = f"{f.sha256[:48]}{n:016d}"
        store.save(doc)
        start = time.perf_counter()
        index.index_document(doc)
        seconds += time.perf_counter() - start
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default=None, help="embedding model (default: the settings')")
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--profile", action="store_true", help="profile the 100-document searches")
    args = parser.parse_args()
    items = [i for i in load_items([EVAL_DIR / "sets" / "retrieval.jsonl"]) if i.get("gold_phrase")]
    questions = [i["question"] for i in items][: args.queries]
    with tempfile.TemporaryDirectory() as tmp:
        base = Settings() if args.model is None else Settings(embedding_model=args.model)
        settings = base.model_copy(update={"data_dir": Path(tmp)})
        store = Store(settings.data_dir)
        result: dict = {"model": settings.embedding_model, "embedding": embedding_throughput(settings)}
        start = time.perf_counter()
        ids = [ingest_file(store, p, settings).doc_id for k in KEYS for p in document_paths(k)]
        result["ingest_2_docs_s"] = round(time.perf_counter() - start, 2)
        result["2_docs"] = {"all": latency(store, settings, questions, None),
                            "one_doc": latency(store, settings, questions, (ids[0],))}
        result["index_98_copies_s"] = round(copies(store, settings, 100), 2)
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            latency(store, settings, questions, None)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        latency(store, settings, questions[:10], None)  # warm up: keyword index, Chroma's HNSW build
        result["100_docs"] = {"all": latency(store, settings, questions, None),
                              "one_doc": latency(store, settings, questions, (ids[0],)),
                              "vectors": VectorIndex(settings).count()}
        store.close()
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
