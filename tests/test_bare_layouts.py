"""Tables printed with no rules at all, and 类 codes in merged (row-spanning) cells, read back.

Documents from bench/stranger_docs.py with the quirk forced and every other stranger option
neutral: a table without any rule is read from alignment (``ingest/bare_grid.py``), ending at
the next title, its header from the header lines' positions, and a 类 code printed once,
vertically centred over its rows, on the row it denotes. Before: all read as one 收支总表
run on over later pages with columns 列1, 列2 …, and "209" stored as an amount. Then the
self-check's signs of a misread that sums do not show (``ingest/read_doubts.py``), each on a
small made-up table.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from ingest_quality import read_tables  # noqa: E402
from stranger_docs import STRANGER_DIMENSIONS, generate_stranger  # noqa: E402
from variant_check import score  # noqa: E402

from budgetqa.ingest.grid import (  # noqa: E402
    BodyRow,
    Fragment,
    Grid,
    continue_grid,
    label_in_figures,
    start_grid,
    with_spread_total_on_names,
    with_total_on_names,
)
from budgetqa.ingest.open_grid import _repeated_header  # noqa: E402
from budgetqa.ingest.read_doubts import doubts  # noqa: E402
from budgetqa.ingest.self_check import check_table, self_check  # noqa: E402
from budgetqa.models import Cell, Table  # noqa: E402
from budgetqa.settings import Settings  # noqa: E402

NEUTRAL = {name: options[0] for name, options in STRANGER_DIMENSIONS.items()}
CASES = {
    # 收支总表, then tables one a page with the title at the previous page's foot, 栏次 line, 总计 first
    "no-rules": (500, {"borders": "none"}),
    # split 类/款/项 codes without a 编码 header, 类 codes merged over 2-9 rows, tables stacked
    "no-rules-merged-lei": (510, {"borders": "none", "merged": "lei-rowspan"}),
    # the same with 总计 printed last, set right in its cell, and titles at a page's foot
    "no-rules-merged-lei-total-last": (512, {"borders": "none", "merged": "lei-rowspan"}),
    # a ruled grid: pdfplumber gives the merged cell as one cell spanning the rows
    "ruled-merged-lei": (501, {"merged": "lei-rowspan"}),
    # sideways pages, 类/款/项 split, the title and header printed again on a page that prints no 类 code
    # (its header read "类款" over one column): before, read as a table of its own with codes lost,
    # 44 figures on wrong rows
    "no-rules-turned-continued": (528, {"borders": "none", "codes": "split", "code_repeat": "sparse",
                                        "continuation": "title-repeated", "header": "numbered",
                                        "rotation": "turned", "names": "wrapped"}),
    # indented uncoded names, a fake-bold 合计 row at the bottom set left in its cells, a 栏次 line:
    # before, the 栏次 line's centred numbers kept the 合计 figures off their columns (one wrong)
    "no-rules-bold-total-last": (521, {"borders": "none", "levels": "indented", "overprint": "total-row",
                                       "total": "bottom", "header": "numbered", "numbers": "integers"}),
    # sideways pages, indented names, a running head: a page holding one row spilled over (too few
    # rows for a frame of its own) carries the table on; before, the table ended there and the next
    # page's rows were an untitled table, dropped (174 of 224 figures read)
    "no-rules-one-row-page": (527, {"borders": "none", "rotation": "turned", "levels": "indented",
                                    "page_marks": "running"}),
    # split 类/款/项 codes, 类 merged over its rows, names wrapped onto two lines: the centred 类 code
    # falls on the first line of a later row's wrapped name ("222 规划编制事业运") and, read as an
    # integer, made that line a row of its own; before, the group's rows lost their 类 and the table
    # was dropped by the self-check (128 of 156 figures read)
    "no-rules-merged-lei-beside-wrapped-name": (543, {"borders": "none", "merged": "lei-rowspan",
                                                      "names": "wrapped"}),
    # sideways landscape pages, split codes with the 类 omitted, the table continued bare: its 总计 row,
    # set right in a cell spanning the code and name columns, alone on the next page; before, the row
    # did not fit the table's columns and was lost (155 of 158 figures read)
    "no-rules-lone-total-page": (553, {"borders": "none", "continuation": "bare", "total": "bottom",
                                       "codes": "split", "code_repeat": "lei-omitted", "names": "wrapped",
                                       "numbers": "integers", "unit": "元", "header": "multi",
                                       "rotation": "rotate-flag"}),
    # 类 merged over its rows, wrapped names, the title and header printed again over one row: before,
    # too few rows for a frame, read by the text reader as a table of its own named "护" (2 wrong)
    "no-rules-title-repeated-over-one-row": (551, {"borders": "none", "merged": "lei-rowspan",
                                                   "names": "wrapped"}),
    # the same with the header alone printed again over one row: before, that row was lost (3 missed)
    "no-rules-header-repeated-over-one-row": (546, {"borders": "none", "merged": "lei-rowspan",
                                                    "names": "wrapped"}),
    # a fake-bold letter-spaced 合计 spread over the code and name columns: before, read as a row "合"
    # without a code and the table dropped (33 of 150 figures read)
    "no-rules-spread-total": (520, {"borders": "none", "spacing": "letter-spaced", "total": "bottom",
                                    "codes": "joined", "overprint": "total-row"}),
    # sideways pages, wrapped indented names, the table's last row and a fake-bold letter-spaced 总计
    # row spilled alone onto a page without its header: the bold row's figures are set left in their
    # cells, so the two rows' figures share no edge (no frame of their own) and, read by their own
    # gaps, "总 计" made two columns; now read in the table's columns (before, 6 figures missed)
    "no-rules-bold-total-spilled": (561, {
        "codes": "inline", "code_repeat": "full", "packing": "separate", "meta": "dept-above", "title": "foot",
        "continuation": "header-only", "unit": "万元", "header": "multi", "numbers": "separators",
        "empty": "blank", "names": "wrapped", "total": "bottom", "labels": "表n", "form": "weights-continued",
        "glyphs": "kangxi", "overprint": "total-row", "rotation": "turned", "borders": "none",
        "levels": "indented", "spacing": "letter-spaced"}),
    # sideways pages, split codes (no 编码 header), 类 merged over its rows, the title and header printed again over one
    # row whose short figures stand right in their columns, under centred labels they do not overlap:
    # before, no frame, and the row read as a table of its own (the 支出表 split in two, 类 ≠ Σ款)
    "no-rules-one-row-under-centred-labels": (561, {
        "codes": "split-bare", "code_repeat": "full", "packing": "stacked", "meta": "dept-inside", "title": "foot",
        "continuation": "title-repeated", "unit": "元", "header": "flat", "numbers": "integers", "empty": "zero",
        "names": "short", "total": "top", "labels": "公开n表", "form": "weights-wrapped", "glyphs": "kangxi",
        "overprint": "title", "rotation": "turned", "borders": "none", "merged": "lei-rowspan",
        "zeros": "bare-zero", "neighbours": "narrative-below"}),
}


def _read_in_full(doc, tmp_path: Path, cells: int):
    """Draw ``doc``, read it, and check every drawn amount came back (none missed, wrong, a code or
    extra) with no document note; the score and the tables read, for the test's own checks."""
    tables, note = read_tables(doc.draw(tmp_path), Settings())
    result = score(doc, tables)
    assert not note and result.cells >= cells
    assert (result.missed, result.wrong, result.codes, result.extra) == (0, 0, 0, 0), result.problems[:5]
    return result, tables


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_table_without_rules_or_with_merged_lei_cells_is_read_cell_by_cell(tmp_path: Path, case) -> None:
    number, force = case
    doc = generate_stranger(1, number, NEUTRAL | force)
    assert all(doc.variants[name] == option for name, option in force.items())
    result, tables = _read_in_full(doc, tmp_path, cells=150)
    assert result.identity_failures == 0 and result.checks > 50, result.problems[:5]
    assert (result.found, result.split, result.unexpected) == (result.drawn, 0, 0), result.problems[:5]
    if force.get("borders") == "none":
        assert {t.reader for t in tables if t.performance is None} == {"unruled"}


