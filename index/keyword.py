"""Keyword search over the store's narrative: BM25 on jieba words and character bigrams.

Each passage's tokens are computed once, when its document is saved, and kept in the store's
``passages`` table beside a full-text index of them (FTS5 on SQLite, a GIN ``tsvector`` on
PostgreSQL), so the index is incremental and no process tokenises the corpus again. A search
builds a BM25 index over the documents in scope only, from those stored tokens (statistics
within the scope); a search with no documents in scope takes the documents whose passages the
full-text index finds for the question's words. It scores passages (see ``passages.py``).
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections import Counter, OrderedDict, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from threading import Lock

import numpy as np

from budgetqa.index.passages import Passage, passages
from budgetqa.vocab import load

K1 = 0.6
"""BM25 term-frequency saturation: low, since a passage is one or two sentences."""
B = 0.3
"""BM25 length normalisation."""
EXPANSION_WEIGHT = 1.0
"""Weight of a word a question word stands for ("为什么" → "原因")."""
BIGRAM_WEIGHT = 0.5
"""Weight of the question's character bigrams (they match a phrase jieba cut otherwise)."""
HEADING_WEIGHT = 0.5
"""A heading's words count this much against the passage's own (they are shared by a whole section)."""
BIGRAM = "_"
"""Prefix that keeps bigram tokens apart from words."""

_WORD = re.compile(r"[\u4e00-\u9fff]|[A-Za-z]+|\d+(?:\.\d+)?")
_SPACE = re.compile(r"\s+")
_QUOTES = re.compile(r"[\s“”\"'‘’「」]+")
"""Spaces and quote marks: “三公”经费 and 三公经费 are the same words."""
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


@lru_cache
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    for word in load("retrieval")["keyword"]["compounds"]:
        jieba.add_word(_QUOTES.sub("", word), freq=2000)
    return jieba


@lru_cache
def _vocab() -> tuple[frozenset[str], tuple[tuple[str, tuple[str, ...]], ...]]:
    words = load("retrieval")["keyword"]
    expand = tuple((k, tuple(v)) for k, v in words["expand"].items())
    return frozenset(words["stopwords"]), expand


def words(text: str) -> list[str]:
    """jieba's search-mode words of a text (long words also give their parts), stopwords left out."""
    stop, _ = _vocab()
    out = []
    for token in _jieba().lcut_for_search(_QUOTES.sub("", text)):
        token = token.lower()
        if token in stop or not _WORD.match(token):
            continue
        out.append(token)
    return out


def bigrams(text: str) -> list[str]:
    """Character bigrams of the CJK runs of a text (quote marks dropped), marked with ``BIGRAM``."""
    runs = _CJK_RUN.findall(re.sub(r"[“”\"'‘’「」]", "", text))
    return [BIGRAM + run[i:i + 2] for run in runs for i in range(len(run) - 1)]


def tokenize(text: str) -> list[str]:
    """Index tokens of a text: words and character bigrams."""
    return words(text) + bigrams(text)


def query_terms(question: str, expand: bool = True) -> dict[str, float]:
    """A question's weighted search terms: its words; the bigrams of its content (question words
    and stopwords cut out, so "收入预算包括" keeps "入预" but "预算为什么" gives no "算为"); and the
    words its question words stand for ("为什么" → "原因"), unless ``expand`` is False."""
    stop, expansions = _vocab()
    terms: dict[str, float] = dict.fromkeys(words(question), 1.0)
    content = "".join(" " if t in stop else t for t in _jieba().lcut(_QUOTES.sub("", question)))
    for gram in bigrams(content):
        if gram[len(BIGRAM):] not in terms:  # a two-character word is already a term
            terms.setdefault(gram, BIGRAM_WEIGHT)
    for cue, replacements in expansions if expand else ():
        if cue in question:
            for word in replacements:
                terms.setdefault(word, EXPANSION_WEIGHT)
    return terms


@dataclass(frozen=True, slots=True)
class ChunkRow:
    """A chunk with the metadata that searches filter on."""

    doc_id: str
    chunk_id: str
    page: int
    section_path: tuple[str, ...]
    text: str
    department: str
    year: int | None
    kind: str | None
    title: str
    source_file: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return self.doc_id, self.chunk_id

    @property
    def section(self) -> str:
        return " > ".join(self.section_path)


