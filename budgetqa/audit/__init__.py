"""Audit a disclosure: every identity checked, every narrative figure reconciled, with the arithmetic shown."""

from __future__ import annotations

from budgetqa.audit.answer import audit_answer, is_audit_question
from budgetqa.audit.audit import audit_document
from budgetqa.audit.html import render_html
from budgetqa.audit.report import AuditReport, Finding

__all__ = ["AuditReport", "Finding", "audit_answer", "audit_document", "is_audit_question", "render_html"]
