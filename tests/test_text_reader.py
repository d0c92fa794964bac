"""Reading tables from a plain-text dump: the seed disclosure against its hand-made gold, plus small dumps."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from budgetqa.ingest.text_reader import TextReadResult, read_text_tables
from budgetqa.models import Table

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "seeds" / "000_648cb979c5ae0ed7.txt"
GOLD = Path(__file__).resolve().parents[1] / "samples" / "seed_disclosure.json"
TABLE_LABELS = [f"表{n}" for n in range(1, 12)]

Cell = tuple[str, int, str | None, str, str | None, int, str]
"""(side, row index, row code, row name, row subject, column index, printed value)."""


# ---------------------------------------------------------------- seed vs gold


@pytest.fixture(scope="module")
def seed() -> TextReadResult:
    if not SEED.exists():
        pytest.skip("../shared is absent")
    return read_text_tables(SEED.read_text(encoding="utf-8").splitlines(), source_file=SEED.name)


@pytest.fixture(scope="module")
def gold() -> dict[str, dict]:
    if not SEED.exists():
        pytest.skip("../shared is absent")
    data = json.loads(GOLD.read_text(encoding="utf-8"))
    if not data.get("complete"):
        pytest.skip("the gold file is not finished yet")
    return {t["label"]: t for t in data["tables"] if t.get("label")}


def _table(result: TextReadResult, label: str) -> Table:
    found = [t for t in result.tables if t.label == label]
    assert len(found) == 1, f"{label}: found {len(found)} tables"
    return found[0]


def _our_cells(table: Table) -> set[Cell]:
    return {
        (c.side, c.row_index, c.row_code, c.row_name, c.row_subject, c.col_index, c.raw)
        for c in table.cells
        if c.state != "blank"
    }


def _gold_cells(table: dict) -> set[Cell]:
    return {
        (side["side"], i, row["code"], row["name"], row.get("subject"), col, value)
        for side in table["sides"]
        for i, row in enumerate(side["rows"])
        for col, value in enumerate(row["values"])
        if value is not None
    }


def _rows(table: Table, side: str) -> list[tuple[str | None, str, str | None]]:
    seen: dict[int, tuple[str | None, str, str | None]] = {}
    for c in table.cells:
        if c.side == side:
            seen.setdefault(c.row_index, (c.row_code, c.row_name, c.row_subject))
    return [seen[i] for i in sorted(seen)]


def test_seed_has_the_eleven_tables_in_order(seed: TextReadResult) -> None:
    assert [t.label for t in seed.tables] == TABLE_LABELS


def test_seed_department_and_unit(seed: TextReadResult, gold: dict[str, dict]) -> None:
    assert seed.department == "昌吉回族自治州机关事务管理局"
    assert seed.unit == "万元"


@pytest.mark.parametrize("label", TABLE_LABELS)
def test_table_identity_matches_gold(seed: TextReadResult, gold: dict[str, dict], label: str) -> None:
    ours, want = _table(seed, label), gold[label]
    assert (ours.title, ours.kind, ours.unit, ours.empty_statement) == (
        want["title"],
        want["kind"],
        want["unit"],
        want["empty_statement"],
    )


@pytest.mark.parametrize("label", TABLE_LABELS)
def test_header_paths_match_gold(seed: TextReadResult, gold: dict[str, dict], label: str) -> None:
    ours, want = _table(seed, label), gold[label]
    assert ours.sides == [s["side"] for s in want["sides"]]
    for side in want["sides"]:
        assert ours.columns[side["side"]] == [tuple(c) for c in side["columns"]]


@pytest.mark.parametrize("label", TABLE_LABELS)
def test_rows_match_gold(seed: TextReadResult, gold: dict[str, dict], label: str) -> None:
    ours, want = _table(seed, label), gold[label]
    for side in want["sides"]:
        expected = [(r["code"], r["name"], r.get("subject")) for r in side["rows"]]
        assert _rows(ours, side["side"]) == expected


@pytest.mark.parametrize("label", TABLE_LABELS)
def test_every_cell_matches_gold(seed: TextReadResult, gold: dict[str, dict], label: str) -> None:
    ours, want = _our_cells(_table(seed, label)), _gold_cells(gold[label])
    assert sorted(ours - want) == [], "cells read that the gold does not have"
    assert sorted(want - ours) == [], "gold cells not read"


def test_no_ambiguous_cell_contradicts_gold(seed: TextReadResult, gold: dict[str, dict]) -> None:
    for label in TABLE_LABELS:
        want = _gold_cells(gold[label])
        for c in _table(seed, label).cells:
            if c.ambiguous:
                assert (c.side, c.row_index, c.row_code, c.row_name, c.row_subject, c.col_index, c.raw) in want


def test_columns_fixed_by_arithmetic_are_not_ambiguous(seed: TextReadResult) -> None:
    for label in ("表2", "表3", "表4", "表5", "表6"):
        assert not [c for c in _table(seed, label).cells if c.ambiguous], label


def test_narrative_pages_hold_no_table_rows(seed: TextReadResult) -> None:
    lines = [line for _, page in seed.narrative_pages for line in page]
    assert "第三部分 2024 年部门预算情况说明" in lines
    assert not any(line.startswith(("201 03 01", "总计 2,155.66", "※")) for line in lines)
    assert not any("编制部门" in line for line in lines)
    pages = [p for p, _ in seed.narrative_pages]
    assert pages == sorted(pages)


def _without_blank_lines(lines: list[str]) -> list[str]:
    return [x for x in lines if x.strip()]


def _without_column_numbers(lines: list[str]) -> list[str]:
    return [x for x in lines if not x.strip().startswith("※")]


def _without_labels(lines: list[str]) -> list[str]:
    return [x for x in lines if not re.match(r"^\s*表\s*\d+\s*$", x)]


def _label_on_title_line(lines: list[str]) -> list[str]:
    lines, out, i = _without_blank_lines(lines), [], 0
    while i < len(lines):
        if re.match(r"^\s*表\s*\d+\s*$", lines[i]):
            out.append(f"{lines[i].rstrip()} {lines[i + 1].strip()}")
            i += 2
        else:
            out.append(lines[i])
            i += 1
    return out


def _continued_without_header(lines: list[str]) -> list[str]:
    """The continued page of 表2 printed without its 编制部门 line and repeated header."""
    out, skipping = [], False
    for line in _without_blank_lines(lines):
        if line.startswith(" 编制部门") and out and not out[-1].strip().endswith("表"):
            skipping = True
        elif skipping and line.strip().startswith("※"):
            skipping = False
        elif not skipping:
            out.append(line)
    return out


@pytest.mark.parametrize(
    "variant",
    [_without_blank_lines, _without_column_numbers, _without_labels, _label_on_title_line, _continued_without_header],
)
def test_seed_variants_read_the_same_cells(gold: dict[str, dict], variant) -> None:
    result = read_text_tables(variant(SEED.read_text(encoding="utf-8").splitlines()))
    assert [t.title for t in result.tables] == [gold[x]["title"] for x in TABLE_LABELS]
    for table, label in zip(result.tables, TABLE_LABELS, strict=True):
        assert _our_cells(table) == _gold_cells(gold[label]), label
        assert table.columns == {s["side"]: [tuple(c) for c in s["columns"]] for s in gold[label]["sides"]}, label


# ---------------------------------------------------------------- small dumps


def _read(text: str) -> TextReadResult:
    return read_text_tables(text.strip("\n").splitlines())


def _values(table: Table, side: str = "") -> dict[str, list[str | None]]:
    out: dict[str, list[str | None]] = {}
    width = len(table.columns[side])
    for c in table.cells:
        if c.side == side:
            key = c.row_code or c.row_name
            out.setdefault(key, [None] * width)[c.col_index] = c.raw or None
    return out


EXPENDITURE = """
 表 3
