"""Tables printed without ruling lines: read from the page text with the text-dump reader.

pdfplumber's line strategy finds no grid on such pages, so their rows arrive as
narrative lines. Pages that print a table title and are mostly rows of amounts
are handed, as text, to the same reader that reads PDF-to-text dumps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from budgetqa.ingest.self_check import check_table
from budgetqa.ingest.text_reader import read_text_tables
from budgetqa.models import Table
from budgetqa.vocab import table_kind

_AMOUNT = re.compile(r"\d[\d,]*\.\d{2}\b|\d{1,3}(?:,\d{3})+")


@dataclass(frozen=True, slots=True)
class UnruledSettings:
    """When a page's text is read as a table."""

    title_max_chars: int = 40
    """A table title line is short and is not a sentence."""
    min_numeric_share: float = 0.3
    """A continuation page needs at least this share of its lines to print amounts."""
    title_lines: int = 4
    """A page whose first lines hold a table title is a table page whatever else it prints."""


DEFAULT_UNRULED = UnruledSettings()


def _is_title(line: str, settings: UnruledSettings) -> bool:
    text = line.strip()
    return len(text) <= settings.title_max_chars and "。" not in text and table_kind(text) is not None


def _numeric_share(lines: list[str]) -> float:
    return sum(1 for line in lines if _AMOUNT.search(line)) / len(lines) if lines else 0.0


def table_pages(
    pages: list[tuple[int, list[str]]], ruled_pages: set[int], settings: UnruledSettings = DEFAULT_UNRULED
) -> list[int]:
    """Pages without a ruled table that print a table title, and the amount-filled pages after them."""
    chosen: list[int] = []
    in_table = False
    for number, lines in pages:
        if number in ruled_pages:
            in_table = False
            continue
        heads = lines[: settings.title_lines]
        titled = any(_is_title(line, settings) for line in heads) or (
            any(_is_title(line, settings) for line in lines) and _numeric_share(lines) >= settings.min_numeric_share
        )
        if titled or (in_table and _numeric_share(lines) >= settings.min_numeric_share):
            chosen.append(number)
            in_table = True
        else:
            in_table = False
    return chosen


def read_unruled(
    pages: list[tuple[int, list[str]]], tables: list[Table], source_file: str
) -> tuple[list[Table], list[tuple[int, list[str]]]]:
    """Tables read from unruled pages, and the narrative pages with those tables' lines removed."""
    ruled = {page for table in tables for page in table.pages}
    chosen = set(table_pages(pages, ruled))
    if not chosen:
        return [], pages
    lines: list[str] = []
    numbers = []
    for number, page_lines in pages:
        if number in chosen:
            # the text-dump reader starts a page at a line beginning with a space
            lines += [" " + (page_lines[0] if page_lines else ""), *page_lines[1:]]
            numbers.append(number)
    result = read_text_tables(lines, source_file=source_file)
    found = [t for t in result.tables if t.empty_statement or any(c.state == "value" for c in t.cells)]
    if not found:
        return [], pages
    page_of = dict(enumerate(numbers, start=1))
    for table in found:
        table.reader = "unruled"
        table.pages = [page_of.get(p, p) for p in table.pages]
        for cell in table.cells:
            cell.page = page_of.get(cell.page, cell.page)
    leftover = {page_of.get(p, p): text for p, text in result.narrative_pages}
    narrative = [(n, leftover.get(n, []) if n in chosen else text) for n, text in pages]
    return found, narrative


def settle_bare(
    tables: list[Table], pages: list[tuple[int, list[str]]], bare_pages: list[tuple[int, list[str]]],
    source_file: str,
) -> tuple[list[Table], list[tuple[int, list[str]]]]:
    """Tables read from alignment on pages with no rule at all (``bare_grid``) whose reading is
    doubtful (``self_check``), read again from those pages' text by the text reader; its reading
    is taken where it is not doubtful, else the alignment's stays (to be dropped with a warning).

    Only a doubtful table alone on its pages is read again. Returns the tables and the narrative
    pages (a page read again by the text reader keeps the lines outside its tables).
    """
    full = dict(bare_pages)
    doubtful = [t for t in tables if t.reader == "unruled" and t.performance is None and check_table(t).fails()]
    held = {p for t in tables if t not in doubtful for p in t.pages}
    again = [t for t in doubtful if t.pages and all(p in full and p not in held for p in t.pages)]
    if not again:
        return tables, pages
    wanted = {p for t in again for p in t.pages}
    others = [t for t in tables if t not in again]
    trial = [(n, full[n] if n in wanted else lines) for n, lines in pages]
    found, narrative = read_unruled(trial, others, source_file)
    leftover = dict(narrative)
    result = list(others)
    taken: set[int] = set()
    for table in again:
        mine = [t for t in found if set(t.pages) & set(table.pages)]
        if mine and all(set(t.pages) <= wanted for t in mine) and not any(check_table(t).fails() for t in mine):
            result += [t for t in mine if id(t) not in taken]
            taken |= {id(t) for t in mine}
            wanted -= set(table.pages) - {p for t in mine for p in t.pages}
        else:
            result.append(table)
            wanted -= set(table.pages)
    kept_pages = {p for t in result if id(t) in taken for p in t.pages}
    settled = [(n, leftover.get(n, lines) if n in kept_pages else lines) for n, lines in pages]
    return sorted(result, key=lambda t: min(t.pages, default=0)), settled
