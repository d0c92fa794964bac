"""Audit questions through ask ("这份公开有没有数据不一致的地方"): the findings as an Answer."""

from __future__ import annotations

import re

from budgetqa.answer.schema import Answer, Citation, Plan, Value
from budgetqa.audit.audit import audit_document
from budgetqa.audit.names import vocab
from budgetqa.audit.report import SEVERITY_NAMES, AuditReport, Finding, Ref
from budgetqa.models import Document

LISTED = 5
"""The answer sentence names at most this many findings; the notes list them all."""


def is_audit_question(question: str) -> bool:
    """True for a question asking whether a disclosure's figures are consistent (see audit.toml [questions])."""
    compact = re.sub(r"\s", "", question)
    return any(re.search(p, compact) for p in vocab()["questions"]["patterns"])


def audit_answer(doc: Document, report: AuditReport | None = None) -> Answer:
    """Summarise a document's audit: counts by severity, the errors and tail differences named, every finding cited."""
    report = report or audit_document(doc)
    serious = [f for f in report.findings if f.severity in ("error", "warning")]
    counts = "，".join(f"{SEVERITY_NAMES[s]} {report.summary.get(s, 0)} 处" for s in ("error", "warning", "rounding"))
    if serious:
        named = "；".join(f.title for f in serious[:LISTED])
        more = f"等 {len(serious)} 处" if len(serious) > LISTED else ""
        text = f"共核对 {report.checked} 处勾稽关系，发现不一致：{named}{more}。（{counts}）"
    elif report.summary.get("rounding"):
        text = f"共核对 {report.checked} 处勾稽关系，没有发现错误；有 {report.summary['rounding']} 处差异在舍入范围内，不是错误。"
    else:
        text = f"共核对 {report.checked} 处勾稽关系，全部相符，没有发现数据不一致。"
    notes = [f"[{SEVERITY_NAMES[f.severity]}] {f.title}：{f.formula or ''}（{f.explanation}）" for f in report.findings]
    if report.unverified:
        notes.append(f"说明中有 {len(report.unverified)} 个数字在表格中没有对应的数，未能核对。")
    return Answer(
        status="answered",
        answer=text,
        values=[Value(name=f"{SEVERITY_NAMES[s]}数", value=str(report.summary.get(s, 0)), unit="处")
                for s in ("error", "warning", "rounding")],
        formula=serious[0].formula if serious else None,
        citations=[_citation(doc, ref) for f in serious for ref in _refs(f)],
        plan=Plan(route="numeric", operation="audit", documents=[doc.doc_id], years=[doc.year] if doc.year else []),
        notes=notes,
    )


def _refs(finding: Finding) -> list[Ref]:
    refs = [r for side in (finding.left, finding.right) if side is not None for r in side.refs] + finding.refs
    unique: list[Ref] = []
    for ref in refs:
        if ref not in unique:
            unique.append(ref)
    return unique[:4]


def _citation(doc: Document, ref: Ref) -> Citation:
    return Citation(doc_id=doc.doc_id, document=doc.title, table_id=ref.table_id, table=ref.table, row=ref.row,
                    row_code=ref.row_code, column=ref.column, side=ref.side, page=ref.page, sentence=ref.sentence,
                    raw=ref.raw if ref.raw or ref.sentence else "（空白）")
