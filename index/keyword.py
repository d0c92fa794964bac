"""Keyword search over the store's narrative: BM25 on jieba words and character bigrams.

The index is derived from the SQLite ``chunks`` table (the source of truth), so it
never disagrees with it: it is rebuilt in memory when the store changes, tokenising
only passages it has not seen before. It scores passages (see ``passages.py``).
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections import Counter, defaultdict
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


_TOKEN_CACHE: dict[tuple[str, str], dict[str, float]] = {}
_INDEXES: dict[str, tuple[int, KeywordIndex]] = {}
_LOCK = Lock()


def load_rows(store) -> list[ChunkRow]:
    """Every chunk in the store with its document's metadata, in document order."""
    rows = store.db.execute(
        """SELECT k.doc_id, k.chunk_id, k.page, k.section_path, k.text, d.department, d.year, d.kind, d.title,
                  k.source_file
           FROM chunks k JOIN documents d ON d.doc_id = k.doc_id ORDER BY k.doc_id, k.rowid"""
    ).fetchall()
    return [
        ChunkRow(r["doc_id"], r["chunk_id"], r["page"], tuple(json.loads(r["section_path"])), r["text"],
                 r["department"], r["year"], r["kind"], r["title"], r["source_file"])
        for r in rows
    ]


def passage_tokens(passage: Passage) -> dict[str, float]:
    """Weighted token counts of a passage: its own words, and its headings' at ``HEADING_WEIGHT``."""
    counts: dict[str, float] = dict(Counter(tokenize(passage.text)))
    for token, n in Counter(tokenize(passage.context)).items():
        counts[token] = counts.get(token, 0.0) + HEADING_WEIGHT * n
    return counts


def build_index(rows: list[ChunkRow]) -> KeywordIndex:
    found: list[Passage] = []
    owner: list[int] = []
    tokens: list[dict[str, float]] = []
    for i, row in enumerate(rows):
        for passage in passages(row.chunk_id, row.section_path, row.text):
            key = (passage.context, passage.text)
            if key not in _TOKEN_CACHE:
                _TOKEN_CACHE[key] = passage_tokens(passage)
            found.append(passage)
            owner.append(i)
            tokens.append(_TOKEN_CACHE[key])
    return KeywordIndex(rows, found, owner, tokens)


def keyword_index(store) -> KeywordIndex:
    """The keyword index of a store's chunks, rebuilt when the store has changed."""
    key = str(store.path)
    with _LOCK:
        generation = store.generation()
        cached = _INDEXES.get(key)
        if cached is not None and cached[0] == generation:
            return cached[1]
        index = build_index(load_rows(store))
        _INDEXES[key] = (store.generation(), index)
        return index
