"""Self-check: a table a less certain reader produced whose own arithmetic fails is left out.

A table read from text alignment (``Table.reader`` "open": horizontal rules only; "unruled":
no rules) can put a figure in the wrong column or row with one sign only: its sums stop
adding up. Each such table is checked with the audit's in-table identities
(``budgetqa.audit.checks_table``, one implementation for both: 合计 column = Σ sibling
columns by header path, 合计/总计 row = Σ its items, 类 = Σ款 = Σ项 by code, outline items,
收入总计 = 支出总计), judged on the printed precision by interval arithmetic (a difference
rounding explains, or a one-unit tail adjustment, is no failure), a total left blank beside
printed parts counting as a failure. A total row whose parts fall short in every failing
column lost a part (a row not read at a page break): the rows read are not misread, so it
is not counted. The table is not trusted when

* its failures are more than one printing slip: at least ``min_failures`` (2) and at least
  ``min_share`` (10 %) of its checks, or at least ``min_failures`` off by an order of magnitude
  (one side ``gross_ratio`` (10) times the other, both printed: two cells' digits run together,
  "543" and "780" read as 543780 beside a 合计 of 1323), whatever their share of a long table;
* a value column holds codes (every value a bare 2/3/5/7-digit integer, under a 类/款/项/编码
  header, zero-padded, or extending the row codes);
* a value column's header names row labels, not amounts (科目编码, 科目名称, 编码及名称, 项目,
  单位名称, 功能分类科目 …): the reader put each row's figures a column left of their headers
  (a wrapped name or code not taken for the label), which sums do not reveal;
* no identity could be checked (a lone 合计 row over a short list of items counts as one,
  ``read_doubts.flat_totals``) and either no value column's header was read or there are two or
  more value columns: nothing says each figure stands in its column;
* it shows a sign of a misread that sums do not show (``read_doubts``): pages out of order (a
  table run on over another), a column named "列N", a header level naming row labels over some
  columns or a page mark ("第6页共13页…") over them, a code part in a row's name, a code alone on a
  row (a merged cell's), uncoded rows among coded ones, wrapped names read as rows, a code-shaped
  integer among decimals.

An untrusted table is dropped whole (a shifted column moves its neighbours' figures too, so
the failures do not localise the misread cells) and the document gets a warning naming its
page, title and why. Tables read from ruling lines ("ruled") and text dumps ("text") are
never dropped: real documents have real slips, which the audit must still report.

Calibration (seed 15, 40 documents per bench):

* wild bench (``bench/layout_variants.py --wild``), amounts right / missed / wrong / codes
  stored as amounts / identity failures: before 11929 / 1932 / 1809 / 48 / 125 of 6564; after
  11803 / 3614 / 253 / 2 / 18 of 5996. 23 of 222 open/unruled tables are dropped (5 on their
  sums, 1 on codes, 17 with no header read nor any sum to check — 8 of them untitled 其他
  tables the bench does not score); they held 126 right and 1556 wrong amounts. With nested
  open headers (``open_header``): 12683 / 2978 / 9 / 2 / 18 of 6353, 20 of 222 dropped (3
  whose header is now read no longer are). The misread tables fail 40–73 % of
  their checks; tables read right fail none, or only short rows (parts lost at a page break:
  6/60, 3/64 checks before that rule), so any threshold from 2 failures / 5 % to 5 / 30 %
  drops the same tables; 2 and 10 % keep a single slip and a slip in a long table.
* variant bench (ruled layouts): no open or unruled table; 7995/7995 right, unchanged.
* shared corpus (12 PDFs, 130 tables, all ruled): none flagged, whatever its reader (five
  have one failed check, e.g. 1 of 7 in a 收支总表 — why one failure alone never drops a
  table); ``bench/ingest_quality.py``: recall 2719/2719, precision 3429/3429, identities
  1760/1761, unchanged. ``bench/ingest_quality.py --self-check`` lists the flags.
* stranger bench, tables printed with no rules at all (seed 1, before ``bare_grid`` read them
  by alignment): the text reader's 673 wrong and 119 extra values all stood in tables whose sums
  held — run on over other tables' pages, columns 列1…, codes lost to a merged 类 cell, wrapped
  names split into rows; the signs above drop every one of them (1149 wrong, 302 right), on the
  wild bench (seeds 1-7, 9, 15) they drop nothing more.
* row-label headers holding figures (wild seeds 7 and 9, never tuned on): drops seed 7's
  unruled 收入表 (20 wrong) and seed 9's open 支出表 (127 wrong, 29 right); wrong 0 on seeds
  1–7, 9, 15, nothing else dropped there; none on the shared corpus.
* failures off by an order of magnitude (stranger seed 26, a continuation page's 项目支出 glued onto
  基本支出 before ``grid.continue_grid`` kept amounts apart): 5 of 55 checks failed, each by 10× or
  more, under the share, and the table (5 extra values) was kept; now dropped. Stranger seeds
  1–3, 21–25, variant seed 15, wild seed 33 and the shared corpus: unchanged.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from budgetqa.audit import checks_table
from budgetqa.audit.registry import Audit
from budgetqa.audit.report import Finding
from budgetqa.ingest.read_doubts import doubts, flat_totals
from budgetqa.models import Cell, Document, Table

UNCERTAIN_READERS = frozenset({"open", "unruled"})
"""Readers whose column and row placement is inferred from text alignment, not ruled."""

_CODE_PART = re.compile(r"^(?:\d{2}|\d{3}|\d{5}|\d{7})$")
"""A printed classification code (类 3, 款 5, 项 7 digits) or a 款/项 part printed apart ("08")."""
_UNNAMED = re.compile(r"^列\d+$")
"""The name a reader gives a value column whose header it could not read (``layout``, ``text_headers``)."""
_CODE_HEADER = re.compile(r"^(?:类|款|项|科目编码|功能分类科目编码|经济分类科目编码|编码|代码)$")
_LABEL_HEADER = re.compile(
    r"^(?:类|款|项|编码|代码|名称|项目|项目名称|单位名称|部门名称|单位编码|部门编码"
    r"|(?:支出)?(?:功能|经济)?(?:分类)?科目(?:编码|代码)?(?:及|和|与)?(?:名称)?"
    r"|(?:单位|部门|项目)?(?:编码|代码)(?:及|和|与)名称)$"
)
"""A header naming row labels (codes, names, 项目), never amounts: a figure under it was shifted."""


@dataclass(frozen=True, slots=True)
class SelfCheckSettings:
    """When a table from an uncertain reader is not trusted."""

    min_failures: int = 2
    """One failed identity may be the document's own slip (real documents have them)."""
    min_share: float = 0.10
    """…and failures must be this share of the table's checks: a long table with two slips stays."""
    min_code_cells: int = 2
    """A code column needs at least this many code-shaped values to be told from an amount."""
    gross_ratio: float = 10.0
    """A failure whose one side is at least this many times the other is no rounding or slip of a
    digit's value but figures misread (digits of two cells run together): ``min_failures`` such
    failures drop a table whatever their share of its checks."""


