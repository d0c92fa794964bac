"""Hybrid retrieval over narrative chunks: dense (chromadb) and keyword (BM25) scores fused.

Both searches score passages (one or two sentences of a chunk, with its headings).
Hybrid fusion is per passage: ``bm25 / best bm25 + DENSE_WEIGHT × cosine +
COVERAGE_WEIGHT × coverage`` (the share of the question's IDF weight the passage holds,
each term once, so one rare word the question names outweighs common words repeated),
so keyword evidence leads and the embedding breaks ties; a chunk scores as its best passage. Dense hits are checked against the SQLite store,
so a stale vector (a chunk since replaced or deleted) never comes back.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Literal

from budgetqa.index.keyword import (
    BIGRAM,
    ChunkRow,
    KeywordIndex,
    keyword_index,
    query_terms,
    scope_of,
)
from budgetqa.index.passages import Passage
from budgetqa.index.vectors import VectorIndex, dense_enabled, passage_id
from budgetqa.settings import Settings

Mode = Literal["hybrid", "dense", "keyword"]
DENSE_WEIGHT = 0.5
"""Weight of the cosine similarity against the normalised BM25 score in hybrid fusion."""
COVERAGE_WEIGHT = 0.5
"""Weight of the share of the question's keyword weight a passage holds (each term counted once)."""
FOCUS_WEIGHT = 0.1
"""Taken off a passage whose own sentences do not name the question's most specific term
(its longest word of four or more characters, e.g. 一般公共预算): a heading alone is not enough."""
DENSE_CANDIDATES = 60
"""Passages the dense search contributes to the fusion."""
KEYWORD_CANDIDATES = 60
"""Best keyword passages whose similarity is looked up when the dense search missed them."""
KEYWORD_POOL = 300
"""Best keyword passages that take part in the fusion (and chunk ranking) at all."""

