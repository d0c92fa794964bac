"""Text answers without a language model: the sentence(s) of the narrative that answer, quoted.

1. ``route``: a question that asks why / what / how-used / which offices goes to text.
2. The documents it names (department, year, 预算/决算) narrow the search, unless given.
3. Hybrid retrieval scores passages (one or two sentences with their headings); the best
   passage of the best chunk is the quote: trimmed of an end sentence that adds none of the
   question's words, extended by the list an unfinished sentence opens ("…：", "…情况为"), by
   the first sentence after a bare item title, and for a why-question by the sentence of the
   same item that gives the reason.
4. When the quote (with its headings) holds too little of the question's keyword weight,
   the question is refused rather than answered with noise; so is one asking for a field
   (电话, 联系人, 负责人) whose quote does not print that field.

The names of the documents searched (department aliases, years) are taken out of the question
first: every passage of those documents repeats them, so they are no evidence for one passage.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from budgetqa.answer.schema import Answer, Citation, Plan, Value
from budgetqa.index.keyword import BIGRAM, KeywordIndex, query_terms, tokenize
from budgetqa.index.passages import sentences, starts_item
from budgetqa.index.retriever import ChunkFilter, ChunkSearch, Hit
from budgetqa.numbers import numbers_in
from budgetqa.settings import Settings
from budgetqa.vocab import load

TOP_CHUNKS = 5
MIN_COVERAGE = 0.25
"""Share of the question's keyword weight (IDF) the quoted passage, with its headings, must hold.
Keyword evidence only, so the bar does not move with the embedding model (cosine scales differ)."""
MAX_QUOTE = 320
"""A quote is not extended past this many characters."""
ITEM_TITLE_MAX = 60
REASON_LOOKAHEAD = 6
"""Sentences of the same item searched for the reason a why-question asks."""
_YEAR = re.compile(r"(20\d{2})")
_YEAR_WORD = re.compile(r"20\d{2}\s*年?度?")
MIN_NAME = 3
"""Shortest department alias taken out of a question (shorter ones are parts of item names)."""
_TERMINAL = ("。", "！", "？", "；", ";", "!", "?", ".")
_WHY = ("为什么", "为何", "为啥", "原因", "怎么回事")


@lru_cache
def _vocab() -> tuple[tuple[str, ...], tuple[str, ...]]:
    vocab = load("retrieval")
    return tuple(vocab["route"]["text_cues"]), tuple(vocab["answer"]["reason_starts"])


def is_text_question(question: str) -> bool:
    """True when a question asks for prose (why, what, how used, which offices…), not a number."""
    cues, _ = _vocab()
    return any(cue in question for cue in cues)


def asks_reason(question: str) -> bool:
    """True when a question asks why, or what something is used for, about a figure it names."""
    return any(cue in question for cue in load("retrieval")["route"]["reason_cues"])


def route(question: str) -> str:
    """"text" for questions the narrative answers, "numeric" for the rest."""
    return "text" if is_text_question(question) else "numeric"


# --- which documents -------------------------------------------------------------------------


def scope(store, question: str) -> list[str] | None:
    """Documents the question names by department (3+ characters of its name), year or kind;
    None when it narrows nothing."""
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


def about(store, question: str, doc_ids: list[str] | None) -> str:
    """The question without the names of the documents it is scoped to: their departments'
    aliases (longest first) and years."""
    if not doc_ids:
        return question
    names = {alias for doc_id in doc_ids for alias in store.aliases_of(doc_id) if len(alias) >= MIN_NAME}
    for name in sorted(names, key=len, reverse=True):
        question = question.replace(name, " ")
    return _YEAR_WORD.sub(" ", question)


def missing_field(question: str, text: str) -> str | None:
    """The field a question asks for (电话, 联系人…; the first word it must hold, so "由谁负责" asks
    for the 负责人) when the quote does not print it, else None."""
    for cue, words in load("retrieval")["answer"]["must_hold"].items():
        if cue in question and not any(word in text for word in words):
            return words[0]
    return None


# --- relevance and the quote -------------------------------------------------------------------


def coverage(index: KeywordIndex, terms: dict[str, float], text: str) -> float:
    """Share of the question's keyword weight (term weight × IDF) that a text holds."""
    total = sum(w * index.idf(t) for t, w in terms.items())
    if not total:
        return 0.0
    held = set(tokenize(text))
    return sum(w * index.idf(t) for t, w in terms.items() if t in held) / total


