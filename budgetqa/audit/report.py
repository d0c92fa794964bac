"""The audit report: findings with both sides of each identity, and a summary by severity."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Severity = Literal["error", "warning", "rounding", "info", "note"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "rounding", "info", "note")
SEVERITY_NAMES: dict[str, str] = {"error": "错误", "warning": "提示", "rounding": "舍入差异", "info": "说明",
                                  "note": "文字"}


class Ref(BaseModel):
    """Where a figure stands: a table cell, or a narrative sentence."""

    table_id: str | None = None
    table: str | None = None
    side: str | None = None
    row_index: int | None = None
    row: str | None = None
    row_code: str | None = None
    col_index: int | None = None
    column: str | None = None
    page: int | None = None
    raw: str | None = None
    """The cell or figure as printed ("" for a blank cell)."""
    sentence: str | None = None


class Operand(BaseModel):
    """One side of an identity: a printed figure, or a figure computed from printed ones."""

    label: str
    value: str
    """Decimal as a string (万元 for amounts, percent for shares and rates)."""
    unit: str = "万元"
    refs: list[Ref] = Field(default_factory=list)


class Finding(BaseModel):
    """One identity that does not hold exactly, or a completeness gap."""

    check: str
    severity: Severity
    title: str
    """One line in Chinese: what disagrees with what."""
    left: Operand | None = None
    right: Operand | None = None
    difference: str | None = None
    """left − right."""
    tolerance: str | None = None
    """How far rounding of the printed figures lets the two sides drift apart."""
    formula: str | None = None
    pages: list[int] = Field(default_factory=list)
    explanation: str = ""
    """Why this severity: rounding, a tail adjustment, or a real inconsistency."""
    refs: list[Ref] = Field(default_factory=list)
    """What a finding without two numeric sides read: the sentence, heading, title or cells."""


class CheckResult(BaseModel):
    """One check: what it means and how often it held."""

    id: str
    group: str
    severity: Severity
    """The most severe result this check can report."""
    meaning: str
    checked: int = 0
    passed: int = 0
    """Identities that hold exactly."""
    counts: dict[str, int] = Field(default_factory=dict)
    """Findings by severity."""


class Unverified(BaseModel):
    """A narrative figure no table prints (so nothing to reconcile it with)."""

    subject: str
    value: str
    unit: str
    page: int
    sentence: str


class AuditReport(BaseModel):
    """Everything the audit checked in one document."""

    doc_id: str
    document: str
    department: str
    year: int | None
    kind: str | None
    summary: dict[str, int]
    """Findings by severity (error / warning / rounding / info / note)."""
    checked: int
    passed: int
    checks: list[CheckResult]
    findings: list[Finding]
    unverified: list[Unverified] = Field(default_factory=list)