@dataclass
class KeywordIndex:
    """BM25 over the passages of every chunk; ``owner[i]`` is the row of passage ``i``."""

    rows: list[ChunkRow]
    passages: list[Passage]
    owner: list[int]
    tokens: list[dict[str, float]]
    """Per passage: token → weighted count (own words 1, heading words ``HEADING_WEIGHT``)."""
    postings: dict[str, tuple[np.ndarray, np.ndarray]] = field(init=False)
    """token → (passage indexes, weighted counts)."""
    lengths: np.ndarray = field(init=False)
    avg_length: float = field(init=False)
    owners: np.ndarray = field(init=False)
    by_key: dict[tuple[str, str, int], int] = field(init=False)
    """(doc_id, chunk_id, passage n) → passage index."""
    openings: dict[tuple[str, tuple[str, ...]], int] = field(init=False)
    """(doc_id, section path) → index of the section's first passage."""
    sentence_at: dict[tuple[int, int], int] = field(init=False)
    """(row, sentence number) → index of that sentence's one-sentence passage."""

    def __post_init__(self) -> None:
        self.by_key = {}
        self.openings = {}
        self.sentence_at = {}
        for i, (p, o) in enumerate(zip(self.passages, self.owner, strict=True)):
            row = self.rows[o]
            self.by_key[(row.doc_id, p.chunk_id, p.n)] = i
            self.openings.setdefault((row.doc_id, row.section_path), i)
            if p.size == 1:
                self.sentence_at[(o, p.start)] = i
        lists: dict[str, tuple[list[int], list[float]]] = defaultdict(lambda: ([], []))
        for i, tokens in enumerate(self.tokens):
            for token, count in tokens.items():
                found = lists[token]
                found[0].append(i)
                found[1].append(count)
        self.postings = {t: (np.asarray(ix, dtype=np.int64), np.asarray(tf, dtype=np.float64))
                         for t, (ix, tf) in lists.items()}
        self.lengths = np.asarray([sum(t.values()) for t in self.tokens], dtype=np.float64)
        self.avg_length = float(self.lengths.mean()) if len(self.lengths) else 1.0
        self.owners = np.asarray(self.owner, dtype=np.int64)

    def sentences_of(self, i: int) -> list[int]:
        """The one-sentence passages that passage ``i`` is made of."""
        p = self.passages[i]
        return [self.sentence_at[(self.owner[i], p.start + j)] for j in range(p.size)]

    def idf(self, token: str) -> float:
        n = len(self.passages)
        found = self.postings.get(token)
        df = 0 if found is None else len(found[0])
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def weighted(self, terms: dict[str, float]) -> dict[str, float]:
        """Each query term's weight × IDF."""
        return {t: w * self.idf(t) for t, w in terms.items()}

    def coverage(self, weighted: dict[str, float], i: int) -> float:
        """Share of the query's weight (``weighted``: term weight × IDF) that passage ``i`` holds,
        each term once (a heading-only term counts ``HEADING_WEIGHT``)."""
        total = sum(weighted.values())
        held = self.tokens[i]
        return sum(w * min(1.0, held.get(t, 0.0)) for t, w in weighted.items()) / total if total else 0.0

    def passage_mask(self, rows: set[int] | None) -> np.ndarray | None:
        """Which passages belong to the given rows (None: all)."""
        if rows is None:
            return None
        allowed = np.zeros(len(self.rows), dtype=bool)
        allowed[list(rows)] = True
        return allowed[self.owners]

    def search(self, terms: dict[str, float], allowed: set[int] | None = None,
               k: int | None = None) -> dict[int, float]:
        """BM25 scores of the ``k`` best passages (all that hold a term when ``k`` is None),
        among passages of ``allowed`` rows."""
        scores = np.zeros(len(self.passages), dtype=np.float64)
        for token, weight in terms.items():
            found = self.postings.get(token)
            if found is None:
                continue
            ix, tf = found
            norm = tf + K1 * (1 - B + B * self.lengths[ix] / self.avg_length)
            scores[ix] += self.idf(token) * weight * tf * (K1 + 1) / norm
        mask = self.passage_mask(allowed)
        if mask is not None:
            scores[~mask] = 0.0
        hits = np.flatnonzero(scores > 0)
        if k is not None and len(hits) > k:
            hits = hits[np.argpartition(-scores[hits], k - 1)[:k]]
        return {int(i): float(scores[i]) for i in hits}


UNSCOPED_DOCUMENTS = 50
"""A search with no documents in scope, over a store holding more documents than this, searches
the documents of the passages the full-text index ranks best, up to this many."""
INDEX_CACHE = 32
"""Scoped indexes kept per process (least recently used dropped)."""

_INDEXES: OrderedDict[tuple[str, frozenset[str] | None], tuple[int, KeywordIndex]] = OrderedDict()
_LOCK = Lock()


def passage_tokens(passage: Passage) -> dict[str, float]:
    """Weighted token counts of a passage: its own words, and its headings' at ``HEADING_WEIGHT``
    (not to be changed: the same texts share one result)."""
    return _tokens(passage.context, passage.text)


@lru_cache(maxsize=65536)
def _tokens(context: str, text: str) -> dict[str, float]:
    counts: dict[str, float] = dict(Counter(tokenize(text)))
    for token, n in Counter(tokenize(context)).items():
        counts[token] = counts.get(token, 0.0) + HEADING_WEIGHT * n
    return counts


