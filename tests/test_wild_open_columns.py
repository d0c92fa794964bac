"""Columns of tables without vertical rules where the figures alone do not show them (bench/wild_docs.py).

A column blank in every row has no figures to part it from its neighbour: its label stood
beside the neighbour's in one column and the two were joined ("财政拨款其他收入"). A "栏次
1 2 3" line numbers the columns centred while the integers below print right-aligned: its
numbers were taken for columns of their own, every figure under the header to its left.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from ingest_quality import read_tables  # noqa: E402
from variant_check import score  # noqa: E402
from wild_docs import generate_wild  # noqa: E402

from budgetqa.ingest.open_header import blank_column_cuts  # noqa: E402
from budgetqa.settings import Settings  # noqa: E402

PLAIN = {"overview": "template", "code_print": "as-drawn", "spend_header": "as-drawn", "signs": "brackets",
         "orientation": "portrait", "length": "normal", "notes": "none", "blank_rows": "none",
         "vertical": "none", "unit_line": "own-line"}


def test_a_column_blank_in_every_row_keeps_its_own_label(tmp_path: Path) -> None:
    """Wild seed 11's ninth document: an open 收入表 whose 其他收入 column is blank in every row."""
    doc = generate_wild(11, 8)
    tables, _ = read_tables(doc.draw(tmp_path), Settings())
    result = score(doc, tables)
    assert result.wrong == 0, [p for p in result.problems if p.startswith("wrong")][:5]
    paths = {c.col_path[-1] for t in tables for c in t.cells if c.col_path}
    assert "财政拨款" in paths and not any("财政拨款" in p and "其他收入" in p for p in paths)


def test_side_by_side_labels_split_only_over_a_blank_column() -> None:
    figures = [(401.0, 131.0, 430.0, 140.0, "880.33")]
    labels = [[(409.0, 114.0, 445.0, 123.0, "财政拨款"), (473.0, 114.0, 509.0, 123.0, "其他收入")]]
    assert blank_column_cuts(labels, figures, [72.0, 383.0, 523.0], 4.0) == [459.0]
    # wrapped labels centred over left-aligned figures: each column has figures, none is blank
    wrapped = [[(582.8, 83.4, 636.8, 92.4, "事业单位经营"), (646.8, 83.4, 700.8, 92.4, "对附属单位补")]]
    figures = [(583.8, 111.0, 610.8, 120.0, "3132.68"), (647.8, 111.0, 674.8, 120.0, "3324.15")]
    assert blank_column_cuts(wrapped, figures, [72.0, 629.0, 693.0, 770.0], 4.0) == []


@pytest.mark.parametrize("ruling", ["horizontal", "three-line"])
def test_a_column_number_line_over_integers_is_no_column(tmp_path: Path, ruling: str) -> None:
    """Centred "栏次 1 2 3" over right-aligned integers: tables kept, every figure in its column."""
    doc = generate_wild(7, 13, PLAIN | {"ruling": ruling, "header": "numbered", "numbers": "integers",
                                        "packing": "one-per-page"})
    tables, note = read_tables(doc.draw(tmp_path), Settings())
    result = score(doc, tables)
    assert (result.missed, result.wrong, result.codes) == (0, 0, 0), result.problems[:5]
    assert result.cells > 100 and not note


def test_labels_printed_one_character_a_line_part_a_blank_column(tmp_path: Path) -> None:
    """A three-line table whose 人员经费 and 公用经费 labels are printed one character a line side by
    side, 公用经费 blank in every row: the figures show one column, and the two stacked labels were
    read as one header "人员经费公用经费" over 人员经费's figures (7 figures under a wrong column). Two
    stacked labels over one figure column, the figures under one of them, now part the columns."""
    doc = generate_wild(36, 3)
    assert doc.variants["vertical"] == "one-char-lines"
    tables, note = read_tables(doc.draw(tmp_path), Settings())
    result = score(doc, tables)
    assert not note
    assert (result.missed, result.wrong, result.codes, result.extra) == (0, 0, 0, 0), result.problems[:5]
    basic = next(t for t in tables if t.kind == "基本支出表")
    assert {p[-1] for p in basic.columns[""]} >= {"人员经费", "公用经费"}


def _stack(x: float, text: str) -> list[tuple[float, float, float, float, str]]:
    return [(x, 83.0 + 11 * i, x + 9, 92.0 + 11 * i, char) for i, char in enumerate(text)]


def test_stacked_labels_split_only_over_a_blank_column() -> None:
    """Two labels printed one character a line over one figure column part it when the figures stand
    under one of them; with figures under both (or one character only) they do not."""
    left, right = _stack(669.0, "人员经费"), _stack(733.0, "公用经费")
    head = [[a, b] for a, b in zip(left, right, strict=True)]
    figures = [(647.8, 132.0, 674.8, 141.0, "1846.06")]
    assert blank_column_cuts(head, figures, [72.0, 630.0, 770.0], 4.0) == [705.5]
    both = [*figures, (715.0, 150.0, 742.0, 159.0, "12.00")]
    assert blank_column_cuts(head, both, [72.0, 630.0, 770.0], 4.0) == []
    assert blank_column_cuts([[left[0], right[0]]], figures, [72.0, 630.0, 770.0], 4.0) == []
