"""Tables against the narrative that describes them: a 三公, 机关运行经费, 政府采购, 政府性基金 or 国有资本经营
table left empty while the narrative gives its figures, or filled while the narrative says there are none;
the 国有资产 vehicles, whose categories add up to the total; and the counts and areas the narrative gives
(车辆, 设备, 房屋面积) against a 国有资产 table, when the disclosure prints one (its amounts are N-金额's).

The figures themselves are reconciled by the narrative checks (N-金额, per item, budget and actual).
"""

from __future__ import annotations

from budgetqa.audit.checks_complete import narrative_statement
from budgetqa.audit.index import is_empty, table_name
from budgetqa.audit.intervals import ZERO
from budgetqa.audit.names import normalise, vocab
from budgetqa.audit.narrative import MONEY_UNITS, parts_of, place
from budgetqa.audit.registry import Audit, CheckDef, money
from budgetqa.audit.report import Ref
from budgetqa.models import Fact, Table

TOPIC = CheckDef("T-表与说明", "说明与表", "error",
                 "说明给出数的（三公、机关运行经费、政府采购、政府性基金、国有资本经营），对应的表不应为空；"
                 "说明称没有的，表中不应有数。")


VEHICLES = CheckDef("T-车辆", "说明与表", "error",
                    "国有资产占用情况中车辆总数等于所列各类车辆之和（模板列出全部类别）。")


ASSET_COUNTS = CheckDef("T-资产数量", "说明与表", "error",
                        "说明中的国有资产数量（车辆、设备台套、房屋面积）与国有资产表中同名的行相同。")
ASSET_KIND = "国有资产表"
COUNT_COLUMN_WORDS = ("数量", "面积")
"""A column holding counts or areas is headed by one of these words, or by the count's own unit."""


def run(audit: Audit) -> None:
    audit.define(TOPIC)
    audit.define(VEHICLES)
    audit.define(ASSET_COUNTS)
    _check_counts(audit)
    _check_asset_counts(audit)
    words = vocab()["completeness"]["kind_words"]
    for kind in vocab()["topics"]["kinds"]:
        for table in (t for t in audit.doc.tables if t.kind == kind):
            stated = [f for f in audit.doc.facts if _names(f, words.get(kind, [])) and _nonzero(f)]
            _check(audit, table, stated, narrative_statement(audit, kind))


def _names(fact: Fact, words: list[str]) -> bool:
    subject = normalise(fact.subject)
    return fact.unit in MONEY_UNITS and any(w in subject for w in words)


def _nonzero(fact: Fact) -> bool:
    return any(v for v in (fact.amount, fact.budget, fact.previous))


def _check(audit: Audit, table: Table, stated: list[Fact], says_none: str | None) -> None:
    page = table.pages[0] if table.pages else None
    table_ref = Ref(table_id=table.table_id, table=table.title, page=page, raw=table.empty_statement or "（空表）")
    if is_empty(table) and stated:
        fact = stated[0]
        figure = fact.amount or fact.budget or fact.previous
        audit.note(TOPIC.id, "error", f"{table_name(table)}为空，说明第{fact.page}页却写“{fact.subject}” {money(figure)} 万元",
                   "说明给出了这项支出，表中却没有数：表漏填，或说明写错。",
                   sorted({p for p in (page, fact.page) if p}), [table_ref, Ref(page=fact.page, sentence=fact.sentence)])
        return
    if not is_empty(table) and says_none and not stated:
        audit.note(TOPIC.id, "error", f"说明称“{says_none}”，{table_name(table)}中却有数",
                   "说明称没有这项支出，表中却填了数：两者必有一处写错。", [page] if page else [],
                   [Ref(sentence=says_none), Ref(table_id=table.table_id, table=table.title, page=page)])
        return
    audit.passed(TOPIC.id)


def _check_counts(audit: Audit) -> None:
    """A count listed in full by category ("共有车辆7辆，其中：…其他用车7辆"): the categories add up to it."""
    units = vocab()["topics"]["exhaustive_units"]
    placed = place(audit.doc.facts)
    for lead in placed:
        if lead.fact.unit not in units or not lead.is_lead or lead.fact.amount is None:
            continue
        parts = parts_of(lead, placed)
        if len(parts) < 2:
            continue
        summed = sum((p.fact.amount or ZERO for p in parts), ZERO)
        if summed == lead.fact.amount:
            audit.passed(VEHICLES.id)
            continue
        fact = lead.fact
        terms = " + ".join(f"{p.fact.amount}" for p in parts)
        audit.note(VEHICLES.id, "error", f"第{fact.page}页“{fact.subject}” {fact.amount}{fact.unit}，所列各类相加 {summed}{fact.unit}",
                   f"{terms} = {summed}，与总数 {fact.amount} 不等：总数或某一类写错。", [fact.page],
                   [Ref(page=fact.page, sentence=fact.sentence)])


def _check_asset_counts(audit: Audit) -> None:
    """Each count or area the narrative states (“车辆7辆”, “房屋14,609.83平方米”) equals the 国有资产 table's row
    of that name, in a column headed by its unit, 数量 or 面积."""
    tables = [t for t in audit.doc.tables if t.kind == ASSET_KIND]
    if not tables:
        return
    for fact in audit.doc.facts:
        if fact.amount is None or fact.unit in MONEY_UNITS:
            continue
        cells = [c for t in tables for c in t.cells if c.state == "value" and normalise(c.row_name) == normalise(fact.subject)
                 and any(w in "".join(c.col_path) for w in (*COUNT_COLUMN_WORDS, fact.unit))]
        if not cells:
            continue
        if any(c.value == fact.amount for c in cells):
            audit.passed(ASSET_COUNTS.id)
            continue
        cell = cells[0]
        table = next(t for t in tables if cell in t.cells)
        audit.note(ASSET_COUNTS.id, "error",
                   f"说明第{fact.page}页“{fact.subject}” {fact.amount}{fact.unit}，{table.title}第{cell.page}页 {cell.raw}",
                   f"同一项国有资产，说明写 {fact.amount}{fact.unit}，表中是 {cell.raw}（{' / '.join(cell.col_path)}）：必有一处写错。",
                   sorted({fact.page, cell.page}),
                   [Ref(page=fact.page, sentence=fact.sentence),
                    Ref(table_id=table.table_id, table=table.title, row=cell.row_name, row_index=cell.row_index,
                        col_index=cell.col_index, column=" / ".join(cell.col_path), page=cell.page, raw=cell.raw)])