def passage_rows(chunk_id: str, section_path: list[str] | tuple[str, ...], text: str) -> list[tuple[int, str, str]]:
    """What the store keeps per passage of a chunk: its number, its weighted token counts (JSON)
    and its distinct tokens (space-separated, for the full-text index)."""
    rows = []
    for passage in passages(chunk_id, section_path, text):
        tokens = passage_tokens(passage)
        rows.append((passage.n, json.dumps(tokens, ensure_ascii=False), " ".join(sorted(tokens))))
    return rows


def _in(column: str, values: list[str]) -> str:
    return f"{column} IN ({','.join('?' * len(values))})"


def load_rows(store, doc_ids: list[str]) -> list[ChunkRow]:
    """The chunks of some documents with their document's metadata, in document order."""
    if not doc_ids:
        return []
    rows = store.db.execute(
        f"""SELECT k.doc_id, k.chunk_id, k.page, k.section_path, k.text, d.department, d.year, d.kind, d.title,
                  k.source_file
           FROM chunks k JOIN documents d ON d.doc_id = k.doc_id WHERE {_in("k.doc_id", doc_ids)}
           ORDER BY k.doc_id, k.rowid""", doc_ids).fetchall()
    return [
        ChunkRow(r["doc_id"], r["chunk_id"], r["page"], tuple(json.loads(r["section_path"])), r["text"],
                 r["department"], r["year"], r["kind"], r["title"], r["source_file"])
        for r in rows
    ]


def stored_tokens(store, doc_ids: list[str]) -> dict[tuple[str, str, int], dict[str, float]]:
    """(doc_id, chunk_id, passage n) → the passage's stored weighted token counts."""
    if not doc_ids:
        return {}
    rows = store.db.execute(f"SELECT doc_id, chunk_id, n, tokens FROM passages WHERE {_in('doc_id', doc_ids)}",
                            doc_ids)
    return {(r["doc_id"], r["chunk_id"], r["n"]): json.loads(r["tokens"]) for r in rows}


def build_index(rows: list[ChunkRow], tokens: dict[tuple[str, str, int], dict[str, float]]) -> KeywordIndex:
    """BM25 over the passages of ``rows``, with their stored tokens (computed when missing)."""
    found: list[Passage] = []
    owner: list[int] = []
    counts: list[dict[str, float]] = []
    for i, row in enumerate(rows):
        for passage in passages(row.chunk_id, row.section_path, row.text):
            held = tokens.get((row.doc_id, row.chunk_id, passage.n))
            found.append(passage)
            owner.append(i)
            counts.append(held if held is not None else passage_tokens(passage))
    return KeywordIndex(rows, found, owner, counts)


def matching_documents(store, terms: list[str], limit: int) -> list[str]:
    """The documents of the passages the full-text index ranks best for ``terms`` (any of them)."""
    terms = [t for t in dict.fromkeys(terms) if t]
    if not terms:
        return []
    if store.db.postgresql:
        query = " | ".join("'" + t.replace("\\", "\\\\").replace("'", "''") + "'" for t in terms)
        rows = store.db.execute(
            "SELECT doc_id, MAX(ts_rank(search, CAST(? AS tsquery))) AS score FROM passages "
            "WHERE search @@ CAST(? AS tsquery) GROUP BY doc_id ORDER BY score DESC, doc_id LIMIT ?",
            (query, query, limit))
    else:
        query = " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
        rows = store.db.execute(
            "WITH found AS MATERIALIZED (SELECT rowid, bm25(passage_search) AS score FROM passage_search "
            "WHERE passage_search MATCH ?) SELECT p.doc_id, MIN(found.score) AS score FROM found "
            "JOIN passages p ON p.rowid = found.rowid GROUP BY p.doc_id ORDER BY score, p.doc_id LIMIT ?",
            (query, limit))
    return [r["doc_id"] for r in rows]


def scope_of(store, doc_ids: tuple[str, ...] | None, terms: list[str]) -> frozenset[str] | None:
    """The documents a search reads: ``doc_ids``; else every document of a small store (None);
    else the documents the full-text index finds for ``terms``."""
    if doc_ids is not None:
        return frozenset(doc_ids)
    total = store.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    if total <= UNSCOPED_DOCUMENTS:
        return None
    return frozenset(matching_documents(store, terms, UNSCOPED_DOCUMENTS))


def keyword_index(store, doc_ids: frozenset[str] | None = None) -> KeywordIndex:
    """The keyword index of some documents' chunks (None: all), from the tokens stored with them;
    kept per process until the store changes."""
    key = (store.location, doc_ids)
    with _LOCK:
        generation = store.generation()
        cached = _INDEXES.get(key)
        if cached is not None and cached[0] == generation:
            _INDEXES.move_to_end(key)
            return cached[1]
    ids = sorted(doc_ids) if doc_ids is not None else [
        r["doc_id"] for r in store.db.execute("SELECT doc_id FROM documents ORDER BY doc_id")]
    index = build_index(load_rows(store, ids), stored_tokens(store, ids))
    with _LOCK:
        _INDEXES[key] = (generation, index)
        while len(_INDEXES) > INDEX_CACHE:
            _INDEXES.popitem(last=False)
    return index
