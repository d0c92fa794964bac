"""bench/stranger_docs.py draws what it says: one document per dimension option adds up, opens,
and carries its quirk in the text layer (the generator's own invariants, not ingest's results)."""

from __future__ import annotations

import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from stranger_docs import RADICALS, STRANGER_DIMENSIONS, StrangerDoc, generate_stranger  # noqa: E402

from budgetqa.numbers import parse_number  # noqa: E402

OPTIONS = [(name, option) for name, options in STRANGER_DIMENSIONS.items() for option in options]
NEUTRAL = {name: options[0] for name, options in STRANGER_DIMENSIONS.items()}


def _rows_add_up(doc: StrangerDoc) -> int:
    """Every drawn row's 合计 equals the sum of its other columns; the number of rows checked."""
    checked = 0
    for table in doc.tables:
        rows: list[dict[str, Decimal]] = []
        key = None
        for amount in table.amounts:
            if (amount.code, amount.name) != key or amount.column in rows[-1]:
                rows.append({})
                key = (amount.code, amount.name)
            rows[-1][amount.column] = parse_number(amount.text)
        for row in rows:
            if "合计" in row and len(row) > 2:
                assert row["合计"] == sum(v for c, v in row.items() if c != "合计"), (table.title, row)
                checked += 1
    return checked


def _quirk(name: str, option: str, doc: StrangerDoc, pdf: pdfplumber.PDF) -> None:
    page = pdf.pages[1]
    text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    if option == "kangxi":
        assert doc.radicals and set(doc.radicals.values()) & set(text), doc.radicals
        assert not any(ch in text for ch in doc.radicals), "a radical's ideograph is still extracted"
    elif option == "title":
        assert "年年" in text  # every title character doubled
    elif option == "total-row":
        assert "计计" in text
    elif option == "rotate-flag":
        assert page.rotation == 90 and page.width > page.height and all(c["upright"] for c in page.chars)
    elif option == "turned":
        assert page.rotation == 0 and page.width < page.height and not any(c["upright"] for c in page.chars)
    elif option == "none" and name == "borders":
        assert not pdf.pages[2].lines and not pdf.pages[2].rects
    elif option == "lei-rowspan":
        assert any(s[0][0] == 0 and s[1][0] == 0 and s[1][1] > s[0][1] for spans in doc.spans.values() for s in spans)
    elif option == "indented":
        assert all(a.code is None for t in doc.tables for a in t.amounts) and "\u3000" in "".join(
            b for b in (cell for grid in doc.blocks if isinstance(grid, list) for row in grid for cell in row))
    elif option == "em-dash":
        assert "—" in text
    elif option == "bare-zero":
        assert any(a.text == "0" for t in doc.tables for a in t.amounts)
    elif option == "running":
        assert f"第 2 页 共 {len(pdf.pages)} 页" in text and doc.department in (page.extract_text() or "")
    elif option == "side-by-side":
        assert any(line.count("年") >= 2 and line.count("表") >= 2 for line in text.splitlines())
    elif option == "narrative-below":
        assert "比上年增加" in text
    elif option == "letter-spaced":
        assert any(word in text for word in ("合 计", "项 目", "合\u3000\u3000计", "项\u3000\u3000目"))


@pytest.mark.parametrize(("name", "option"), OPTIONS, ids=[f"{n}={o}" for n, o in OPTIONS])
def test_a_stranger_document_adds_up_and_prints_its_quirk(tmp_path: Path, name: str, option: str) -> None:
    doc = generate_stranger(1, 800 + OPTIONS.index((name, option)), NEUTRAL | {name: option})
    assert doc.variants[name] == option
    assert _rows_add_up(doc) > 5
    with pdfplumber.open(doc.draw(tmp_path)) as pdf:
        assert len(pdf.pages) > 4
        _quirk(name, option, doc, pdf)
    by_table: dict[str, int] = defaultdict(int)
    for table in doc.tables:
        by_table[table.words] += 1
    assert max(by_table.values()) == 1 and len(doc.tables) >= 6


def test_radicals_are_the_compatibility_forms_of_common_ideographs() -> None:
    assert RADICALS["支"] == "\u2f40" and RADICALS["一"] == "\u2f00" and RADICALS["民"] == "\u2ea0"


@pytest.mark.parametrize(("seed", "number"), [(1, 21), (21, 37)], ids=["merged-lei-over-a-page", "form-over-a-frame"])
def test_a_grid_taller_than_a_landscape_page_is_still_drawn(tmp_path: Path, seed: int, number: int) -> None:
    """A 类 merged over 18 two-line rows (seed 1 document 21), and a landscape 绩效目标表 whose
    indicator column is merged over all its wrapped rows (seed 21 document 37): reportlab cannot
    split such a grid, so the default frame raised LayoutError and the document was not drawn; now
    drawn with narrower margins, its merged cells cut into runs a page holds when still too tall."""
    doc = generate_stranger(seed, number)
    assert doc.variants["rotation"] != "upright"
    with pdfplumber.open(doc.draw(tmp_path)) as pdf:
        text = "".join(p.extract_text() or "" for p in pdf.pages)
    assert _rows_add_up(doc) > 5
    assert all(table.title[-6:] in text for table in doc.tables if not doc.radicals)
    assert "绩效" in text or doc.radicals
