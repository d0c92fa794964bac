"""Audit a disclosure: every identity checked, every narrative figure reconciled, with the arithmetic shown."""

from __future__ import annotations

from budgetqa.audit.audit import audit_document
from budgetqa.audit.report import AuditReport, Finding

__all__ = ["AuditReport", "Finding", "audit_document"]
