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
    if _ranks_forms(text):
        return _ranked_forms(text, in_years)
    indicator = _named_indicator(text, named_projects(text, in_years))
    if indicator is not None:
        return indicator
    measure = _MEASURE_ASKED.search(text)
    if measure and not asks_about_form(text):
        targets = _indicator_targets(text, measure.group(1), named_projects(text, in_years))
        if targets is not None:
            return targets
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


def _default_amount(form: Performance) -> str | None:
    """The amount a form is known by when none is named (年度资金总额 …), if it prints one."""
    return next((label for label in _vocab()["default_amounts"] if label in form.amounts), None)


def _amount(catalog: Catalog, table: Table, text: str) -> Answer:
    form = table.performance
    amounts = form.amounts
    named = [label for label in amounts if label in text]
    label = named[0] if named else _default_amount(form)
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


_RANKING = re.compile(r"哪(?:个|一|项|些)?项目.*最(?:多|大|高|少|小|低)|最(?:多|大|高|少|小|低)的(?:是)?(?:哪|什么)")


def _ranks_forms(text: str) -> bool:
    """"绩效目标表里哪个项目钱最少": a ranking of the projects on the performance forms."""
    return "绩效" in text and bool(_RANKING.search(text))


def _ranked_forms(text: str, catalogs: list[Catalog]) -> Answer:
    """The projects of one document's performance forms, ranked by the amount each form prints."""
    with_forms = [c for c in catalogs if any(t.performance is not None for t in c.doc.tables)]
    if len(with_forms) != 1:
        which = "、".join(c.doc.title for c in with_forms)
        if not with_forms:
            return Answer(status="refused", answer="已载入的公开中没有可排序的绩效目标表。")
        return Answer(status="clarify", answer=f"几份公开都印有绩效目标表（{which}），请说明是哪个部门、哪一年的。")
    catalog = with_forms[0]
    smallest = any(w in text for w in load("questions")["smallest"]["words"])
    ranked: list[tuple[Decimal, Table, str]] = []
    for table in catalog.doc.tables:
        form = table.performance
        label = _default_amount(form) if form else None
        if label is not None:
            ranked.append((to_wan(form.amounts[label], form.unit), table, label))
    if len(ranked) < 2:
        return Answer(status="refused", answer=f"{catalog.doc.title}的绩效目标表不足两张印有资金总额，无法排序。")
    ranked.sort(key=lambda r: r[0], reverse=not smallest)
    amount, table, label = ranked[0]
    ties = [t.performance.project for a, t, _ in ranked[1:] if a == amount]
    listing = "；".join(f"{t.performance.project} {fmt_money(a)}" for a, t, _ in ranked)
    project = table.performance.project
    notes = [f"并列的还有：{'、'.join(ties)}。"] if ties else []
    return Answer(
        status="answered",
        answer=f"{catalog.doc.title}的{len(ranked)}张绩效目标表中，{label}{'最少' if smallest else '最多'}的是"
               f"“{project}”，{fmt_money(amount)} 万元。",
        values=[money(f"{project}{label}", amount)],
        formula=f"按{label}排序（万元）：{listing}",
        citations=[_citation(catalog, t, lb, f"{t.performance.amounts[lb]:,.2f}") for _, t, lb in ranked[:3]],
        notes=notes,
        plan=Plan(route="numeric", operation="ranking", documents=[catalog.doc.doc_id],
                  quantities=[t.performance.project for _, t, _ in ranked]),
    )


_MEASURE_ASKED = re.compile(r"(?:多少|几)([人个次场门所家名项期篇本套台辆户批课])")
""""打算培训多少人": a count that a form's indicator sets as its target (完成培训人数 300人)."""


def _indicator_targets(text: str, measure: str, forms: list[tuple[Catalog, Table]]) -> Answer | None:
    """The indicator of the one form the question names whose name shares words with the question
    and whose target counts in the asked measure word; None when no single form and indicator fit."""
    if len({t.performance.project for _, t in forms}) != 1:
        return None
    catalog, table = forms[0]
    form = table.performance
    asked = text.replace(_LEADING_CODE.sub("", form.project), "")
    shared = {id(i): _shared_run(i.name, asked) for i in form.indicators if re.search(rf"\d\s*{measure}", i.target)}
    best = max(shared.values(), default=0)
    if best < 2:
        return None
    return _targets(catalog, table, [i for i in form.indicators if shared.get(id(i)) == best])


def _named_indicator(text: str, forms: list[tuple[Catalog, Table]]) -> Answer | None:
    """"捐赠配比专项里奖助学生人次定的是多少": the target of the indicator the question names by its
    printed name (4 characters or more), on the one form it names."""
    if len({t.performance.project for _, t in forms}) != 1:
        return None
    catalog, table = forms[0]
    chosen = [i for i in table.performance.indicators if len(i.name) >= 4 and i.name in text and i.target]
    return _targets(catalog, table, chosen) if chosen else None


def form_amount(text: str, catalogs: list[Catalog]) -> Answer | None:
    """"基本科研业务费专项一年给了多少钱", when no table names the project: the amount its one
    performance form is known by (年度资金总额 …)."""
    if not _ASKS_MONEY.search(text):
        return None
    years = years_named(text)
    forms = named_projects(text, [c for c in catalogs if not years or c.doc.year in years])
    if len({(c.doc.doc_id, t.performance.project) for c, t in forms}) != 1:
        return None
    catalog, table = forms[0]
    answer = _amount(catalog, table, text)
    answer.plan = Plan(route="numeric", operation="performance", documents=[catalog.doc.doc_id],
                       quantities=[table.performance.project])
    return answer


_ASKS_MONEY = re.compile(r"多少钱|多少万|给了?多少|安排了?多少|拨了?多少|金额|资金|经费")


def _targets(catalog: Catalog, table: Table, chosen: list) -> Answer:
    """The chosen indicators' targets, quoted from the form and marked as targets."""
    form = table.performance
    said = "；".join(f"{i.name} {i.target}（{i.level1}/{i.level2}）" for i in chosen)
    citation = _citation(catalog, table, "绩效指标", "；".join(f"{i.name} {i.target}" for i in chosen))
    citation.page = chosen[0].page or citation.page
    return Answer(status="answered", answer=f"“{form.project}”绩效目标表的指标：{said}。", citations=[citation],
                  notes=["这是绩效目标表设定的目标值，不是实际完成数。"],
                  plan=Plan(route="numeric", operation="performance", documents=[catalog.doc.doc_id],
                            quantities=[form.project]))
