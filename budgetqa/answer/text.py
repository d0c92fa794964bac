"""Text answers without a language model: the sentence(s) of the narrative that answer, quoted.

1. ``route``: a question that asks why / what / how-used / which offices goes to text.
2. The documents it names (department, year, 预算/决算) narrow the search, unless given.
3. Hybrid retrieval returns the best chunks; each chunk is cut into sentences, and every
   window of one or two consecutive sentences is scored by how much of the question's
   weight (IDF of its keywords) it covers, its similarity to the question, and its chunk's rank.
4. The best window is quoted with its document, section and page — or, when too little of
   the question is covered, the question is refused rather than answered with noise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from budgetqa.answer.schema import Answer, Citation, Plan
from budgetqa.index.keyword import KeywordIndex, query_terms, tokenize
from budgetqa.index.retriever import ChunkFilter, ChunkSearch, Hit
from budgetqa.settings import Settings
from budgetqa.vocab import load

TOP_CHUNKS = 5
"""Chunks whose sentences compete for the answer."""
MAX_WINDOW = 2
"""Consecutive sentences a quote may join."""
LONG_SENTENCE = 100
"""A sentence longer than this is cut into its "；" clauses."""
MIN_COVERAGE = 0.5
"""Share of the question's keyword weight the quoted passage (with its headings) must hold."""
MIN_SIMILARITY = 0.25
"""…or, with at least ``WEAK_COVERAGE``, this cosine similarity to the question."""
WEAK_COVERAGE = 0.34
WEIGHTS = {"coverage": 1.0, "similarity": 0.6, "rank": 0.25, "length": 0.0015}
"""How a window's score is made: coverage + similarity + chunk rank − length in characters."""
MAX_QUOTE = 320

_SENTENCE_END = re.compile(r"(?<=[。！？!?])|\n")
_CLAUSE_END = re.compile(r"(?<=[；;])")
_YEAR = re.compile(r"(20\d{2})")


@lru_cache
def _route_vocab() -> tuple[tuple[str, ...], tuple[str, ...]]:
    vocab = load("retrieval")
    return tuple(vocab["route"]["text_cues"]), tuple(vocab["answer"]["reason_starts"])


def is_text_question(question: str) -> bool:
    """True when a question asks for prose (why, what, how used, which offices…), not a number."""
    cues, _ = _route_vocab()
    return any(cue in question for cue in cues)


def route(question: str) -> str:
    """"text" for questions the narrative answers, "numeric" for the rest."""
    return "text" if is_text_question(question) else "numeric"


# --- which documents -------------------------------------------------------------------------


def scope(store, question: str) -> list[str] | None:
    """Documents the question names by department (3+ characters of its name), year or kind."""
    docs = store.documents()
    scores = {d["doc_id"]: _name_overlap(question, d["department"]) for d in docs}
    best = max(scores.values(), default=0)
    chosen = [d for d in docs if scores[d["doc_id"]] == best] if best >= 3 else docs
    years = {int(y) for y in _YEAR.findall(question)}
    if years:
        chosen = [d for d in chosen if d["year"] in years] or chosen
    for kind in ("决算", "预算"):
        if kind in question:
            chosen = [d for d in chosen if d["kind"] == kind] or chosen
            break
    if len(chosen) == len(docs):
        return None
    return [d["doc_id"] for d in chosen]


def _name_overlap(question: str, department: str) -> int:
    """Length of the longest part of the department's name the question contains."""
    for size in range(len(department), 2, -1):
        for start in range(len(department) - size + 1):
            if department[start:start + size] in question:
                return size
    return 0


# --- sentences and windows ---------------------------------------------------------------------


def sentences(text: str) -> list[str]:
    """A chunk cut at sentence ends and line breaks; long sentences also at "；"."""
    out: list[str] = []
    for piece in _SENTENCE_END.split(text):
        piece = piece.strip()
        if not piece:
            continue
        if len(piece) > LONG_SENTENCE:
            out.extend(c.strip() for c in _CLAUSE_END.split(piece) if c.strip())
        else:
            out.append(piece)
    return out


@dataclass(slots=True)
class Window:
    """One or more consecutive sentences of a retrieved chunk, scored against the question."""

    hit: Hit
    rank: int
    parts: list[str]
    coverage: float = 0.0
    similarity: float = 0.0
    score: float = 0.0

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _windows(hits: list[Hit]) -> list[Window]:
    found = []
    for rank, hit in enumerate(hits, start=1):
        parts = sentences(hit.row.text)
        for start in range(len(parts)):
            for size in range(1, MAX_WINDOW + 1):
                if start + size <= len(parts):
                    found.append(Window(hit, rank, parts[start:start + size]))
    return found