# --- the self-check's signs of a misread -----------------------------------------------------------

ROWS = [(None, "合计", ["1,000.00", "620.00", "380.00"]),
        ("201", "一般公共服务支出", ["700.00", "450.00", "250.00"]),
        ("20101", "人大事务", ["700.00", "450.00", "250.00"]),
        ("2010101", "行政运行", ["410.00", "330.00", "80.00"]),
        ("2010102", "一般行政管理事务", ["290.00", "120.00", "170.00"]),
        ("208", "社会保障和就业支出", ["300.00", "170.00", "130.00"]),
        ("20805", "行政事业单位养老支出", ["300.00", "170.00", "130.00"]),
        ("2080505", "机关事业单位基本养老保险缴费支出", ["300.00", "170.00", "130.00"])]
HEADERS = [("合计",), ("基本支出",), ("项目支出",)]


def _table(rows=ROWS, headers=HEADERS, pages=(3, 4), reader: str = "unruled", kind: str = "支出表") -> Table:
    cells = [Cell(side="", row_index=i, row_code=code, row_name=name, parent_code=None, level=None, col_index=j,
                  col_path=path, state="value" if raw else "blank",
                  value=Decimal(raw.replace(",", "")) if raw else None, unit="万元", page=pages[0], raw=raw)
             for i, (code, name, raws) in enumerate(rows) for j, (path, raw) in enumerate(zip(headers, raws, strict=True))]
    return Table("t01", "2024年部门支出预算表", kind, None, "万元", list(pages), columns={"": list(headers)},
                 cells=cells, reader=reader)


