"""Hybrid retrieval over narrative chunks: dense (chromadb) and keyword (BM25) results fused.

Fusion is reciprocal-rank fusion: a chunk's score is the sum over the two lists of
``weight / (RRF_K + rank)``. Dense hits are checked against the SQLite store, so a
stale vector (a chunk since replaced or deleted) never comes back.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Literal

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from budgetqa.index.keyword import ChunkRow, KeywordIndex, keyword_index, query_terms
from budgetqa.index.vectors import VectorIndex
from budgetqa.settings import Settings

Mode = Literal["hybrid", "dense", "keyword"]
RRF_K = 10
DENSE_WEIGHT = 1.0
KEYWORD_WEIGHT = 1.0
CANDIDATES = 30
"""How many chunks each of the two searches contributes to the fusion."""

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ChunkFilter:
    """Which chunks a search may return; every field left empty allows all."""

    doc_ids: tuple[str, ...] | None = None
    department: str | None = None
    """Part of the department's name."""
    year: int | None = None
    kind: str | None = None
    """预算 or 决算."""
    section: str | None = None
    """Part of a heading on the chunk's section path."""

    def allows(self, row: ChunkRow) -> bool:
        return (
            (self.doc_ids is None or row.doc_id in self.doc_ids)
            and (self.department is None or self.department in row.department)
            and (self.year is None or row.year == self.year)
            and (self.kind is None or row.kind == self.kind)
            and (self.section is None or self.section in row.section)
        )

    def where(self) -> dict | None:
        """The part of the filter Chroma can apply itself (the rest is checked afterwards)."""
        clauses: list[dict] = []
        if self.doc_ids is not None:
            clauses.append({"doc_id": {"$in": list(self.doc_ids)}})
        if self.year is not None:
            clauses.append({"year": self.year})
        if self.kind is not None:
            clauses.append({"kind": self.kind})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    @property
    def exact(self) -> bool:
        """True when ``where()`` says everything (nothing left to check afterwards)."""
        return self.department is None and self.section is None


@dataclass(slots=True)
class Hit:
    """A retrieved chunk with its scores and ranks in each search."""

    row: ChunkRow
    score: float
    dense: float | None = None
    """Cosine similarity to the question."""
    keyword: float | None = None
    """BM25 score."""
    ranks: dict[str, int] = field(default_factory=dict)

    def as_langchain(self) -> LCDocument:
        row = self.row
        return LCDocument(
            page_content=row.text,
            metadata={"doc_id": row.doc_id, "chunk_id": row.chunk_id, "page": row.page, "section": row.section,
                      "document": row.title, "department": row.department, "year": row.year,
                      "kind": row.kind, "score": self.score, "dense": self.dense, "keyword": self.keyword},
        )


class ChunkSearch:
    """Dense, keyword and hybrid search over one store's chunks."""

    def __init__(self, store, settings: Settings | None = None) -> None:
        self.store = store
        self.settings = settings or Settings(data_dir=store.path.parent)
        self._vectors: VectorIndex | None = None

    @property
    def vectors(self) -> VectorIndex:
        if self._vectors is None:
            self._vectors = VectorIndex(self.settings)
        return self._vectors

    @property
    def keywords(self) -> KeywordIndex:
        return keyword_index(self.store)

    def dense(self, question: str, k: int, chunk_filter: ChunkFilter | None = None) -> list[Hit]:
        chunk_filter = chunk_filter or ChunkFilter()
        index = self.keywords
        by_key = {row.key: row for row in index.rows}
        wanted = k if chunk_filter.exact else k * 4
        hits = []
        for found in self.vectors.search(question, wanted, chunk_filter.where()):
            row = by_key.get((found.doc_id, found.chunk_id))
            if row is None or not chunk_filter.allows(row):
                continue  # a stale vector, or one the filter excludes
            hits.append(Hit(row, found.similarity, dense=found.similarity,
                            ranks={"dense": len(hits) + 1}))
        return hits[:k]

    def keyword(self, question: str, k: int, chunk_filter: ChunkFilter | None = None) -> list[Hit]:
        index = self.keywords
        allowed = None
        if chunk_filter is not None:
            allowed = {i for i, row in enumerate(index.rows) if chunk_filter.allows(row)}
        found = index.search(query_terms(question), k, allowed)
        return [Hit(index.rows[i], score, keyword=score, ranks={"keyword": n})
                for n, (i, score) in enumerate(found, start=1)]

    def hybrid(self, question: str, k: int, chunk_filter: ChunkFilter | None = None) -> list[Hit]:
        try:
            dense = self.dense(question, CANDIDATES, chunk_filter)
        except Exception as exc:  # the keyword half still answers when the vector index is down
            log.warning("dense search failed, using keyword search only: %s", exc)
            dense = []
        keyword = self.keyword(question, CANDIDATES, chunk_filter)
        fused: dict[tuple[str, str], Hit] = {}
        for hits, weight, name in ((dense, DENSE_WEIGHT, "dense"), (keyword, KEYWORD_WEIGHT, "keyword")):
            for rank, hit in enumerate(hits, start=1):
                entry = fused.setdefault(hit.row.key, Hit(hit.row, 0.0))
                entry.score += weight / (RRF_K + rank)
                entry.ranks[name] = rank
                if name == "dense":
                    entry.dense = hit.dense
                else:
                    entry.keyword = hit.keyword
        return sorted(fused.values(), key=lambda h: -h.score)[:k]

    def search(self, question: str, k: int = 5, chunk_filter: ChunkFilter | None = None,
               mode: Mode = "hybrid") -> list[Hit]:
        """The ``k`` best chunks for a question by one of the three modes."""
        return {"hybrid": self.hybrid, "dense": self.dense, "keyword": self.keyword}[mode](
            question, k, chunk_filter)


class HybridRetriever(BaseRetriever):
    """A langchain retriever over a store's narrative chunks (hybrid by default)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    search: Any
    """A ``ChunkSearch``."""
    k: int = 5
    mode: Mode = "hybrid"
    chunk_filter: ChunkFilter | None = None

    @classmethod
    def for_store(cls, store, settings: Settings | None = None, **kwargs: Any) -> HybridRetriever:
        return cls(search=ChunkSearch(store, settings), **kwargs)

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[LCDocument]:
        hits = self.search.search(query, self.k, self.chunk_filter, self.mode)
        return [hit.as_langchain() for hit in hits]