部门支出总体情况表
编制部门：某某局 单位：万元
科目 支出预算
功能分类科目编码
功能分类科目名称 合计 基本支出 项目支出
类 款 项
※ ※ ※ ※ 1 2 3
总计 150.00 100.00 50.00
201 一般公共服务支出 120.00 70.00 50.00
201 03 政府办公厅（室）及相关机构事务 120.00 70.00 50.00
201 03 01 行政运行 70.00 70.00
201 03 02 一般行政管理事务 50.00 50.00
208 社会保障和就业支出 30.00 30.00
208 05 行政事业单位养老支出 30.00 30.00
208 05 05
机关事业单位基本养老保险缴
费支出
30.00 30.00
 第三部分 情况说明
"""


def test_code_hierarchy_places_values() -> None:
    result = _read(EXPENDITURE)
    (table,) = result.tables
    values = _values(table)
    assert values["2010301"] == ["70.00", "70.00", None]
    assert values["2010302"] == ["50.00", None, "50.00"]
    assert values["2080505"] == ["30.00", "30.00", None]
    assert table.columns[""][1] == ("支出预算", "基本支出")
    assert not any(c.ambiguous for c in table.cells)
    assert any(c.row_name == "机关事业单位基本养老保险缴费支出" for c in table.cells)
    assert result.narrative_pages[-1][1] == ["第三部分 情况说明"]


TWO_SIDED = """
表1
部门收支总体情况表
编制部门：某某局 单位：万元
收入 支出
项目 预算数 支出功能分类 预算数
一、本年收入 100.00 201 一般公共服务支出 80.00
1、一般公共预算拨款 100.00 205 教育支出
其中：事业收入 208 社会保障和就业支出 20.00
收 入 总 计 100.00 支 出 总 计 100.00
"""


def test_two_sided_lines_split_into_sides() -> None:
    (table,) = _read(TWO_SIDED).tables
    assert table.sides == ["收入", "支出"]
    left, right = _values(table, "收入"), _values(table, "支出")
    assert left == {
        "一、本年收入": ["100.00"],
        "1、一般公共预算拨款": ["100.00"],
        "其中：事业收入": [None],
        "收入总计": ["100.00"],
    }
    assert right["201"] == ["80.00"] and right["205"] == [None] and right["支出总计"] == ["100.00"]


PROJECTS = """
表 11
上年结转结余情况明细表
编制部门：某某局 单位：万元
项目名称 总计
财政拨款 非财政拨款
合计
基本支出
项目支出 合计
基本支出
项目支出
人员经费 公用经费 人员经费 公用经费
※ 1 2 3 4 5 6 7 8 9
总计 5.00 5.00 5.00
特定目标 07100762 5.00 5.00 5.00
"""


def test_identifier_stays_in_name_and_undecidable_values_are_flagged() -> None:
    (table,) = _read(PROJECTS).tables
    values = _values(table)
    assert "特定目标 07100762" in values
    flagged = {(c.row_name, c.col_index) for c in table.cells if c.ambiguous}
    # 财政拨款 or 非财政拨款, 人员/公用经费 or 项目支出: nothing in the dump decides
    assert flagged == {(name, col) for name in ("总计", "特定目标 07100762") for col in (1, 4)}
    assert values["总计"] == ["5.00", "5.00", None, None, "5.00", None, None, None, None]


EMPTY = """
表 8
政府性基金预算支出情况表
编制部门：某某局 单位：万元
科目 政府性基金预算支出
功能分类科目编码
功能分类科目名称 合计
基本支出
项目支出
类 款 项 人员经费 公用经费
※ ※ ※ ※ 1 2 3 4
某某局 2024 年没有使用政府性基金预算拨款安排的支出，政府性基金预算支出
情况表为空表。
"""


def test_empty_table_keeps_its_statement() -> None:
    (table,) = _read(EMPTY).tables
    assert table.empty_statement == "某某局 2024 年没有使用政府性基金预算拨款安排的支出，政府性基金预算支出情况表为空表。"
    assert table.cells == []
    assert len(table.columns[""]) == 4


CONTINUED = """
表 5
一般公共预算支出情况表
编制部门：某某局 单位：元
科目 一般公共预算支出
功能分类科目编码
功能分类科目名称 合计 基本支出 项目支出
类 款 项
总计 1,500 1,000 500
201 一般公共服务支出 1,500 1,000 500
201 03 政府办公厅（室）及相关机构事务 1,500 1,000 500
 编制部门：某某局 单位：元