def relevant(hit: Hit, index: KeywordIndex, terms: dict[str, float]) -> tuple[bool, float]:
    """Whether the hit's passage answers enough of the question, and its coverage (``terms``
    are the question's own, without the words question words stand for)."""
    share = coverage(index, terms, hit.passage.searchable)
    return share >= MIN_COVERAGE, share


def quote(hit: Hit, question: str, following: str = "") -> str:
    """The passage; with the rest of a sentence or list it opens ("…：", "…情况为"), and for a
    why-question the sentence of its item that gives the reason. ``following`` is the next
    chunk's text when this chunk ends inside a sentence (a long sentence cut in two)."""
    _, reason_starts = _vocab()
    parts = sentences(hit.row.text) + (sentences(following) if following else [])
    start, end = _trim(parts, hit.passage.start, hit.passage.start + hit.passage.size, question)
    taken = parts[start:end]
    while end < len(parts) and len("".join(taken)) < MAX_QUOTE and (
        not taken[-1].endswith(_TERMINAL)
        or (len(taken) == 1 and _item_title(taken[0]) and not starts_item(parts[end]))
    ):
        taken.append(parts[end])
        end += 1
    if any(w in question for w in _WHY) and "原因" not in "".join(taken):
        for stop in range(end, min(end + REASON_LOOKAHEAD, len(parts))):
            if starts_item(parts[stop]):
                break
            if any(cue in parts[stop] for cue in ("原因", "因为")) or parts[stop].startswith(reason_starts):
                if len("".join(parts[start:stop + 1])) <= MAX_QUOTE:
                    taken = parts[start:stop + 1]
                break
    return "".join(taken)


def _continuation(index: KeywordIndex, hit: Hit) -> str:
    """The next chunk of the same section when the hit's chunk ends inside a sentence, else ""."""
    row = hit.row
    if row.text.rstrip().endswith(_TERMINAL):
        return ""
    position = index.owner[index.by_key[(row.doc_id, row.chunk_id, hit.passage.n)]] + 1
    if position >= len(index.rows):
        return ""
    after = index.rows[position]
    return after.text if (after.doc_id, after.section_path) == (row.doc_id, row.section_path) else ""


def _item_title(sentence: str) -> bool:
    """A numbered item's short first sentence that only names it ("11、…购房补贴（项）。")."""
    return starts_item(sentence) and len(sentence) <= ITEM_TITLE_MAX and "，" not in sentence


def _trim(parts: list[str], start: int, end: int, question: str) -> tuple[int, int]:
    """Drop a sentence at either end of a window that holds none of the question's words the rest lacks."""
    asked = [t for t in query_terms(question) if not t.startswith(BIGRAM)]

    def held(lo: int, hi: int) -> set[str]:
        text = "".join(parts[lo:hi])
        return {w for w in asked if w in text}

    while end - start > 1:
        if held(start, end - 1) == held(start, end):
            end -= 1
        elif held(start + 1, end) == held(start, end):
            start += 1
        else:
            break
    return start, end


# --- the answer ------------------------------------------------------------------------------


def _fitting_quote(hits: list[Hit], index: KeywordIndex, terms: dict[str, float], question: str,
                   asked: str) -> tuple[Hit, str, str | None] | None:
    """The best relevant hit whose quote answers the question: one that prints the field asked for
    (电话, 高度…; carried on through the sentences after it within the quote's length, if need be),
    and for a why, gives a reason that runs the way the question does. Returns the hit, its quote
    and, when only hits lacking the field were found, that field; None when no hit fits at all.
    When the question points at an amount ("那20万…是什么钱"), a quote printing it comes first."""
    from budgetqa.answer.check import figures_asked

    amounts = figures_asked(question)
    if amounts:
        found = _scan(hits, index, terms, question, asked, amounts)
        if found is not None and found[2] is None:
            return found
    return _scan(hits, index, terms, question, asked, [])


