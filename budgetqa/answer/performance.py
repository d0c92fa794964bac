"""Questions about a project's performance-target form (绩效目标表): who, goals, indicators, money.

Ingestion reads each form into a :class:`~budgetqa.models.Performance` (project, the people and
units printed, amounts, goals, indicators). A question that names a project printed on such a
form and asks for one of its fields is answered from the form, quoted with table and page; a
field the form does not print is refused. The words are data (``vocab/questions.toml``
``[performance]``).
"""

from __future__ import annotations

import re
from decimal import Decimal

from budgetqa.answer.catalog import Catalog
from budgetqa.answer.planner import years_named
from budgetqa.answer.render import money
from budgetqa.answer.schema import Answer, Citation, Plan, Value
from budgetqa.models import Performance, Table
from budgetqa.numbers import fmt_money, to_wan
from budgetqa.vocab import load

MIN_PROJECT_MATCH = 6
"""Characters of a project's name a question must repeat to name it."""
_LEADING_CODE = re.compile(r"^[\dA-Za-z]+")


def _vocab() -> dict:
    return load("questions")["performance"]


def asks_about_form(text: str) -> bool:
    """True when the question asks for something a performance form holds."""
    return any(word in text for words in _vocab()["fields"].values() for word in words)


def named_projects(text: str, catalogs: list[Catalog]) -> list[tuple[Catalog, Table]]:
    """The performance forms whose project the question names: in full, else the ones sharing
    the longest run (6+ characters) of their name with it."""
    scored = []
    for catalog in catalogs:
        for table in catalog.doc.tables:
            if table.performance is not None:
                name = _LEADING_CODE.sub("", table.performance.project)
                score = len(name) + 1000 if len(name) >= 2 and name in text else _shared_run(name, text)
                if score >= MIN_PROJECT_MATCH:
                    scored.append((score, catalog, table))
    full = [(c, t) for score, c, t in scored if score >= 1000]
    if full:
        return full
    best = max((score for score, _, _ in scored), default=0)
    return [(c, t) for score, c, t in scored if score == best]


def _named_in_full(table: Table, text: str) -> bool:
    """Whether the question repeats a form's whole project name (its leading code aside)."""
    name = _LEADING_CODE.sub("", table.performance.project)
    return len(name) >= 2 and name in text


def _shared_run(name: str, text: str) -> int:
    """The length of the longest run of ``name`` that ``text`` contains."""
    best = 0
    for start in range(len(name)):
        for end in range(len(name), start + best, -1):
            if name[start:end] in text:
                best = end - start
                break
    return best


def answer_form(text: str, catalogs: list[Catalog]) -> Answer | None:
    """The answer from the performance forms a question names, or None when it names none."""
    years = years_named(text)
    in_years = [c for c in catalogs if not years or c.doc.year in years]
    if asks_about_form(text):
        forms = named_projects(text, in_years)
        field = next((f for f, words in _vocab()["fields"].items() if any(w in text for w in words)), None)
    else:
        # "X专项有多少是上年结转的": a form's own amount label (checked below), asked of a project named in full
        forms = [(c, t) for c, t in named_projects(text, in_years) if _named_in_full(t, text)]
        field = "amount"
    if not forms:
        return None
    if field == "amount" and not any(label in text for _, t in forms for label in t.performance.amounts):
        return None  # "X项目多少钱": the project tables answer that, with their own columns
    answers = [_field(catalog, table, field, text) for catalog, table in forms]
    refused = [a for a in answers if a.status != "answered"]
    if refused:
        return refused[0]
    plan = Plan(route="numeric", operation="performance", documents=[c.doc.doc_id for c, _ in forms],
                quantities=[t.performance.project for _, t in forms])
    return Answer(status="answered", answer="".join(a.answer for a in answers),
                  values=[v for a in answers for v in a.values], citations=[c for a in answers for c in a.citations],
                  notes=list(dict.fromkeys(n for a in answers for n in a.notes)), plan=plan)


def _citation(catalog: Catalog, table: Table, column: str, printed: str) -> Citation:
    form = table.performance
    return Citation(doc_id=catalog.doc.doc_id, document=catalog.doc.title, table_id=table.table_id,
                    table=table.title, row=form.project, column=column, page=form.pages[0] if form.pages else None,
                    raw=printed, source_file=table.source_file or None)


def _field(catalog: Catalog, table: Table, field: str | None, text: str) -> Answer:
    form: Performance = table.performance
    project = form.project
    if field == "amount":
        return _amount(catalog, table, text)
    if field == "goal":
        if not form.goals:
            return Answer(status="refused", answer=f"《{table.title}》中没有印出“{project}”的绩效目标。")
        said = "；".join(f"{head}：{body.rstrip('。')}" if head else body.rstrip("。") for head, body in form.goals)
        return Answer(status="answered", answer=f"“{project}”的绩效目标：{said}。",
                      citations=[_citation(catalog, table, "绩效目标", said)])
    if field == "indicator":
        levels = [level for level in _vocab()["indicator_levels"] if level[:2] in text]
        chosen = [i for i in form.indicators if not levels or any(i.level1.startswith(lv[:2]) for lv in levels)]
        if not chosen:
            return Answer(status="refused", answer=f"《{table.title}》中没有“{project}”的{'、'.join(levels) or ''}指标。")
        said = "；".join(f"{i.name} {i.target}".strip() for i in chosen)
        return Answer(status="answered", answer=f"“{project}”的{'、'.join(levels) or '绩效指标'}：{said}。",
                      citations=[_citation(catalog, table, "绩效指标", said)])
    labels = _vocab()["labels"].get(field or "", [])
    printed = [(label, value) for label, value in form.fields.items() if any(w in label for w in labels)]
    printed = [(label, value) for label, value in printed if label in text] or printed
    if not printed:
        asked = "、".join(labels[:1]) or "所问内容"
        return Answer(status="refused", answer=f"《{table.title}》中没有印出“{project}”的{asked}。")
    said = "，".join(f"{label}：{value}" for label, value in printed)
    return Answer(status="answered", answer=f"“{project}”{said}。", citations=[_citation(catalog, table, "、".join(
        label for label, _ in printed), said)])


def _amount(catalog: Catalog, table: Table, text: str) -> Answer:
    form = table.performance
    amounts = form.amounts
    named = [label for label in amounts if label in text]
    label = named[0] if named else next((lb for lb in _vocab()["default_amounts"] if lb in amounts), None)
    if label is None:
        return Answer(status="refused", answer=f"《{table.title}》中没有印出“{form.project}”的资金数。")
    amount: Decimal = amounts[label]
    wan = to_wan(amount, form.unit)
    values: list[Value] = [money(f"{form.project}{label}", wan)]
    notes = []
    if form.unit != "万元":
        values.append(money(f"{form.project}{label}（表列，{form.unit}）", wan, form.unit))
        notes.append(f"表中单位为{form.unit}，已换算为万元。")
    return Answer(status="answered", answer=f"“{form.project}”{label} {fmt_money(wan)} 万元。", values=values,
                  citations=[_citation(catalog, table, label, f"{amount:,.2f}")], notes=notes)
