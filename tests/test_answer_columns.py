"""Which column answers: the row's total wherever it is printed, this year's beside last year's, the
column the question names, and the spending total (never a sibling part) as a share's denominator.

Small documents are built in memory, so each case holds exactly the layout it is about.
"""

from __future__ import annotations

from decimal import Decimal

from budgetqa.answer.catalog import build_catalog
from budgetqa.answer.engine import ask
from budgetqa.answer.schema import Answer
from budgetqa.models import Cell, Document, Table

DEPARTMENT = "东川市湖城区民政局"
YEAR = 2024


def _table(table_id: str, title: str, kind: str, header: list[str], body: list[list[str]],
           unit: str = "万元") -> Table:
    """A one-sided table: header = value column captions ("基本支出 / 人员经费" for two levels);
    body rows = [code, name, value…], printed in ``unit``."""
    paths = [tuple(h.split(" / ")) for h in header]
    cells = [
        Cell(side="", row_index=r, row_code=row[0] or None, row_name=row[1], parent_code=None, level=None,
             col_index=c, col_path=paths[c], state="value", value=Decimal(raw.replace(",", "")), unit=unit,
             page=1, raw=raw)
        for r, row in enumerate(body) for c, raw in enumerate(row[2:])
    ]
    return Table(table_id, f"{YEAR}年{title}", kind, None, unit, [1], columns={"": paths}, cells=cells)


def _ask(question: str, *tables: Table) -> Answer:
    doc = Document(doc_id="d1", department=DEPARTMENT, region="", year=YEAR, kind="预算", unit="万元",
                   title=f"{DEPARTMENT}{YEAR}年部门预算", tables=list(tables))
    return ask(f"{DEPARTMENT}{YEAR}年{question}", [build_catalog(doc)])


def _values(answer: Answer) -> set[Decimal]:
    return {Decimal(v.value).quantize(Decimal("0.01")) for v in answer.values}


# 基本支出 | 项目支出 | 合计: the total printed last
SPENDING_TOTAL_LAST = _table("t03", "部门支出预算表", "支出表", ["基本支出", "项目支出", "合计"], [
    ["", "合计", "300.00", "100.00", "400.00"],
    ["201", "一般公共服务支出", "300.00", "100.00", "400.00"],
    ["20103", "政府办公厅（室）及相关机构事务", "300.00", "100.00", "400.00"],
    ["2010350", "事业运行", "200.00", "60.00", "260.00"],
    ["2010301", "行政运行", "100.00", "40.00", "140.00"],
])

# 上年预算数 | 本年预算数 | 增减额: last year's first
THREE_FEES = _table("t10", "一般公共预算三公经费支出表", "三公经费表", ["上年预算数", "本年预算数", "增减额"], [
    ["", "合计", "168.00", "199.00", "31.00"],
    ["", "因公出国（境）费", "20.00", "25.00", "5.00"],
    ["", "公务接待费", "48.00", "44.00", "-4.00"],
    ["", "公务用车购置及运行费", "100.00", "130.00", "30.00"],
])


def test_a_rows_total_is_its_total_column_wherever_printed() -> None:
    answer = _ask("事业运行是多少", SPENDING_TOTAL_LAST)
    assert answer.status == "answered" and _values(answer) == {Decimal("260.00")}, answer.answer
    assert answer.citations[0].column == "合计"


def test_several_value_columns_and_no_total_guess_none() -> None:
    no_total = _table("t03", "部门支出预算表", "支出表", ["基本支出", "项目支出"], [
        ["2010350", "事业运行", "200.00", "60.00"],
        ["2010301", "行政运行", "100.00", "40.00"],
    ])
    answer = _ask("事业运行是多少", no_total)
    assert answer.status != "answered" or not _values(answer) & {Decimal("200.00"), Decimal("60.00")}, answer.answer
    answer = _ask("事业运行的项目支出是多少", no_total)
    assert answer.status == "answered" and _values(answer) == {Decimal("60.00")}, answer.answer


def test_a_budget_question_reads_this_years_column_not_last_years() -> None:
    answer = _ask("三公经费预算是多少", THREE_FEES)
    assert answer.status == "answered" and _values(answer) == {Decimal("199.00")}, answer.answer
    answer = _ask("公务接待费是多少", THREE_FEES)
    assert answer.status == "answered" and _values(answer) == {Decimal("44.00")}, answer.answer
    assert answer.citations[0].column == "本年预算数"


def test_a_year_before_the_tables_heads_last_years_column() -> None:
    dated = _table("t10", "三公经费支出预算表", "三公经费表", [f"{YEAR - 1}年预算数", f"{YEAR}年预算数"], [
        ["", "合计", "168.00", "199.00"],
        ["", "公务接待费", "48.00", "44.00"],
    ])
    answer = _ask("公务接待费是多少", dated)
    assert answer.status == "answered" and _values(answer) == {Decimal("44.00")}, answer.answer


