"""The narrative's reason for a figure: found by the figure itself, not by similar words.

A "why" about a computed change ("项目支出为什么减少") is answered with the sentence of the
document that prints the same figure (the amount, the change or last year's value) and the
reason clause that follows it in the same item ("主要原因是…", "一是因为…"). Anchoring on the
printed number keeps the reason on the item asked about; keyword search would happily quote
another item's reason that shares the words "比上年减少 … 主要原因".
"""

from __future__ import annotations

import json
from decimal import Decimal

from budgetqa.answer.schema import Answer, Citation
from budgetqa.index.passages import sentences, starts_item
from budgetqa.numbers import round2
from budgetqa.vocab import load

LOOKAHEAD = 6
"""Sentences after the figure searched for its reason (never past the next numbered item)."""
MAX_QUOTE = 360
MIN_DIGITS = 4
"""Figures shorter than this ("0.46") are too common to anchor on."""


def printed_forms(value: Decimal) -> list[str]:
    """How a 2-decimal amount may be printed: "1134.33", "1,134.33", and without trailing zeros."""
    amount = abs(round2(value))
    plain = f"{amount:.2f}"
    forms = {plain, f"{amount:,.2f}"}
    trimmed = plain.rstrip("0").rstrip(".")
    if trimmed != plain:
        forms |= {trimmed, f"{Decimal(trimmed):,}"}
    return sorted((f for f in forms if sum(ch.isdigit() for ch in f) >= MIN_DIGITS), key=lambda f: (-len(f), f))


_TERMINAL = ("。", "；", ";", "！", "？")
_INSIDE = ("原因", "因为", "，主要是")
"""A reason clause may follow the figure in the same sentence ("增加 X 万元，主要是…")."""


def _is_reason(sentence: str, use: bool = False) -> bool:
    """A reason clause; with ``use``, the clause saying what the money is for ("主要用于…")."""
    if use:
        return any(cue in sentence for cue in load("retrieval")["answer"]["use_clauses"])
    starts = tuple(load("retrieval")["answer"]["reason_starts"])
    return any(cue in sentence for cue in _INSIDE) or sentence.startswith(starts)


def asks_use(question: str) -> bool:
    """"X用于什么": the question asks what a figure is for, not why it changed."""
    return any(cue in question for cue in load("retrieval")["answer"]["use_cues"])


def _sentence_end(parts: list[str], stop: int) -> int:
    """The part where the sentence ending at ``stop`` really ends (a line break cut it)."""
    while not parts[stop].endswith(_TERMINAL) and stop + 1 < len(parts) and not starts_item(parts[stop + 1]):
        stop += 1
    return stop


def reason_for(store, doc_ids: list[str], figures: list[Decimal], names: list[str],
               use: bool = False) -> Answer | None:
    """The reason these documents' narrative gives for a figure.

    Candidates are a sentence printing one of ``figures`` followed (within its item) by a reason
    clause, and a reason clause naming the quantity itself ("财政拨款收入增加的主要原因是…").
    The one whose reason names the quantity wins; then the one anchored on the figure. With
    ``use`` the clause sought says what the money is for instead.
    """
    forms = [form for value in figures for form in printed_forms(value)]
    names = [n for n in names if len(n) >= 2]
    if not doc_ids or not (forms or names):
        return None
    marks = ",".join("?" * len(doc_ids))
    rows = store.db.execute(
        f"""SELECT k.doc_id, k.page, k.section_path, k.text, k.source_file, d.title
            FROM chunks k JOIN documents d ON d.doc_id = k.doc_id
            WHERE k.doc_id IN ({marks}) ORDER BY k.doc_id, k.rowid""",
        doc_ids,
    ).fetchall()
    best: tuple[tuple[int, int, int], str, object] | None = None
    for i, row in enumerate(rows):
        parts = sentences(row["text"])
        following = rows[i + 1] if i + 1 < len(rows) else None
        if following is not None and following["section_path"] == row["section_path"]:
            parts += sentences(following["text"])
        for start, sentence in enumerate(parts):
            anchored = any(form in sentence for form in forms)
            if not anchored and not (_is_reason(sentence, use) and any(n in sentence for n in names)):
                continue
            for stop in range(start, min(start + LOOKAHEAD, len(parts))):
                if stop > start and starts_item(parts[stop]):
                    break
                if _is_reason(parts[stop], use):
                    text = "".join(parts[start:_sentence_end(parts, stop) + 1])
                    named = any(n in parts[stop] for n in names)
                    score = (int(named) + int(anchored), int(anchored), -(stop - start))
                    if len(text) <= MAX_QUOTE and (best is None or score > best[0]):
                        best = (score, text, row)
                    break
    if best is None:
        return None
    _, text, row = best
    section = " > ".join(json.loads(row["section_path"]))
    return Answer(
        status="answered", answer=f"“{text}”",
        citations=[Citation(doc_id=row["doc_id"], document=row["title"], page=row["page"], sentence=text,
                            section=section, source_file=row["source_file"] or None)],
        notes=[f"原因摘自《{row['title']}》{section}，第{row['page']}页。"],
    )
