"""The check catalogue and the collector every check reports to."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from budgetqa.audit.index import DocIndex
from budgetqa.audit.intervals import Quantity, Verdict
from budgetqa.audit.report import CheckResult, Finding, Operand, Ref, Severity, Unverified
from budgetqa.models import Document
from budgetqa.numbers import round2

MAX_TERMS_SHOWN = 12
"""A formula lists at most this many terms (the zero ones are left out first)."""


@dataclass(frozen=True, slots=True)
class CheckDef:
    """A check: its id, the group it belongs to, the worst it can report and what it means."""

    id: str
    group: str
    severity: Severity
    meaning: str


def money(value: Decimal) -> str:
    """An amount for display: 2 decimals with separators, more only when the figure has them."""
    if value == round2(value):
        return f"{round2(value):,.2f}"
    return f"{value.normalize():,f}"


SHOWN_PLACES = Decimal("0.000001")
"""Computed figures (ratios) are shown to six decimal places."""


def plain(value: Decimal) -> str:
    """A Decimal as a plain string (no exponent), computed figures cut to six decimal places."""
    if value.as_tuple().exponent < SHOWN_PLACES.as_tuple().exponent:
        value = value.quantize(SHOWN_PLACES)
    return f"{value:f}"


def sum_formula(terms: list[Quantity]) -> str:
    """"a + b + c = s" over the non-zero terms (all of them if every term is zero)."""
    shown = [t for t in terms if t.value != 0] or terms
    text = " + ".join(money(t.value) for t in shown[:MAX_TERMS_SHOWN])
    if len(shown) > MAX_TERMS_SHOWN:
        text += f" + …（共 {len(shown)} 项）"
    return f"{text} = {money(sum((t.value for t in terms), Decimal(0)))}"


def operand(quantity: Quantity, unit: str = "万元") -> Operand:
    refs = []
    for ref in quantity.refs:
        if ref not in refs:
            refs.append(ref)
    return Operand(label=quantity.label, value=plain(quantity.value), unit=unit, refs=refs)


class Audit:
    """Collects, for one document, how often each check ran and what it found."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.index = DocIndex(doc)
        self.results: dict[str, CheckResult] = {}
        self.findings: list[Finding] = []
        self.unverified: list[Unverified] = []

    def define(self, check: CheckDef) -> None:
        if check.id not in self.results:
            self.results[check.id] = CheckResult(id=check.id, group=check.group, severity=check.severity,
                                                 meaning=check.meaning)

    def passed(self, check_id: str) -> None:
        result = self.results[check_id]
        result.checked += 1
        result.passed += 1

    def record(self, check_id: str, verdict: Verdict, title: str, left: Quantity | None = None,
               right: Quantity | None = None, formula: str | None = None, unit: str = "万元",
               note: str = "") -> None:
        """Count one identity; keep a finding unless it holds exactly."""
        if verdict.severity is None:
            self.passed(check_id)
            return
        result = self.results[check_id]
        result.checked += 1
        severity: Severity = verdict.severity
        explanation = verdict.explanation
        involved = [q for q in (left, right) if q is not None]
        if severity == "error" and any(q.ambiguous for q in involved):
            severity = "warning"
            explanation += "（文本版中该数所在的列无法确定，请核对原件。）"
        if severity == "error" and result.severity != "error":
            severity = result.severity
        if note:
            explanation = f"{explanation}{note}"
        result.counts[severity] = result.counts.get(severity, 0) + 1
        pages = sorted({r.page for q in involved for r in q.refs if r.page is not None})
        difference = None
        if left is not None and right is not None:
            difference = plain(left.value - right.value)
        self.findings.append(Finding(
            check=check_id, severity=severity, title=title,
            left=operand(left, unit) if left is not None else None,
            right=operand(right, unit) if right is not None else None,
            difference=difference,
            tolerance=plain(verdict.tolerance) if verdict.tolerance else None,
            formula=formula, pages=pages, explanation=explanation,
        ))

    def note(self, check_id: str, severity: Severity, title: str, explanation: str, pages: list[int],
             refs: list[Ref] | None = None) -> None:
        """A finding without numbers on two sides (completeness, wording): the text or cells it read in ``refs``."""
        result = self.results[check_id]
        result.checked += 1
        result.counts[severity] = result.counts.get(severity, 0) + 1
        self.findings.append(Finding(check=check_id, severity=severity, title=title, pages=sorted(set(pages)),
                                     explanation=explanation, refs=refs or []))
