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
