"""A label-free ingest-quality report: what the tables read from each PDF miss or invent.

For each PDF (default: every PDF in ../shared/corpus, or $BUDGETQA_SHARED/corpus):

* **recall** — of the amounts printed in tables (decimals or thousands separators; on a
  page without ruled tables, prose lines left out), the share found as a value cell on that
  page, or in a performance indicator's target read from that page;
* **precision** — of the value cells, the share whose printed text is a number printed
  on their page and is not a code (a column of bare 2/3/5/7-digit integers is codes);
* **identities** — the share of sum identities that hold: 类 = Σ款, 款 = Σ项 (by code),
  合计 row = Σ 类 rows, 合计 column = Σ sibling columns, 收入总计 = 支出总计; judged
  on the printed precision, apart from the audit's code; failures are listed with
  their page;
* **titles** — distinct table titles printed (lines ending in 表 that name a kind) that a
  table read carries, and the number of tables read.

``--self-check`` lists, per file, every table the ingest self-check (ingest/self_check.py)
would not trust, whatever its reader (only "open"/"unruled" tables are dropped).

Usage::

    python bench/ingest_quality.py [FILE.pdf ...] [--failures] [--json] [--self-check]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path

import pdfplumber

from budgetqa.ingest.errors import IngestError
from budgetqa.ingest.grid import clean_text
from budgetqa.ingest.pdf_reader import DEFAULT_PDF, find_tables, read_pdf
from budgetqa.ingest.pipeline import read_document
from budgetqa.ingest.self_check import check_table, self_check
from budgetqa.ingest.unruled import read_unruled
from budgetqa.models import Cell, Table
from budgetqa.settings import Settings
from budgetqa.vocab import table_kind

PROJECT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("BUDGETQA_SHARED") or PROJECT.parent / "shared")
sys.path.insert(0, str(PROJECT / "bench"))

from ingest import display_width, pad  # noqa: E402  (bench/ingest.py)

_AMOUNT = re.compile(r"(?<![\d.,%])-?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d%])|(?<![\d.,%])-?\d+\.\d+(?![\d.%])")
_NUMBER = re.compile(r"(?<![\d.,])-?\d[\d,]*(?:\.\d+)?(?![\d])")
_CODE = re.compile(r"^(?:\d{3}|\d{5}|\d{7}|0\d)$")
_PROSE = re.compile(r"[，。；]")
_TOTAL = re.compile(r"^(?:合计|总计|小计)$")
_TITLE_NOISE = re.compile(r"说明|情况$|。|…|\.{3}|[：:]\d|目录")


@dataclass(slots=True)
class Report:
    """One file's measures."""

    name: str
    printed: int = 0
    found: int = 0
    values: int = 0
    precise: int = 0
    checks: int = 0
    holds: int = 0
    tables: int = 0
    titles: int = 0
    matched: int = 0
    failures: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    note: str = ""

    @property
    def recall(self) -> float:
        return self.found / self.printed * 100 if self.printed else 100.0

    @property
    def precision(self) -> float:
        return self.precise / self.values * 100 if self.values else 100.0

    @property
    def identity(self) -> float:
        return self.holds / self.checks * 100 if self.checks else 100.0


def read_tables(path: Path, settings: Settings) -> tuple[list[Table], str]:
    """The tables budgetqa reads from a file; a refused file's tables as the reader left them."""
    try:
        return read_document(path, settings).tables, ""
    except IngestError as exc:
        result = read_pdf(path)
        unruled, _ = read_unruled(result.narrative_pages, result.tables, path.name)
        kept, _ = self_check([*result.tables, *unruled])
        return kept, f"refused: {exc.reason}"


def normal(text: str) -> str:
    """A printed number as comparable text: no separators, no sign brackets, no spaces."""
    return re.sub(r"[,，\s()（）]", "", text).lstrip("+")


