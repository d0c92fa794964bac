"""Identities within one table: rows along codes and outline, columns along headers, the two-sided balance."""

from __future__ import annotations

from budgetqa.audit.columns import cell_quantity, column_groups
from budgetqa.audit.index import Side, table_name
from budgetqa.audit.intervals import Quantity, judge_at_most, judge_equal, total
from budgetqa.audit.registry import Audit, CheckDef, money, sum_formula
from budgetqa.audit.rows import Group, row_groups

CODES = CheckDef("T-科目层级", "表内", "error",
                 "按科目编码逐级相加：类 = Σ款，款 = Σ项（经济分类 301 = Σ30101… 同理），科目 = Σ其下所列项目。")
TOTALS = CheckDef("T-合计行", "表内", "error", "总计/合计行 = 其上（或其下）各项之和；单位行 = 该单位各行之和。")
OUTLINE = CheckDef("T-大项分项", "表内", "error",
                   "无编码的行：大项 = Σ所列分项（一、二、…/1、2、…），小计 = Σ其下各行；“其中”各项之和不超过所属项。")
COLUMNS = CheckDef("T-表头合计", "表内", "error", "表头层级：合计（小计、总计）列 = 同级其他各列之和（“其中”列除外）。")
BALANCE = CheckDef("T-收支平衡", "表内", "error", "收支两栏的表：收入总计 = 支出总计。")
CHECKS = (CODES, TOTALS, OUTLINE, COLUMNS, BALANCE)


def run(audit: Audit, blank_totals: bool = False) -> None:
    """Record every in-table identity. ``blank_totals``: a total left blank beside printed parts
    fails too (the ingest self-check: a reader that shifted a column leaves its total blank)."""
    for check in CHECKS:
        audit.define(check)
    for side in audit.index.sides:
        for group in row_groups(side.rows, side.table.kind):
            _check_group(audit, side, group, blank_totals)
        for tree in side.trees.values():
            for _caption, total_node, parts in column_groups(tree):
                for row in side.rows:
                    whole = side.value(row, total_node)
                    values = [side.value(row, p) for p in parts]
                    cell = row.cells.get(total_node.index) if total_node.index is not None else None
                    if whole is None or cell is None or any(v is None for v in values):
                        continue
                    found = [v for v in values if v is not None]
                    if not _comparable(cell.state, whole, found, blank_totals):
                        continue
                    summed = total(found, f"{table_name(side.table)}：{row.label}（{'+'.join(p.label for p in parts)}）")
                    _compare(audit, COLUMNS.id, whole, summed, len(parts) == 1 and not found[0].is_sum,
                             f"{whole.label} {money(whole.value)}，同行各列相加 {money(summed.value)}",
                             f"{total_node.label} = {' + '.join(p.label for p in parts)}")
    _check_balance(audit)


PARTS_WORD = {CODES.id: "下级科目", TOTALS.id: "各项", OUTLINE.id: "所列分项"}


def _check_group(audit: Audit, side: Side, group: Group, blank_totals: bool = False) -> None:
    if group.parent.style == "code":
        check_id = CODES.id
    elif group.parent.style in ("total", "unit"):
        check_id = TOTALS.id
    else:
        check_id = OUTLINE.id
    for index, cell in group.parent.cells.items():
        label = f"{side.label(group.parent, None)}（{cell.column or '数'}）"
        whole = cell_quantity(side.table, cell, label)
        parts = [cell_quantity(side.table, child.cells.get(index), side.label(child, None)) for child in group.children]
        if whole is None or any(p is None for p in parts):
            continue
        parts_q = [p for p in parts if p is not None]
        if not _comparable(cell.state, whole, parts_q, blank_totals):
            continue
        summed = total(parts_q, f"{side.label(group.parent, None)}下各项之和（{cell.column or '数'}）")
        if group.relation == "le":
            title = f"{label} {money(whole.value)}，其中各项相加 {money(summed.value)}"
            formula = f"{sum_formula(parts_q)}；所属项 {money(whole.value)}"
            audit.record(OUTLINE.id, judge_at_most(summed, whole), title, summed, whole, formula,
                         note=f"（{group.basis}）")
            continue
        title = f"{label} {money(whole.value)}，{PARTS_WORD[check_id]}相加 {money(summed.value)}"
        _compare(audit, check_id, whole, summed, len(parts_q) == 1, title, group.basis)


def _comparable(state: str, whole: Quantity, parts: list[Quantity], blank_totals: bool = False) -> bool:
    """Worth comparing: something is printed, and the total is printed when its parts are
    (or, with ``blank_totals``, may be blank)."""
    if whole.value == 0 and not any(p.value for p in parts):
        return False
    return state == "value" or (blank_totals and state == "blank")


def _compare(audit: Audit, check_id: str, whole: Quantity, summed: Quantity, single: bool, title: str,
             basis: str = "") -> None:
    verdict = judge_equal(whole, summed, same_figure=single)
    formula = f"{sum_formula(summed.terms)}；表列 {money(whole.value)}；差 {money(whole.value - summed.value)}"
    audit.record(check_id, verdict, title, whole, summed, formula, note=f"（{basis}）" if basis else "")


def _check_balance(audit: Audit) -> None:
    by_table: dict[str, list[Side]] = {}
    for side in audit.index.sides:
        by_table.setdefault(side.table.table_id, []).append(side)
    for sides in by_table.values():
        incomes = [s for s in sides if "收" in s.name]
        spends = [s for s in sides if "支" in s.name]
        for income in incomes:
            for spend in spends:
                a, b = income.grand_total(), spend.grand_total()
                if a is None or b is None:
                    continue
                left = income.value(a, income.first_column())
                right = spend.value(b, spend.first_column())
                if left is None or right is None or (left.value == 0 or right.value == 0):
                    continue
                verdict = judge_equal(left, right, same_figure=True)
                audit.record(BALANCE.id, verdict,
                             f"{table_name(income.table)}：收入总计 {money(left.value)}，支出总计 {money(right.value)}",
                             left, right, f"{money(left.value)} − {money(right.value)} = {money(left.value - right.value)}")
