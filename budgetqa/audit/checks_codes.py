"""Classification codes: a 类/款 code printed with another subject's name, a 款/项 filed under a parent it does not extend.

Names per code are data (``budgetqa/vocab/subjects.toml``, the national 政府收支分类科目): 2xx codes are
支出功能分类, 3xx 经济分类. A code the vocabulary does not hold, or a name it does not know, is not judged.
"""

from __future__ import annotations

from functools import lru_cache

from budgetqa.audit.index import Side, table_name
from budgetqa.audit.names import normalise
from budgetqa.audit.registry import Audit, CheckDef
from budgetqa.audit.report import Ref
from budgetqa.audit.rows import Row
from budgetqa.vocab import load

NAME = CheckDef("K-科目名称", "科目编码", "error",
                "功能分类（类、款）和经济分类科目的编码与名称对应全国政府收支分类科目：名称是另一个科目的名称即为错配。")
PARENT = CheckDef("K-科目层级", "科目编码", "error", "款的编码以其所属类的编码开头，项的编码以其所属款的编码开头。")
CHECKS = (NAME, PARENT)
SYSTEMS = {"2": "function", "3": "economic"}
"""The first digit of a code names its classification."""


@lru_cache
def _names() -> dict[str, tuple[dict[str, set[str]], dict[str, str]]]:
    """Per classification: code → its names, and name → the code it belongs to."""
    subjects = load("subjects")
    found = {}
    for system in SYSTEMS.values():
        by_code = {code: {normalise(n) for n in names} for code, names in subjects[system].items()}
        owner = {name: code for code, names in by_code.items() for name in names}
        found[system] = (by_code, owner)
    return found


def run(audit: Audit) -> None:
    for check in CHECKS:
        audit.define(check)
    for side in audit.index.sides:
        coded = [r for r in side.rows if r.code and not r.subject and r.code[:1] in SYSTEMS]
        for row in coded:
            _check_name(audit, side, row)
        _check_parents(audit, side, coded)


def _ref(side: Side, row: Row) -> Ref:
    cell = next(iter(row.cells.values()))
    return Ref(table_id=side.table.table_id, table=side.table.title, side=side.name or None, row_index=row.index,
               row=row.name, row_code=row.code, page=cell.page, raw=f"{row.code} {row.name}")


def _check_name(audit: Audit, side: Side, row: Row) -> None:
    assert row.code is not None
    by_code, owner = _names()[SYSTEMS[row.code[0]]]
    own = by_code.get(row.code)
    if own is None or not row.key:
        return
    other = owner.get(row.key)
    if row.key in own or other is None or len(other) != len(row.code):
        audit.passed(NAME.id)
        return
    ref = _ref(side, row)
    audit.note(NAME.id, "error", f"{table_name(side.table)}：科目 {row.code} 写作“{row.name}”",
               f"“{row.name}”是科目 {other} 的名称，{row.code} 应为“{'／'.join(sorted(own))}”：编码与名称错配。",
               [ref.page] if ref.page else [], [ref])


def _check_parents(audit: Audit, side: Side, coded: list[Row]) -> None:
    """Each 款 after its 类 and each 项 after its 款, in printed order: the code extends the one above it."""
    above: dict[int, Row] = {}
    for row in coded:
        assert row.code is not None
        length = len(row.code)
        parent = above.get(length - 2)
        above[length] = row
        for deeper in [k for k in above if k > length]:
            del above[deeper]
        if parent is None or parent.code is None or length not in (5, 7):
            continue
        if row.code.startswith(parent.code):
            audit.passed(PARENT.id)
            continue
        ref = _ref(side, row)
        audit.note(PARENT.id, "error", f"{table_name(side.table)}：{row.code} {row.name} 列在 {parent.code} {parent.name} 之下",
                   f"编码 {row.code} 不以所属上级科目 {parent.code} 开头：编码写错，或行的位置放错。",
                   [ref.page] if ref.page else [], [_ref(side, parent), ref])