def test_a_change_is_computed_from_this_and_last_years_cells() -> None:
    answer = _ask("公务接待费比上年增加多少", THREE_FEES)
    assert answer.status == "answered", answer.answer
    assert Decimal("4.00") in _values(answer) and "减少" in answer.answer, answer.answer
    assert answer.formula and answer.formula.startswith("44.00 − 48.00 = -4.00"), answer.formula
    assert [c.column for c in answer.citations] == ["本年预算数", "上年预算数", "增减额"]
    assert any("与复算一致" in note for note in answer.notes), answer.notes


def test_a_share_of_spending_is_over_the_total_column_not_a_sibling() -> None:
    answer = _ask("项目支出占支出的比重是多少", SPENDING_TOTAL_LAST)
    assert answer.status == "answered" and Decimal("25.00") in _values(answer), answer.answer
    assert "基本支出" not in (answer.formula or "") and answer.citations[1].column == "合计"


def test_a_column_named_after_a_code_and_its_name_is_the_column_answered() -> None:
    table = _table("t03", "部门支出预算表", "支出表", ["合计", "基本支出 / 人员经费", "基本支出 / 公用经费", "项目支出"], [
        ["", "合计", "400.00", "200.00", "100.00", "100.00"],
        ["2010350", "事业运行", "260.00", "150.00", "50.00", "60.00"],
        ["2010301", "行政运行", "140.00", "50.00", "50.00", "40.00"],
    ])
    answer = _ask("功能分类科目2010350事业运行的公用经费是多少", table)
    assert answer.status == "answered" and _values(answer) == {Decimal("50.00")}, answer.answer
    assert answer.citations[0].column.endswith("公用经费") and answer.citations[0].row_code == "2010350"


def test_a_ranking_compares_the_rows_totals_wherever_printed() -> None:
    table = _table("t03", "部门支出预算表", "支出表", ["基本支出", "项目支出", "合计"], [
        ["", "合计", "400.00", "410.00", "810.00"],
        ["201", "一般公共服务支出", "300.00", "10.00", "310.00"],
        ["208", "社会保障和就业支出", "100.00", "400.00", "500.00"],
    ])
    answer = _ask("哪类支出最多", table)
    assert answer.status == "answered" and "社会保障和就业支出" in answer.answer.split("。")[0], answer.answer
    assert Decimal("500.00") in _values(answer), answer.answer


def test_a_column_named_for_what_the_table_holds_is_its_total() -> None:
    table = _table("t05", "财政拨款支出预算表", "财政拨款支出表", ["财政拨款支出", "基本支出", "项目支出"], [
        ["", "合计", "400.00", "300.00", "100.00"],
        ["2010350", "事业运行", "260.00", "200.00", "60.00"],
    ])
    answer = _ask("事业运行是多少", table)
    assert answer.status == "answered" and _values(answer) == {Decimal("260.00")}, answer.answer


def test_a_code_the_question_names_must_be_the_cited_rows() -> None:
    # the row the code denotes was not read; a row of the same name under another code is no answer
    answer = _ask("功能分类科目2010399行政运行的合计是多少", SPENDING_TOTAL_LAST)
    assert answer.status != "answered" and not answer.values, answer.answer
    answer = _ask("功能分类科目2010301行政运行的合计是多少", SPENDING_TOTAL_LAST)
    assert answer.status == "answered" and _values(answer) == {Decimal("140.00")}, answer.answer
    answer = _ask("201一般公共服务支出的项目支出是多少", SPENDING_TOTAL_LAST)
    assert answer.status == "answered" and _values(answer) == {Decimal("100.00")}, answer.answer


def test_an_item_a_table_is_titled_for_is_its_total_row() -> None:
    running = _table("t08", "机关运行经费预算表", "机关运行经费表", ["上年预算", "本年预算"], [
        ["", "办公费", "30.00", "35.00"],
        ["", "水电费", "20.00", "18.00"],
        ["", "合计", "50.00", "53.00"],
    ])
    answer = _ask("机关运行经费是多少", running)
    assert answer.status == "answered" and _values(answer) == {Decimal("53.00")}, answer.answer
    assert answer.citations[0].row == "合计"


BASIC_NO_LAST_YEAR = _table("t04", "一般公共预算基本支出预算表", "基本支出表", ["合计", "人员经费", "公用经费"], [
    ["", "合计", "500.00", "300.00", "200.00"],
    ["30201", "办公费", "80.00", "0.00", "80.00"],
])
RUNNING_WITH_LAST_YEAR = _table("t08", "机关运行经费预算表", "机关运行经费表", ["本年预算", "上年预算"], [
    ["", "办公费", "35.00", "30.00"],
    ["", "合计", "53.00", "50.00"],
])


