"""The same quantity in two tables: rules from budgetqa/vocab/audit.toml, per document kind."""

from __future__ import annotations

from decimal import Decimal

from budgetqa.audit.intervals import ZERO, Quantity, exact, judge_at_most, judge_equal
from budgetqa.audit.names import vocab
from budgetqa.audit.registry import Audit, CheckDef, money

Spec = dict


def rules() -> list[dict]:
    return vocab()["cross"]


def run(audit: Audit) -> None:
    kind = audit.doc.kind
    for rule in rules():
        check = CheckDef(rule["id"], "表间", "error", rule["meaning"])
        audit.define(check)
        if kind not in rule.get("kinds", ["预算", "决算"]):
            continue
        for each in rule.get("each", [None]):
            left = _alternatives(rule["left"], each)
            right = _alternatives(rule["right"], each)
            if rule.get("by", "value") == "value":
                _check_value(audit, rule, left, right)
            else:
                _check_rows(audit, rule, left[0], right[0])


def _alternatives(spec: Spec | list[Spec], each: str | None) -> list[Spec]:
    specs = spec if isinstance(spec, list) else [spec]
    return [_substitute(s, each) for s in specs]


def _substitute(spec: Spec, each: str | None) -> Spec:
    if each is None:
        return spec
    first, _, second = each.partition("|")
    names = {"@each": first, "@each2": second or first}

    def sub(value):
        if isinstance(value, list):
            return [names.get(v, v) if isinstance(v, str) else v for v in value]
        return names.get(value, value) if isinstance(value, str) else value

    return {key: sub(value) for key, value in spec.items()}


def _resolve(audit: Audit, specs: list[Spec]) -> Quantity | None:
    for spec in specs:
        found = audit.index.resolve(spec)
        if found is not None:
            return found
    return None


def _check_value(audit: Audit, rule: dict, left_specs: list[Spec], right_specs: list[Spec]) -> None:
    left = _resolve(audit, left_specs)
    right = _resolve(audit, right_specs)
    if left is None or right is None:
        return
    _judge(audit, rule, left, right)


def _judge(audit: Audit, rule: dict, left: Quantity, right: Quantity) -> None:
    if rule.get("relation", "eq") == "le":
        verdict = judge_at_most(left, right)
        title = f"{left.label} {money(left.value)} 超过 {right.label} {money(right.value)}"
        formula = f"{money(left.value)} ≤ {money(right.value)}？差 {money(left.value - right.value)}"
    else:
        verdict = judge_equal(left, right, same_figure=not left.is_sum and not right.is_sum)
        title = f"{left.label} {money(left.value)}，{right.label} {money(right.value)}"
        formula = f"{money(left.value)} − {money(right.value)} = {money(left.value - right.value)}"
    audit.record(rule["id"], verdict, title, left, right, formula)


def _check_rows(audit: Audit, rule: dict, left_spec: Spec, right_spec: Spec) -> None:
    by = rule["by"]
    left = audit.index.entries(left_spec, by)
    right = audit.index.entries(right_spec, by)
    if not left or not right:
        return
    for key in sorted(set(left) | set(right)):
        a = left.get(key) or _absent(right[key], left_spec)
        b = right.get(key) or _absent(left[key], right_spec)
        if a.value == 0 and b.value == 0:
            continue
        _judge(audit, rule, a, b)


def _absent(other: Quantity, spec: Spec) -> Quantity:
    """A code one table lists and the other does not: there it is zero."""
    name = other.label.split("：", 1)[-1]
    label = f"{'、'.join(spec['tables'])}（未列 {name}）"
    return Quantity(ZERO, exact(ZERO), label, [], unit=Decimal("0.01"))
