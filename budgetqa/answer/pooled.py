"""A 决算's 类 or 款 年初预算, pooled from the narrative's sentences about each of its 项.

A 决算 narrative often states "一般公共服务支出（类）财政事务（款）行政运行（项）：年初预算为 X 万元，
支出决算为 Y 万元" for every 项, and no budget for the 类 itself. The 类's budget is then the sum
of its 项's budgets — but only when the sentences cover every 项: their 决算 must add up to the
决算 the tables print for the 类 (or 款), else the narrative listed only the main items and no
sum is given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from budgetqa.answer.catalog import Catalog, normalise_name, subject_levels, value_of
from budgetqa.answer.compute import share
from budgetqa.answer.planner import ParsedQuestion
from budgetqa.answer.render import money, percent
from budgetqa.answer.resolve import Quantity, cell_citation, fact_citation
from budgetqa.answer.schema import Answer
from budgetqa.models import Fact
from budgetqa.numbers import fmt_money, fmt_pct, round2, to_wan

_ASKS_BUDGET = re.compile(r"年初预算|全年预算|预算数|预算加|预算一共|预算合计|完成")
_ASKS_FINAL = re.compile(r"决算|实际|用了|花了|完成")
_ASKS_RATE = re.compile(r"完成率|百分之|完成了?[多几]|完成.{0,6}预算的")


@dataclass(slots=True)
class Pooled:
    """A 类/款 and the 项 sentences that sum to it, checked against its printed 决算 cell."""

    name: str
    items: list[Fact]
    final: Quantity

    @property
    def budget(self) -> Decimal:
        return sum((to_wan(f.budget, f.unit) for f in self.items), Decimal(0))


def pooled(parsed: ParsedQuestion, catalog: Catalog) -> Pooled | None:
    """The 类 or 款 the question names, with the 项 sentences that cover it, if they all do."""
    if catalog.doc.kind != "决算":
        return None
    for mention in parsed.mentions:
        rows = catalog.by_code.get(mention.text, []) if mention.kind == "code" else []
        names = {normalise_name(r.name) for r in rows} or {
            normalise_name(n) for n in (mention.text, *mention.alternatives)}
        for name in names:
            items = [f for f in catalog.doc.facts if f.budget is not None and f.amount is not None
                     and f.unit in ("万元", "元") and name in subject_levels(f.subject)[:-1]]
            if len(items) < 2:
                continue
            final = _printed_final(catalog, name, sum((to_wan(f.amount, f.unit) for f in items), Decimal(0)))
            if final is not None:
                return Pooled(name, items, final)
    return None


def _printed_final(catalog: Catalog, name: str, summed: Decimal) -> Quantity | None:
    """A table cell for the row ``name`` that prints the items' summed 决算."""
    for row in catalog.by_name.get(name, []):
        for cell in row.cells.values():
            if cell.value is not None and round2(value_of(cell)) == round2(summed):
                return Quantity(row.name, value_of(cell), cell_citation(catalog, row.table, cell), row, cell)
    return None


def pooled_answer(parsed: ParsedQuestion, catalog: Catalog) -> Answer | None:
    """The pooled 年初预算 (and the 决算 and completion, when asked) of a 类 or 款 of a 决算."""
    text = parsed.compact
    if not _ASKS_BUDGET.search(text):
        return None
    found = pooled(parsed, catalog)
    if found is None:
        return None
    budget, final = found.budget, found.final.value
    shown = " + ".join(fmt_money(to_wan(f.budget, f.unit)) for f in found.items)
    formula = f"年初预算 {shown} = {fmt_money(budget)}"
    values = [money(f"{found.name}年初预算（各项之和）", budget)]
    said = f"{found.name}各项的年初预算合计 {fmt_money(budget)} 万元"
    if _ASKS_FINAL.search(text.replace("年初预算", "")) or _ASKS_RATE.search(text):
        values.append(money(f"{found.name}决算数", final))
        said += f"，决算 {fmt_money(final)} 万元"
        formula += f"；决算 {' + '.join(fmt_money(to_wan(f.amount, f.unit)) for f in found.items)} = {fmt_money(final)}"
    if _ASKS_RATE.search(text) and budget:
        pct, rate = share(final, budget)
        values.insert(0, percent(f"{found.name}完成年初预算的比例", pct))
        said += f"，完成年初预算的 {fmt_pct(pct)}"
        formula += f"；{rate}"
    return Answer(
        status="answered",
        answer=f"{said}。",
        values=values,
        formula=formula,
        citations=[fact_citation(catalog, f) for f in found.items] + [found.final.citation],
        notes=[f"文件没有单列{found.name}的年初预算：按情况说明逐项所列（共 {len(found.items)} 项）相加；"
               f"各项决算之和与表列{found.name}决算 {fmt_money(final)} 万元相符，说明各项已列全。"],
    )
