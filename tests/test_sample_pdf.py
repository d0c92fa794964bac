"""The bundled sample PDF (rendered from the seed's figures) reads back to the same cells as the seed."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from budgetqa.ingest.pipeline import read_document
from budgetqa.models import Document, Table
from budgetqa.settings import Settings

PROJECT = Path(__file__).resolve().parents[1]
SAMPLE = PROJECT / "samples" / "sample_budget.pdf"
GOLD = json.loads((PROJECT / "samples" / "seed_disclosure.json").read_text(encoding="utf-8"))
GOLD_TABLES = [t for t in GOLD["tables"] if re.fullmatch(r"表\d+", t.get("label") or "")]

Key = tuple[int, str, int, Decimal]


@pytest.fixture(scope="module")
def sample() -> Document:
    return read_document(SAMPLE, Settings())


def _row_key(code: str | None, name: str, two_sided: bool) -> str:
    """Rows by code; in two-sided tables (where the sample prints names without codes) by name."""
    name = re.sub(r"\s", "", name)
    return name if two_sided or not code else code


def gold_cells(table: dict) -> set[Key]:
    two_sided = len(table["sides"]) > 1
    cells = set()
    for side_index, side in enumerate(table["sides"]):
        for row in side["rows"]:
            for col, raw in enumerate(row["values"]):
                if raw is not None:
                    cells.add((side_index, _row_key(row.get("code"), row["name"], two_sided), col,
                               Decimal(raw.replace(",", ""))))
    return cells


def parsed_cells(table: Table) -> set[Key]:
    two_sided = len(table.sides) > 1
    return {
        (table.sides.index(c.side), _row_key(c.row_code, c.row_name, two_sided), c.col_index, c.value)
        for c in table.cells if c.state == "value"
    }


def test_sample_metadata(sample: Document) -> None:
    document = GOLD["document"]
    assert (sample.department, sample.year, sample.kind) == (document["department"], document["year"], document["kind"])


def test_every_seed_table_is_found(sample: Document) -> None:
    labels = [t.label for t in sample.tables]
    assert all(t["label"] in labels for t in GOLD_TABLES)


@pytest.mark.parametrize("gold", GOLD_TABLES, ids=[t["label"] for t in GOLD_TABLES])
def test_sample_table_has_the_seed_cells(sample: Document, gold: dict) -> None:
    table = next(t for t in sample.tables if t.label == gold["label"])
    assert table.kind == gold["kind"]
    assert parsed_cells(table) == gold_cells(gold)
    if gold.get("empty_statement"):
        assert table.empty_statement