def _replace(row: int, code: str | None, name: str, raws: list[str] | None = None) -> list:
    rows = list(ROWS)
    rows[row] = (code, name, raws if raws is not None else rows[row][2])
    return rows


def _continued_without_lei() -> Table:
    """A continuation page read as a table of its own: its 款/项 parts join no code (the 类 printed
    on an earlier page) and are left as second labels of uncoded rows."""
    table = _table([(None, name, raws) for _, name, raws in ROWS[2:5]], pages=(8,))
    for cell in table.cells:
        cell.row_subject = ROWS[2 + cell.row_index][0][-2:]
    return table


def test_a_table_read_right_from_alignment_is_kept() -> None:
    found = check_table(_table())
    assert found.checked > 10 and not found.doubts and not found.fails()


MISREADS = {
    # a table read on to a page before its own (pages out of order)
    "pages-out-of-order": (_table(pages=(6, 2, 7)), "跨页"),
    # a column whose header was not read, beside read ones
    "unnamed-column": (_table(headers=[("合计",), ("列2",), ("项目支出",)]), "列2"),
    # a running head read as a header level over every column
    "page-mark-in-header": (_table(headers=[("第6页共13页某局部门预算公开", h[0]) for h in HEADERS]), "第6页"),
    # the label column's header read as a parent of some value columns only: columns shifted
    "label-header-over-some-columns": (_table(headers=[("合计",), ("科目编码及名称", "基本支出"),
                                                        ("科目编码及名称", "项目支出")]), "科目编码及名称"),
    # a 款 code part left in the name (the 类 code printed elsewhere)
    "code-part-in-name": (_table(_replace(2, None, "01 人大事务")), "编码读进了名称"),
    # code parts run into the name with no space (a column of 款/项 parts glued onto the names' column)
    "code-parts-glued-to-name": (_table(_replace(3, None, "0101行政运行")), "编码读进了名称"),
    # a merged cell's 类 code read as a row of its own, and its 类 row without a code
    "lone-code-row": (_table([*ROWS[:1], ("201", "", ["", "", ""]), (None, "一般公共服务支出", ROWS[1][2]),
                              *ROWS[2:]]), "单独成行"),
    # a wrapped name read as rows of their own
    "wrapped-name-rows": (_table([*ROWS[:3], (None, "一般行政管", ["", "", ""]), ("2010101", "理事务", ROWS[3][2]),
                                  (None, "机关事业单位基", ["", "", ""]), ("2010102", "本养老保险", ROWS[4][2]),
                                  *ROWS[5:]]), "折行"),
    # a 类 code stored as an amount among figures printed with decimals
    "code-among-amounts": (_table(_replace(1, "201", "一般公共服务支出", ["209", "450.00", "250.00"])), "科目编码"),
    # a continuation page's rows labelled by 款/项 parts that joined no code
    "code-part-without-lei": (_continued_without_lei(), "编码的一部分"),
}


