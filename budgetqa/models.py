"""The document model, defined once: Document, Table, Cell, Fact, Chunk.

Ingestion produces these; the store persists them; answering reads them back.
Money values are ``decimal.Decimal`` and keep the difference between a blank
cell (``state="blank"``), a dash (``state="dash"``) and a printed zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from budgetqa.numbers import CellState, to_wan

DocKind = Literal["预算", "决算"]


def label_of(department: str, year: int | None, kind: str | None, scope: str) -> str:
    """How a document is named to a person: "<department> <year>年<部门|单位><预算|决算>"."""
    edition = "单位" if scope == "单位" else "部门"
    return f"{department} {year or ''}年{edition}{kind or ''}"


@dataclass(slots=True)
class Cell:
    """One table cell: where it stands (row, column, page) and what it holds."""

    side: str
    """Side of a two-sided table ("收入"/"支出", "左"/"右"), or "" for one-sided tables."""
    row_index: int
    row_code: str | None
    """Classification code in compact form ("2010301", "30101"), or None."""
    row_name: str
    parent_code: str | None
    level: str | None
    """"类", "款" or "项" for coded rows."""
    col_index: int
    col_path: tuple[str, ...]
    """Column header path, top level first (multi-level headers joined, split words rejoined)."""
    state: CellState
    value: Decimal | None
    """The value as printed, in ``unit``."""
    unit: str
    page: int
    raw: str
    ambiguous: bool = False
    """True when a text dump gave no way to tell which column the value belongs to."""
    row_subject: str | None = None
    """A second row label, e.g. the 科目名称 of a row named by its 项目名称."""

    @property
    def value_wan(self) -> Decimal | None:
        """The value normalised to 万元."""
        return None if self.value is None else to_wan(self.value, self.unit)

    @property
    def column(self) -> str:
        """The header path joined for display."""
        return " / ".join(self.col_path)


@dataclass(slots=True)
class Indicator:
    """One performance indicator: its level 1 and 2 headings, its name (level 3) and target."""

    level1: str
    level2: str
    name: str
    target: str
    """The target value as printed ("≥95%", "20门", "显著")."""
    page: int
    weight: str = ""
    """分值/权重 as printed, when the table gives one."""


@dataclass(slots=True)
class Performance:
    """A 绩效目标表 / 项目绩效目标表 read as the form it is: project, amounts, people, goals, indicators."""

    project: str
    fields: dict[str, str] = field(default_factory=dict)
    """主管部门, 实施单位, 负责人, 联系人, 联系电话, 项目性质 … as printed."""
    amounts: dict[str, Decimal] = field(default_factory=dict)
    """年度资金总额, 财政拨款, 上年结转, 其他资金 … in ``unit``."""
    unit: str = "万元"
    goals: list[tuple[str, str]] = field(default_factory=list)
    """(heading, text): 年度总体目标, 项目总目标 …"""
    indicators: list[Indicator] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)


@dataclass(slots=True)
class Table:
    """A disclosure table, merged over the pages it continues on."""

    table_id: str
    title: str
    kind: str
    """Canonical kind, e.g. 收支总表, 支出表, 基本支出表 (see budgetqa/vocab/tables.toml)."""
    label: str | None
    """The number as printed: "表1", "公开01表"."""
    unit: str
    pages: list[int]
    empty_statement: str | None = None
    sides: list[str] = field(default_factory=lambda: [""])
    columns: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    """Header path of every value column, per side."""
    cells: list[Cell] = field(default_factory=list)
    source_file: str = ""
    performance: Performance | None = None
    """For a performance-target table, the form it holds (see ingest/performance.py)."""
    reader: str = "ruled"
    """How ingest read it: "ruled" (a grid of rules), "open" (horizontal rules only, columns from
    text alignment), "unruled" (PDF text without rules) or "text" (a text dump). Used at ingest by
    the self-check (ingest/self_check.py); not stored."""

    def rows(self, side: str | None = None) -> list[list[Cell]]:
        """The cells grouped into rows (of one side, or of every side), in reading order."""
        grouped: dict[tuple[int, int], list[Cell]] = {}
        order = {name: i for i, name in enumerate(self.sides)}
        for cell in self.cells:
            if side is None or cell.side == side:
                grouped.setdefault((order.get(cell.side, len(order)), cell.row_index), []).append(cell)
        return [grouped[key] for key in sorted(grouped)]


@dataclass(slots=True)
class Fact:
    """A figure stated in the narrative, with its subject and sentence."""

    kind: Literal["amount", "share", "change", "completion", "count", "area"]
    subject: str
    sentence: str
    page: int
    section: str = ""
    amount: Decimal | None = None
    unit: str = "万元"
    share: Decimal | None = None
    """占 Y% — the share in percent."""
    change_amount: Decimal | None = None
    """Signed change against last year (negative for 减少)."""
    change_pct: Decimal | None = None
    """Signed change in percent (negative for 下降)."""
    budget: Decimal | None = None
    """年初预算/全年预算 for a 决算 comparison."""
    completion_pct: Decimal | None = None
    previous: Decimal | None = None
    """Last year's value as printed ("2023年当年预算执行数为 X 万元"), when the sentence gives it."""
    source_file: str = ""


@dataclass(slots=True)
class Chunk:
    """A passage of narrative text for retrieval."""

    chunk_id: str
    section_path: list[str]
    page: int
    text: str
    source_file: str = ""


@dataclass(slots=True)
class FrontPage:
    """The cover, a table-of-contents page or a blank page, as printed: read by the audit (years, the
    department's name, the tables listed, a listed table's page left blank), never quoted in answers
    nor searched."""

    role: Literal["cover", "contents", "blank"]
    page: int
    lines: list[str]
    source_file: str = ""


@dataclass(slots=True)
class SourceFile:
    """One file a document was read from."""

    file_name: str
    sha256: str
    pages: int
    size: int
    role: Literal["full", "tables", "narrative"]


@dataclass(slots=True)
class Document:
    """One disclosure: a department's budget or final accounts for a year."""

    doc_id: str
    department: str
    region: str
    year: int | None
    kind: DocKind | None
    unit: str
    title: str
    files: list[SourceFile] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    chunks: list[Chunk] = field(default_factory=list)
    profile: dict[str, str] = field(default_factory=dict)
    """概况 facts: 编制数, 实有人数, 科室 …, as printed."""
    scope: str = "部门"
    """"部门" (the department with its units) or "单位" (one unit's own edition)."""
    level: str | None = None
    """省 / 市 / 区县 / 乡镇街道 / 中央, or None when the document does not say."""
    aliases: list[str] = field(default_factory=list)
    """Names a question may use for the department (made by the rules in vocab/identity.toml)."""
    warnings: list[str] = field(default_factory=list)
    """Doubts about the metadata (sources that disagree, a name that could not be read)."""
    front: list[FrontPage] = field(default_factory=list)
    """The cover, contents and blank pages (see ingest/front.py)."""

    @property
    def key(self) -> str:
        """The department's identity: every printed form of its name reduces to this."""
        from budgetqa.ingest.identity import identity_key

        return identity_key(self.department)

    @property
    def label(self) -> str:
        """How the document is named to a person: department, year, kind and scope."""
        return label_of(self.department, self.year, self.kind, self.scope)

    @property
    def page_count(self) -> int:
        return sum(f.pages for f in self.files)
