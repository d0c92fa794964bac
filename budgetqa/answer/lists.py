"""List questions answered from their section: 主要职能, 内设机构/科室, 下属单位.

"主要职能是什么" or "包括哪些下属单位" asks for a list the disclosure prints under its own
heading. The answer is that section of the one document in scope (with its sub-sections),
quoted from its start, with page and heading; a long section is cut at a sentence end and says
so. Topics, the words that ask for them and the headings they stand under are data
(``vocab/retrieval.toml`` ``[lists]``).
"""

from __future__ import annotations

import json

from budgetqa.answer.schema import Answer, Citation, Plan
from budgetqa.vocab import load

MAX_LIST = 600
"""Characters quoted from a section before it is cut (at a sentence end)."""


def list_topic(question: str) -> dict | None:
    """The list a question asks for (its vocab entry), or None."""
    for topic in load("retrieval")["lists"].values():
        if any(cue in question for cue in topic["cues"]):
            return topic
    return None


def chunk_rows(store, doc_id: str) -> list:
    """A document's narrative chunks in order: page, section_path, text, source_file, title."""
    return store.db.execute(
        """SELECT k.page, k.section_path, k.text, k.source_file, d.title FROM chunks k
           JOIN documents d ON d.doc_id = k.doc_id WHERE k.doc_id = ? ORDER BY k.rowid""", (doc_id,)).fetchall()


def answer_list(store, question: str, doc_id: str) -> Answer | None:
    """The section of ``doc_id`` that holds the list the question asks for, quoted; None if none."""
    topic = list_topic(question)
    if topic is None:
        return None
    rows = chunk_rows(store, doc_id)
    best: tuple[int, int] | None = None  # (rank of the heading word, depth of the heading)
    for row in rows:
        path = json.loads(row["section_path"])
        for depth, heading in enumerate(path):
            for rank, word in enumerate(topic["headings"]):
                if word in heading and (best is None or (rank, -depth) < best):
                    best = (rank, -depth)
    if best is None:
        return None
    word = topic["headings"][best[0]]
    depth = -best[1]
    section = [r for r in rows if len(path := json.loads(r["section_path"])) > depth and word in path[depth]]
    first = json.loads(section[0]["section_path"])[: depth + 1]
    section = [r for r in section if json.loads(r["section_path"])[: depth + 1] == first]
    text = "\n".join(r["text"] for r in section)
    cut = len(text) > MAX_LIST
    if cut:
        end = max(text.rfind(mark, 0, MAX_LIST) for mark in ("。", "；", "\n"))
        text = text[: end + 1 if end > 0 else MAX_LIST]
    head = section[0]
    heading = " > ".join(first)
    pages = sorted({r["page"] for r in section})
    notes = [f"摘自《{head['title']}》{heading}，第{'、'.join(map(str, pages))}页。"]
    if cut:
        notes.append("该节较长，只摘录开头部分，全文见原文。")
    return Answer(
        status="answered", answer=f"“{text.strip()}”",
        citations=[Citation(doc_id=doc_id, document=head["title"], page=head["page"], sentence=text.strip(),
                            section=heading, source_file=head["source_file"] or None)],
        plan=Plan(route="text", operation="list", documents=[doc_id]), notes=notes,
    )