def test_a_change_is_read_from_the_table_that_prints_last_year() -> None:
    # the 基本支出表 lists 办公费 for this year only; the 机关运行经费表 prints both years
    answer = _ask("办公费比上年增加多少", BASIC_NO_LAST_YEAR, RUNNING_WITH_LAST_YEAR)
    assert answer.status == "answered" and Decimal("5.00") in _values(answer), answer.answer
    assert answer.answer.startswith("机关运行经费预算表中的办公费"), answer.answer
    assert [c.column for c in answer.citations] == ["本年预算", "上年预算", "合计"]
    assert any("本年数为 80.00 万元，口径不同" in note for note in answer.notes), answer.notes


def test_a_change_without_last_years_figure_anywhere_is_refused() -> None:
    answer = _ask("办公费比上年增加多少", BASIC_NO_LAST_YEAR)
    assert answer.status != "answered" and not answer.values, answer.answer


def test_a_change_in_a_table_printed_in_yuan_is_shown_in_yuan() -> None:
    in_yuan = _table("t08", "机关运行经费预算表", "机关运行经费表", ["本年预算", "上年预算"], [
        ["", "办公费", "690", "540"],
        ["", "合计", "2400", "1540"],
    ], unit="元")
    answer = _ask("办公费比上年增加多少", in_yuan)
    assert answer.status == "answered" and answer.formula.startswith("690.00 − 540.00 = 150.00"), answer.formula
    assert {(v.value, v.unit) for v in answer.values} >= {("150.00", "元"), ("540.00", "元")}, answer.values
    answer = _ask("办公费比上年增加多少万元", in_yuan)
    assert answer.status == "answered" and ("0.02", "万元") in {(v.value, v.unit) for v in answer.values}


def test_bare_appropriation_is_the_appropriation_received() -> None:
    # "财政拨款" asked as an amount, where only "财政拨款收入" and "财政拨款支出" are printed
    income = _table("t02", "收入预算总表", "收入表", ["收入预算 / 合计", "收入预算 / 财政拨款收入", "收入预算 / 事业收入"], [
        ["", "合计", "1,212.12", "950.12", "262.00"],
    ])
    spending = _table("t05", "财政拨款支出预算表", "财政拨款支出表", ["财政拨款支出", "基本支出", "项目支出"], [
        ["", "合计", "950.12", "900.12", "50.00"],
    ])
    answer = _ask("财政拨款是多少", income, spending)
    assert answer.status == "answered" and _values(answer) == {Decimal("950.12")}, answer.answer


def test_an_item_inside_a_container_a_table_is_titled_for_is_read_there() -> None:
    # 办公费 is printed in the 基本支出表 and the 机关运行经费表; the question names the latter's subject
    answer = _ask("机关运行经费中办公费是多少", BASIC_NO_LAST_YEAR, RUNNING_WITH_LAST_YEAR)
    assert answer.status == "answered" and _values(answer) == {Decimal("35.00")}, answer.answer
    answer = _ask("基本支出中办公费是多少", BASIC_NO_LAST_YEAR, RUNNING_WITH_LAST_YEAR)
    assert answer.status == "answered" and _values(answer) == {Decimal("80.00")}, answer.answer


def test_a_ranking_inside_a_caption_compares_its_columns() -> None:
    # one row, the items printed across: 三公经费 / 小计 | 因公出国（境）费 | 公务用车购置及运行维护费 / 小计 | … | 公务接待费
    wide = _table("t09", "三公经费、会议费、培训费支出预算表", "三公经费表", [
        "合计", "三公经费 / 小计", "三公经费 / 因公出国（境）费", "三公经费 / 公务用车购置及运行维护费 / 小计",
        "三公经费 / 公务用车购置及运行维护费 / 公务用车运行维护费", "三公经费 / 公务接待费", "会议费"], [
        ["", "", "800.00", "513.75", "160.00", "266.80", "266.80", "86.95", "286.25"],
    ])
    answer = _ask("三公经费中哪项最多", wide)
    assert answer.status == "answered" and _values(answer) == {Decimal("266.80")}, answer.answer
    assert answer.answer.startswith("最多的是公务用车购置及运行维护费") and "会议费" not in answer.answer
    assert answer.notes[0] == "共比较 3 项。"


def test_a_table_named_with_its_fund_type_left_out_is_the_container() -> None:
    running = _table("t08", "一般公共预算机关运行经费支出预算表", "机关运行经费表", ["本年预算"], [
        ["", "办公费", "35.00"],
        ["", "合计", "53.00"],
    ])
    answer = _ask("机关运行经费表里的办公费是多少", BASIC_NO_LAST_YEAR, running)
    assert answer.status == "answered" and _values(answer) == {Decimal("35.00")}, answer.answer


def test_a_ranking_within_a_scope_no_printed_name_matches_is_refused() -> None:
    # "采购服务" names nothing this document prints: its 类 rows are no answer
    table = _table("t03", "部门支出预算表", "支出表", ["合计"], [
        ["201", "一般公共服务支出", "310.00"],
        ["208", "社会保障和就业支出", "500.00"],
    ])
    assert _ask("哪类支出最多", table).status == "answered"
    answer = _ask("采购服务里哪个专项最多", table)
    assert answer.status == "refused" and not answer.values, answer.answer
