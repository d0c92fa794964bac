"""Signs that a table read from text alignment was read in the wrong shape, which sums do not show.

The self-check (``self_check``) judges a table from an uncertain reader by its own sums. A
table can add up and still hold wrong cells: a wrapped name split into a row of its own, a
类 code printed once in a merged cell (vertically centred over its rows) landing on a child's
line, a table run on over another table on later pages, a page's running head read as a
header level, columns named only "列N". Each function here names one such sign as a short
Chinese reason (for the document warning), or returns None.

* pages out of order: a table's pages must follow one another (a table runs on from one page
  to the next); a gap or a step back means the reader ran it on over another table;
* columns with made-up names: any value column named "列N" (its header not read), not only
  every column;
* a header level naming row labels (科目编码及名称 …) or a page mark (第 n 页, 共 N 页) over a
  value column: a label column's header or the page's running head read as a parent;
* broken row labels: in a table whose rows carry codes, a row (not a total) without a code,
  a code with neither a name nor a figure (a merged cell's code on a line of its own), or a
  name starting with a code part ("05 培训支出"), a row labelled by a lone 款/项 part that joined
  no code (its 类 printed on a page read as another table); in any table, several rows with a name and
  no figure beside rows with figures (a wrapped name read as rows of its own);
* a code-shaped integer among amounts printed with decimals ("209" beside "1,234.56"): a code
  stored as an amount.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

from budgetqa.audit.names import is_total_name, normalise
from budgetqa.models import Cell, Table

_UNNAMED = re.compile(r"^列\d+$")
_LABEL_LEVEL = re.compile(
    r"^(?:类|款|项|编码|代码|名称|项目名称|单位名称|部门名称|单位编码|部门编码"
    r"|(?:支出)?(?:功能|经济)?(?:分类)?科目(?:编码|代码)?(?:及|和|与)?(?:名称)?"
    r"|(?:单位|部门|项目)?(?:编码|代码)(?:及|和|与)名称)$"
)
"""A header naming row labels: never a parent of amount columns (``项目`` alone may head a group)."""
_PAGE_MARK = re.compile(r"第\s*\d+\s*页|共\s*\d+\s*页|^[-－—]\s*\d+\s*[-－—]$")
_CODE_LEAD = re.compile(r"^(?:\d{2}|\d{3}|\d{5}|\d{7})(?:\s|$)|^(?!\d{4}年)\d{2,7}(?=[\u4e00-\u9fff])")
"""A row name that starts with a code or code parts ("05 培训支出事务", "0209应急处置", a column of
code parts run into the names' column): the code was not read as one. A year ("2024年…") is no code."""
_CODE_PART = re.compile(r"^\d{1,2}$")
"""A 款 or 项 part alone: a code whose leading parts were printed elsewhere."""
_CODE_SHAPED = re.compile(r"^(?:\d{3}|\d{5}|\d{7})$")
_DECIMAL = re.compile(r"\.\d{1,2}$")
_OUTLINE = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．]|其中)")

MIN_LOOSE_ROWS = 2
"""Rows with a name and no figure that, beside rows with figures, mean wrapped names read as rows."""
LOOSE_SHARE = 0.15
"""…and at least this share of the rows."""


def page_order(table: Table, elsewhere: set[int] | None = None) -> str | None:
    """A table's pages must run on one after another: a step back is a doubt, and so is a gap
    over a page holding another table (``elsewhere``; unknown: any gap). A gap over a page that
    printed nothing of it but a blank row and its number is no doubt."""
    pages = table.pages

    def skips_a_table(a: int, b: int) -> bool:
        return b - a > 1 and (elsewhere is None or any(p in elsewhere for p in range(a + 1, b)))

    if any(b < a or skips_a_table(a, b) for a, b in zip(pages, pages[1:], strict=False)):
        return f"跨页顺序不连续（第{'、'.join(map(str, pages))}页），读到了别的表"
    return None


def unnamed_column(table: Table) -> str | None:
    """A value column whose header was not read ("列N")."""
    names = sorted({c.column for c in table.cells if c.state == "value" and c.col_path
                    and len(c.col_path) == 1 and _UNNAMED.match(c.col_path[0])})
    return f"“{'、'.join(names)}”列读不出表头" if names else None


def odd_header_level(table: Table) -> str | None:
    """A page mark in a value column's header, or a level naming row labels over some value columns
    of a side but not all (over all of them it is the label column's header read as a parent, and
    their order stands)."""
    found: list[str] = []
    over: dict[tuple[str, str], set[int]] = defaultdict(set)
    columns: dict[str, set[int]] = defaultdict(set)
    for cell in table.cells:
        if cell.state != "value":
            continue
        columns[cell.side].add(cell.col_index)
        for level in cell.col_path:
            text = re.sub(r"\s", "", level)
            if _PAGE_MARK.search(text) and text not in found:
                found.append(text)
            elif _LABEL_LEVEL.match(text):
                over[(cell.side, text)].add(cell.col_index)
    found += [text for (side, text), cols in over.items() if cols != columns[side] and text not in found]
    return f"表头“{'、'.join(found)}”不是金额列的表头，各列错位" if found else None


