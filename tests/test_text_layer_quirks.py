"""PDF-level quirks of real exports are repaired before reading (bench/stranger_docs.py draws them).

Each case is a stranger document with every other quirk neutral, read cell by cell against the
drawing: a landscape table set sideways on a portrait page without /Rotate, the same with the
flag, Kangxi radicals in the text layer (⽀ for 支), and a title or 合计 row printed twice (fake bold).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from ingest_quality import read_tables  # noqa: E402
from stranger_docs import STRANGER_DIMENSIONS, generate_stranger  # noqa: E402
from variant_check import score  # noqa: E402

from budgetqa.settings import Settings  # noqa: E402

NEUTRAL = {name: options[0] for name, options in STRANGER_DIMENSIONS.items()}
CASES = {
    "turned-without-flag": {"rotation": "turned"},
    "rotate-flag": {"rotation": "rotate-flag"},
    "kangxi-radicals": {"glyphs": "kangxi"},
    "fake-bold-title": {"overprint": "title"},
    "fake-bold-total-row": {"overprint": "total-row"},
}


@pytest.mark.parametrize("force", CASES.values(), ids=CASES.keys())
def test_a_pdf_level_quirk_is_read_cell_by_cell(tmp_path: Path, force: dict[str, str]) -> None:
    doc = generate_stranger(1, 901, NEUTRAL | force)
    tables, note = read_tables(doc.draw(tmp_path), Settings())
    result = score(doc, tables)
    assert not note and result.cells > 100
    assert (result.right, result.wrong, result.codes, result.extra) == (result.cells, 0, 0, 0), result.problems[:5]
    assert (result.found, result.unexpected) == (result.drawn, 0), result.problems[:5]
