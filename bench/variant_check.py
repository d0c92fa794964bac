"""Score the tables read from a generated disclosure against what was drawn (see variant_docs.py).

Every drawn amount must be a value cell of the table with its title, in the row with its
code (or, uncoded, its name), under the column whose header leaf it was drawn under, and
with the value printed (a bracketed amount is negative), in the unit the document prints (元 or
万元: a figure stored in the other unit is 10,000 times off).
A drawn amount read elsewhere is *wrong*, one not read at all *missed*; a value cell whose
text is a drawn code is a *code stored as an amount*. Sum identities are judged by
bench/ingest_quality.py's rules: every one holds in the drawing, so a failure is an ingest error.
(A whole-number amount that happens to equal a code is no code when it is read right.)
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ingest_quality import Report, measure_identities, normal, title_key
from variant_docs import DrawnDoc, DrawnTable

from budgetqa.models import Cell, Table
from budgetqa.numbers import parse_number

IDENTITY_CAUSES = (("Σ下级", "code"), ("= Σ类", "total-row"), ("列 = Σ分列", "total-column"),
                   ("收入总计 = 支出总计", "balance"))
_BARE_INTEGER = re.compile(r"^\d{1,7}$")


@dataclass(slots=True)
class Score:
    """Counts for one document, or summed over many."""

    docs: int = 0
    cells: int = 0
    right: int = 0
    missed: int = 0
    wrong: int = 0
    codes: int = 0
    extra: int = 0
    drawn: int = 0
    found: int = 0
    split: int = 0
    unexpected: int = 0
    form_items: int = 0
    form_right: int = 0
    checks: int = 0
    identity: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in ("docs", "cells", "right", "missed", "wrong", "codes", "extra", "drawn", "found", "split",
                     "unexpected", "form_items", "form_right", "checks"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.identity.update(other.identity)

    @property
    def identity_failures(self) -> int:
        return sum(self.identity.values())


def score(doc: DrawnDoc, tables: list[Table]) -> Score:
    """How well ``tables`` (read from the drawn ``doc``) hold what the drawing prints."""
    result = Score(docs=1, drawn=len(doc.tables))
    matched: set[int] = set()
    hits: set[int] = set()
    for drawn in doc.tables:
        mine = [t for t in tables if title_key(t.title) == title_key(drawn.words)]
        matched.update(id(t) for t in mine)
        if not mine:
            result.problems.append(f"table not read: {drawn.title}")
        elif len(mine) == 1:
            result.found += 1
        else:
            result.split += 1
            result.problems.append(f"read as {len(mine)} tables: {drawn.title}")
        if drawn.form is not None:
            _score_form(result, drawn, mine)
        else:
            _score_cells(result, drawn, mine, hits, doc.variants.get("unit", "万元"))
    result.unexpected = sum(1 for t in tables if id(t) not in matched)
    result.problems += [f"table not drawn: {t.title} p{t.pages}" for t in tables if id(t) not in matched]
    codes = {c for d in doc.tables for c in d.codes}
    for table in tables:
        if table.performance is None:
            for cell in table.cells:
                if cell.state == "value" and id(cell) not in hits and _BARE_INTEGER.match(cell.raw) and cell.raw in codes:
                    result.codes += 1
                    result.problems.append(f"code as amount: {table.title} {cell.raw} in {_where(cell)}")
    report = Report("")
    measure_identities(tables, report)
    result.checks = report.checks
    for failure in report.failures:
        cause = next((name for mark, name in IDENTITY_CAUSES if mark in failure), "other")
        result.identity[cause] += 1
        result.problems.append(f"identity ({cause}): {failure}")
    return result


def _where(cell: Cell) -> str:
    return f"{cell.row_code or ''} {cell.row_name} [{cell.column}] p{cell.page}"


def _squeeze(text: str) -> str:
    return re.sub(r"\s", "", text)


def _score_cells(result: Score, drawn: DrawnTable, tables: list[Table], hits: set[int], unit: str) -> None:
    """Each drawn amount right, wrong or missed (drawn in ``unit``); ``hits`` gathers the cells read right."""
    pool: dict[str, list[Cell]] = {}
    for table in tables:
        for cell in table.cells:
            if cell.state == "value":
                pool.setdefault(normal(cell.raw), []).append(cell)

    def fits(cell: Cell, amount) -> bool:
        column = bool(cell.col_path) and _squeeze(cell.col_path[-1]) == _squeeze(amount.column)
        column = column and cell.value == parse_number(amount.text) and cell.unit == unit
        if amount.code is not None:
            return column and cell.row_code == amount.code and _squeeze(cell.row_name) == _squeeze(amount.name)
        return column and not cell.row_code and _squeeze(cell.row_name) == _squeeze(amount.name)

    # every amount read in its place first, so a cell read right is never taken for another amount
    # printed with the same figure (a parent not read beside its only child) and called wrong
    unplaced = []
    for amount in drawn.amounts:
        result.cells += 1
        candidates = pool.get(normal(amount.text), [])
        hit = next((c for c in candidates if fits(c, amount)), None)
        if hit is not None:
            result.right += 1
            hits.add(id(hit))
            candidates.remove(hit)
        else:
            unplaced.append(amount)
    for amount in unplaced:
        candidates = pool.get(normal(amount.text), [])
        if candidates:
            result.wrong += 1
            cell = candidates.pop(0)
            result.problems.append(f"wrong: {drawn.title} {amount.code or ''} {amount.name} [{amount.column}] "
                                   f"{amount.text} read at {_where(cell)} in {cell.unit}")
        else:
            result.missed += 1
            result.problems.append(f"missed: {drawn.title} {amount.code or ''} {amount.name} [{amount.column}] "
                                   f"{amount.text}")
    left = [c for cells in pool.values() for c in cells]
    result.extra += len(left)
    result.problems += [f"extra value: {drawn.title} {c.raw} at {_where(c)}" for c in left]


def _score_form(result: Score, drawn: DrawnTable, tables: list[Table]) -> None:
    truth = drawn.form
    assert truth is not None
    form = next((t.performance for t in tables if t.performance is not None), None)
    result.form_items += len(truth.amounts) + len(truth.indicators)
    if form is None:
        result.problems.append(f"form not read: {drawn.title}")
        return
    for label, value in truth.amounts.items():
        if form.amounts.get(label) == value:
            result.form_right += 1
        else:
            result.problems.append(f"form amount: {label} {value} read as {form.amounts.get(label)}")
    read = Counter((i.level1, i.level2, i.name, i.target, i.weight) for i in form.indicators)
    for indicator in truth.indicators:
        if read[indicator] > 0:
            read[indicator] -= 1
            result.form_right += 1
        else:
            result.problems.append(f"form indicator not read: {'/'.join(indicator)}")
    result.problems += [f"form indicator invented: {'/'.join(i)}" for i in read.elements()]