DEFAULT_SELF_CHECK = SelfCheckSettings()


@dataclass(slots=True)
class TableCheck:
    """What the self-check found in one table."""

    table: Table
    checked: int = 0
    failed: int = 0
    failures: list[str] = field(default_factory=list)
    """The titles of the failed identities, as the audit words them."""
    gross: int = 0
    """Failures off by an order of magnitude (``SelfCheckSettings.gross_ratio``)."""
    short: int = 0
    """Rows whose parts fall short of them in every failing column: parts not read, not misread."""
    codes: list[str] = field(default_factory=list)
    """Headers of the value columns that hold codes."""
    unnamed: bool = False
    """No value column's header was read: its figures stand under made-up column names."""
    labels: list[str] = field(default_factory=list)
    """Headers naming row labels (科目编码, 科目名称, 项目 …) that hold figures: columns shifted."""
    doubts: list[str] = field(default_factory=list)
    """Signs of a table read in the wrong shape that sums do not show (``read_doubts``)."""

    columns: int = 0
    """Value columns that hold a figure."""

    @property
    def unverified(self) -> bool:
        """No identity to check, and either no header read or two or more value columns: nothing
        says the figures stand in their columns (a text reader may order a header's columns by a
        layout's habit, not as printed)."""
        return self.checked == 0 and (self.unnamed or self.columns >= 2)

    def fails(self, settings: SelfCheckSettings = DEFAULT_SELF_CHECK) -> bool:
        """True when the failures are more than one printing slip, or a column holds codes or sits shifted."""
        too_many = self.failed >= settings.min_failures and (
            self.failed >= settings.min_share * self.checked or self.gross >= settings.min_failures)
        return too_many or bool(self.codes) or bool(self.labels) or self.unverified or bool(self.doubts)

    def warning(self) -> str:
        """Why the table was left out, with its page and title."""
        table = self.table
        page = table.pages[0] if table.pages else "?"
        how = "只有横线" if table.reader == "open" else "没有表格线"
        if self.codes:
            why = f"“{'、'.join(self.codes)}”列读出的是科目编码而不是金额"
        elif self.labels:
            why = f"“{'、'.join(self.labels)}”是行名称列却读出了金额，各列错位"
        elif self.unverified and self.unnamed:
            why = "读不出表头，也没有可核对的合计，数不知属于哪一列"
        elif self.unverified:
            why = "没有可核对的合计，数是否各在其列无从核对"
        elif self.doubts and self.failed < DEFAULT_SELF_CHECK.min_failures:
            why = self.doubts[0]
        elif self.gross >= DEFAULT_SELF_CHECK.min_failures:
            why = f"读出的数与合计对不上（{self.checked}项核对中{self.failed}项不符，其中{self.gross}项相差十倍以上）"
        else:
            why = f"读出的数与合计对不上（{self.checked}项核对中{self.failed}项不符）"
        return f"第{page}页《{table.title}》{how}，{why}，未收录"


