"""Definitions: "“X”是什么意思", "X指什么", "X科目反映什么" answered from the glossary.

A disclosure defines its terms in a 名词解释 section, one item per term ("五、基本支出：指…").
The term is the word the question quotes (“…”), else the words just before (or after "什么是")
the cue. The answer is the line of the one document in scope that opens with the term and a
colon, a 名词解释 section's first; quoted with page and heading. The cues and the glossary
headings are data (``vocab/retrieval.toml`` ``[definitions]``).
"""

from __future__ import annotations

import json
import re

from budgetqa.answer.lists import chunk_rows
from budgetqa.answer.schema import Answer, Citation, Plan
from budgetqa.vocab import load

_QUOTED = re.compile(r"[“\"「『]([^”\"」』]{2,20})[”\"」』]")
_SEPARATOR = re.compile(r"[的里中，,、\s\d（）()年]")
_ITEM_MARK = r"^\s*(?:[（(]?[一二三四五六七八九十\d]+[）)、.．]\s*)*"


def _vocab() -> dict:
    return load("retrieval")["definitions"]


def term_of(question: str) -> str | None:
    """The term a question asks the meaning of, or None when it asks no definition."""
    cues = [cue for cue in _vocab()["cues"] if cue in question]
    if not cues:
        return None
    quoted = _QUOTED.search(question)
    if quoted:
        return quoted.group(1)
    cue = max(cues, key=len)
    before, _, after = question.partition(cue)
    words = [w for w in _SEPARATOR.split(before if before.strip() else after) if w]
    if not words:
        return None
    term = (words[-1] if before.strip() else words[0]).rstrip("是？?。")
    return term if len(term) >= 2 else None


def answer_definition(store, question: str, doc_id: str) -> Answer | None:
    """The glossary line of ``doc_id`` that defines the term the question asks about; None if none."""
    term = term_of(question)
    if term is None:
        return None
    opens = re.compile(_ITEM_MARK + r"[“\"]?" + re.escape(term) + r"[”\"]?\s*[:：]")
    glossary = tuple(_vocab()["headings"])
    best = None
    for row in chunk_rows(store, doc_id):
        path = json.loads(row["section_path"])
        in_glossary = any(word in heading for heading in path for word in glossary)
        for line in row["text"].splitlines():
            if opens.match(line) and (best is None or (in_glossary and not best[0])):
                best = (in_glossary, line.strip(), row, path)
    if best is None:
        return None
    _, line, row, path = best
    heading = " > ".join(path)
    return Answer(
        status="answered", answer=f"“{line}”",
        citations=[Citation(doc_id=doc_id, document=row["title"], page=row["page"], sentence=line,
                            section=heading, source_file=row["source_file"] or None)],
        plan=Plan(route="text", operation="define", documents=[doc_id]),
        notes=[f"摘自《{row['title']}》{heading}，第{row['page']}页。"],
    )
