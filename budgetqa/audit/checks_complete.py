"""Completeness: the tables a disclosure of its kind must contain, and why an empty one is empty."""

from __future__ import annotations

import re
from collections import Counter

from budgetqa.audit.front import Blank, Printed, blank_pages, contents, is_part
from budgetqa.audit.index import is_empty, table_name
from budgetqa.audit.names import vocab
from budgetqa.audit.registry import Audit, CheckDef
from budgetqa.audit.report import Ref
from budgetqa.audit.text import headings
from budgetqa.models import Table
from budgetqa.vocab import table_kind

TABLES = CheckDef("C-必备表", "完整性", "warning",
                  "该类公开（预算/决算）按财政部模板必须公开的表都在（按表的内容识别，不看编号）；缺表为提示，请对照原件确认。")
EMPTY = CheckDef("C-空表说明", "完整性", "error",
                 "空表须说明为何为空（表内注释或情况说明中）；注明为空表的表中不应有数。")
DESCRIBED = CheckDef("C-说明所述表", "完整性", "warning",
                     "情况说明的标题所说明的表（“……预算表情况说明”）在公开中找得到（按表名识别种类）。")
LISTED = CheckDef("C-目录所列表", "完整性", "warning",
                  "目录列出的表在公开中找得到（按表名识别种类，不看编号）。")
BLANK = CheckDef("C-空白页", "完整性", "error",
                 "目录列出的表找不到，而它应在的那一页是空白页（除页码外什么也没印）：表在导出或排版时丢失。"
                 "目录印有页码时按页码定位（错误），否则按目录中前后两张表之间的空白页推断（提示）。")
CHECKS = (TABLES, EMPTY, DESCRIBED, LISTED, BLANK)
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
    _check_blank(audit)


def _check_described(audit: Audit, present: set[str]) -> None:
    """A narrative heading that explains a table ("…支出预算表情况说明") names a table the document holds."""
    _named_tables(audit, DESCRIBED, present, [
        (table_kind(heading) if TABLE_WORD in heading else None, heading, page, f"第{page}页说明", "情况说明说明了", "标题")
        for heading, page in headings(audit.doc).items()])


def _check_listed(audit: Audit, present: set[str | None]) -> None:
    """Every table the contents list ("七、财政拨款“三公”经费支出决算表") is one the document holds."""
    named = [(kind, entry.text, entry.page, "目录列出", f"目录（第{entry.page}页）列出了", "目录")
             for entry, kind in _listed_tables(audit.doc)]
    _named_tables(audit, LISTED, present, named)


def _listed_tables(doc) -> list[tuple[Printed, str]]:
    """The contents entries that name a table, with the kind each names, in the order printed."""
    listed = []
    for entry in contents(doc):
        title = re.sub(r"[（(]续[)）]$", "", entry.text)
        kind = table_kind(title) if title.endswith(TABLE_WORD) and not is_part(entry) else None
        if kind and kind != "其他":
            listed.append((entry, kind))
    return listed


def _check_blank(audit: Audit) -> None:
    """A table the contents list, absent, with a blank page where it should be.

    Entries are matched to the tables read in order (the first unused table of the kind each names).
    The place of a missing one is its printed page shifted by the offset the matched entries show
    (printed page → PDF page), or, when the contents print no page numbers, the pages between the
    tables of the entries before and after it."""
    doc = audit.doc
    blanks = blank_pages(doc)
    listed = _listed_tables(doc)
    if not blanks or not listed:
        return
    unused = sorted(doc.tables, key=lambda t: (t.source_file, min(t.pages, default=0)))
    matched: list[Table | None] = []
    for _, kind in listed:
        table = next((t for t in unused if kind in (t.kind, table_kind(t.title))), None)
        if table is not None:
            unused.remove(table)
        matched.append(table)
    offsets = Counter((t.source_file, t.pages[0] - e.printed_page)
                      for (e, _), t in zip(listed, matched, strict=True)
                      if t is not None and t.pages and e.printed_page is not None)
    for i, ((entry, kind), table) in enumerate(zip(listed, matched, strict=True)):
        if table is not None:
            continue
        if not _report_blank(audit, entry, kind, blanks, offsets, _neighbours(matched, i)):
            audit.passed(BLANK.id)


def _neighbours(matched: list[Table | None], i: int) -> tuple[Table | None, Table | None]:
    """The tables matched to the nearest listed entries before and after entry ``i``."""
    before = next((t for t in reversed(matched[:i]) if t is not None and t.pages), None)
    after = next((t for t in matched[i + 1:] if t is not None and t.pages), None)
    return before, after


def _report_blank(audit: Audit, entry: Printed, kind: str, blanks: list[Blank],
                  offsets: Counter, around: tuple[Table | None, Table | None]) -> bool:
    """Report the blank page where a missing listed table should be; False when there is none."""
    said = f"目录（第{entry.page}页）列出“{entry.text}”"
    listed_ref = Ref(page=entry.page, table="目录", sentence=entry.text)
    if entry.printed_page is not None:
        at = _blank_at(entry.printed_page, blanks, offsets)
        if at is None:
            return False
        audit.note(BLANK.id, "error", f"{said}在第{entry.printed_page}页，该页（PDF 第{at.page}页）是空白页",
                   f"目录所列的{kind}在公开中找不到，按目录页码它应在的那一页空白：表漏印或导出时丢失。",
                   [at.page], [listed_ref, Ref(page=at.page, raw="（空白页）")])
        return True
    before, after = around
    if before is None and after is None:
        return False
    source = (before or after).source_file
    low = before.pages[-1] if before else 0
    high = after.pages[0] if after and after.source_file == source else float("inf")
    pages = [b.page for b in blanks if b.source_file == source and low < b.page < high]
    if not pages:
        return False
    audit.note(BLANK.id, "warning", f"{said}，未找到该表；它在目录中的位置对应的第{'、'.join(map(str, pages))}页是空白页",
               f"目录中此表前后的表都在，夹在它们之间的是空白页：{kind}可能漏印，请对照原件。",
               pages, [listed_ref] + [Ref(page=p, raw="（空白页）") for p in pages])
    return True


def _blank_at(printed: int, blanks: list[Blank], offsets: Counter) -> Blank | None:
    """The blank page printed as page ``printed``: by the number it prints, else by the offset the
    matched contents entries show between printed and PDF pages."""
    by_number = next((b for b in blanks if b.printed_page == printed), None)
    if by_number is not None or not offsets:
        return by_number
    (source, offset), _ = offsets.most_common(1)[0]
    return next((b for b in blanks if (b.source_file, b.page) == (source, printed + offset)), None)


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