def identity_check(table: Table, department: str = "", kind: str | None = None,
                   settings: SelfCheckSettings = DEFAULT_SELF_CHECK) -> TableCheck:
    """The table's in-table identities, run by the audit's checks, counted (errors are failures)."""
    doc = Document(doc_id="", department=department, region="", year=None, kind=kind,  # type: ignore[arg-type]
                   unit=table.unit, title="", tables=[table])
    audit = Audit(doc)
    checks_table.run(audit, blank_totals=True)
    found = TableCheck(table)
    found.checked = sum(r.checked for r in audit.results.values())
    errors = [f for f in audit.findings if f.severity == "error"]
    short = _short_rows(errors)
    counted = [f for f in errors if _row_of(f) not in short]
    found.failures = [f.title for f in counted]
    found.failed = len(found.failures)
    found.gross = sum(1 for f in counted if _gross(f, settings.gross_ratio))
    found.short = len(short)
    return found


def _gross(finding: Finding, ratio: float) -> bool:
    """Both sides printed (non-zero) and one at least ``ratio`` times the other."""
    if finding.left is None or finding.right is None:
        return False
    try:
        left, right = abs(Decimal(finding.left.value)), abs(Decimal(finding.right.value))
    except ArithmeticError:
        return False
    return bool(left and right) and max(left, right) >= Decimal(str(ratio)) * min(left, right)


_ROW_CHECKS = frozenset({checks_table.CODES.id, checks_table.TOTALS.id, checks_table.OUTLINE.id})
"""Identities between a row and the rows under it (the others compare columns or sides)."""


def _row_of(finding: Finding) -> tuple[str, str | None, int | None] | None:
    """The row a row identity's total stands in (None for a column or balance identity)."""
    if finding.check not in _ROW_CHECKS or finding.left is None or not finding.left.refs:
        return None
    ref = finding.left.refs[0]
    return finding.check, ref.side, ref.row_index


def _short_rows(errors: list[Finding]) -> set[tuple[str, str | None, int | None]]:
    """Total rows whose parts add up to less in every failing column: some part was not read.

    A part left out (a row lost at a page break) leaves every column short; a figure put in
    the wrong column or row leaves one total short and another over.
    """
    signs: dict[tuple[str, str | None, int | None], set[bool]] = defaultdict(set)
    for finding in errors:
        row = _row_of(finding)
        if row is not None and finding.difference is not None:
            signs[row].add(Decimal(finding.difference) > 0)
    return {row for row, found in signs.items() if found == {True}}


