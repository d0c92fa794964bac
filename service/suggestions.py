"""Suggested questions, drawn from what the loaded documents hold.

A concept is suggested for a document when its tables print it (a row name, a
column header, a table title) or its narrative states it; a change question when
the narrative gives the change against last year. Every suggestion is asked of
the engine first and kept only if it is answered, so a suggestion never refuses; with
several documents loaded it names its department, so it never asks which document.
"""

from __future__ import annotations

import re
from itertools import count

from budgetqa.answer import ask
from budgetqa.index.store import Store
from budgetqa.models import Document

CONCEPTS = (
    "项目支出", "基本支出", "三公经费", "收入总计", "支出总计", "人员经费", "公用经费", "公务接待费",
    "公务用车运行维护费", "机关运行经费", "上年结转结余", "财政拨款结转", "政府采购预算", "一般公共服务支出",
)
"""Concepts a reader asks about most, in the order they are offered."""
LOOKUP = "{}是多少"
CHANGE = "{}比上年增长多少"

_PREFIX = re.compile(r"^(?:[一二三四五六七八九十]+、|\d+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|其中[：:])+")
_QUOTES = re.compile(r"[“”\"'‘’「」]")


def clean(name: str) -> str:
    """A printed name without its ordinal (一、 1、 （一）), 其中：, quotes or spaces."""
    return _PREFIX.sub("", _QUOTES.sub("", name.replace(" ", "").replace("\u3000", "")))


def printed_names(doc: Document) -> set[str]:
    """Every name the document prints: row names, column headers, table titles, narrative subjects."""
    names = {clean(t.title) for t in doc.tables}
    for table in doc.tables:
        for cell in table.cells:
            if cell.state == "value":
                names.add(clean(cell.row_name))
                names.update(clean(part) for part in cell.col_path)
    names.update(clean(f.subject) for f in doc.facts)
    return names


def candidates(doc: Document) -> list[str]:
    """Questions worth offering for one document, best first (not yet checked)."""
    names = printed_names(doc)
    present = [c for c in CONCEPTS if any(c in name for name in names)]
    changed = {clean(f.subject) for f in doc.facts if f.change_amount}
    questions = [CHANGE.format(c) for c in present if c in changed][:1]
    questions += [LOOKUP.format(c) for c in present]
    questions += [CHANGE.format(c) for c in present if c in changed][1:3]
    return questions


def named(item: dict, question: str) -> list[str]:
    """The question phrased about one document: its department and year, then also its kind."""
    year = f"{item['year']}年" if item["year"] else ""
    return [f"{item['department']}{year}{question}", f"{item['department']}{year}{item['kind'] or ''}{question}"]


def answered_from(store: Store, question: str, doc_id: str) -> bool:
    """Asked with no document chosen, the question is answered from ``doc_id`` alone."""
    answer = ask(store, question)
    return answer.status == "answered" and {c.doc_id for c in answer.citations} == {doc_id}


def suggest(store: Store, doc_id: str | None = None, limit: int = 8) -> list[str]:
    """Up to ``limit`` answerable questions, taken in turn from each document (or only ``doc_id``).

    With several documents loaded (and none chosen) each question names its document's
    department and year, and is kept only if, asked as it stands, it is answered from that
    document: a suggestion never ends in "which document?". A document is read only when
    its turn comes, so a large store costs about ``limit`` reads.
    """
    listed = store.documents()
    items = [d for d in listed if doc_id is None or d["doc_id"] == doc_id]
    several = doc_id is None and len(listed) > 1
    queues: dict[str, list[str]] = {}
    found: list[str] = []
    for depth in count():
        offered = False
        for item in items:
            if len(found) >= limit:
                return found
            item_id = item["doc_id"]
            if item_id not in queues:
                doc = store.load(item_id)
                queues[item_id] = candidates(doc) if doc else []
            if depth >= len(queues[item_id]):
                continue
            offered = True
            question = queues[item_id][depth]
            if several:
                question = next((q for q in named(item, question)
                                 if q not in found and answered_from(store, q, item_id)), None)
                if question is not None:
                    found.append(question)
            elif question not in found and ask(store, question, doc=item_id).status == "answered":
                found.append(question)
        if not offered:
            return found
    return found
