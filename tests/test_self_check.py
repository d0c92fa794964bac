"""The ingest self-check: a table read from alignment whose sums fail is left out; a ruled one never is."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from layout_pdf import make_pdf  # noqa: E402

from budgetqa.audit import audit_document  # noqa: E402
from budgetqa.ingest.pipeline import read_document  # noqa: E402
from budgetqa.ingest.self_check import check_table, code_columns, label_columns, self_check  # noqa: E402
from budgetqa.models import Cell, Table  # noqa: E402
from budgetqa.settings import Settings  # noqa: E402

TITLE = "2024年部门支出预算表"
HEADER = ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]
BODY = [
    ["", "合计", "1,000.00", "620.00", "380.00"],
    ["201", "一般公共服务支出", "700.00", "450.00", "250.00"],
    ["20101", "人大事务", "700.00", "450.00", "250.00"],
    ["2010101", "行政运行", "410.00", "330.00", "80.00"],
    ["2010102", "一般行政管理事务", "290.00", "120.00", "170.00"],
    ["208", "社会保障和就业支出", "300.00", "170.00", "130.00"],
    ["20805", "行政事业单位养老支出", "300.00", "170.00", "130.00"],
    ["2080505", "机关事业单位基本养老保险缴费支出", "300.00", "170.00", "130.00"],
]
HORIZONTAL = [("LINEABOVE", (0, 0), (-1, 0), 1.0, "black"), ("LINEBELOW", (0, 0), (-1, -1), 0.5, "black"),
              ("ALIGN", (0, 0), (-1, 0), "CENTER")]
WIDTHS = [60.0, 170.0, 80.0, 80.0, 80.0]


def _pdf(tmp_path: Path, body: list[list[str]], ruled: bool) -> Path:
    blocks = ["东川市湖城区财政局2024年部门预算", "部门：东川市湖城区财政局", TITLE, "单位：万元", [HEADER, *body]]
    rules = None if ruled else {0: HORIZONTAL}
    return make_pdf(tmp_path / "东川市湖城区财政局2024年部门预算.pdf", blocks, widths={0: WIDTHS}, rules=rules)


def _misaligned(body: list[list[str]]) -> list[list[str]]:
    """The 基本支出 figures printed one row lower than their row (the first row's left blank)."""
    column = [row[3] for row in body]
    return [[*row[:3], shifted, row[4]] for row, shifted in zip(body, ["", *column[:-1]], strict=True)]


def test_a_horizontally_ruled_table_that_adds_up_is_kept(tmp_path: Path) -> None:
    doc = read_document(_pdf(tmp_path, BODY, ruled=False), Settings())
    [table] = doc.tables
    assert table.reader == "open"
    assert not [w for w in doc.warnings if "未收录" in w]
    cell = next(c for c in table.cells if c.row_code == "2010102" and c.col_path[-1] == "基本支出")
    assert cell.value == Decimal("120.00")


def test_a_horizontally_ruled_table_with_a_misaligned_column_is_dropped(tmp_path: Path) -> None:
    doc = read_document(_pdf(tmp_path, _misaligned(BODY), ruled=False), Settings())
    assert doc.tables == []
    [warning] = [w for w in doc.warnings if "未收录" in w]
    assert warning.startswith(f"第1页《{TITLE}》只有横线，读出的数与合计对不上")


def test_a_ruled_table_with_a_planted_slip_is_kept_and_audited(tmp_path: Path) -> None:
    body = [row[:] for row in BODY]
    body[4][2] = "390.00"  # 一般行政管理事务: 合计 printed 100 too high, a slip of the document's own
    doc = read_document(_pdf(tmp_path, body, ruled=True), Settings())
    [table] = doc.tables
    assert table.reader == "ruled"
    assert not [w for w in doc.warnings if "未收录" in w]
    assert check_table(table).failed >= 2  # the slip fails its row and its parent's: an open grid would go
    errors = [f for f in audit_document(doc).findings if f.severity == "error" and "390" in (f.formula or "")]
    assert errors


def _cell(row: int, code: str, raw: str, column: tuple[str, ...]) -> Cell:
    return Cell(side="", row_index=row, row_code=code, row_name="", parent_code=None, level=None, col_index=0,
                col_path=column, state="value", value=Decimal(raw), unit="万元", page=1, raw=raw)


def test_a_column_of_code_parts_is_codes_and_a_column_of_whole_amounts_is_not() -> None:
    parts = Table("t01", TITLE, "支出表", None, "万元", [1],
                  cells=[_cell(i, "201", raw, ("科目", "款")) for i, raw in enumerate(["01", "02", "03"])])
    amounts = Table("t02", TITLE, "支出表", None, "万元", [1],
                    cells=[_cell(i, code, raw, ("合计",)) for i, (code, raw) in
                           enumerate([("201", "120"), ("20101", "345"), ("2010101", "345")])])
    assert code_columns(parts) == ["科目 / 款"]
    assert code_columns(amounts) == []


def _shifted_table(reader: str) -> Table:
    """A 收入表 read one column left: each row's 合计 under the label header, 事业收入 under 合计."""
    rows = [(None, "合计", "500"), ("201", "一般公共服务支出", "500"), ("20101", "人大事务", "500")]
    cells = [Cell(side="", row_index=i, row_code=code, row_name=name, parent_code=None, level=None, col_index=j,
                  col_path=(header,), state="value" if raw else "blank", value=Decimal(raw) if raw else None,
                  unit="万元", page=1, raw=raw)
             for i, (code, name, amount) in enumerate(rows)
             for j, (header, raw) in enumerate([("科目编码及名称", amount), ("合计", amount), ("事业收入", "")])]
    return Table("t01", TITLE, "收入表", None, "万元", [1], cells=cells, reader=reader)


def test_a_figure_under_a_row_label_header_drops_an_uncertain_table() -> None:
    assert label_columns(_shifted_table("unruled")) == ["科目编码及名称"]
    kept, warnings = self_check([_shifted_table("open")])
    assert kept == [] and "错位" in warnings[0]
    kept, warnings = self_check([_shifted_table("ruled")])
    assert len(kept) == 1 and warnings == []