def code_columns(table: Table, settings: SelfCheckSettings = DEFAULT_SELF_CHECK) -> list[str]:
    """Headers of value columns whose every value is a code, not an amount.

    A column is codes when each value is a bare integer shaped like a code (3, 5 or 7 digits,
    or a zero-padded 2-digit part) and either its header names a code level (类/款/项/编码),
    a value is zero-padded, or the values extend or start the row codes (a part left apart).
    """
    columns: dict[tuple[str, int], list[Cell]] = defaultdict(list)
    for cell in table.cells:
        if cell.state == "value":
            columns[(cell.side, cell.col_index)].append(cell)
    found = []
    for cells in columns.values():
        if len(cells) < settings.min_code_cells or not all(_CODE_PART.match(c.raw.strip()) for c in cells):
            continue
        path = cells[0].col_path
        named = bool(path) and bool(_CODE_HEADER.match(path[-1].replace(" ", "")))
        padded = any(c.raw.strip().startswith("0") for c in cells)
        coded = [c for c in cells if c.row_code]
        related = coded and sum(1 for c in coded if _related(c.raw.strip(), c.row_code or "")) * 2 >= len(coded)
        if named or padded or related:
            found.append(cells[0].column or f"第{cells[0].col_index + 1}列")
    return found


def label_columns(table: Table) -> list[str]:
    """Headers of value columns that name row labels (科目编码, 科目名称, 项目 …) yet hold figures.

    Such a header belongs to the label column: a figure under it means the reader put the
    row's figures one column too far left (a name or code not read as the row's label).
    """
    found: dict[tuple[str, int], str] = {}
    for cell in table.cells:
        if cell.state != "value" or not cell.col_path or (cell.side, cell.col_index) in found:
            continue
        if _LABEL_HEADER.match(re.sub(r"\s", "", cell.col_path[-1])):
            found[(cell.side, cell.col_index)] = cell.column or f"第{cell.col_index + 1}列"
    return list(found.values())


def unnamed_columns(table: Table) -> bool:
    """True when every value column that holds a figure has only a made-up name ("列3")."""
    paths = {(c.side, c.col_index): c.col_path for c in table.cells if c.state == "value"}
    return bool(paths) and all(len(p) == 1 and _UNNAMED.match(p[0]) for p in paths.values())


def _related(value: str, code: str) -> bool:
    return code.startswith(value) or value.startswith(code)


def check_table(table: Table, department: str = "", kind: str | None = None,
                settings: SelfCheckSettings = DEFAULT_SELF_CHECK, elsewhere: set[int] | None = None) -> TableCheck:
    """Identities and code columns of one table (``elsewhere``: the pages other tables print on)."""
    found = identity_check(table, department, kind, settings)
    found.codes = code_columns(table, settings)
    found.unnamed = unnamed_columns(table)
    found.labels = label_columns(table)
    found.doubts = doubts(table, elsewhere)
    if found.checked == 0:  # no identity the audit knows: a lone 合计 row over its items, if any
        found.checked, found.failed = flat_totals(table)
        found.failures = ["合计 = Σ各项"] * found.failed
    found.columns = len({(c.side, c.col_index) for c in table.cells if c.state == "value"})
    return found


def self_check(tables: list[Table], department: str = "", kind: str | None = None,
               settings: SelfCheckSettings = DEFAULT_SELF_CHECK) -> tuple[list[Table], list[str]]:
    """The tables to keep, and a warning for each table from an uncertain reader that was left out."""
    kept: list[Table] = []
    warnings: list[str] = []
    for table in tables:
        if table.reader in UNCERTAIN_READERS and table.performance is None:
            elsewhere = {p for other in tables if other is not table for p in other.pages}
            found = check_table(table, department, kind, settings, elsewhere)
            if found.fails(settings):
                warnings.append(found.warning())
                continue
        kept.append(table)
    return kept, warnings
