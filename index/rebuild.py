"""``budgetqa index rebuild``: bring the vector index in line with the store, embedding only what is new.

A document whose passages the index already holds (same ids, same text hashes) is skipped; the
others are written in batches of several documents, each distinct passage text embedded once
(``VectorIndex.vectors_for`` reuses the vector of any text embedded before, see
``vector_cache.py``), by ``jobs`` worker processes; documents gone from the store leave the index.
``force`` drops the model's collection and cached vectors and embeds everything again.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from budgetqa.index.embeddings import embedder_for
from budgetqa.index.vectors import Encoder, VectorIndex, dense_enabled, passage_rows, vector_cache
from budgetqa.settings import Settings

BATCH_PASSAGES = 1024
"""Passages gathered (over several documents) before they are embedded and written."""
WORKER_SLICE = 64
"""Texts a worker embeds per task."""

Progress = Callable[[int, int], None]
"""Called with (documents done, documents in the store)."""


@dataclass(slots=True)
class RebuildReport:
    """What a rebuild did."""

    documents: dict[str, int] = field(default_factory=dict)
    """Passages the index holds per stored document afterwards."""
    skipped: int = 0
    """Documents whose passages were all in the index already."""
    written: int = 0
    """Passages written."""
    embedded: int = 0
    """Distinct texts embedded (the rest reused a vector: the same text elsewhere, or embedded before)."""
    removed: int = 0
    """Documents no longer in the store whose passages were removed."""
    seconds: float = 0.0

    @property
    def reused(self) -> int:
        return self.written - self.embedded

    @property
    def rate(self) -> float:
        """Passages written per second."""
        return self.written / self.seconds if self.seconds else 0.0


def rebuild_index(store, settings: Settings, jobs: int = 1, force: bool = False,
                  progress: Progress | None = None) -> RebuildReport:
    """Embed every stored document's passages the index lacks (see the module doc)."""
    report = RebuildReport()
    if not dense_enabled(settings):
        return report
    start = time.perf_counter()
    index = VectorIndex(settings)
    if force:
        _drop(index)
        index = VectorIndex(settings)
    held = index.held()
    stored = [item["doc_id"] for item in store.documents()]
    for doc_id in set(held) - set(stored):
        index.collection.delete(where={"doc_id": doc_id})
        report.removed += 1
    pending: list = []
    with encoder(settings, jobs) as encode:
        for done, doc_id in enumerate(stored, 1):
            doc = store.load(doc_id)
            rows = passage_rows(doc) if doc is not None else []
            if doc is not None and {r.id: r.sha for r in rows} == held.get(doc_id, {}):
                report.skipped += 1
                report.documents[doc_id] = len(rows)
            elif doc is not None:
                pending.append((doc_id, rows))
                if sum(len(r) for _, r in pending) >= BATCH_PASSAGES:
                    _flush(index, pending, encode, report)
            if progress:
                progress(done, len(stored))
        _flush(index, pending, encode, report)
    report.seconds = time.perf_counter() - start
    return report


def _flush(index: VectorIndex, pending: list, encode: Encoder, report: RebuildReport) -> None:
    """Embed and write the gathered documents' passages, replacing what the index held for them."""
    if not pending:
        return
    rows = [row for _, doc_rows in pending for row in doc_rows]
    vectors, embedded = index.vectors_for(rows, encode)
    index.write(rows, vectors, remove={doc_id for doc_id, _ in pending})
    report.written += len(rows)
    report.embedded += embedded
    for doc_id, doc_rows in pending:
        report.documents[doc_id] = len(doc_rows)
    pending.clear()


def _drop(index: VectorIndex) -> None:
    if any(c.name == index.name for c in index.client.list_collections()):
        index.client.delete_collection(index.name)
    vector_cache(str(index.settings.data_dir)).drop(index.name)


@contextmanager
def encoder(settings: Settings, jobs: int) -> Iterator[Encoder]:
    """The model's ``encode``: in this process, or split over ``jobs`` worker processes (fresh
    interpreters, each loading the model once)."""
    if jobs <= 1:
        yield embedder_for(settings).encode
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_load, initargs=(settings,)) as pool:
        def encode(texts: list[str]) -> np.ndarray:
            slices = [texts[i:i + WORKER_SLICE] for i in range(0, len(texts), WORKER_SLICE)]
            return np.vstack(list(pool.map(_encode, slices)))
        yield encode


_worker_settings: Settings | None = None


def _load(settings: Settings) -> None:
    global _worker_settings
    _worker_settings = settings
    embedder_for(settings)


def _encode(texts: list[str]) -> np.ndarray:
    assert _worker_settings is not None
    return embedder_for(_worker_settings).encode(texts)
