"""The audit report as one self-contained HTML page (Chinese, inline styles, no external assets)."""

from __future__ import annotations

from decimal import Decimal
from html import escape

from budgetqa.audit.registry import money
from budgetqa.audit.report import SEVERITIES, SEVERITY_NAMES, AuditReport, Finding, Operand, Ref

MEANINGS = {
    "error": "超出印刷精度舍入范围的不一致，需要更正。",
    "warning": "同一个数两处印刷相差末位 1（尾差调整），或需对照原件确认的情况。",
    "rounding": "与精确计算有差，但在印刷精度的舍入范围内，不是错误。",
    "info": "口径不必相同的参考对照。",
    "note": "文字上的问题（重复的标点或字词、预算为 0 时的完成率），不影响数字。",
}

STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:2em auto;max-width:1100px;
color:#222;line-height:1.6;padding:0 1em}
h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.2em;border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:2em}
.meta{color:#555}.cards{display:flex;gap:1em;flex-wrap:wrap;margin:1em 0}
.card{border-radius:6px;padding:.6em 1.2em;min-width:8em;color:#fff}.card b{font-size:1.6em;display:block}
.error{background:#c0392b}.warning{background:#d68910}.rounding{background:#2e86c1}.info{background:#7f8c8d}.note{background:#8e44ad}
.finding{border:1px solid #ddd;border-left:6px solid #999;border-radius:4px;margin:1em 0;padding:.6em 1em}
.finding.f-error{border-left-color:#c0392b}.finding.f-warning{border-left-color:#d68910}
.finding.f-rounding{border-left-color:#2e86c1}.finding.f-info{border-left-color:#7f8c8d}.finding.f-note{border-left-color:#8e44ad}
.badge{display:inline-block;color:#fff;border-radius:3px;padding:0 .5em;font-size:.85em;margin-right:.5em}
table{border-collapse:collapse;width:100%;margin:.4em 0}td,th{border:1px solid #ddd;padding:.25em .5em;
vertical-align:top;text-align:left}th{background:#f4f4f4;white-space:nowrap}.num{text-align:right;
font-family:monospace;white-space:nowrap}.why{color:#444}.src{font-size:.9em;color:#555}
.formula{font-family:monospace;background:#f8f8f8;padding:.2em .4em}details{margin:.5em 0}
"""


def render_html(report: AuditReport) -> str:
    """A page a reviewer can read on its own: summary, every finding with both sides, the checks run."""
    parts = [
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">",
        f"<title>{escape(report.document)} 数据核对报告</title><style>{STYLE}</style></head><body>",
        f"<h1>{escape(report.document)} 数据核对报告</h1>",
        f"<p class=\"meta\">部门：{escape(report.department)}　年度：{report.year or '未知'}　"
        f"类型：{escape(report.kind or '未知')}　文档编号：{escape(report.doc_id)}</p>",
        _summary(report),
        _legend(),
    ]
    for severity in SEVERITIES:
        found = [f for f in report.findings if f.severity == severity]
        if found:
            parts.append(f"<h2>{SEVERITY_NAMES[severity]}（{len(found)}）</h2>")
            parts += [_finding(f) for f in found]
    if not report.findings:
        parts.append("<p>所有核对的关系都完全相符。</p>")
    parts.append(_checks(report))
    parts.append(_unverified(report))
    parts.append("<p class=\"src\">说明：所有数字均取自公开原文的表格单元格或说明文字，按印刷精度（如 2 位小数即 ±0.005）"
                 "做区间运算判断；计算使用十进制精确算术。</p></body></html>")
    return "\n".join(parts)


def _summary(report: AuditReport) -> str:
    cards = "".join(
        f"<div class=\"card {s}\"><b>{report.summary.get(s, 0)}</b>{SEVERITY_NAMES[s]}</div>" for s in SEVERITIES)
    return (f"<div class=\"cards\">{cards}</div><p>共核对 {report.checked} 处勾稽关系，其中 {report.passed} 处完全相符；"
            f"说明中另有 {len(report.unverified)} 个数字在表格中没有对应的数，无法核对（见文末）。</p>")


def _legend() -> str:
    rows = "".join(f"<tr><th><span class=\"badge {s}\">{SEVERITY_NAMES[s]}</span></th><td>{MEANINGS[s]}</td></tr>"
                   for s in SEVERITIES)
    return f"<table>{rows}</table>"


def _finding(finding: Finding) -> str:
    head = (f"<div class=\"finding f-{finding.severity}\"><span class=\"badge {finding.severity}\">"
            f"{SEVERITY_NAMES[finding.severity]}</span><b>{escape(finding.title)}</b>"
            f"<span class=\"src\">　[{escape(finding.check)}]{_pages(finding.pages)}</span>")
    rows = []
    for name, side in (("一方", finding.left), ("另一方", finding.right)):
        if side is not None:
            rows.append(_operand_row(name, side))
    if finding.difference is not None:
        rows.append(f"<tr><th>差额</th><td class=\"num\">{_number(finding.difference, _unit(finding))}</td>"
                    f"<td>{'容许舍入 ±' + escape(finding.tolerance) if finding.tolerance else ''}</td></tr>")
    if finding.refs:
        rows.append(f"<tr><th>原文</th><td colspan=\"2\" class=\"src\">{'<br>'.join(_ref(r) for r in finding.refs)}</td></tr>")
    if finding.formula:
        rows.append(f"<tr><th>算式</th><td colspan=\"2\"><span class=\"formula\">{escape(finding.formula)}</span></td></tr>")
    rows.append(f"<tr><th>判断</th><td colspan=\"2\" class=\"why\">{escape(finding.explanation)}</td></tr>")
    return f"{head}<table>{''.join(rows)}</table></div>"


def _unit(finding: Finding) -> str:
    return finding.left.unit if finding.left is not None else "万元"


def _operand_row(name: str, operand: Operand) -> str:
    sources = "<br>".join(_ref(r) for r in operand.refs[:16])
    if len(operand.refs) > 16:
        sources += f"<br>……共 {len(operand.refs)} 处"
    return (f"<tr><th>{name}</th><td class=\"num\">{_number(operand.value, operand.unit)}</td>"
            f"<td>{escape(operand.label)}<div class=\"src\">{sources}</div></td></tr>")


def _number(value: str, unit: str) -> str:
    amount = Decimal(value)
    if unit == "%":
        return f"{amount}%" if amount.as_tuple().exponent >= -2 else f"{amount:.4f}%"
    return f"{money(amount)} {escape(unit)}"


def _ref(ref: Ref) -> str:
    if ref.sentence:
        where = f"第{ref.page}页" if ref.page else ""
        return f"{where}{escape(ref.table or '说明')}：“{escape(ref.sentence)}”"
    where = [ref.table or "", f"{ref.side}栏" if ref.side else "", ref.row or "",
             f"（{ref.column}）" if ref.column else ""]
    raw = f"原文“{escape(ref.raw)}”" if ref.raw else "空白"
    return f"{escape(''.join(where))}，第{ref.page}页，{raw}"


def _pages(pages: list[int]) -> str:
    return f"　第{'、'.join(map(str, pages))}页" if pages else ""


def _checks(report: AuditReport) -> str:
    rows = "".join(
        f"<tr><td>{escape(c.id)}</td><td>{escape(c.group)}</td><td>{escape(c.meaning)}</td>"
        f"<td class=\"num\">{c.checked}</td><td class=\"num\">{c.passed}</td>"
        f"<td>{'、'.join(f'{SEVERITY_NAMES[s]} {n}' for s, n in c.counts.items())}</td></tr>"
        for c in report.checks)
    return ("<h2>核对项目</h2><table><tr><th>编号</th><th>类别</th><th>含义</th><th>核对</th><th>相符</th>"
            f"<th>发现</th></tr>{rows}</table>")


def _unverified(report: AuditReport) -> str:
    if not report.unverified:
        return ""
    rows = "".join(f"<tr><td>{escape(u.subject)}</td><td class=\"num\">{escape(u.value)} {escape(u.unit)}</td>"
                   f"<td>第{u.page}页</td><td class=\"src\">{escape(u.sentence)}</td></tr>" for u in report.unverified)
    return (f"<h2>无法与表格核对的说明数字（{len(report.unverified)}）</h2><details><summary>展开</summary>"
            f"<table><tr><th>事项</th><th>数</th><th>页</th><th>原句</th></tr>{rows}</table></details>")
