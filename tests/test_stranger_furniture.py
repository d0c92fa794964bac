"""Page furniture and neighbours around tables (bench/stranger_docs.py), read back cell by cell.

One fixed-seed document per case, every other stranger dimension neutral: a running head
and "第 n 页 共 N 页" on every page with the header repeated on continuation pages (upright
and on /Rotate 90 pages), two small tables side by side under titles on one line, narrative
figures right under a table, 款/项 names indented without codes, letter-spaced labels.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pdfplumber
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from ingest_quality import read_tables  # noqa: E402
from stranger_docs import STRANGER_DIMENSIONS, generate_stranger  # noqa: E402
from variant_check import score  # noqa: E402

from budgetqa.ingest.page_marks import furniture  # noqa: E402
from budgetqa.ingest.pipeline import read_document  # noqa: E402
from budgetqa.ingest.side_by_side import lanes, pieces  # noqa: E402
from budgetqa.settings import Settings  # noqa: E402

NEUTRAL = {name: options[0] for name, options in STRANGER_DIMENSIONS.items()}
CASES = {
    "running-head-foot-title": (500, {"page_marks": "running"}),
    "running-head-rotated": (510, {"page_marks": "running", "rotation": "rotate-flag"}),
    "side-by-side": (530, {"neighbours": "side-by-side"}),
    "narrative-below": (550, {"neighbours": "narrative-below", "levels": "indented"}),
    "indented-levels": (540, {"levels": "indented"}),
    "letter-spaced": (560, {"spacing": "letter-spaced", "page_marks": "running"}),
    # "单位：元" (alone, or after "部门：…") repeated at the top of every page is the tables' unit
    # line, not a running head: read as furniture, every table fell back to 万元, 10,000 times off
    "unit-line-yuan": (570, {"unit": "元", "meta": "unit-only"}),
    "department-unit-line-yuan": (571, {"unit": "元", "meta": "dept-above"}),
}


@pytest.mark.parametrize(("number", "force"), CASES.values(), ids=CASES.keys())
def test_furniture_and_neighbours_stay_out_of_tables(tmp_path: Path, number: int, force: dict[str, str]) -> None:
    doc = generate_stranger(1, number, NEUTRAL | force)
    tables, note = read_tables(doc.draw(tmp_path), Settings())
    result = score(doc, tables)
    assert not note
    assert result.cells > 100
    assert (result.missed, result.wrong, result.codes, result.extra) == (0, 0, 0, 0), result.problems[:5]
    assert result.identity_failures == 0, result.problems[:5]
    assert (result.found, result.split, result.unexpected) == (result.drawn, 0, 0), result.problems[:5]


def test_narrative_under_a_table_stays_narrative(tmp_path: Path) -> None:
    doc = generate_stranger(1, 550, NEUTRAL | {"neighbours": "narrative-below"})
    read = read_document(doc.draw(tmp_path), Settings())
    said = [b for b in doc.blocks if isinstance(b, str) and "比上年增加" in b]
    assert said and all(any(s[:20] in c.text for c in read.chunks) for s in said)
    assert not any("比上年增加" in (c.row_name or "") for t in read.tables for c in t.cells)


def test_a_line_repeated_at_one_height_or_a_page_number_is_furniture(tmp_path: Path) -> None:
    doc = generate_stranger(1, 500, NEUTRAL | {"page_marks": "running"})
    with pdfplumber.open(doc.draw(tmp_path)) as pdf:
        marks = furniture(pdf.pages)
        texts = {pdf.pages[i].crop(box).extract_text().replace(" ", "") for i, boxes in marks.items() for box in boxes}
        assert len(marks) >= len(pdf.pages) - 1
    assert f"{doc.department}部门预算公开" in texts and any(re.fullmatch(r"第\d+页共\d+页", t) for t in texts)
    assert not any("表" in t for t in texts)  # no title, header or row


def test_tables_side_by_side_get_their_own_lanes() -> None:
    boxes = [(72.0, 100.0, 282.0, 200.0), (330.0, 100.0, 540.0, 180.0), (72.0, 250.0, 540.0, 400.0)]
    assert lanes(boxes) == {0: (float("-inf"), 306.0), 1: (306.0, float("inf"))}
    chars = [{"x0": x, "x1": x + 10.0, "text": t} for x, t in [(72, "甲"), (82, "表"), (330, "乙"), (340, "表")]]
    assert pieces({"chars": chars}) == [(72.0, 92.0, "甲表"), (330.0, 350.0, "乙表")]
