"""Generated disclosures with layouts the shared PDFs do not show, read back against what was drawn.

A few documents of bench/layout_variants.py's seeded run, each with its hardest layout
choices fixed, so `make test` keeps measuring what the bench measures: every drawn amount
read in its row and column, no code stored as an amount, every sum identity holding.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from ingest_quality import read_tables  # noqa: E402
from variant_check import score  # noqa: E402
from variant_docs import generate  # noqa: E402

from budgetqa.settings import Settings  # noqa: E402

CASES = {
    "split-sparse-integers": {"codes": "split-bare", "code_repeat": "sparse", "numbers": "integers",
                              "empty": "dash", "header": "numbered", "meta": "dept-inside"},
    "split-lei-omitted-foot": {"codes": "split", "code_repeat": "lei-omitted", "title": "foot",
                               "continuation": "bare", "form": "weights-continued", "unit": "元"},
    "joined-integers-stacked": {"codes": "joined", "numbers": "integers", "empty": "zero", "packing": "stacked",
                                "names": "wrapped", "continuation": "continued-mark"},
    "inline-multi-header": {"codes": "inline", "header": "multi", "packing": "separate", "meta": "dept-above",
                            "continuation": "header-only", "form": "weights-wrapped"},
}


@pytest.mark.parametrize("force", CASES.values(), ids=CASES.keys())
def test_a_generated_layout_is_read_cell_by_cell(tmp_path: Path, force: dict[str, str]) -> None:
    doc = generate(15, 900 + list(CASES.values()).index(force), force)
    tables, note = read_tables(doc.draw(tmp_path), Settings())
    result = score(doc, tables)
    assert not note
    assert result.cells > 100 and result.form_items > 5
    assert (result.missed, result.wrong, result.codes, result.extra) == (0, 0, 0, 0), result.problems[:5]
    assert result.identity_failures == 0 and result.checks > 50, result.problems[:5]
    assert (result.found, result.split, result.unexpected) == (result.drawn, 0, 0), result.problems[:5]
    assert result.form_right == result.form_items, result.problems[:5]