def _scan(hits: list[Hit], index: KeywordIndex, terms: dict[str, float], question: str, asked: str,
          amounts: list[Decimal]) -> tuple[Hit, str, str | None] | None:
    """``_fitting_quote`` over the hits (only quotes printing one of ``amounts``, when given)."""
    first: tuple[Hit, str, str | None] | None = None
    for hit in hits:
        if hit is not hits[0] and not relevant(hit, index, terms)[0]:
            continue
        following = _continuation(index, hit)
        text = quote(hit, asked, following)
        if amounts and not _prints_amount(text, amounts):
            continue
        if _opposite_direction(question, text) or (hit is not hits[0] and asks_reason(question)
                                                   and not _REASON_SAID.search(text)):
            continue  # "为啥比上年多" is not answered by a passage that only says what fell, or gives no reason
        field = missing_field(question, text)
        if field:
            parts = sentences(hit.row.text) + (sentences(following) if following else [])
            end = next((i for i, part in enumerate(parts) if text.endswith(part)), len(parts) - 1) + 1
            for stop in range(end, len(parts)):
                longer = text + "".join(parts[end:stop + 1])
                if len(longer) > MAX_QUOTE or starts_item(parts[stop]):
                    break
                if missing_field(question, longer) is None:
                    text, field = longer, None
                    break
        if field is None:
            return hit, text, None
        first = first or (hit, text, field)
    return first


def _prints_amount(text: str, amounts: list[Decimal]) -> bool:
    """Whether a passage prints one of the amounts (in 万元, to the cent)."""
    printed = numbers_in(text)
    return any(a in printed for a in amounts)


_REASON_SAID = re.compile(r"原因|因为|由于|主要是|主要用于|用于")
_RISE = re.compile(r"(?<![成倍%％十百千万亿])多|增加|增长|上升|提高|上涨|涨")  # "六成多" says how much, not which way
_FALL = re.compile(r"少|减少|下降|降低|压减|削减|缩减|砍|降")


def _opposite_direction(question: str, text: str) -> bool:
    """A why-question about a rise answered by a passage that only reports falls (or the reverse)."""
    if not asks_reason(question):
        return False
    rise, fall = bool(_RISE.search(question)), bool(_FALL.search(question))
    if rise == fall:
        return False
    said_rise, said_fall = bool(_RISE.search(text)), bool(_FALL.search(text))
    return (said_fall and not said_rise) if rise else (said_rise and not said_fall)


def _refusal(doc_ids: list[str] | None, why: str) -> Answer:
    return Answer(status="refused", answer=why,
                  plan=Plan(route="text", operation="quote", documents=list(doc_ids or [])))


def answer_text(store, question: str, doc_ids: list[str] | None = None, *,
                settings: Settings | None = None, search: ChunkSearch | None = None) -> Answer:
    """Answer from the narrative: the best sentence(s), quoted with document, section and page.

    ``doc_ids`` limits the search; None searches the documents the question names (or all).
    """
    search = search or ChunkSearch(store, settings)
    if doc_ids is None:
        doc_ids = scope(store, question)
    asked = about(store, question, doc_ids)
    chunk_filter = ChunkFilter(doc_ids=tuple(doc_ids)) if doc_ids is not None else None
    terms = query_terms(asked, expand=False)
    if not terms:
        return _refusal(doc_ids, "问题里没有可以在公开文本中查找的内容。")
    hits = search.search(asked, TOP_CHUNKS, chunk_filter)
    if not hits:
        return _refusal(doc_ids, "没有在已载入的公开中找到回答这个问题的段落。")
    best = hits[0]
    index = search.keywords(chunk_filter, asked)
    ok, share = relevant(best, index, terms)
    if not ok:
        return _refusal(doc_ids, "没有在已载入的公开中找到回答这个问题的段落。")
    fitting = _fitting_quote(hits, index, terms, question, asked)
    if fitting is None:
        return _refusal(doc_ids, "没有在已载入的公开中找到回答这个问题的段落。")
    best, text, field = fitting
    if field:
        return _refusal(doc_ids, f"公开中没有找到所问的{field}。")
    row = best.row
    others = sorted({h.row.title for h in hits[1:] if h.row.doc_id != row.doc_id and relevant(
        h, index, terms)[0]})
    notes = [f"摘自《{row.title}》{row.section}，第{row.page}页。"]
    if others:
        notes.append("其他公开中也有相关段落：" + "、".join(others) + "。")
    from budgetqa.answer.check import figures_asked

    # "那20万…是什么钱": the amount pointed at, as the quoted sentence prints it
    pointed = [a for a in figures_asked(question) if _prints_amount(text, [a])]
    return Answer(
        status="answered",
        answer=f"“{text}”",
        values=[Value(name="原文所列金额", value=str(a.quantize(Decimal("0.01"))), unit="万元") for a in pointed],
        citations=[Citation(doc_id=row.doc_id, document=row.title, page=row.page, sentence=text,
                            section=row.section, source_file=row.source_file or None)],
        plan=Plan(route="text", operation="quote", documents=[row.doc_id],
                  years=[row.year] if row.year else []),
        notes=notes,
    )
