"""Department names: the cover, the contents, the narrative, table titles, notes and headers name the
document's own department.

Names are compared through the identity rules (``budgetqa.ingest.identity``): any printed form or alias
of the department is its name; a template placeholder (XX局, ××, 某某, 单位名称) or another department's
full name is reported.
"""

from __future__ import annotations

import re
from functools import lru_cache

from budgetqa.audit.front import contents, covers
from budgetqa.audit.index import table_name
from budgetqa.audit.names import vocab
from budgetqa.audit.registry import Audit, CheckDef
from budgetqa.audit.report import Ref
from budgetqa.audit.text import headings, sentences
from budgetqa.ingest.identity import canonical_name, identity_key
from budgetqa.models import Document
from budgetqa.vocab import load

PLACEHOLDER = CheckDef("D-占位符", "单位称谓", "error", "公开中不应留有模板占位符（XX局、××、某某、单位名称）。")
OTHER = CheckDef("D-单位称谓", "单位称谓", "error",
                 "封面、表头和说明写的是同一个部门（简称、全称均可），不应出现其他部门的名称。")
COVER = CheckDef("D-封面", "单位称谓", "warning", "封面写本部门的名称（全称或简称）。")
CHECKS = (PLACEHOLDER, OTHER, COVER)
HEADER_WARNING = "忽略表头中的部门名称"
"""How ingestion notes a header name that cannot be a name (budgetqa.ingest.metadata)."""
COVER_WARNING = "封面/标题写"


@lru_cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    words = vocab()["department"]
    orgs = load("identity")["question"]["org_suffixes"]
    name = re.compile(rf"({words['region']}[\u4e00-\u9fa5（）()]{{1,20}}?(?:{orgs}))(?={words['before']})")
    return re.compile(words["placeholders"]), name


def own_names(doc: Document) -> set[str]:
    """Every form of the department's name the identity rules allow (at least four characters)."""
    names = {doc.department, canonical_name(doc.department), identity_key(doc.department), *doc.aliases}
    return {identity_key(n) for n in names if len(n) >= 4}


def run(audit: Audit) -> None:
    for check in CHECKS:
        audit.define(check)
    doc = audit.doc
    if not doc.department:
        return
    placeholder, name = _patterns()
    own = own_names(doc)
    texts = [(cover.text, cover.page, "封面") for cover in covers(doc)]
    texts += [(entry.text, entry.page, "目录") for entry in contents(doc)]
    texts += [(s.text.strip(), s.page, None) for s in sentences(doc)]
    texts += [(heading, page, "标题") for heading, page in headings(doc).items()]
    for table in doc.tables:
        page = table.pages[0] if table.pages else None
        texts.append((table.title, page, f"表名 {table_name(table)}"))
        if table.empty_statement:
            texts.append((table.empty_statement, page, f"{table_name(table)} 表注"))
    for text, page, where in texts:
        ref = Ref(page=page, table=where, sentence=text)
        pages = [page] if page else []
        found = placeholder.search(text)
        if found:
            audit.note(PLACEHOLDER.id, "error", f"{where or f'第{page}页说明'}留有占位符“{found.group()}”",
                       f"“{found.group()}”应替换为本部门名称“{doc.department}”。", pages, [ref])
        for match in name.finditer(text):
            printed = re.sub(vocab()["department"]["lead_words"], "", match.group(1))
            key = identity_key(printed)
            if any(n in key for n in own):
                audit.passed(OTHER.id)
                continue
            audit.note(OTHER.id, "error", f"{where or f'第{page}页说明'}写“{printed}”，本公开是“{doc.department}”的",
                       "同一份公开应只写本部门的名称（全称或简称）；其他部门的名称多为套用模板或复制时未改。", pages, [ref])
    _cover_names(audit, own)
    for warning in doc.warnings:
        if HEADER_WARNING in warning:
            audit.note(PLACEHOLDER.id, "error", "表头的编制单位不是部门名称",
                       f"{warning}。表头（编制部门/预算单位）应写本部门名称“{doc.department}”。", [],
                       [Ref(table="表头", sentence=warning)])
        elif COVER_WARNING in warning:
            audit.note(OTHER.id, "error", "封面与表头写的部门不同", f"{warning}", [], [Ref(table="封面与表头", sentence=warning)])


def _cover_names(audit: Audit, own: set[str]) -> None:
    """Each cover names the department (any form the identity rules allow)."""
    for cover in covers(audit.doc):
        if any(name in identity_key(cover.text) or name in cover.text for name in own):
            audit.passed(COVER.id)
            continue
        audit.note(COVER.id, "warning", "封面没有写本部门的名称",
                   f"封面（“{cover.text}”）应写明本公开的部门“{audit.doc.department}”。", [cover.page],
                   [Ref(page=cover.page, table="封面", sentence=cover.text)])