log = logging.getLogger(__name__)
_QUOTES = re.compile(r"[\s“”\"'‘’「」]+")


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
        """The part of the filter Chroma applies itself (the rest is checked afterwards)."""
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
    """A retrieved chunk, its best passage and that passage's scores."""

    row: ChunkRow
    passage: Passage
    score: float
    dense: float | None = None
    """Cosine similarity of the passage to the question."""
    keyword: float | None = None
    """BM25 score of the passage."""

    def as_langchain(self):
        """This hit as a langchain ``Document`` (``langchain_retriever.py``)."""
        from langchain_core.documents import Document as LCDocument

        row = self.row
        return LCDocument(
            page_content=row.text,
            metadata={"doc_id": row.doc_id, "chunk_id": row.chunk_id, "page": row.page, "section": row.section,
                      "document": row.title, "department": row.department, "year": row.year,
                      "kind": row.kind, "passage": self.passage.text, "score": self.score,
                      "dense": self.dense, "keyword": self.keyword},
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

    def keywords(self, chunk_filter: ChunkFilter | None = None, question: str = "") -> KeywordIndex:
        """The keyword index of the documents a search reads (see ``keyword.scope_of``)."""
        doc_ids = chunk_filter.doc_ids if chunk_filter is not None else None
        words = [t for t in query_terms(question, expand=False) if not t.startswith(BIGRAM)]
        return keyword_index(self.store, scope_of(self.store, doc_ids, words))

    # --- passage scores ---------------------------------------------------------------------

    def _allowed(self, index: KeywordIndex, chunk_filter: ChunkFilter | None) -> set[int] | None:
        if chunk_filter is None:
            return None
        return {i for i, row in enumerate(index.rows) if chunk_filter.allows(row)}

    def _dense_scores(self, index: KeywordIndex, question: str, chunk_filter: ChunkFilter | None,
                      allowed: set[int] | None, also: list[int] = ()) -> dict[int, float]:
        """Cosine similarity (by keyword-index position) of the nearest sentences, of the
        sentences of the passages ``also`` names, and of every passage made of them (its best
        sentence's)."""
        wanted = DENSE_CANDIDATES if chunk_filter is None or chunk_filter.exact else DENSE_CANDIDATES * 4
        where = chunk_filter.where() if chunk_filter else None
        found = self.vectors.search(question, wanted, where)
        seen = {index.by_key.get((f.doc_id, f.chunk_id, f.n)) for f in found}
        wanted_sentences = {j for i in also for j in index.sentences_of(i)} - seen
        missing = [passage_id(index.rows[index.owner[j]].doc_id, index.passages[j].chunk_id, index.passages[j].n)
                   for j in sorted(wanted_sentences)]
        found += self.vectors.similarities(question, missing)
        sentences: dict[int, float] = {}
        for hit in found:
            i = index.by_key.get((hit.doc_id, hit.chunk_id, hit.n))
            if i is None or index.passages[i].text != hit.text:
                continue  # a stale vector (its chunk was replaced or deleted)
            if allowed is not None and index.owner[i] not in allowed:
                continue
            sentences[i] = hit.similarity
        scores = dict(sentences)
        windows = set(also) | {w for i in sentences for w in (i - 1, i + 1)}  # windows sit beside their sentences
        for w in windows:
            if 0 <= w < len(index.passages) and index.passages[w].size > 1:
                known = [sentences[j] for j in index.sentences_of(w) if j in sentences]
                if known:
                    scores[w] = max(known)
        return scores

    def _keyword_scores(self, index: KeywordIndex, question: str, allowed: set[int] | None) -> dict[int, float]:
        return index.search(query_terms(question), allowed, KEYWORD_POOL)

    def passage_scores(self, question: str, chunk_filter: ChunkFilter | None = None,
                       mode: Mode = "hybrid") -> tuple[KeywordIndex, dict[int, Hit]]:
        """Every candidate passage's ``Hit`` by one mode, keyed by its keyword-index position."""
        index = self.keywords(chunk_filter, question)
        allowed = self._allowed(index, chunk_filter)
        dense: dict[int, float] = {}
        keyword: dict[int, float] = {}
        if mode in ("keyword", "hybrid"):
            keyword = self._keyword_scores(index, question, allowed)
        if mode == "hybrid" and not dense_enabled(self.settings):
            mode = "keyword"
        if mode in ("dense", "hybrid"):
            also = sorted(keyword, key=lambda i: -keyword[i])[:KEYWORD_CANDIDATES]
            try:
                dense = self._dense_scores(index, question, chunk_filter, allowed, also)
            except Exception as exc:
                if mode == "dense":
                    raise
                log.warning("dense search failed, using keyword search only: %s", exc)
        terms = query_terms(question)
        weighted = index.weighted(terms)
        focus = max((t for t in terms if not t.startswith(BIGRAM) and len(t) >= 4), key=len, default=None)
        top = max(keyword.values(), default=0.0) or 1.0
        floor = min(dense.values(), default=0.0)
        hits: dict[int, Hit] = {}
        for i in set(dense) | set(keyword):
            if mode == "dense":
                score = dense[i]
            elif mode == "keyword":
                score = keyword[i]
            else:
                score = (keyword.get(i, 0.0) / top + DENSE_WEIGHT * dense.get(i, floor)
                         + COVERAGE_WEIGHT * index.coverage(weighted, i))
                if focus and focus not in _QUOTES.sub("", index.passages[i].text):
                    score -= FOCUS_WEIGHT
            hits[i] = Hit(index.rows[index.owner[i]], index.passages[i], score, dense.get(i), keyword.get(i))
        return index, hits

    # --- chunks -------------------------------------------------------------------------------

    def search(self, question: str, k: int = 5, chunk_filter: ChunkFilter | None = None,
               mode: Mode = "hybrid") -> list[Hit]:
        """The ``k`` best chunks for a question, each with its best passage.

        A passage that matches the question only through its headings ("主要职能是什么")
        stands for its whole section, which is answered by the section's opening.
        """
        index, hits = self.passage_scores(question, chunk_filter, mode)
        best: dict[tuple[str, str], Hit] = {}
        for i in sorted(hits):  # document order, so ties go to the earlier chunk
            hit = hits[i]
            kept = best.get(hit.row.key)
            if kept is None or hit.score > kept.score:
                best[hit.row.key] = hit
        ranked = sorted(best.values(), key=lambda h: -h.score)
        words = [t for t, w in query_terms(question).items() if w >= 1 and not t.startswith(BIGRAM)]
        result: dict[tuple[str, str], Hit] = {}
        for hit in ranked:
            if words and not any(w in hit.passage.text for w in words):
                hit = self._opening(index, hit)
            result.setdefault(hit.row.key, hit)
            if len(result) == k:
                break
        return list(result.values())

    @staticmethod
    def _opening(index: KeywordIndex, hit: Hit) -> Hit:
        """The first passage of the first chunk of the hit's section (same document)."""
        i = index.openings.get((hit.row.doc_id, hit.row.section_path))
        if i is None:
            return hit
        return Hit(index.rows[index.owner[i]], index.passages[i], hit.score, hit.dense, hit.keyword)

    def dense(self, question: str, k: int = 5, chunk_filter: ChunkFilter | None = None) -> list[Hit]:
        return self.search(question, k, chunk_filter, "dense")

    def keyword(self, question: str, k: int = 5, chunk_filter: ChunkFilter | None = None) -> list[Hit]:
        return self.search(question, k, chunk_filter, "keyword")

    def hybrid(self, question: str, k: int = 5, chunk_filter: ChunkFilter | None = None) -> list[Hit]:
        return self.search(question, k, chunk_filter, "hybrid")
