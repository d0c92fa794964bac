"""Layouts of real disclosures the variant generator does not draw (bench/wild_docs.py), read back.

One fixed-seed document per case, each with its new layout choices fixed and the others
plain: a 收支总表 with 行次 columns, 科目编码 printed "201-01-02" or "[2010102]", a 注 row
inside the grid, the 单位 at the end of a title printed at the previous page's foot, and
tables ruled only by a top, header and bottom rule or by horizontal rules alone.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from ingest_quality import read_tables  # noqa: E402
from variant_check import score  # noqa: E402
from wild_docs import generate_wild  # noqa: E402

from budgetqa.ingest.open_header import nest_spans  # noqa: E402
from budgetqa.settings import Settings  # noqa: E402

PLAIN = {"overview": "template", "code_print": "as-drawn", "spend_header": "as-drawn", "ruling": "grid",
         "signs": "brackets", "orientation": "portrait", "length": "normal", "notes": "none", "blank_rows": "none",
         "vertical": "none", "unit_line": "own-line", "header": "flat"}
CASES = {
    "row-numbers-dashed-codes": {"overview": "numbered", "code_print": "dashed", "numbers": "integers"},
    "bracketed-codes-note-row": {"code_print": "bracketed", "notes": "inside", "codes": "split-bare",
                                 "code_repeat": "sparse", "numbers": "integers"},
    "unit-on-foot-title": {"unit_line": "title-right", "title": "foot", "meta": "dept-above"},
    "three-line-rules": {"ruling": "three-line", "names": "wrapped", "blank_rows": "some", "length": "long"},
    "horizontal-rules": {"ruling": "horizontal", "overview": "numbered", "packing": "one-per-page",
                         "orientation": "landscape"},
}


@pytest.mark.parametrize("force", CASES.values(), ids=CASES.keys())
def test_a_wild_layout_is_read_cell_by_cell(tmp_path: Path, force: dict[str, str]) -> None:
    doc = generate_wild(15, 700 + list(CASES.values()).index(force), PLAIN | force)
    tables, note = read_tables(doc.draw(tmp_path), Settings())
    result = score(doc, tables)
    assert not note
    assert result.cells > 100
    assert (result.missed, result.wrong, result.codes, result.extra) == (0, 0, 0, 0), result.problems[:5]
    assert result.identity_failures == 0 and result.checks > 50, result.problems[:5]
    assert (result.found, result.split, result.unexpected) == (result.drawn, 0, 0), result.problems[:5]



@pytest.mark.parametrize("number", [0, 9, 20])
def test_a_three_level_header_without_vertical_rules_nests_by_position(tmp_path: Path, number: int) -> None:
    """Centred parent labels (基本支出 over 人员经费 over two leaves) span the columns under them,
    never one leaf's column: three-line rules (0), rules between the levels (9), one character a
    line (20). Bench documents of seed 15 that read parents onto a leaf before."""
    doc = generate_wild(15, number)
    assert doc.variants["spend_header"] == "three-level" and doc.variants["ruling"] != "grid"
    tables, _ = read_tables(doc.draw(tmp_path), Settings())
    result = score(doc, tables)
    assert result.wrong == 0, [p for p in result.problems if p.startswith("wrong")][:5]
    paths = {tuple(c.col_path) for t in tables for c in t.cells if c.state == "value"
             and c.col_path and c.col_path[-1].replace("\n", "") in ("工资福利支出", "对个人和家庭的补助")}
    assert paths and all(p[-3:-1] == ("基本支出", "人员经费") for p in paths), paths


COLUMNS = [(0.0, 50.0), (50.0, 100.0), (100.0, 150.0), (150.0, 200.0)]


def test_a_parent_label_widens_to_the_centred_run_over_its_child() -> None:
    child = (55.0, 20.0, 95.0, 29.0, "人员经费")  # spans columns 0-1, centred at 50
    parent = (65.0, 5.0, 85.0, 14.0, "基本支出")  # over column 1 alone, centred at 75
    spans = nest_spans([child, parent], {child: (0, 1), parent: (1, 1)}, COLUMNS)
    assert spans == {child: (0, 1), parent: (0, 2)}


def test_a_parent_over_part_of_a_child_or_competing_for_a_column_is_left_out() -> None:
    child = (80.0, 20.0, 120.0, 29.0, "人员经费")  # spans columns 1-2, centred at 100
    partial = (40.0, 5.0, 60.0, 14.0, "基本支出")  # centred at 50: no run centred there covers the child
    assert nest_spans([child, partial], {child: (1, 2), partial: (0, 1)}, COLUMNS)[partial] is None
    left, right = (20.0, 5.0, 80.0, 14.0, "甲"), (70.0, 5.5, 130.0, 14.5, "乙")
    spans = nest_spans([left, right], {left: (0, 1), right: (1, 2)}, COLUMNS)
    assert spans == {left: None, right: None}


# (seed, number) of wild bench documents that stored wrong values or codes as amounts before
SEEN_WRONG = {
    "header-one-char-per-line-on-continuation": (2, 33),
    "ruled-rows-with-names-wrapped-over-three-lines": (2, 4),
    "note-line-under-the-last-row": (2, 31),
    "ruled-grid-with-split-codes-over-10": (3, 20),
    "names-wrapped-evenly-above-the-data-line": (3, 12),
    "label-joined-to-the-year": (3, 6),
}


@pytest.mark.parametrize("seed_number", SEEN_WRONG.values(), ids=SEEN_WRONG.keys())
def test_no_wrong_value_or_code_as_amount_in_a_formerly_misread_document(
        tmp_path: Path, seed_number: tuple[int, int]) -> None:
    """A frame counts a header printed one character per line (or a ruled row's wrapped name) as one
    line; a 注 line is never a row's wrapped name; evenly spaced wrapped lines reach their data line
    either way; a 款 part ≥ 10 between a 类 code and a 项 part is a code; "表62025年" is 表6."""
    doc = generate_wild(*seed_number)
    tables, _ = read_tables(doc.draw(tmp_path), Settings())
    result = score(doc, tables)
    bad = [p for p in result.problems if p.startswith(("wrong", "code as", "table not drawn"))]
    assert (result.wrong, result.codes, result.unexpected) == (0, 0, 0), bad[:5]


def test_a_table_label_never_takes_the_year_s_first_digit() -> None:
    from budgetqa.ingest.pdf_reader import _label_in, _strip_label
    from budgetqa.ingest.text_lines import split_label

    assert split_label("表62025年机关运行经费预算表") == ("表6", "2025年机关运行经费预算表")
    assert split_label("表12 2025年部门收入预算表") == ("表12", "2025年部门收入预算表")
    assert (_label_in("表62025年政府采购预算表"), _strip_label("表62025年政府采购预算表")) == (
        "表6", "2025年政府采购预算表")
    assert _label_in("公开08表2025年部门支出预算表") == "公开08表"


def test_a_column_number_line_under_a_header_without_vertical_rules_is_no_label(tmp_path: Path) -> None:
    """The "栏次 1 2 3" line printed under three-line-ruled header labels is a row of its own, never
    joined onto the labels ("合计1", "人员经费2"): the shape of seed 5's 基本支出 table."""
    force = {"ruling": "three-line", "header": "numbered", "spend_header": "three-level", "blank_rows": "some"}
    doc = generate_wild(15, 706, PLAIN | force)
    tables, _ = read_tables(doc.draw(tmp_path), Settings())
    result = score(doc, tables)
    assert (result.missed, result.wrong, result.codes, result.extra) == (0, 0, 0, 0), result.problems[:5]
    assert result.identity_failures == 0 and result.cells > 100, result.problems[:5]


# (seed, number, title) of a wild bench table ruled above and under its header only, with names
# wrapped over three lines, that was not read whole before
TABLES_NOT_READ = {
    "frame-of-rows-with-names-wrapped-over-three-lines": (8, 20, "2020年部门支出预算表"),
    "continuation-pages-without-any-rule": (7, 4, "2024年部门支出预算表"),
}


@pytest.mark.parametrize("case", TABLES_NOT_READ.values(), ids=TABLES_NOT_READ.keys())
def test_a_three_line_table_with_wrapped_names_is_read_over_its_pages(tmp_path: Path, case) -> None:
    """A data row's wrapped name lines count with it when a frame is told from prose (two of every
    three lines were names: not read); a page carrying the table on without any rule is read in its
    columns (the table stopped at its first page)."""
    seed, number, title = case
    doc = generate_wild(seed, number)
    tables, _ = read_tables(doc.draw(tmp_path), Settings())
    result = score(doc, tables)
    assert (result.wrong, result.codes) == (0, 0), result.problems[:5]
    mine = [p for p in result.problems if title in p and not p.startswith("identity")]
    assert not mine, mine[:5]
    read = [t for t in tables if t.title == title]
    assert len(read) == 1 and len(read[0].pages) >= 2, [t.pages for t in read]
