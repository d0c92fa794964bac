"""Completeness: the tables a disclosure of its kind must contain, and why an empty one is empty."""

from __future__ import annotations

import re

from budgetqa.audit.front import contents, is_part
from budgetqa.audit.index import is_empty, table_name
from budgetqa.audit.names import vocab
from budgetqa.audit.registry import Audit, CheckDef
from budgetqa.audit.report import Ref
from budgetqa.audit.text import headings
from budgetqa.vocab import table_kind

TABLES = CheckDef("C-必备表", "完整性", "warning",
                  "该类公开（预算/决算）按财政部模板必须公开的表都在（按表的内容识别，不看编号）；缺表为提示，请对照原件确认。")
EMPTY = CheckDef("C-空表说明", "完整性", "error",
                 "空表须说明为何为空（表内注释或情况说明中）；注明为空表的表中不应有数。")
DESCRIBED = CheckDef("C-说明所述表", "完整性", "warning",
                     "情况说明的标题所说明的表（“……预算表情况说明”）在公开中找得到（按表名识别种类）。")
LISTED = CheckDef("C-目录所列表", "完整性", "warning",
                  "目录列出的表在公开中找得到（按表名识别种类，不看编号）。")
CHECKS = (TABLES, EMPTY, DESCRIBED, LISTED)
TABLE_WORD = "表"
"""A heading with this word explains a table (not only a topic such as 政府采购)."""


def run(audit: Audit) -> None:
    for check in CHECKS:
        audit.define(check)
    doc = audit.doc
    has_tables = any(t.kind not in ("其他", "绩效目标表") for t in doc.tables)
    if not has_tables:
        return
    rules = vocab()["completeness"]
    present = {t.kind for t in doc.tables}
    for kind in rules.get(doc.kind or "", []):
        if kind in present:
            audit.passed(TABLES.id)
        else:
            audit.note(TABLES.id, "warning", f"未找到{doc.kind}公开必备的“{kind}”",
                       f"{doc.kind}公开应包含{kind}（名称因地而异，按内容识别）；若原件有此表而未被识别，请核对。", [])
    for table in doc.tables:
        if table.kind in ("其他", "绩效目标表"):
            continue
        _check_empty(audit, table)
    _check_described(audit, present)
    _check_listed(audit, present | {table_kind(t.title) for t in doc.tables})


def _check_described(audit: Audit, present: set[str]) -> None:
    """A narrative heading that explains a table ("…支出预算表情况说明") names a table the document holds."""
    _named_tables(audit, DESCRIBED, present, [
        (table_kind(heading) if TABLE_WORD in heading else None, heading, page, f"第{page}页说明", "情况说明说明了", "标题")
        for heading, page in headings(audit.doc).items()])


def _check_listed(audit: Audit, present: set[str | None]) -> None:
    """Every table the contents list ("七、财政拨款“三公”经费支出决算表") is one the document holds."""
    named = []
    for entry in contents(audit.doc):
        title = re.sub(r"[（(]续[)）]$", "", entry.text)
        kind = table_kind(title) if title.endswith(TABLE_WORD) and not is_part(entry) else None
        named.append((kind, entry.text, entry.page, "目录列出", f"目录（第{entry.page}页）列出了", "目录"))
    _named_tables(audit, LISTED, present, named)


def _named_tables(audit: Audit, check: CheckDef, present: set, named: list[tuple[str | None, str, int, str, str, str]]) -> None:
    """Each (kind, text, page, where, says, part) a heading or a contents entry names is a table the document holds."""
    for kind, text, page, where, says, part in named:
        if kind is None or kind == "其他":
            continue
        if kind in present:
            audit.passed(check.id)
            continue
        audit.note(check.id, "warning", f"{where}“{text}”，公开中未找到该表",
                   f"{says}一张{kind}，但公开的表中没有这一种：表漏公开，或未被识别，请对照原件。", [page],
                   [Ref(page=page, table=part, sentence=text)])


def _check_empty(audit: Audit, table) -> None:
    pages = list(table.pages)
    if not is_empty(table):
        if table.empty_statement and _says_empty(table.empty_statement):
            audit.note(EMPTY.id, "error", f"{table_name(table)}注明为空表，表中却有数",
                       f"表注：“{table.empty_statement}”。", pages)
        return
    statement = table.empty_statement or narrative_statement(audit, table.kind)
    if statement:
        audit.passed(EMPTY.id)
        return
    audit.note(EMPTY.id, "warning", f"{table_name(table)}为空表，未见说明",
               "空表应在表内或情况说明中说明原因（如“本部门无政府性基金预算拨款安排的支出，故本表为空表”）。", pages)


def _says_empty(text: str) -> bool:
    return any(word in text for word in ("空表", "无数据"))


def narrative_statement(audit: Audit, kind: str) -> str | None:
    """A narrative sentence saying why a table of this kind is empty (or None)."""
    words = vocab()["completeness"]["kind_words"].get(kind)
    if not words:
        return None
    patterns = [re.compile(p) for p in vocab()["completeness"]["empty_patterns"]]
    for chunk in audit.doc.chunks:
        for sentence in re.split(r"[。\n]", chunk.text):
            compact = sentence.replace(" ", "")
            if any(w in compact for w in words) and any(p.search(compact) for p in patterns):
                return compact
    return None