def coverage(index: KeywordIndex, terms: dict[str, float], text: str) -> float:
    """Share of the question's keyword weight (term weight × IDF) that a text holds."""
    total = sum(w * index.idf(t) for t, w in terms.items())
    if not total:
        return 0.0
    held = set(tokenize(text))
    compact = re.sub(r"\s", "", text)
    return sum(w * index.idf(t) for t, w in terms.items() if t in held or t in compact) / total


def _score(windows: list[Window], index: KeywordIndex, terms: dict[str, float], question: str,
           search: ChunkSearch) -> None:
    texts = [w.text for w in windows]
    try:
        vectors = search.vectors.embedder.encode(texts)
        query = search.vectors.embedder.query_vector(question)
        similarities = vectors @ query
    except Exception:  # without the model, keywords alone decide
        similarities = np.zeros(len(texts))
    for window, similarity in zip(windows, similarities, strict=True):
        context = "\n".join([*window.hit.row.section_path[-2:], window.text])
        window.coverage = coverage(index, terms, context)
        window.similarity = float(similarity)
        window.score = (
            WEIGHTS["coverage"] * window.coverage
            + WEIGHTS["similarity"] * window.similarity
            + WEIGHTS["rank"] / window.rank
            - WEIGHTS["length"] * len(window.text)
        )


def _relevant(window: Window) -> bool:
    return window.coverage >= MIN_COVERAGE or (
        window.coverage >= WEAK_COVERAGE and window.similarity >= MIN_SIMILARITY
    )


def _complete(window: Window, question: str) -> list[str]:
    """The window, with the list a "…：" sentence opens or the reason a why-question needs."""
    _, reason_starts = _route_vocab()
    parts = sentences(window.hit.row.text)
    end = parts.index(window.parts[-1]) + 1 if window.parts[-1] in parts else len(parts)
    quote = list(window.parts)
    asks_why = any(w in question for w in ("为什么", "为何", "为啥", "原因"))
    while end < len(parts) and len("".join(quote)) < MAX_QUOTE:
        last, following = quote[-1], parts[end]
        opens_list = last.endswith(("：", ":"))
        gives_reason = asks_why and "原因" not in "".join(quote) and following.startswith(reason_starts)
        if not (opens_list or gives_reason):
            break
        quote.append(following)
        end += 1
    return quote


# --- the answer ------------------------------------------------------------------------------


def _refusal(question: str, doc_ids: list[str] | None, why: str) -> Answer:
    return Answer(status="refused", answer=why,
                  plan=Plan(route="text", operation="quote", documents=list(doc_ids or [])))


def answer_text(store, question: str, doc_ids: list[str] | None = None, *,
                settings: Settings | None = None, search: ChunkSearch | None = None) -> Answer:
    """Answer from the narrative: the best sentence(s), quoted with document, section and page."""
    search = search or ChunkSearch(store, settings)
    if doc_ids is None:
        doc_ids = scope(store, question)
    chunk_filter = ChunkFilter(doc_ids=tuple(doc_ids)) if doc_ids is not None else None
    terms = query_terms(question)
    if not terms:
        return _refusal(question, doc_ids, "问题里没有可以在公开文本中查找的内容。")
    hits = search.search(question, TOP_CHUNKS, chunk_filter)
    if not hits:
        return _refusal(question, doc_ids, "已载入的公开中没有可供查找的说明文字。")
    index = search.keywords
    windows = _windows(hits)
    _score(windows, index, terms, question, search)
    best = max(windows, key=lambda w: w.score)
    if not _relevant(best):
        return _refusal(question, doc_ids, "没有在已载入的公开中找到回答这个问题的段落。")
    quote = _complete(best, question)
    row = best.hit.row
    text = "".join(quote)
    citation = Citation(doc_id=row.doc_id, document=row.title, page=row.page, sentence=text,
                        section=row.section)
    return Answer(
        status="answered",
        answer=f"“{text}”",
        citations=[citation],
        plan=Plan(route="text", operation="quote", documents=[row.doc_id],
                  years=[row.year] if row.year else []),
        notes=[f"摘自《{row.title}》{row.section}，第{row.page}页。"],
    )