@pytest.mark.parametrize(("table", "word"), MISREADS.values(), ids=MISREADS.keys())
def test_a_table_from_alignment_showing_a_misread_is_dropped(table: Table, word: str) -> None:
    kept, warnings = self_check([table])
    assert kept == [] and len(warnings) == 1 and "未收录" in warnings[0], warnings
    assert any(word in reason for reason in [*doubts(table), warnings[0]]), (doubts(table), warnings)
    table.reader = "ruled"  # real documents have real slips: a ruled table is never dropped
    assert self_check([table]) == ([table], [])


def test_a_table_run_on_over_other_tables_pages_is_dropped() -> None:
    """The 收支总表 read on to pages 6 and 7 over pages 3–5 that print other tables: dropped; the same
    gap over pages that print no table (a page holding a spilled blank row) is no doubt."""
    table, other = _table(pages=(2, 6, 7)), _table(pages=(3, 4, 5))
    other.reader = "ruled"
    kept, warnings = self_check([table, other])
    assert kept == [other] and len(warnings) == 1 and "跨页" in warnings[0], warnings
    assert doubts(_table(pages=(2, 4)), set()) == [] and doubts(_table(pages=(2, 4))) != []


SMALL = [(None, "货物类", ["670", "500"]), (None, "工程类", ["860", "290"]), (None, "服务类", ["890", "120"]),
         (None, "合计", ["2420", "910"])]


def test_a_lone_total_row_checks_a_short_list_of_items() -> None:
    headers = [("本年预算",), ("上年预算",)]
    right = _table(SMALL, headers, pages=(9,), kind="政府采购表")
    found = check_table(right)
    assert found.checked == 2 and not found.fails()
    swapped = _table([(c, n, raws[::-1] if n == "合计" else raws) for c, n, raws in SMALL], headers, pages=(9,),
                     kind="政府采购表")
    kept, warnings = self_check([swapped])
    assert kept == [] and "对不上" in warnings[0]


def test_a_column_set_left_on_a_continuation_page_keeps_its_own_figures(tmp_path: Path) -> None:
    """Sideways pages, no rules, integers, wrapped indented names, the 支出表 run over five pages: on
    its last page the 项目支出 column prints more dashes than figures, so its cells are set left, its
    figures nearer 基本支出 than their own column as the first page printed it. Before, both columns
    were carried into 基本支出 and glued ("543" and "780" read as 543780): 5 extra values, 17 missed,
    the table kept (5 failed checks of 55, under the share)."""
    doc = generate_stranger(26, 33)
    assert doc.variants["borders"] == "none" and doc.variants["numbers"] == "integers"
    result, _ = _read_in_full(doc, tmp_path, cells=150)
    assert result.identity_failures == 0, result.problems[:5]


_NAMES = ["行政运行", "一般行政管理事务", "机关服务", "信息化建设", "专项业务", "事业运行", "规划编制", "宣传推广",
          "培训支出", "设施维护"]


def _glued(rows: tuple[int, ...], count: int = 40) -> Table:
    """A long uncoded table whose ``rows`` read 基本支出 and 项目支出 run together in one cell."""
    items = []
    for i in range(count):
        basic, project = 100 + 7 * i, 50 + 3 * i
        raws = [str(basic + project), f"{basic}{project}", ""] if i in rows else [
            str(basic + project), str(basic), str(project)]
        items.append((None, _NAMES[i % 10] + _NAMES[(3 * i + 1) % 10], raws))
    total = [sum(150 + 10 * i for i in range(count)), sum(100 + 7 * i for i in range(count)),
             sum(50 + 3 * i for i in range(count))]
    return _table([(None, "合计", [str(t) for t in total]), *items], pages=(11,))


def test_figures_off_their_totals_by_an_order_of_magnitude_drop_a_long_table() -> None:
    """Two rows whose parts add up to over ten times their 合计 (two cells' digits run together) drop
    the table, though 2 failures of 41 checks is under the share that drops a table for slips; one
    such row alone may be the document's own slip and is kept."""
    found = check_table(_glued((3, 9)))
    assert (found.checked, found.failed, found.gross) == (41, 2, 2)
    kept, warnings = self_check([_glued((3, 9))])
    assert kept == [] and "十倍以上" in warnings[0], warnings
    assert not check_table(_glued((3,))).fails()
    assert not check_table(_glued(())).fails()