科目 一般公共预算支出
功能分类科目编码
功能分类科目名称 合计 基本支出 项目支出
类 款 项
201 03 01 行政运行 1,000 1,000
201 03 02 一般行政管理事务 500 500
"""


def test_continued_page_and_integer_amounts() -> None:
    (table,) = _read(CONTINUED).tables
    values = _values(table)
    assert table.unit == "元"
    assert table.pages == [1, 2]
    assert values["2010301"] == ["1,000", "1,000", None]
    assert values["2010302"] == ["500", None, "500"]
    assert len(values) == 5


HALVES = """
一般公共预算财政拨款基本支出决算表
单位：万元
科目编码 科目名称 决算数 科目编码 科目名称 决算数
301 工资福利支出 100.00 302 商品和服务支出 60.00
30101 基本工资 60.00 30201 办公费 40.00
30102 津贴补贴 40.00 30211 差旅费 20.00
303 对个人和家庭的补助 5.00 310 资本性支出 3.00
30302 退休费 5.00 31002 办公设备购置 3.00
"""


def test_two_halves_side_by_side_are_two_sides() -> None:
    (table,) = _read(HALVES).tables
    assert table.sides == ["左", "右"]
    assert table.columns == {"左": [("决算数",)], "右": [("决算数",)]}
    assert list(_values(table, "左")) == ["301", "30101", "30102", "303", "30302"]
    assert list(_values(table, "右")) == ["302", "30201", "30211", "310", "31002"]


def test_short_wrapped_tail_joins_the_row_above() -> None:
    text = PROJECTS.replace("特定目标 07100762 5.00 5.00 5.00", "机关运行补助项目（单位自有资 5.00 5.00 5.00\n金）")
    (table,) = _read(text).tables
    assert "机关运行补助项目（单位自有资金）" in _values(table)
