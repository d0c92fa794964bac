"""Keyword search over the store's narrative chunks: BM25 on jieba tokens.

The index is derived from the SQLite ``chunks`` table (the source of truth), so it can
never disagree with it: it is rebuilt in memory when the store changes, re-tokenising
only chunks it has not seen.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from threading import Lock

from budgetqa.vocab import load

K1 = 1.2
B = 0.75
SECTION_LEVELS = 2
"""How many of the deepest section headings are indexed with a chunk's text."""

_WORD = re.compile(r"[\u4e00-\u9fff]|[A-Za-z]+|\d+(?:\.\d+)?")
_SPACE = re.compile(r"\s+")


@lru_cache
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


@lru_cache
def _vocab() -> tuple[frozenset[str], tuple[tuple[str, tuple[str, ...]], ...]]:
    words = load("retrieval")["keyword"]
    expand = tuple((k, tuple(v)) for k, v in words["expand"].items())
    return frozenset(words["stopwords"]), expand


EXPANSION_WEIGHT = 0.3
"""Weight of a word a question word stands for ("为什么" → "原因") against the question's own words."""
BIGRAM_WEIGHT = 0.5
"""Weight of character bigrams (they find a phrase that jieba cut differently, and reward adjacency)."""
BIGRAM = "_"
"""Prefix that keeps bigram tokens apart from words."""
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


def words(text: str) -> list[str]:
    """jieba's search-mode words of a text (long words also give their parts), stopwords left out."""
    stop, _ = _vocab()
    out = []
    for token in _jieba().lcut_for_search(_SPACE.sub("", text)):
        token = token.lower()
        if token in stop or not _WORD.match(token):
            continue
        out.append(token)
    return out


def bigrams(text: str) -> list[str]:
    """Character bigrams of the CJK runs of a text, marked with ``BIGRAM``."""
    return [BIGRAM + run[i:i + 2] for run in _CJK_RUN.findall(text) for i in range(len(run) - 1)]


def tokenize(text: str) -> list[str]:
    """Index tokens of a text: words and character bigrams."""
    return words(text) + bigrams(text)


def query_terms(question: str) -> dict[str, float]:
    """A question's search terms with weights: its words, the bigrams of its content words, and the
    words its question words stand for ("为什么" → "原因")."""
    _, expand = _vocab()
    terms: dict[str, float] = {}
    content = words(question)
    for word in content:
        terms[word] = 1.0
    for word in content:
        for gram in bigrams(word):
            terms.setdefault(gram, BIGRAM_WEIGHT)
    for cue, replacements in expand:
        if cue in question:
            for word in replacements:
                terms.setdefault(word, EXPANSION_WEIGHT)
    return terms


def query_tokens(question: str) -> list[str]:
    """A question's search terms (see ``query_terms``)."""
    return list(query_terms(question))


def indexed_text(section_path: list[str], text: str) -> str:
    """What a chunk is searched by: its deepest headings, then its text."""
    return "\n".join([*section_path[-SECTION_LEVELS:], text])


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

    @property
    def key(self) -> tuple[str, str]:
        return self.doc_id, self.chunk_id

    @property
    def section(self) -> str:
        return " > ".join(self.section_path)


@dataclass
class KeywordIndex:
    """BM25 over chunk tokens, with the IDF of every token for callers that weigh terms."""

    rows: list[ChunkRow]
    tokens: list[list[str]]
    postings: dict[str, list[tuple[int, int]]] = field(init=False)
    lengths: list[int] = field(init=False)
    avg_length: float = field(init=False)

    def __post_init__(self) -> None:
        postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for row, tokens in enumerate(self.tokens):
            for token, count in Counter(tokens).items():
                postings[token].append((row, count))
        self.postings = dict(postings)
        self.lengths = [len(t) for t in self.tokens]
        self.avg_length = (sum(self.lengths) / len(self.lengths)) if self.lengths else 1.0

    def idf(self, token: str) -> float:
        n = len(self.rows)
        df = len(self.postings.get(token, ()))
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def search(self, terms: dict[str, float], k: int, allowed: set[int] | None = None) -> list[tuple[int, float]]:
        """(row, BM25 score) of the best ``k`` rows for weighted query terms, among ``allowed`` rows."""
        scores: dict[int, float] = defaultdict(float)
        for token, weight in terms.items():
            idf = self.idf(token) * weight
            for row, tf in self.postings.get(token, ()):
                if allowed is not None and row not in allowed:
                    continue
                norm = tf + K1 * (1 - B + B * self.lengths[row] / self.avg_length)
                scores[row] += idf * tf * (K1 + 1) / norm
        return sorted(scores.items(), key=lambda item: -item[1])[:k]


_TOKEN_CACHE: dict[str, list[str]] = {}
_INDEXES: dict[str, tuple[int, KeywordIndex]] = {}
_LOCK = Lock()


def load_rows(store) -> list[ChunkRow]:
    """Every chunk in the store with its document's metadata, in document order."""
    import json

    rows = store.db.execute(
        """SELECT k.doc_id, k.chunk_id, k.page, k.section_path, k.text, d.department, d.year, d.kind, d.title
           FROM chunks k JOIN documents d ON d.doc_id = k.doc_id ORDER BY k.doc_id, k.rowid"""
    ).fetchall()
    return [
        ChunkRow(r["doc_id"], r["chunk_id"], r["page"], tuple(json.loads(r["section_path"])), r["text"],
                 r["department"], r["year"], r["kind"], r["title"])
        for r in rows
    ]


def keyword_index(store) -> KeywordIndex:
    """The keyword index of a store's chunks, rebuilt when the store has changed."""
    generation = store.generation()
    key = str(store.path)
    with _LOCK:
        cached = _INDEXES.get(key)
        if cached is not None and cached[0] == generation:
            return cached[1]
        rows = load_rows(store)
        tokens = []
        for row in rows:
            text = indexed_text(list(row.section_path), row.text)
            if text not in _TOKEN_CACHE:
                _TOKEN_CACHE[text] = tokenize(text)
            tokens.append(_TOKEN_CACHE[text])
        index = KeywordIndex(rows, tokens)
        _INDEXES[key] = (store.generation(), index)
        return index