# --- a header alone at a page's foot; a letter-spaced total alone on a page -------------------------

HEADER_ALONE = {
    # title and unit over the header and its 栏次 line, alone at a page's foot (read as a body-less
    # table of its own); sideways, split codes without a 编码 header, 类 merged over its rows
    "header-with-column-numbers": (27, 32),
    # the title alone on one page, the header alone on the next, the body from the page after
    "title-page-then-header-page": (27, 18),
    # the title alone at one page's foot, the 编制单位/unit line and the header alone on the next
    "title-then-unit-and-header-page": (24, 29),
}


@pytest.mark.parametrize("case", HEADER_ALONE.values(), ids=HEADER_ALONE.keys())
def test_a_header_alone_at_a_page_foot_heads_the_body_on_the_next_page(tmp_path: Path, case) -> None:
    """No rules: a table's header printed alone at a page's foot, its body from the next page's top
    without a header. The header is read over that page's body, as one frame; before, the body was
    read headerless (columns 列5…, or an untitled table) and dropped (59, 72 and 161 figures missed)."""
    doc = generate_stranger(*case)
    assert doc.variants["borders"] == "none"
    result, _ = _read_in_full(doc, tmp_path, cells=100)
    assert (result.found, result.split, result.unexpected) == (result.drawn, 0, 0), result.problems[:5]


def test_a_letter_spaced_total_alone_on_a_page_is_read_on_the_name_column(tmp_path: Path) -> None:
    """Sideways pages without rules, the 支出表's 合计 row alone on its last page, "合  计" letter-spaced
    and set right in its cell: its two characters stood apart as two columns. Before, it was read in
    the table's columns with the label run into the 合计 figure's cell ("合计8,878.77"), the other two
    figures kept on a row without a name (2 wrong)."""
    doc = generate_stranger(27, 10)
    assert doc.variants["spacing"] == "letter-spaced" and doc.variants["borders"] == "none"
    _read_in_full(doc, tmp_path, cells=100)


def test_a_letter_spaced_total_spilled_under_split_codes_is_no_code_column_text(tmp_path: Path) -> None:
    """No rules, split 类/款/项 codes under one "科目" label, the 类 omitted on 项 rows, wrapped names:
    the 收入表's last row and its fake-bold letter-spaced 合计 row spill onto the next page, read in
    the table's columns, and "合  计" (a cell spanning the code and name columns) was cut into "合" in
    the 类 column and "计" in the 款 column. Those columns then held words and were taken for amount
    columns, the 款 parts for figures: the table was dropped (70 figures missed). The label now goes
    on the name column, as on the table's first page."""
    doc = generate_stranger(32, 33)
    v = doc.variants
    assert (v["codes"], v["borders"], v["spacing"], v["total"]) == ("split-bare", "none", "letter-spaced", "bottom")
    result, tables = _read_in_full(doc, tmp_path, cells=150)
    income = next(t for t in tables if t.title.endswith("部门收入预算表"))
    assert income.pages == [3, 4] and any(c.row_code == "2231750" for c in income.cells)


def test_a_spread_total_label_is_joined_on_the_name_column() -> None:
    """Pieces left of the name column that spell a total label only together are joined on it; other
    rows, and pieces that spell no total label, are kept as read."""
    columns = [(80, 92), (110, 118), (136, 144), (156, 219), (368, 389)]
    rows = [["", "17", "50", "机关服务", "11090"], ["合", "计", "", "", "105400"], ["其", "他", "", "", "5"]]
    fragment = Fragment((80, 80, 389, 120), [[None] * 5 for _ in rows], rows, columns=columns)
    joined = with_spread_total_on_names(fragment, 3)
    assert joined.texts == [rows[0], ["", "", "", "合计", "105400"], rows[2]]


def _spilled(texts: list[str], columns: list[tuple[float, float]]) -> Fragment:
    boxes = [(x0, 80.0, x1, 90.0) for x0, x1 in columns]
    return Fragment((columns[0][0], 80.0, columns[-1][1], 90.0), [boxes], [texts], columns=columns)


