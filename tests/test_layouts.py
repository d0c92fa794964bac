"""Table layouts the shared PDFs do not show, generated with reportlab and read back cell by cell.

Each PDF is drawn from a small list of blocks (a title line, a metadata line, a ruled
grid, a page break), so a test states the layout it exercises in a few lines.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from layout_pdf import Block, make_pdf

from budgetqa.ingest.pdf_reader import read_pdf
from budgetqa.models import Table as BqTable


def values(table: BqTable, column: int = 0, side: int = 0) -> dict[str, Decimal | None]:
    """Row label (code, else name) → the value in one column of one side."""
    return {
        (c.row_code or c.row_name): c.value
        for c in table.cells if c.col_index == column and c.side == table.sides[side]
    }


FUNCTION_ROWS = [
    ["208", "", "", "社会保障和就业支出", "1,200.00", "1,000.00", "200.00"],
    ["208", "05", "", "行政事业单位养老支出", "1,200.00", "1,000.00", "200.00"],
    ["208", "05", "01", "行政单位离退休", "700.00", "500.00", "200.00"],
    ["", "05", "05", "机关事业单位基本养老保险缴费支出", "500.00", "500.00", ""],
    ["221", "", "", "住房保障支出", "300.00", "300.00", ""],
    ["221", "02", "", "住房改革支出", "300.00", "300.00", ""],
    ["221", "02", "01", "住房公积金", "300.00", "300.00", ""],
    ["合计", "", "", "", "1,500.00", "1,300.00", "200.00"],
]


def function_table(title: str = "2024年部门支出预算总表") -> list[Block]:
    """A 功能分类 table whose 类/款/项 codes sit in three narrow columns under one 编码 header."""
    return [
        title,
        "单位：万元",
        [
            ["功能分类科目编码", "", "", "功能分类科目名称", "合计", "基本支出", "项目支出"],
            ["类", "款", "项", "", "", "", ""],
            *FUNCTION_ROWS,
        ],
    ]


FUNCTION_SPANS = [((0, 0), (2, 0)), ((3, 0), (3, 1)), ((4, 0), (4, 1)), ((5, 0), (5, 1)), ((6, 0), (6, 1)),
                  ((0, 9), (3, 9))]


def test_split_code_columns_join_into_full_codes(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "codes.pdf", function_table(), {0: FUNCTION_SPANS})
    [table] = read_pdf(pdf).tables
    assert table.columns[""] == [("合计",), ("基本支出",), ("项目支出",)]
    totals = values(table)
    assert totals == {
        "208": Decimal("1200.00"), "20805": Decimal("1200.00"), "2080501": Decimal("700.00"),
        "2080505": Decimal("500.00"), "221": Decimal("300.00"), "22102": Decimal("300.00"),
        "2210201": Decimal("300.00"), "合计": Decimal("1500.00"),
    }
    names = {c.row_code: c.row_name for c in table.cells}
    assert names["2080505"] == "机关事业单位基本养老保险缴费支出"  # 类 left out, carried from the row above
    assert {c.level for c in table.cells if c.row_code} == {"类", "款", "项"}
    assert not any(c.raw in ("208", "05", "221") for c in table.cells if c.state == "value")


def test_code_columns_without_a_code_header_are_recognised_by_their_values(tmp_path: Path) -> None:
    grid = [["科目", "", "", "名称", "合计", "基本支出", "项目支出"], *FUNCTION_ROWS]
    spans = [((0, 0), (2, 0)), ((0, 8), (3, 8))]
    pdf = make_pdf(tmp_path / "bare.pdf", ["2024年部门支出预算总表", "单位：万元", grid], {0: spans})
    [table] = read_pdf(pdf).tables
    assert len(table.columns[""]) == 3
    assert values(table)["2080501"] == Decimal("700.00")


def small_table(title: str, first: str, amount: str, meta: str = "单位：万元") -> list[Block]:
    return [title, meta, [["项目", "金额"], [first, amount], ["合计", amount]], 12.0]


def test_a_department_line_inside_the_grid_is_metadata_not_header(tmp_path: Path) -> None:
    grid = [
        ["编制单位：某市某区某局", "", "", "单位：万元"],
        ["合计", "因公出国（境）费", "公务接待费", "公务用车购置及运行费"],
        ["12.00", "2.00", "4.00", "6.00"],
    ]
    pdf = make_pdf(tmp_path / "dept.pdf", ["2024年三公经费支出预算表", grid], {0: [((0, 0), (2, 0))]})
    result = read_pdf(pdf)
    [table] = result.tables
    assert table.columns[""] == [("合计",), ("因公出国（境）费",), ("公务接待费",), ("公务用车购置及运行费",)]
    assert table.unit == "万元"
    assert "某市某区某局" in result.departments


def test_a_department_line_above_the_grid_is_metadata_not_header(tmp_path: Path) -> None:
    blocks = small_table("2024年部门收入预算表", "财政拨款收入", "80.00", meta="部门：某市某区某局    单位：元")
    result = read_pdf(make_pdf(tmp_path / "above.pdf", blocks))
    [table] = result.tables
    assert (table.title, table.unit, table.columns[""]) == ("2024年部门收入预算表", "元", [("金额",)])
    assert "某市某区某局" in result.departments


THREE = [("2024年机关运行经费预算表", "公用经费", "30.00"), ("2024年政府性基金预算支出表", "城乡社区支出", "40.00"),
         ("2024年国有资本经营预算支出表", "其他支出", "50.00")]


def three_in_one_grid() -> tuple[list[Block], dict[int, list[tuple]]]:
    """Three tables stacked in one ruled grid (a spreadsheet export): each opens with a title row."""
    grid: list[list[str]] = []
    spans = []
    for title, name, amount in THREE:
        spans += [((0, len(grid)), (1, len(grid))), ((0, len(grid) + 1), (1, len(grid) + 1))]
        grid += [[title, ""], ["单位：万元", ""], ["项目", "金额"], [name, amount], ["合计", amount]]
    return [grid], {0: spans}


@pytest.mark.parametrize("stacked", [False, True], ids=["apart", "one-grid"])
def test_three_tables_on_one_page_stay_apart(tmp_path: Path, stacked: bool) -> None:
    blocks, spans = three_in_one_grid() if stacked else ([b for t in THREE for b in small_table(*t)], None)
    tables = read_pdf(make_pdf(tmp_path / "three.pdf", blocks, spans)).tables
    assert [(t.kind, t.pages, t.columns[""]) for t in tables] == [
        (kind, [1], [("金额",)]) for kind in ("机关运行经费表", "政府性基金表", "国有资本经营表")]
    assert [values(t) for t in tables] == [{name: Decimal(a), "合计": Decimal(a)} for _, name, a in THREE]


def test_a_title_at_the_foot_of_a_page_names_the_table_on_the_next(tmp_path: Path) -> None:
    prose = "本部门2024年收入预算说明如下，收入全部来自财政拨款，较上年有所增加，主要是人员经费增加。"
    blocks = [prose, 640.0, "2024年部门收入预算表", "单位：万元", None,
              [["项目", "金额"], ["财政拨款收入", "80.00"], ["合计", "80.00"]]]
    tables = read_pdf(make_pdf(tmp_path / "foot.pdf", blocks)).tables
    assert [(t.title, t.kind, t.pages) for t in tables] == [("2024年部门收入预算表", "收入表", [2])]


def test_a_title_repeated_on_its_continuation_page_is_one_table(tmp_path: Path) -> None:
    head = ["科目编码", "科目名称", "金额"]
    first = [["301", "工资福利支出", "60.00"], ["30101", "基本工资", "60.00"]]
    second = [["302", "商品和服务支出", "40.00"], ["30201", "办公费", "40.00"], ["", "合计", "100.00"]]
    blocks = ["2024年一般公共预算基本支出预算表", "单位：万元", [head, *first], None,
              "2024年一般公共预算基本支出预算表", "单位：万元", [head, *second]]
    tables = read_pdf(make_pdf(tmp_path / "repeat.pdf", blocks)).tables
    assert [(t.title, t.pages) for t in tables] == [("2024年一般公共预算基本支出预算表", [1, 2])]
    assert values(tables[0]) == {"301": Decimal("60.00"), "30101": Decimal("60.00"), "302": Decimal("40.00"),
                                 "30201": Decimal("40.00"), "合计": Decimal("100.00")}


def test_a_total_row_stays_its_own_row(tmp_path: Path) -> None:
    grid = [
        ["收入", "", "支出", ""],
        ["项目", "决算数", "项目", "决算数"],
        ["一、财政拨款收入", "300.00", "一、一般公共服务支出", "307.82"],
        ["本年收入合计", "300.00", "本年支出合计", "307.82"],
        ["年初结转和结余", "", "年末结转和结余", ""],
        ["总计", "300.00", "总计", "307.82"],
    ]
    pdf = make_pdf(tmp_path / "total.pdf", ["2024年收入支出决算总表", "单位：万元", grid],
                   {0: [((0, 0), (1, 0)), ((2, 0), (3, 0))]})
    [table] = read_pdf(pdf).tables
    names = [row[0].row_name for row in table.rows(table.sides[0])]
    assert names == ["一、财政拨款收入", "本年收入合计", "年初结转和结余", "总计"]
    assert (values(table)["总计"], values(table, side=1)["总计"]) == (Decimal("300.00"), Decimal("307.82"))


def test_a_header_line_outside_the_grid_is_never_a_title(tmp_path: Path) -> None:
    blocks = ["2024年部门支出预算表", "单位：万元", "二、项目支出 10,541.46", "政府性基金小计",
              [["项目", "金额"], ["项目支出", "10,541.46"], ["合计", "10,541.46"]]]
    [table] = read_pdf(make_pdf(tmp_path / "header.pdf", blocks)).tables
    assert (table.title, table.kind) == ("2024年部门支出预算表", "支出表")


PERFORMANCE_FORM = [
    ["项目名称", "社区养老服务补贴", "", "", ""],
    ["主管部门", "某区民政局", "实施单位", "某区养老服务中心", ""],
    ["项目负责人", "张三", "联系人", "李四", ""],
    ["联系电话", "021-12345678", "", "", ""],
    ["项目资金（万元）", "年度资金总额", "120.50", "", ""],
    ["", "其中：财政拨款", "100.50", "", ""],
    ["", "其他资金", "20.00", "", ""],
    ["年度总体目标", "为辖区内高龄独居老人提供助餐、助洁等居家养老服务，全年服务不少于一万人次。", "", "", ""],
    ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值"],
    ["", "产出指标", "数量指标", "服务人次", "≥10000人次"],
    ["", "", "", "助餐点数量", "12个"],
    ["", "", "质量指标", "服务合格率", "≥95%"],
    ["", "满意度指标", "服务对象满意度指标", "老人满意度", "≥90%"],
]
FORM_SPANS = [((1, 0), (4, 0)), ((1, 3), (4, 3)), ((0, 4), (0, 6)), ((1, 7), (4, 7)), ((0, 8), (0, 12)),
              ((1, 9), (1, 11)), ((2, 9), (2, 10))]


def test_a_performance_table_is_read_as_its_form(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "perf.pdf", ["2024年项目支出绩效目标表", PERFORMANCE_FORM], {0: FORM_SPANS})
    [table] = read_pdf(pdf).tables
    form = table.performance
    assert table.kind == "绩效目标表" and form is not None
    assert form.project == "社区养老服务补贴"
    assert form.fields == {"主管部门": "某区民政局", "实施单位": "某区养老服务中心", "负责人": "张三",
                           "联系人": "李四", "联系电话": "021-12345678"}
    assert (form.unit, form.amounts) == ("万元", {"年度资金总额": Decimal("120.50"), "财政拨款": Decimal("100.50"),
                                                 "其他资金": Decimal("20.00")})
    assert [head for head, _ in form.goals] == ["年度总体目标"]
    assert [(i.level1, i.level2, i.name, i.target) for i in form.indicators] == [
        ("产出指标", "数量指标", "服务人次", "≥10000人次"),
        ("产出指标", "数量指标", "助餐点数量", "12个"),
        ("产出指标", "质量指标", "服务合格率", "≥95%"),
        ("满意度指标", "服务对象满意度指标", "老人满意度", "≥90%"),
    ]


def test_a_performance_form_is_stored_shown_and_searchable(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from budgetqa.cli import app
    from budgetqa.index.store import Store
    from budgetqa.ingest.pipeline import ingest_file
    from budgetqa.settings import Settings

    blocks = ["上海市某区民政局2024年部门预算", "预算主管部门：上海市某区民政局", *small_table("2024年部门收入预算表", "财政拨款收入", "100.50"),
              "2024年项目支出绩效目标表", PERFORMANCE_FORM]
    pdf = make_pdf(tmp_path / "某区民政局2024年部门预算.pdf", blocks, {1: FORM_SPANS})
    settings = Settings(data_dir=tmp_path / "data", embedding_model="none")
    store = Store(settings.data_dir)
    doc_id = ingest_file(store, pdf, settings).doc_id
    [table] = [t for t in store.tables(doc_id) if t.performance]
    assert table.performance is not None and table.performance.indicators[1].name == "助餐点数量"
    assert table.performance.amounts["年度资金总额"] == Decimal("120.50")
    [chunk] = [c for c in store.load(doc_id).chunks if c.section_path[:1] == ["绩效目标表"]]
    assert "产出指标/数量指标 服务人次：≥10000人次。" in chunk.text and "联系人：李四。" in chunk.text
    shown = CliRunner().invoke(app, ["table", doc_id, table.table_id, "--data-dir", str(settings.data_dir)])
    assert shown.exit_code == 0 and "联系电话：021-12345678" in shown.output and "老人满意度" in shown.output


def test_a_form_whose_indicators_continue_on_a_finer_frame_keeps_weights_apart(tmp_path: Path) -> None:
    """Page 1 prints 指标值 and 分值 under one merged cell; page 2's indicator grid splits them,
    wraps its indicator names over lines and gives decimal weights."""
    widths = [25.0, 58.0, 101.0, 148.0, 101.0, 58.0]
    top = [
        ["项目名称", "", "城乡环境整治专项", "", "", ""],
        ["主管部门", "", "某县某局", "实施单位", "某县某中心", ""],
        ["项目资金\n（万元）", "", "年度资金总额：", "62.00", "", "执行率\n分值\n（10）"],
        ["", "", "其中：财政拨款", "62.00", "", ""],
        ["年度\n总体\n目标", "全年完成城乡环境整治任务，改善人居环境，提升群众满意度。", "", "", "", ""],
    ]
    top_spans = [((0, 0), (1, 0)), ((2, 0), (5, 0)), ((0, 1), (1, 1)), ((4, 1), (5, 1)), ((0, 2), (1, 3)),
                 ((3, 2), (4, 2)), ((3, 3), (4, 3)), ((5, 2), (5, 3)), ((1, 4), (5, 4))]
    indicators = [
        ["绩效\n指标", "一级\n指标", "二级指标", "三级指标", "指标值", "分值\n（90）"],
        ["", "产出指标", "数量指标", "整治村庄\n数量", "12个", "40"],
        ["", "效益指标", "社会效益\n指标", "人居环境明显\n改善", "显著", "40"],
        ["", "满意度指\n标", "服务对象满意度指\n标", "群众满意度", "90%", "2.5"],
        ["", "", "", "相关单位\n满意度", "90%", "2.5"],
        ["", "", "", "参与人员满意度", "90%", "2.5"],
        ["", "", "", "上级部门满意度", "90%", "2.5"],
    ]
    blocks = ["2024年项目支出绩效目标表", top, None, indicators]
    spans = {0: top_spans, 1: [((0, 0), (0, 6)), ((1, 3), (1, 6)), ((2, 3), (2, 6))]}
    pdf = make_pdf(tmp_path / "form.pdf", blocks, spans, {0: widths, 1: widths})
    [table] = read_pdf(pdf).tables
    form = table.performance
    assert form is not None and form.amounts["年度资金总额"] == Decimal("62.00")
    assert [(i.level1, i.name, i.target, i.weight) for i in form.indicators] == [
        ("产出指标", "整治村庄数量", "12个", "40"),
        ("效益指标", "人居环境明显改善", "显著", "40"),
        ("满意度指标", "群众满意度", "90%", "2.5"),
        ("满意度指标", "相关单位满意度", "90%", "2.5"),
        ("满意度指标", "参与人员满意度", "90%", "2.5"),
        ("满意度指标", "上级部门满意度", "90%", "2.5"),
    ]


def test_whole_number_amounts_under_codes_printed_once_per_level(tmp_path: Path) -> None:
    """元 printed without decimals, 类/款/项 each printed only on its own row, no 编码 header:
    the codes carry down, and amounts that repeat down the chain stay amounts."""
    grid = [
        ["科目", "", "", "名称", "合计", "基本支出", "项目支出"],
        ["210", "", "", "卫生健康支出", "350", "350", "-"],
        ["", "03", "", "基层医疗卫生机构", "350", "350", "-"],
        ["", "", "01", "城市社区卫生机构", "350", "350", "-"],
        ["213", "", "", "农林水支出", "190", "120", "70"],
        ["", "07", "", "农村综合改革", "190", "120", "70"],
        ["", "", "05", "对村民委员会的补助", "190", "120", "70"],
        ["合计", "", "", "", "540", "470", "70"],
    ]
    spans = [((0, 0), (2, 0)), ((0, 7), (3, 7))]
    [table] = read_pdf(make_pdf(tmp_path / "whole.pdf", ["2024年部门支出预算表", "单位：元", grid], {0: spans})).tables
    assert table.columns[""] == [("合计",), ("基本支出",), ("项目支出",)]
    assert values(table) == {"210": Decimal(350), "21003": Decimal(350), "2100301": Decimal(350), "213": Decimal(190),
                             "21307": Decimal(190), "2130705": Decimal(190), "合计": Decimal(540)}