def page_numbers(page) -> tuple[Counter, Counter]:
    """(amounts, every number) printed in a page's tables, as normalised texts.

    On a page with ruled tables only the text inside them counts; on a page without,
    every line but prose.
    """
    boxes = [t.bbox for t in find_tables(page, dict(DEFAULT_PDF.table_settings))]
    region = page.filter(lambda obj: obj.get("object_type") != "char" or _inside(obj, boxes)) if boxes else page
    amounts: Counter = Counter()
    numbers: Counter = Counter()
    for line in region.extract_text_lines(y_tolerance=3, return_chars=False):
        text = line["text"]
        if not boxes and _PROSE.search(text) and len(text) > 30:
            continue
        amounts.update(normal(m) for m in _AMOUNT.findall(text))
        numbers.update(normal(m) for m in _NUMBER.findall(text))
    return amounts, numbers


def _inside(obj: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
    return any(b[0] - 1 <= x <= b[2] + 1 and b[1] - 1 <= y <= b[3] + 1 for b in boxes)


def code_columns(table: Table) -> set[tuple[str, int]]:
    """(side, column) pairs whose value cells are mostly bare codes."""
    by_column: dict[tuple[str, int], list[Cell]] = defaultdict(list)
    for cell in table.cells:
        if cell.state == "value":
            by_column[(cell.side, cell.col_index)].append(cell)
    return {
        key for key, cells in by_column.items()
        if len(cells) >= 3 and sum(1 for c in cells if _CODE.match(c.raw.strip())) / len(cells) >= 0.5
    }


def measure_cells(path: Path, tables: list[Table], report: Report) -> None:
    """Recall of printed amounts and precision of value cells, page by page."""
    cells_by_page: dict[int, list[tuple[Cell, bool]]] = defaultdict(list)
    for table in tables:
        codes = code_columns(table)
        for cell in table.cells:
            if cell.state == "value":
                cells_by_page[cell.page].append((cell, (cell.side, cell.col_index) in codes))
    forms: dict[int, Counter] = defaultdict(Counter)
    for table in tables:
        if table.performance is not None:
            forms[table.performance.pages[0]].update(normal(str(a)) for a in table.performance.amounts.values())
            for indicator in table.performance.indicators:
                text = f"{indicator.target} {indicator.weight}"
                forms[indicator.page].update(normal(m) for m in _AMOUNT.findall(text))
    with pdfplumber.open(path) as pdf:
        for number in sorted({p for t in tables for p in t.pages if t.cells}):
            amounts, numbers = page_numbers(pdf.pages[number - 1])
            stored = Counter(normal(c.raw) for c, _ in cells_by_page[number]) + forms[number]
            for text, count in amounts.items():
                report.printed += count
                report.found += min(count, stored[text])
                if stored[text] < count:
                    report.misses.append(f"p{number} {text}×{count - stored[text]}")
            left = Counter(numbers)
            for cell, in_code_column in cells_by_page[number]:
                report.values += 1
                text = normal(cell.raw)
                if left[text] > 0 and not in_code_column and not _is_code_of(cell):
                    left[text] -= 1
                    report.precise += 1


def _is_code_of(cell: Cell) -> bool:
    """A value that is (a part of) its own row's code or a code printed before its name."""
    text = cell.raw.strip()
    if not _CODE.match(text):
        return False
    return bool(cell.row_code and text in cell.row_code) or cell.row_name.startswith(text)


# --- identities --------------------------------------------------------------------


def _amount(cell: Cell | None) -> Decimal:
    return cell.value if cell is not None and cell.value is not None else Decimal(0)


def _places(cells: list[Cell]) -> int:
    return max((len(c.raw.split(".")[1]) if "." in c.raw else 0 for c in cells if c.state == "value"), default=0)


def _holds(total: Cell, parts: list[Cell]) -> bool:
    """total = Σ parts within the rounding of the printed precision (½ unit per figure)."""
    places = _places([total, *parts])
    slack = Decimal(1).scaleb(-places) / 2 * (len(parts) + 1)
    return abs(_amount(total) - sum((_amount(p) for p in parts), Decimal(0))) <= slack


def _check(report: Report, table: Table, what: str, total: Cell, parts: list[Cell]) -> None:
    if total.state not in ("value", "dash", "blank") or not any(c.state == "value" for c in [total, *parts]):
        return
    report.checks += 1
    if _holds(total, parts):
        report.holds += 1
    else:
        printed = sum((_amount(p) for p in parts), Decimal(0))
        report.failures.append(f"p{total.page} {table.title} {what} [{total.column}]: {total.raw or '空'} ≠ Σ {printed}")


def measure_identities(tables: list[Table], report: Report) -> None:
    """Code hierarchy, 合计 rows and columns, and 收入总计 = 支出总计 in every table."""
    for table in tables:
        for side in table.sides:
            rows = [r for r in table.rows(side) if r]
            _code_identities(report, table, rows)
            _total_row_identities(report, table, rows)
            _total_column_identities(report, table, side, rows)
        _balance_identity(report, table)


def _code_identities(report: Report, table: Table, rows: list[list[Cell]]) -> None:
    coded = [r for r in rows if r[0].row_code]
    for i, row in enumerate(coded):
        code = row[0].row_code
        children = []
        for other in coded[i + 1:]:
            other_code = other[0].row_code
            if not other_code.startswith(code) or other_code == code:
                break
            if len(other_code) == len(code) + 2:
                children.append(other)
        if not children:
            continue
        for col, total in enumerate(row):
            parts = [child[col] for child in children if col < len(child)]
            _check(report, table, f"{code} = Σ下级", total, parts)


def _total_row_identities(report: Report, table: Table, rows: list[list[Cell]]) -> None:
    tops = [r for r in rows if r[0].row_code and len(r[0].row_code) == 3]
    if not tops:
        return
    for row in rows:
        if _TOTAL.match(row[0].row_name.replace(" ", "")) and not row[0].row_code:
            for col, total in enumerate(row):
                _check(report, table, f"{row[0].row_name} = Σ类", total, [r[col] for r in tops if col < len(r)])


def _total_column_identities(report: Report, table: Table, side: str, rows: list[list[Cell]]) -> None:
    paths = table.columns.get(side, [])
    for col, path in enumerate(paths):
        if not path or not _TOTAL.match(re.sub(r"[\s一二三四五六七八九十、]", "", path[-1])):
            continue
        prefix = path[:-1]
        groups: dict[str, list[int]] = defaultdict(list)
        for other, other_path in enumerate(paths):
            if other != col and len(other_path) > len(prefix) and other_path[: len(prefix)] == prefix:
                groups[other_path[len(prefix)]].append(other)
        parts = []
        for members in groups.values():
            exact = [m for m in members if len(paths[m]) == len(path)]
            subtotal = [m for m in members if len(paths[m]) > len(path) and _TOTAL.match(paths[m][len(path)])]
            parts += exact[:1] or subtotal[:1] or members
        if len(parts) < 2:
            continue
        for row in rows:
            if col < len(row) and all(p < len(row) for p in parts):
                _check(report, table, f"{path[-1]}列 = Σ分列 ({row[0].row_name})", row[col], [row[p] for p in parts])


def _balance_identity(report: Report, table: Table) -> None:
    def first(label: str) -> Cell | None:
        for row in table.rows():
            if re.sub(r"\s", "", row[0].row_name).endswith(label) and row[0].state == "value":
                return row[0]
        return None

    income, spending = first("收入总计"), first("支出总计")
    if income is not None and spending is not None:
        _check(report, table, "收入总计 = 支出总计", income, [spending])


# --- titles ------------------------------------------------------------------------


def title_key(text: str) -> str:
    """A title without its number, ordinal, year and spaces, for matching printed titles to tables."""
    # the label goes first, while a space still ends it ("表1 2021年…" must not read as "表12021…")
    label = r"(?:[一二三四五六七八九十]+、|\d+[.、]|公开\d+表|附表\d+|表\d+?(?=(?:19|20)\d\d年)|表\d+)"
    text = re.sub(rf"^\s*(?:{label}\s*)+", "", text)
    text = re.sub(r"\s|[“”\"]", "", text)
    text = re.sub(r"[（(]续[）)]|续表", "", text)
    return re.sub(r"^\d{4}年(?:度)?", "", text)


def printed_titles(path: Path) -> list[str]:
    """Distinct table titles printed in the file: short lines ending in 表 that name a table kind."""
    titles: list[str] = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for line in page.extract_text_lines(y_tolerance=5, return_chars=False):
                text = clean_text(line["text"])
                key = title_key(text)
                if (
                    len(text) <= 45 and key.endswith("表") and table_kind(key)
                    and not _TITLE_NOISE.search(text) and key not in titles
                ):
                    titles.append(key)
    return titles


def matched_titles(titles: list[str], tables: list[Table]) -> tuple[int, list[str]]:
    """How many printed titles some table carries (equal, or one inside the other); the others."""
    keys = [title_key(t.title) for t in tables]
    missing = [t for t in titles if not any(k and (t in k or k in t) for k in keys)]
    return len(titles) - len(missing), missing


def measure(path: Path, settings: Settings) -> Report:
    tables, note = read_tables(path, settings)
    report = Report(path.name, note=note)
    measure_cells(path, tables, report)
    measure_identities(tables, report)
    titles = printed_titles(path)
    report.tables, report.titles = len(tables), len(titles)
    report.matched, missing = matched_titles(titles, tables)
    report.failures += [f"title without a table: {t}" for t in missing]
    return report


def self_check_flags(path: Path) -> list[str]:
    """Every table read from the file (before the self-check) that the self-check would not trust."""
    result = read_pdf(path)
    unruled, _ = read_unruled(result.narrative_pages, result.tables, path.name)
    flags = []
    for table in [*result.tables, *unruled]:
        if table.performance is not None:
            continue
        found = check_table(table)
        if found.fails():
            flags.append(f"{path.name}: {table.reader} p{table.pages} {table.title}: {found.failed}/{found.checked} "
                         f"failed, codes {found.codes}, unverified {found.unverified} — {found.warning()}")
    return flags


def render(reports: list[Report], failures: bool) -> str:
    width = max([display_width(r.name) for r in reports] + [5])
    head = (f"{pad('file', width)}  {'recall':>15}  {'precision':>15}  {'identities':>13}  "
            f"{'titles':>9}  {'tables':>6}  note")
    lines = [head, "-" * display_width(head)]
    for r in reports:
        lines.append(
            f"{pad(r.name, width)}  {r.found:>5}/{r.printed:<5} {r.recall:5.1f}%  {r.precise:>5}/{r.values:<5}"
            f"{r.precision:5.1f}%  {r.holds:>4}/{r.checks:<4}{r.identity:5.1f}%  {r.matched:>4}/{r.titles:<4}  {r.tables:>6}  {r.note}"
        )
    total = Report("total", **{k: sum(getattr(r, k) for r in reports) for k in
                               ("printed", "found", "values", "precise", "checks", "holds", "tables", "titles", "matched")})
    lines.append("-" * display_width(head))
    lines.append(f"{pad('total', width)}  {total.found:>5}/{total.printed:<5} {total.recall:5.1f}%  "
                 f"{total.precise:>5}/{total.values:<5}{total.precision:5.1f}%  {total.holds:>4}/{total.checks:<4}"
                 f"{total.identity:5.1f}%  {total.matched:>4}/{total.titles:<4}  {total.tables:>6}")
    if failures:
        for r in reports:
            for line in r.failures + [f"missed {m}" for m in r.misses]:
                lines.append(f"{r.name}: {line}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="PDFs to measure (default: the shared corpus)")
    parser.add_argument("--failures", action="store_true", help="list identity failures and missed amounts")
    parser.add_argument("--json", action="store_true", help="print the reports as JSON")
    parser.add_argument("--self-check", action="store_true", help="list the tables the self-check would flag")
    args = parser.parse_args(argv)
    files = args.files or sorted((SHARED / "corpus").glob("*.pdf"))
    if not files:
        print(f"no PDFs found in {SHARED / 'corpus'}", file=sys.stderr)
        return 1
    settings = Settings()
    reports = [measure(path, settings) for path in files]
    if args.json:
        print(json.dumps([asdict(r) for r in reports], ensure_ascii=False, indent=1))
    else:
        print(render(reports, args.failures))
    if args.self_check:
        flags = [line for path in files for line in self_check_flags(path)]
        print("\n".join(flags) or "self-check: no table flagged")
    return 0


if __name__ == "__main__":
    sys.exit(main())