def _three_figure_grid() -> Grid:
    grid = Grid(columns=[(80, 92), (156, 220), (606, 636), (670, 700), (734, 764)])
    grid.rows = [BodyRow(["201", "一般公共服务支出", "700.00", "450.00", "250.00"], 7),
                 BodyRow(["208", "社会保障和就业支出", "300.00", "170.00", "130.00"], 7)]
    return grid


def test_a_total_label_split_into_pieces_goes_on_the_name_column() -> None:
    """"合  计" read as two pieces joins into one label on the name column; two pieces that spell no
    total label, or a label that leaves a figure column without its figure, are not set there."""
    grid = _three_figure_grid()
    spaced = [(536, 545), (563, 572), (606, 636), (670, 700), (734, 764)]
    fragment = with_total_on_names(grid, _spilled(["合", "计", "1,000.00", "620.00", "380.00"], spaced))
    assert fragment is not None
    assert fragment.texts == [["合计", "1,000.00", "620.00", "380.00"]]
    assert fragment.columns[0] == grid.columns[1] and len(fragment.boxes[0]) == 4
    assert with_total_on_names(grid, _spilled(["其", "他", "1,000.00", "620.00", "380.00"], spaced)) is None
    short = [(536, 545), (563, 572), (606, 636), (670, 700)]
    assert with_total_on_names(grid, _spilled(["合", "计", "1,000.00", "620.00"], short)) is None


def test_words_run_into_a_figure_cell_mark_a_misfit() -> None:
    """A cell of a figure column holding words beside its figure (a label run into it) is a misfit;
    figures alone, and words in a column of names, are not."""
    grid = _three_figure_grid()
    cells = [(80, 93), (93, 221), (221, 637), (637, 701), (701, 765)]
    assert label_in_figures(grid, _spilled(["", "", "合 计 1,000.00", "620.00", "380.00"], cells))
    assert not label_in_figures(grid, _spilled(["", "合计", "1,000.00", "620.00", "380.00"], cells))
    assert not label_in_figures(grid, _spilled(["", "2024年项目 12", "1,000.00", "620.00", "380.00"], cells))


# --- a table's last rows under its header printed again -------------------------------------------

LAST_ROWS = {
    # a row and a fake-bold 总计 (figures set left in their cells) under the header printed again:
    # no two figures share an edge, so no frame; before, both rows lost (6 missed)
    "bold-total-under-repeated-header": (21, 12),
    # the same with the last row's name wrapped past the name column's printed width (5 missed)
    "wrapped-name-and-total-under-repeated-header": (23, 9),
    # the 合计 row alone under a 续 title, the header and its 栏次 line, prose close below: the 栏次
    # line's centred numbers counted as a second row not aligned with it, so no frame (3 missed)
    "total-under-column-numbers": (22, 28),
    # one row alone under the header and its 栏次 line (before, 2 missed, 类 ≠ Σ款 twice)
    "one-row-under-column-numbers": (2, 5),
    # the same with split codes, 类 printed on the row: before, 3 missed and 款 ≠ Σ项 in 3 columns
    "coded-row-under-column-numbers": (1, 2),
}


@pytest.mark.parametrize("case", LAST_ROWS.values(), ids=LAST_ROWS.keys())
def test_a_tables_last_rows_under_its_repeated_header_are_read(tmp_path: Path, case) -> None:
    """No rules: a table's last rows on a page of their own under its header printed again."""
    doc = generate_stranger(*case)
    assert doc.variants["borders"] == "none"
    result, _ = _read_in_full(doc, tmp_path, cells=100)
    assert result.identity_failures == 0, result.problems[:5]


def _line(*pieces: tuple[float, str]) -> list:
    return [(x, 100.0, x + 10 * len(text), 110.0, text) for x, text in pieces]


