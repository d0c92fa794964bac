"""Column-number lines ("栏次 1 2 3 …" under a header) are never read as a row of values (bench/wild_docs.py).

A table continued onto a page holding only its repeated header, the 栏次 line and the 总计 row
finds no name column there (总计 stands in the code column): the 栏次 label fell into the first
amount column beside its "1", and the cell "栏次1" hid the line, stored as values 2, 3, 4, 5, 6.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from ingest_quality import read_tables  # noqa: E402
from variant_check import score  # noqa: E402
from wild_docs import generate_wild  # noqa: E402

from budgetqa.ingest.grid import is_column_number_row  # noqa: E402
from budgetqa.ingest.text_lines import column_number_count  # noqa: E402
from budgetqa.settings import Settings  # noqa: E402


def test_a_column_number_line_on_a_continued_page_stores_no_values(tmp_path: Path) -> None:
    """Wild seed 38's twelfth document: 支出预算表 ending on a page of header, 栏次 line and 总计."""
    doc = generate_wild(38, 11)
    tables, _ = read_tables(doc.draw(tmp_path), Settings())
    result = score(doc, tables)
    assert (result.missed, result.wrong, result.extra) == (0, 0, 0), result.problems[:5]
    assert result.identity_failures == 0, result.problems[:5]


@pytest.mark.parametrize("texts", [
    ["", "栏次1", "2", "3", "4"],  # label glued to the first number in one cell
    ["栏 次", "1", "2", "3"],  # letter-spaced label
    ["", "", "2", "3", "4"],  # no label, the first number missing
    ["行次", "※", "1", "2"],
])
def test_marks_and_small_numbers_make_a_column_number_row(texts: list[str]) -> None:
    assert is_column_number_row(texts)


@pytest.mark.parametrize("texts", [
    ["总计", "1", "2"],  # a named row of small figures
    ["", "2025", "2026"],  # years
    ["", "1.5", "2"],  # an amount
    ["", "-", "1"],  # a dash
    ["", "12"],  # one figure alone
    ["", "栏次12345"],  # a number of more than two digits
    ["", "3 4 5", "6"],  # several numbers in a cell: a bare line's pieces, parted by column later
])
def test_anything_else_is_no_column_number_row(texts: list[str]) -> None:
    assert not is_column_number_row(texts)


def test_a_letter_spaced_label_opens_a_column_number_line_of_a_text_dump() -> None:
    assert column_number_count("栏 次 1 2 3") == 3
    assert column_number_count("※ ※ 1 2") == 2
    assert column_number_count("栏 目 1 2 3") is None
