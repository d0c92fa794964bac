"""Run every check on one document and assemble the report."""

from __future__ import annotations

from budgetqa.audit import (
    checks_codes,
    checks_complete,
    checks_cross,
    checks_department,
    checks_narrative,
    checks_style,
    checks_table,
    checks_topics,
    checks_words,
    checks_years,
)
from budgetqa.audit.registry import Audit
from budgetqa.audit.report import SEVERITIES, AuditReport
from budgetqa.models import Document

RUNS = (checks_table.run, checks_cross.run, checks_narrative.run, checks_words.run, checks_years.run,
        checks_department.run, checks_codes.run, checks_style.run,
        checks_topics.run, checks_complete.run)
ORDER = {severity: rank for rank, severity in enumerate(SEVERITIES)}


def audit_document(doc: Document) -> AuditReport:
    """Check every identity of a disclosure: within tables, across tables, narrative against tables,
    completeness. Deterministic; every finding carries the numbers on both sides and their cells."""
    audit = Audit(doc)
    for run in RUNS:
        run(audit)
    findings = sorted(audit.findings, key=lambda f: (ORDER[f.severity], f.pages[:1] or [0], f.check))
    summary = {severity: sum(1 for f in findings if f.severity == severity) for severity in SEVERITIES}
    checks = list(audit.results.values())
    return AuditReport(
        doc_id=doc.doc_id, document=doc.title, department=doc.department, year=doc.year, kind=doc.kind,
        summary=summary, checked=sum(c.checked for c in checks), passed=sum(c.passed for c in checks),
        checks=checks, findings=findings, unverified=audit.unverified,
    )