def test_only_lines_of_the_tables_header_words_are_passed_over() -> None:
    """The header printed again (its words, letter-spaced or not) and its 栏次 line are passed over; a
    row's wrapped name, a title or a row of figures is not."""
    header = "科目编码及名称合计基本支出项目支出"
    again = [_line((170, "科目编码及名称"), (345, "合"), (372, "计"), (409, "基本支出")),
             _line((190, "栏次"), (361, "1"), (425, "2"))]
    row = _line((114, "应急处置"), (372, "1027"), (440, "412"))
    assert _repeated_header([*again, row], header) == 2
    assert _repeated_header([_line((80, "行政运行其他")), row], header) == 0
    assert _repeated_header([_line((80, "2019年部门支出预算表")), *again, row], header) == 0
    assert _repeated_header([row, *again], header) == 0


def test_a_name_starting_with_a_year_is_no_code_in_the_name() -> None:
    """"2024年…" starts with digits and is a name; "0101行政运行" is code parts run into one."""
    assert not any("编码读进了名称" in d for d in check_table(_table(_replace(3, None, "2024年行政运行"))).doubts)
    assert any("编码读进了名称" in d for d in check_table(_table(_replace(3, None, "0101行政运行"))).doubts)


def test_a_body_with_code_columns_the_first_page_did_not_show_takes_the_bodys_columns(tmp_path: Path) -> None:
    """No rules, sideways: a 支出表's first page holds only its header, 栏次 line and 总计 row (a frame
    of names and figures), the body's split code columns on the next page. Mapped onto the first
    page's columns, the body's 款/项 parts ran into the names ("0209应急处置宣传推广": 51 figures on
    rows without codes; refused since, a name starting with code parts). Now the grid takes the
    body's columns, the header and the 总计 row set on them by position."""
    doc = generate_stranger(29, 32)
    assert doc.variants["borders"] == "none" and doc.variants["codes"] == "split-bare"
    result, _ = _read_in_full(doc, tmp_path, cells=100)
    assert result.identity_failures == 0, result.problems[:5]


def _frame(rows: list[list[str]], columns: list[tuple[float, float]], top: float = 80.0) -> Fragment:
    boxes = [[(x0, top + 12 * i, x1, top + 12 * i + 10) for x0, x1 in columns] for i in range(len(rows))]
    return Fragment((columns[0][0], top, columns[-1][1], top + 12 * len(rows)), boxes, rows, columns=columns,
                    reader="unruled")


_FIGURES = [(584.0, 619.0), (648.0, 679.0), (712.0, 743.0)]
_BODY = [["203", "", "其他管理支出", "108.20", "58.27", "49.93"], ["", "02", "机关服务", "95.84", "74.96", "20.88"],
         ["", "09", "应急处置", "12.36", "-", "12.36"]]
_BODY_COLUMNS = [(79.0, 92.0), (109.0, 118.0), (156.0, 219.0), (600.0, 636.0), (668.0, 700.0), (732.0, 764.0)]


def _total_only(label_columns: list[tuple[float, float]], texts: list[str]) -> Grid:
    grid = start_grid(_frame([["科目", "科目名称", "合计", "基本支出", "项目支出"][:len(label_columns)] + ["合计", "基本支出",
                                                                                     "项目支出"], texts],
                             label_columns + _FIGURES), 8)
    assert len(grid.rows) == 1 and grid.width == len(label_columns) + 3
    return grid


def test_a_body_in_more_columns_than_its_lone_total_row_gives_the_grid_its_columns() -> None:
    """A grid of one 总计 row (names and figures) carried on by rows with code columns of their own:
    the grid takes the rows' columns, the 总计 row on them by position; with two of its cells falling
    in one of the rows' columns, it keeps its own."""
    grid = _total_only([(78.0, 96.0), (340.0, 491.0)], ["总计", "", "216.40", "133.23", "83.17"])
    continue_grid(grid, _frame(_BODY, _BODY_COLUMNS, 120.0), 9)
    assert grid.columns == _BODY_COLUMNS
    assert [r.texts for r in grid.rows] == [["总计", "", "", "216.40", "133.23", "83.17"], *_BODY]
    assert [grid.header_path(j) for j in (3, 4, 5)] == [("合计",), ("基本支出",), ("项目支出",)]
    kept = _total_only([(78.0, 90.0), (93.0, 105.0)], ["总计", "附注", "216.40", "133.23", "83.17"])
    continue_grid(kept, _frame(_BODY, _BODY_COLUMNS, 120.0), 9)
    assert kept.width == 5