def broken_labels(table: Table) -> str | None:
    """Row labels that show a code or a wrapped name read onto the wrong line."""
    for side in table.sides:
        rows = [r for r in table.rows(side) if r]
        reason = _broken(rows)
        if reason:
            return reason
    return None


def _broken(rows: list[list[Cell]]) -> str | None:
    def has_value(row: list[Cell]) -> bool:
        return any(c.state == "value" for c in row)

    items = [r for r in rows if not is_total_name(normalise(r[0].row_name)) or r[0].row_code]
    coded = [r for r in items if r[0].row_code]
    for row in items:
        name = row[0].row_name.strip()
        if _CODE_LEAD.match(name):
            return f"行“{name}”的编码读进了名称"
        if row[0].row_code and not name and not has_value(row):
            return f"编码“{row[0].row_code}”单独成行，没有名称和数（合并单元格的编码）"
        subject = (row[0].row_subject or "").strip()
        if not row[0].row_code and _CODE_PART.match(subject):
            return f"行“{name}”只有编码的一部分“{subject}”（上级编码在别的页，续页被读成了另一张表）"
    if len(coded) >= 3 and len(coded) * 2 >= len(items):
        uncoded = [r[0].row_name.strip() for r in items if not r[0].row_code and r[0].row_name.strip()
                   and has_value(r) and not _OUTLINE.match(r[0].row_name.strip())]
        if uncoded:
            return f"有编码的表中“{uncoded[0]}”行没有编码"
    loose = [r for r in items if not has_value(r) and r[0].row_name.strip() and not _OUTLINE.match(r[0].row_name.strip())]
    if len(loose) >= MIN_LOOSE_ROWS and len(loose) >= LOOSE_SHARE * len(items) and any(map(has_value, items)):
        return f"“{loose[0][0].row_name.strip()}”等{len(loose)}行只有名称没有数（折行的名称被读成了行）"
    return None


def codes_among_amounts(table: Table) -> str | None:
    """A 3/5/7-digit integer in a column whose other figures print decimals: a code as an amount."""
    columns: dict[tuple[str, int], list[Cell]] = defaultdict(list)
    for cell in table.cells:
        if cell.state == "value":
            columns[(cell.side, cell.col_index)].append(cell)
    for cells in columns.values():
        decimals = sum(1 for c in cells if _DECIMAL.search(c.raw.strip()))
        odd = [c.raw.strip() for c in cells if _CODE_SHAPED.match(c.raw.strip().replace(",", ""))
               and "," not in c.raw]
        if odd and decimals * 2 >= len(cells):
            return f"“{odd[0]}”像科目编码，却读成了金额"
    return None


def flat_totals(table: Table) -> tuple[int, int]:
    """(checked, failed) of 合计/总计 row = Σ the other rows, column by column, for a table the audit
    finds no identity in (a short list of items under one total: 政府采购, 三公经费 …). A figure
    in the wrong column fails it; a difference within the printed precision times the number of
    items (rounding) does not."""
    checked = failed = 0
    for side in table.sides:
        rows = [r for r in table.rows(side) if r]
        totals = [r for r in rows if not r[0].row_code and is_total_name(normalise(r[0].row_name))]
        items = [r for r in rows if r not in totals and not _OUTLINE.match(r[0].row_name.strip())]
        if len(totals) != 1 or len(items) < 2 or any(r[0].row_code for r in items):
            continue
        for cell in totals[0]:
            parts = [c for r in items for c in r if c.col_index == cell.col_index and c.state == "value"]
            if cell.state != "value" or cell.value is None or not parts:
                continue
            places = max(len(c.raw.split(".")[1]) if "." in c.raw else 0 for c in [cell, *parts])
            slack = Decimal(1).scaleb(-places) * len(parts) / 2
            checked += 1
            failed += abs(sum(c.value for c in parts if c.value is not None) - cell.value) > slack
    return checked, failed


CHECKS = (unnamed_column, odd_header_level, broken_labels, codes_among_amounts)


def doubts(table: Table, elsewhere: set[int] | None = None) -> list[str]:
    """Every sign that the table was read in the wrong shape, as reasons (``elsewhere``: the pages
    other tables print on)."""
    reasons = [reason for check in CHECKS if (reason := check(table))]
    order = page_order(table, elsewhere)
    return [order, *reasons] if order else reasons
