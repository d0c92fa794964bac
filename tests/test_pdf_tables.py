"""Tables read from the real corpus PDFs: cell by cell against a gold, table sets, totals, metadata.

Every expected value here was read off the PDFs by a person (see
tests/gold/final_accounts_2024.json and the comments); a failure means the
parse differs from what the document prints.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

import pytest
from conftest import (
    ALIAS,
    COURT_2017,
    COURT_2018,
    COURT_2019,
    CPPCC_NARRATIVE,
    CPPCC_TABLES,
    FINAL_2024,
    GOLD,
    SWU_2021,
    SWU_2023,
    TEMPLATE,
    WANLI_2023,
    WANLI_2024,
    WELFARE_2024,
    IngestedCorpus,
    corpus_file,
    one_table,
)

from budgetqa.index.store import Store
from budgetqa.ingest.parse_cache import ParseCache
from budgetqa.ingest.pipeline import ingest_file
from budgetqa.models import Cell, Table
from budgetqa.numbers import parse_number
from budgetqa.settings import Settings

pytestmark = pytest.mark.corpus

# --- helpers -----------------------------------------------------------------------------


def rows_of(table: Table, side: str) -> list[list[Cell]]:
    """The cells of each row of one side, in row order."""
    rows: dict[int, list[Cell]] = defaultdict(list)
    for cell in table.cells:
        if cell.side == side:
            rows[cell.row_index].append(cell)
    return [sorted(rows[i], key=lambda c: c.col_index) for i in sorted(rows)]


def is_blank_unlabelled(row: list[Cell]) -> bool:
    return not row[0].row_code and not row[0].row_name and all(c.state == "blank" for c in row)


def shown(cell: Cell) -> str | None:
    """A cell as comparable text: the number, None for a blank, or the state and raw text."""
    if cell.state == "value":
        return str(cell.value)
    if cell.state == "blank":
        return None
    return f"<{cell.state}:{cell.raw}>"


def gold_value(printed: str | None) -> str | None:
    if printed is None:
        return None
    value = parse_number(printed)
    assert value is not None, printed
    return str(value)


def hierarchy_mismatches(table: Table) -> list[tuple[str, str, str, Decimal, Decimal]]:
    """(side, parent code or 合计, column leaf, printed, sum of parts) wherever a total ≠ its parts.

    A coded row's parts are the rows whose code extends it by one level; a 合计/总计
    row without a code is the sum of the 类 (3-digit) rows. Blanks count as zero.
    """
    found = []
    for side in table.sides:
        rows = [r for r in rows_of(table, side) if not is_blank_unlabelled(r)]
        coded = {r[0].row_code: r for r in rows if r[0].row_code}
        totals = [r for r in rows if r[0].row_code is None and r[0].row_name in ("合计", "总计")]
        groups = []
        for code, row in coded.items():
            parts = [coded[c] for c in coded if len(c) == len(code) + 2 and c.startswith(code)]
            if parts:
                groups.append((code, row, parts))
        tops = [row for code, row in coded.items() if len(code) == 3]
        if totals and tops:
            groups.append(("合计", totals[0], tops))
        for code, row, parts in groups:
            for cell in row:
                printed = cell.value if cell.state == "value" else Decimal(0)
                total = sum(
                    (p[cell.col_index].value or Decimal(0) for p in parts if p[cell.col_index].state == "value"),
                    Decimal(0),
                )
                if printed != total:
                    found.append((side, code, cell.col_path[-1], printed, total))
    return found


# --- (1) the hand-written gold of three tables of the 2024 决算 -------------------------------

GOLD_DATA = json.loads((GOLD / "final_accounts_2024.json").read_text(encoding="utf-8"))
GOLD_IDS = {"收支总表": "summary", "支出表": "expenditure", "基本支出表": "basic-expenditure"}


@pytest.fixture(scope="module")
def final_tables(ingested: IngestedCorpus) -> list[Table]:
    return ingested.document(FINAL_2024).tables


@pytest.mark.parametrize("gold", GOLD_DATA["tables"], ids=[GOLD_IDS.get(t["kind"], t["kind"]) for t in GOLD_DATA["tables"]])
def test_gold_cells_match_exactly(final_tables: list[Table], gold: dict) -> None:
    """Every gold cell (side, code, name, column leaf, value) is parsed, and nothing else is."""
    table = one_table(final_tables, gold["kind"])
    assert (table.title, table.unit, table.pages) == (gold["title"], gold["unit"], gold["pages"])
    assert table.sides == [s["side"] for s in gold["sides"]]
    expected: Counter = Counter()
    parsed: Counter = Counter()
    for gold_side in gold["sides"]:
        side = gold_side["side"]
        leaves = [path[-1] for path in gold_side["columns"]]
        assert [p[-1] for p in table.columns[side]] == leaves, f"columns of side {side!r}"
        for row in gold_side["rows"]:
            for leaf, printed in zip(leaves, row["values"], strict=True):
                expected[(side, row["code"], row["name"], leaf, gold_value(printed))] += 1
        for row in rows_of(table, side):
            if is_blank_unlabelled(row):
                continue
            for cell in row:
                parsed[(side, cell.row_code, cell.row_name, cell.col_path[-1], shown(cell))] += 1
    missing = sorted((expected - parsed).elements(), key=str)
    extra = sorted((parsed - expected).elements(), key=str)
    assert not missing and not extra, f"missing (gold, not parsed): {missing}\nextra (parsed, not gold): {extra}"


@pytest.mark.parametrize("gold", GOLD_DATA["tables"], ids=[GOLD_IDS.get(t["kind"], t["kind"]) for t in GOLD_DATA["tables"]])
def test_gold_rows_in_order_with_pages(final_tables: list[Table], gold: dict) -> None:
    """Rows come in the printed order, each citing the page it is printed on."""
    table = one_table(final_tables, gold["kind"])
    for gold_side in gold["sides"]:
        rows = [r for r in rows_of(table, gold_side["side"]) if not is_blank_unlabelled(r)]
        parsed = [(r[0].row_code, r[0].row_name, r[0].page) for r in rows]
        assert parsed == [(r["code"], r["name"], r["page"]) for r in gold_side["rows"]]


def test_gold_document_metadata(ingested: IngestedCorpus) -> None:
    doc = ingested.document(FINAL_2024)
    meta = GOLD_DATA["document"]
    assert (doc.department, doc.region, doc.year, doc.kind, doc.unit) == (
        meta["department"], meta["region"], meta["year"], meta["kind"], meta["unit"],
    )


# --- (2) the 2024 决算's table set, continued pages, empty tables, totals -------------------------

FINAL_TABLES = [
    ("收入支出决算总表", "收支总表", [6, 7]),
    ("收入决算表", "收入表", [8, 9]),
    ("支出决算表", "支出表", [10, 11]),
    ("财政拨款收入支出决算总表", "财政拨款收支总表", [12, 13]),
    ("一般公共预算财政拨款支出决算表", "一般公共预算支出表", [15]),
    ("一般公共预算财政拨款基本支出决算表", "基本支出表", [16, 17]),
    ("财政拨款“三公”经费支出决算表", "三公经费表", [18]),
    ("政府性基金预算财政拨款收入支出决算表", "政府性基金表", [19]),
    ("国有资本经营预算财政拨款收入支出决算表", "国有资本经营表", [20]),
]


def test_final_accounts_has_its_nine_tables(final_tables: list[Table]) -> None:
    """Nine tables, in order, with their kinds and the pages they run over (continued pages merged)."""
    assert [(t.kind, t.pages) for t in final_tables] == [(kind, pages) for _, kind, pages in FINAL_TABLES]
    assert all(t.unit == "万元" for t in final_tables)


@pytest.mark.parametrize(("title", "kind", "pages"), FINAL_TABLES, ids=[k for _, k, _ in FINAL_TABLES])
def test_final_accounts_table_titles(final_tables: list[Table], title: str, kind: str, pages: list[int]) -> None:
    """The title is kept as printed (the 三公 title's quote marks are printed on a line of their own)."""
    assert one_table(final_tables, kind).title.replace("“", "").replace("”", "") == title.replace("“", "").replace("”", "")


@pytest.mark.parametrize("kind", ["政府性基金表", "国有资本经营表"])
def test_final_accounts_empty_tables_keep_their_statement(final_tables: list[Table], kind: str) -> None:
    table = one_table(final_tables, kind)
    fund = "政府性基金预算" if kind == "政府性基金表" else "国有资本经营预算"
    assert table.empty_statement == f"注：上海市普陀区财政局无{fund}财政拨款支出，故本表无数据。"
    assert not [c for c in table.cells if c.state == "value"]


def test_final_accounts_two_sided_tables(final_tables: list[Table]) -> None:
    total = one_table(final_tables, "收支总表")
    grant = one_table(final_tables, "财政拨款收支总表")
    assert total.sides == ["收入", "支出"]
    assert grant.sides == ["收入", "支出"]
    assert [p[-1] for p in grant.columns["支出"]] == [
        "合计", "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款",
    ]


def test_final_accounts_grant_table_keeps_rows_of_its_second_page(final_tables: list[Table]) -> None:
    """财政拨款收入支出决算总表 continues on page 13 with five rows that print no amount."""
    grant = one_table(final_tables, "财政拨款收支总表")
    names = [r[0].row_name for r in rows_of(grant, "支出") if not is_blank_unlabelled(r)]
    assert names[:26] == [
        "一、一般公共服务支出", "二、外交支出", "三、国防支出", "四、公共安全支出", "五、教育支出",
        "六、科学技术支出", "七、文化旅游体育与传媒支出", "八、社会保障和就业支出", "九、卫生健康支出",
        "十、节能环保支出", "十一、城乡社区支出", "十二、农林水支出", "十三、交通运输支出",
        "十四、资源勘探工业信息等支出", "十五、商业服务业等支出", "十六、金融支出", "十七、援助其他地区支出",
        "十八、自然资源海洋气象等支出", "十九、住房保障支出", "二十、粮油物资储备支出",
        "二十一、国有资本经营预算支出", "二十二、灾害防治及应急管理支出", "二十三、其他支出",
        "二十四、债务还本支出", "二十五、债务付息支出", "二十六、抗疫特别国债安排的支出",
    ]


def test_final_accounts_three_public_expenses(final_tables: list[Table]) -> None:
    """预算数/决算数 column pairs: 0.95 budgeted (all 公务接待费), nothing spent."""
    table = one_table(final_tables, "三公经费表")
    values = {c.col_path[1:]: c.value for c in table.cells if c.state == "value"}
    assert values == {("合计", "预算数"): Decimal("0.95"), ("公务接待费", "预算数"): Decimal("0.95")}


# Totals the document itself prints off by 0.01–0.02 against the sum of their parts
# (printed, sum of parts); everything else along the code hierarchy adds up exactly.
FINAL_DISCREPANCIES: dict[str, list[tuple[str, str, str, Decimal, Decimal]]] = {
    "收入表": [
        ("", "合计", "本年收入合计", Decimal("2946.25"), Decimal("2946.26")),
        ("", "合计", "财政拨款收入", Decimal("2940.05"), Decimal("2940.06")),
    ],
    "支出表": [
        ("", "合计", "本年支出合计", Decimal("2940.05"), Decimal("2940.06")),
        ("", "合计", "基本支出", Decimal("2336.91"), Decimal("2336.92")),
    ],
    "一般公共预算支出表": [
        ("", "合计", "合计", Decimal("2940.05"), Decimal("2940.06")),
        ("", "合计", "基本支出", Decimal("2336.91"), Decimal("2336.92")),
    ],
    "基本支出表": [
        ("左", "301", "决算数", Decimal("2082.85"), Decimal("2082.86")),
        ("右", "302", "决算数", Decimal("171.07"), Decimal("171.09")),
    ],
}


@pytest.mark.parametrize("kind", sorted(FINAL_DISCREPANCIES))
def test_final_accounts_totals_along_code_hierarchy(final_tables: list[Table], kind: str) -> None:
    """Parents are the sum of their children; the document's own 0.01–0.02 slips are reported as they are."""
    assert hierarchy_mismatches(one_table(final_tables, kind)) == FINAL_DISCREPANCIES[kind]


def test_final_accounts_columns_add_up(final_tables: list[Table]) -> None:
    """本年收入合计 = 财政拨款收入 + 其他收入, 本年支出合计 = 基本支出 + 项目支出, on every row."""
    for kind, total_leaf in (("收入表", "本年收入合计"), ("支出表", "本年支出合计")):
        table = one_table(final_tables, kind)
        rows = [r for r in rows_of(table, "") if not is_blank_unlabelled(r)]
        assert len(rows) == 20
        for row in rows:
            total = next(c.value for c in row if c.col_path[-1] == total_leaf)
            parts = sum((c.value for c in row if c.col_path[-1] != total_leaf and c.state == "value"), Decimal(0))
            assert total == parts, (kind, row[0].row_code, row[0].row_name)


def test_final_accounts_income_table_values(final_tables: list[Table]) -> None:
    """收入决算表 spot cells, including the 其他收入 column that only two rows use."""
    table = one_table(final_tables, "收入表")
    cells = {(c.row_code, c.col_path[-1]): c for c in table.cells}
    assert cells[("2010601", "本年收入合计")].value == Decimal("1511.90")
    assert cells[("2010601", "其他收入")].value == Decimal("0.01")
    assert cells[("2010602", "其他收入")].value == Decimal("6.19")
    assert cells[("2210203", "财政拨款收入")].value == Decimal("258.50")
    assert cells[("2210203", "财政拨款收入")].page == 9
    assert cells[("2080505", "本年收入合计")].row_name == "机关事业单位基本养老保险缴费支出"
    assert cells[("2080505", "事业收入")].state == "blank"


# --- (3) every corpus PDF: metadata, the tables it has, key figures, code hierarchy ----------------


@dataclass(frozen=True)
class TableSpec:
    kind: str
    pages: list[int]
    coded_rows: int = 0
    """How many rows print a classification code (read off the PDF)."""
    label: str | None = None


@dataclass(frozen=True)
class DocSpec:
    department: str
    region: str
    year: int
    kind: str
    unit: str
    tables: list[TableSpec]


def _jiangsu(pages: list[list[int]], coded: list[int], labels: bool, kinds: list[str]) -> list[TableSpec]:
    return [
        TableSpec(kind, p, n, f"公开{i:02d}表" if labels else None)
        for i, (kind, p, n) in enumerate(zip(kinds, pages, coded, strict=True), start=1)
    ]


# 公开01表 … 公开12表 of the 2018/2019 template (2019 files print the labels).
JS_KINDS = ["收支总表", "收入表", "支出表", "财政拨款收支总表", "财政拨款支出表", "基本支出表",
            "一般公共预算支出表", "基本支出表", "三公经费表", "政府性基金表", "机关运行经费表", "政府采购表"]
JS_KINDS_2017 = ["收支总表", "收入表", "支出表", "财政拨款收支总表", "财政拨款支出表", "基本支出表",
                 "政府性基金表", "一般公共预算支出表", "基本支出表", "机关运行经费表", "三公经费表", "政府采购表"]
COURT = "江苏省高级人民法院"

DOCS: dict[str, DocSpec] = {
    FINAL_2024: DocSpec("上海市普陀区财政局", "上海市普陀区", 2024, "决算", "万元", [
        TableSpec("收支总表", [6, 7]), TableSpec("收入表", [8, 9], 19), TableSpec("支出表", [10, 11], 19),
        TableSpec("财政拨款收支总表", [12, 13]), TableSpec("一般公共预算支出表", [15], 19),
        TableSpec("基本支出表", [16, 17], 64), TableSpec("三公经费表", [18]),
        TableSpec("政府性基金表", [19]), TableSpec("国有资本经营表", [20]),
    ]),
    WANLI_2024: DocSpec("上海市普陀区人民政府万里街道办事处", "上海市普陀区", 2024, "预算", "元", [
        TableSpec("收支总表", [10]), TableSpec("收入表", [11, 12, 13, 14, 15], 66),
        TableSpec("支出表", [16, 17, 18, 19, 20], 66), TableSpec("财政拨款收支总表", [21]),
        TableSpec("一般公共预算支出表", [22, 23, 24, 25, 26], 66), TableSpec("政府性基金表", [27]),
        TableSpec("国有资本经营表", [28]), TableSpec("基本支出表", [29, 30], 31), TableSpec("三公经费表", [31]),
    ]),
    COURT_2017: DocSpec(COURT, "江苏省", 2017, "预算", "万元", _jiangsu(
        [[11, 12], [12, 13], [13], [13], [13, 14], [14], [15], [15], [15, 16], [16, 17], [17], [17, 18]],
        [0, 0, 0, 0, 15, 32, 0, 15, 32, 17, 0, 0], False, JS_KINDS_2017)),
    COURT_2018: DocSpec(COURT, "江苏省", 2018, "预算", "万元", _jiangsu(
        [[9, 10], [10], [10], [10, 11], [11], [11, 12], [12, 13], [13, 14], [14], [14], [14, 15], [15, 16]],
        [0, 0, 0, 0, 17, 33, 17, 33, 0, 0, 16, 0], False, JS_KINDS)),
    COURT_2019: DocSpec(COURT, "江苏省", 2019, "预算", "万元", _jiangsu(
        [[8], [9], [9], [10], [10], [11], [12], [13], [14], [14], [15], [16, 17]],
        [0, 0, 0, 0, 17, 33, 17, 33, 0, 0, 16, 0], True, JS_KINDS)),
    CPPCC_TABLES: DocSpec("江苏省政协办公厅", "江苏省", 2019, "预算", "万元", _jiangsu(
        [[1], [2], [3], [4], [5], [6], [7], [8], [9], [10], [11], [12]],
        [0, 0, 0, 0, 16, 25, 16, 25, 0, 0, 11, 0], True, JS_KINDS)),
}
DOCS[CPPCC_NARRATIVE] = DOCS[CPPCC_TABLES]


@pytest.mark.parametrize("name", sorted(DOCS), ids=ALIAS.get)
def test_document_metadata(ingested: IngestedCorpus, name: str) -> None:
    """Department, region, year, kind and unit as the document states them."""
    doc = ingested.document(name)
    spec = DOCS[name]
    assert (doc.department, doc.region, doc.year, doc.kind, doc.unit) == (
        spec.department, spec.region, spec.year, spec.kind, spec.unit,
    )


@pytest.mark.parametrize("name", sorted(DOCS), ids=ALIAS.get)
def test_document_tables_found(ingested: IngestedCorpus, name: str) -> None:
    """Every table of the document is found, in order, with its kind and pages."""
    doc = ingested.document(name)
    spec = DOCS[name]
    assert [(t.kind, t.pages) for t in doc.tables] == [(s.kind, s.pages) for s in spec.tables]


@pytest.mark.parametrize("name", sorted(set(DOCS) - {CPPCC_NARRATIVE}), ids=ALIAS.get)
def test_document_table_labels(ingested: IngestedCorpus, name: str) -> None:
    """Printed labels (公开01表 …) are kept; documents that print none get none."""
    doc = ingested.document(name)
    assert [t.label for t in doc.tables] == [s.label for s in DOCS[name].tables]


@pytest.mark.parametrize("name", sorted(set(DOCS) - {CPPCC_NARRATIVE}), ids=ALIAS.get)
def test_document_coded_rows(ingested: IngestedCorpus, name: str) -> None:
    """Each table has as many coded rows as the PDF prints (no code lost, none invented)."""
    doc = ingested.document(name)
    counts = [len({(c.side, c.row_index) for c in t.cells if c.row_code}) for t in doc.tables]
    assert counts == [s.coded_rows for s in DOCS[name].tables]


@pytest.mark.parametrize("name", sorted(set(DOCS) - {CPPCC_NARRATIVE}), ids=ALIAS.get)
def test_document_totals_along_code_hierarchy(ingested: IngestedCorpus, name: str) -> None:
    """Outside the 2024 决算's known slips, every coded total in the corpus equals its parts."""
    doc = ingested.document(name)
    found = {t.kind + "/" + t.title: hierarchy_mismatches(t) for t in doc.tables}
    expected = {}
    if name == FINAL_2024:
        expected = {t.kind + "/" + t.title: FINAL_DISCREPANCIES[t.kind] for t in doc.tables if t.kind in FINAL_DISCREPANCIES}
    assert {k: v for k, v in found.items() if v} == expected


def test_wanli_tables_are_in_yuan(ingested: IngestedCorpus) -> None:
    """万里's tables print 单位：元 (its 三公 table 单位:万元); value_wan converts, the narrative stays in 万元."""
    doc = ingested.document(WANLI_2024)
    assert [t.unit for t in doc.tables] == ["元"] * 8 + ["万元"]
    total = one_table(doc.tables, "收支总表")
    cell = next(c for c in total.cells if c.row_name == "收入总计" and c.state == "value")
    assert (cell.value, cell.unit) == (Decimal("156211123"), "元")
    assert cell.value_wan == Decimal("15621.1123")
    assert all(c.value_wan == c.value / 10000 for t in doc.tables[:8] for c in t.cells if c.state == "value")
    assert any(f.amount == Decimal("15621.11") and f.unit == "万元" for f in doc.facts)


def test_wanli_economic_codes_printed_without_leading_zero(ingested: IngestedCorpus) -> None:
    """The PDF prints "301 2 津贴补贴" and "301 7 绩效工资": they are 30102 and 30107."""
    table = one_table(ingested.document(WANLI_2024).tables, "基本支出表")
    names = {c.row_code: (c.row_name, c.row_subject) for c in table.cells}
    assert names["30102"] == ("津贴补贴", None)
    assert names["30107"] == ("绩效工资", None)


EMPTY_STATEMENTS = [
    (WANLI_2024, "政府性基金表", "注:本部门2024年无政府性基金预算财政拨款安排的预算，故本表为空表。"),
    (WANLI_2024, "国有资本经营表", "注:本部门2024年无国有资本经营预算财政拨款安排的预算，故本表为空表。"),
    (CPPCC_TABLES, "政府性基金表", "注：本部门无该项目"),
]


@pytest.mark.parametrize(("name", "kind", "statement"), EMPTY_STATEMENTS,
                         ids=[f"{ALIAS[n]}-{i}" for i, (n, _, _) in enumerate(EMPTY_STATEMENTS)])
def test_empty_table_statements(ingested: IngestedCorpus, name: str, kind: str, statement: str) -> None:
    table = one_table(ingested.document(name).tables, kind)
    assert table.empty_statement == statement
    assert not [c for c in table.cells if c.state == "value"]


# Figures a reader would ask for, as printed: (file, kind, title part, row name or code, column leaf, value).
KEY_FIGURES = [
    (WANLI_2024, "收支总表", None, "收入总计", None, "156,211,123"),
    (WANLI_2024, "收支总表", None, "支出总计", None, "156,211,123"),
    (WANLI_2024, "支出表", None, "合计", "基本支出", "99,706,020"),
    (WANLI_2024, "支出表", None, "21201", "项目支出", "17,841,003"),
    (WANLI_2024, "基本支出表", None, "30102", "合计", "16,623,810"),
    (WANLI_2024, "三公经费表", None, None, "合计", "47.91"),
    (WANLI_2024, "三公经费表", None, None, "2024年机关运行经费预算数", "443.18"),
    (COURT_2017, "收支总表", None, "收入合计", None, "28,849.38"),
    (COURT_2017, "收支总表", None, "支出合计", None, "28,849.38"),
    (COURT_2017, "收支总表", None, "一、基本支出", None, "17,123.19"),
    (COURT_2017, "收支总表", None, "四、公共安全支出", None, "23,513.11"),
    (COURT_2017, "支出表", None, None, "项目支出", "11,543.27"),
    (COURT_2017, "财政拨款支出表", None, "2040501", None, "11,786.92"),
    (COURT_2017, "基本支出表", "财政拨款基本支出", "30101", None, "2,509.00"),
    (COURT_2017, "基本支出表", "财政拨款基本支出", "303", None, "5,907.17"),
    (COURT_2017, "机关运行经费表", None, "合计", None, "9,193.40"),
    (COURT_2017, "三公经费表", None, None, "公务接待费", "185.72"),
    (COURT_2017, "三公经费表", None, None, "培训费", "1,701.25"),
    (COURT_2017, "政府采购表", None, "合计", None, "3,742.40"),
    (COURT_2018, "收支总表", None, "收入合计", None, "33,172.15"),
    (COURT_2018, "收支总表", None, "三、单位预留机动经费", None, "3,258.06"),
    (COURT_2018, "财政拨款收支总表", None, "一、基本支出", None, "18,570.82"),
    (COURT_2018, "财政拨款收支总表", None, "收入合计", None, "33,172.15"),
    (COURT_2018, "财政拨款支出表", None, "2040501", None, "14,857.61"),
    (COURT_2018, "基本支出表", "财政拨款基本支出", "30101", None, "2,679.68"),
    (COURT_2018, "三公经费表", None, None, "会议费", "271.26"),
    (COURT_2018, "机关运行经费表", None, "合计", None, "3,407.38"),
    (COURT_2019, "收支总表", None, "收入合计", None, "37,188.34"),
    (COURT_2019, "收支总表", None, "支出合计", None, "37,188.34"),
    (COURT_2019, "收支总表", None, "四、公共安全支出", None, "27,488.23"),
    (COURT_2019, "收入表", None, "收入总计", None, "37,188.34"),
    (COURT_2019, "支出表", None, None, "基本支出", "21,968.00"),
    (COURT_2019, "财政拨款支出表", None, "2040501", None, "17,279.29"),
    (COURT_2019, "基本支出表", "财政拨款基本支出", "301", None, "16,324.07"),
    (COURT_2019, "基本支出表", "财政拨款基本支出", "30101", None, "2,827.41"),
    (COURT_2019, "三公经费表", None, None, "公务接待费", "86.95"),
    (COURT_2019, "三公经费表", None, None, "会议费", "271.02"),
    (COURT_2019, "政府性基金表", None, "合计", None, "0"),
    (COURT_2019, "机关运行经费表", None, "302", None, "3,580.05"),
    (COURT_2019, "政府采购表", None, "合计", None, "5,227.59"),
    (CPPCC_TABLES, "收支总表", None, "收入合计", None, "13,377.11"),
    (CPPCC_TABLES, "收支总表", None, "三、其他资金", None, "80.00"),
    (CPPCC_TABLES, "收支总表", None, "一、基本支出", None, "6,522.75"),
    (CPPCC_TABLES, "收入表", None, "收入总计", None, "13,377.11"),
    (CPPCC_TABLES, "支出表", None, None, "单位预留机动经费", "1,886.02"),
    (CPPCC_TABLES, "财政拨款收支总表", None, "一、基本支出", None, "6,442.75"),
    (CPPCC_TABLES, "财政拨款支出表", None, "2010201", None, "5,223.22"),
    (CPPCC_TABLES, "三公经费表", None, None, "公务接待费", "397.50"),
    (CPPCC_TABLES, "三公经费表", None, None, "会议费", "1,282.56"),
    (CPPCC_TABLES, "机关运行经费表", None, "合计", None, "1,130.74"),
    (CPPCC_TABLES, "政府采购表", None, "合计", None, "1,624.42"),
]


@pytest.mark.parametrize("figure", KEY_FIGURES, ids=[f"{ALIAS[f[0]]}-{f[-1]}" for f in KEY_FIGURES])
def test_key_figure(ingested: IngestedCorpus, figure: tuple) -> None:
    """Exactly one non-blank cell of that row (and column) holds the printed value."""
    name, kind, title_part, row, leaf, printed = figure
    table = one_table(ingested.document(name).tables, kind, title_part)
    cells = [
        c for c in table.cells
        if c.state != "blank"
        and (row is None or row in (c.row_name, c.row_code))
        and (leaf is None or c.col_path[-1] == leaf)
    ]
    in_row = [(c.row_name, c.col_path, c.raw) for c in table.cells
              if c.state != "blank" and (row is None or row in (c.row_name, c.row_code))]
    assert [shown(c) for c in cells] == [gold_value(printed)], f"{figure}: matched {len(cells)}; row holds {in_row[:8]}"


# --- merging, the template ---------------------------------------------------------------------


def test_two_files_of_one_disclosure_become_one_document(ingested: IngestedCorpus) -> None:
    """江苏省政协办公厅 2019: narrative file then tables file → one document, status merged."""
    first, second = ingested.results[CPPCC_NARRATIVE], ingested.results[CPPCC_TABLES]
    assert (first.status, second.status) == ("added", "merged")
    assert first.doc_id == second.doc_id
    doc = ingested.document(CPPCC_TABLES)
    assert {(f.file_name, f.role) for f in doc.files} == {(CPPCC_NARRATIVE, "narrative"), (CPPCC_TABLES, "tables")}
    assert len(doc.tables) == 12 and doc.facts and doc.chunks
    assert all(t.source_file == CPPCC_TABLES for t in doc.tables)
    assert {c.source_file for c in doc.chunks} == {CPPCC_NARRATIVE}
    listed = [d for d in ingested.store.documents() if d["doc_id"] == doc.doc_id]
    assert len(listed) == 1 and listed[0]["pages"] == 18 + 12


def test_two_files_merge_in_either_order(read_cache: ParseCache, new_store: tuple[Store, Settings]) -> None:
    """Tables file first, narrative second: the same one document, with tables and narrative."""
    store, settings = new_store
    first = ingest_file(store, corpus_file(CPPCC_TABLES), settings)
    second = ingest_file(store, corpus_file(CPPCC_NARRATIVE), settings)
    assert (first.status, second.status) == ("added", "merged")
    assert first.doc_id == second.doc_id
    doc = store.load(second.doc_id)
    assert doc is not None and len(doc.tables) == 12 and doc.facts and doc.chunks
    assert len(store.documents()) == 1


def test_every_other_corpus_file_is_added(ingested: IngestedCorpus) -> None:
    expected = {name: "added" for name in [*DOCS, WANLI_2023, WELFARE_2024, SWU_2021, SWU_2023]}
    expected[CPPCC_TABLES] = "merged"
    assert {name: r.status for name, r in ingested.results.items()} == expected
    assert len(ingested.store.documents()) == 10


def test_blank_template_is_rejected(ingested: IngestedCorpus) -> None:
    """附件2 is the blank 决算 template (上海市XX局, nine titled tables, no figures, narrative all XXX).

    Decision: refuse it with the specific reason "blank" (not a document with empty
    tables: it would be a disclosure of nobody, for no year, answering nothing).
    """
    assert TEMPLATE not in ingested.results
    error = ingested.errors[TEMPLATE]
    assert (error.reason, error.file_name) == ("blank", TEMPLATE)
    assert str(error) == f"{TEMPLATE}: {error.message}" and "no figures" in error.message
    assert not [d for d in ingested.store.documents() if "XX" in d["department"] or d["year"] is None]
    assert not [f for d in ingested.store.documents() for f in d["files"] if f["file_name"] == TEMPLATE]
