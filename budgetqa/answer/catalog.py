"""What a document can answer: its named rows, columns and narrative facts, indexed by name.

Built once per document from the store and cached, so a question costs a few
dictionary look-ups rather than queries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from budgetqa.models import Cell, Document, Fact, Table
from budgetqa.vocab import load

_ENUMERATOR = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．]\s*|其中[:：]|其中|合计[:：]|[“”\"'])+"
)
_LEVEL_MARK = re.compile(r"[（(](?:类|款|项)[)）]|[（(](?:小计|合计|总计)[)）]$")
_PUNCT = re.compile(r"[\s“”\"'‘’：:]")


CONTAINER_MARK = re.compile(r"[（(](?:类|款)[)）]")
"""The 类 / 款 marks of a narrative subject ("…支出（类）…事务（款）行政运行（项）")."""


def subject_levels(subject: str) -> list[str]:
    """A narrative subject's 类 and 款 and then its item, each normalised ("一般公共服务支出（类）财政事务（款）
    行政运行（项）" → 一般公共服务支出, 财政事务, 行政运行)."""
    return [normalise_name(part) for part in CONTAINER_MARK.split(subject) if part.strip()]


def normalise_name(text: str) -> str:
    """A row, column or subject name in the form questions are matched against."""
    text = _PUNCT.sub("", text or "")
    text = _ENUMERATOR.sub("", text)
    text = _LEVEL_MARK.sub("", text)
    return text.replace("(", "（").replace(")", "）")


_TITLE_NOISE = re.compile(r"^(?:[一二三四五六七八九十]+、|公开\d+表|表\d+)?(?:20\d{2}年度?)?")


def short_title(title: str, department: str = "") -> str:
    """A table title as people quote it: without its number, year or department prefix (the
    document's own department name too: "某大学支出预算表" is quoted "支出预算表")."""
    text = normalise_name(_TITLE_NOISE.sub("", title.replace(" ", "")))
    name = normalise_name(department)
    if name and text.startswith(name) and len(text) - len(name) >= 4:
        text = _TITLE_NOISE.sub("", text[len(name):])
    return re.sub(r"^.*?(?:部门|单位)(?=.{4,}表)", "", text)


def quoted_span(text: str, title: str, names: set[str] | dict | None = None) -> tuple[int, int] | None:
    """Where ``text`` quotes a table's title: in full, or (given the printed ``names``) without its
    final 表 when 里/中/内 follows, at least 6 characters are left and they are no printed name
    ("财政拨款支出预算里…" quotes 财政拨款支出预算表; "政府采购预算中" names the quantity)."""
    at = text.find(title)
    if at >= 0:
        return at, at + len(title)
    stem = title[:-1] if names is not None and title.endswith("表") and title[:-1] not in names else ""
    at = text.find(stem) if len(stem) >= 6 else -1
    while at >= 0:
        if text[at + len(stem):at + len(stem) + 1] in ("里", "中", "内"):
            return at, at + len(stem)
        at = text.find(stem, at + 1)
    return None


_EMPTY_TITLE_SUFFIX = re.compile(r"(?:情况|明细|功能分类|经济分类)?(?:预算|决算)?表$")


@dataclass(slots=True)
class Row:
    """One row of one side of a table, with its cells by column index."""

    table: Table
    side: str
    index: int
    name: str
    code: str | None
    subject: str | None
    cells: dict[int, Cell] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return normalise_name(self.name)


@dataclass(slots=True)
class Catalog:
    """A document's answerable names."""

    doc: Document
    rows: list[Row]
    by_name: dict[str, list[Row]]
    by_code: dict[str, list[Row]]
    columns: dict[str, list[tuple[Table, str, int]]]
    facts_by_subject: dict[str, list[Fact]]
    names: set[str]
    empty_tables: dict[str, Table] = field(default_factory=dict)
    """Tables printed empty, by what they would hold ("政府性基金预算支出")."""
    version: str = ""

    def table_order(self, hints: list[str]) -> list[str]:
        kinds = list(hints)
        for kind in load("questions")["default_table_order"]["kinds"]:
            if kind not in kinds:
                kinds.append(kind)
        return kinds


def build_catalog(doc: Document) -> Catalog:
    rows: list[Row] = []
    columns: dict[str, list[tuple[Table, str, int]]] = {}
    for table in doc.tables:
        if table.kind == "绩效目标表":
            continue
        for cells in table.rows():
            first = cells[0]
            rows.append(Row(table, first.side, first.row_index, first.row_name, first.row_code, first.row_subject,
                            {c.col_index: c for c in cells}))
        for side, paths in table.columns.items():
            for index, path in enumerate(paths):
                for part in path:
                    columns.setdefault(normalise_name(part), []).append((table, side, index))
    by_name: dict[str, list[Row]] = {}
    by_code: dict[str, list[Row]] = {}
    for row in rows:
        if row.key:
            by_name.setdefault(row.key, []).append(row)
        if row.subject:
            by_name.setdefault(normalise_name(row.subject), [])
        if row.code:
            by_code.setdefault(row.code, []).append(row)
    facts: dict[str, list[Fact]] = {}
    named: set[str] = set()
    for fact in doc.facts:
        keys = _fact_keys(fact.subject)
        if fact.kind == "area":
            keys |= {f"{k}面积" for k in keys}
        elif fact.kind == "count":
            keys |= {f"{k}数量" for k in keys} | {f"{k}数" for k in keys}
        named |= keys
        # "项目支出预算数" also answers for 项目支出 (its change, its amount), without becoming a
        # name of its own that a question could match beside the printed one
        for key in keys | {COLUMN_SUFFIX.sub("", k) for k in keys if len(COLUMN_SUFFIX.sub("", k)) >= 2}:
            facts.setdefault(key, []).append(fact)
    empty = {_EMPTY_TITLE_SUFFIX.sub("", short_title(t.title)): t for t in doc.tables if t.empty_statement}
    empty = {k: t for k, t in empty.items() if len(k) >= 4}
    names = set(by_name) | set(columns) | {s for s in named if len(s) >= 3} | set(empty)
    names.discard("")
    return Catalog(doc, rows, by_name, by_code, columns, facts, names, empty)


def _fact_keys(subject: str) -> set[str]:
    """A fact's subject and its last 类/款/项 segment ("…（款）行政运行（项）" → "行政运行")."""
    keys = {normalise_name(subject), normalise_name(re.sub(r"[（(][^）)]*[)）]", "", subject))}
    parts = [p for p in re.split(r"[（(](?:类|款|项)[)）]", subject) if p.strip()]
    if parts:
        keys.add(normalise_name(parts[-1]))
    return {k for k in keys if k}


COLUMN_SUFFIX = re.compile(r"(?:预算数|决算数|执行数|预算|决算)$")
"""A printed subject's suffix that names the column, not the item ("项目支出预算数")."""


def value_of(cell: Cell) -> Decimal:
    """A cell's amount in 万元; blank and dash cells count as zero."""
    return cell.value_wan if cell.value is not None else Decimal(0)
