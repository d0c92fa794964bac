"""Benchmark: budgetqa's read_document against pdfplumber alone, per corpus PDF.

For each PDF in ../shared/corpus (or $BUDGETQA_SHARED/corpus) and
samples/sample_budget.pdf (when present), time, best of N runs:

* budgetqa: ``read_document`` (tables + narrative, no store);
* pdfplumber: open the file, ``extract_text()`` and ``extract_tables()`` on every page;

and print pages, both times, their ratio, and totals.

Usage::

    python bench/ingest.py [--runs 3] [FILE.pdf ...]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

from budgetqa.ingest.errors import IngestError
from budgetqa.ingest.pipeline import read_document
from budgetqa.settings import Settings

PROJECT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("BUDGETQA_SHARED") or PROJECT.parent / "shared")
SAMPLE = PROJECT / "samples" / "sample_budget.pdf"


@dataclass(slots=True)
class Row:
    """One file's timings."""

    name: str
    pages: int
    budgetqa: float
    pdfplumber: float
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.budgetqa / self.pdfplumber if self.pdfplumber else float("nan")


def best_of(runs: int, work: Callable[[], object]) -> float:
    """The fastest of ``runs`` timed calls, in seconds."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def pdfplumber_alone(path: Path) -> int:
    """What pdfplumber does with no budgetqa logic: text and tables of every page."""
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.extract_tables()
        return len(pdf.pages)


def measure(path: Path, runs: int, settings: Settings) -> Row:
    """Time both readers on one file; a refused file is timed up to its refusal."""
    note = ""

    def budgetqa() -> None:
        nonlocal note
        try:
            doc = read_document(path, settings)
            note = f"{len(doc.tables)} tables, {len(doc.facts)} facts"
        except IngestError as exc:
            note = f"refused: {exc.reason}"

    with pdfplumber.open(path) as pdf:
        pages = len(pdf.pages)
    return Row(path.name, pages, best_of(runs, budgetqa), best_of(runs, lambda: pdfplumber_alone(path)), note)


def default_files() -> list[Path]:
    files = sorted((SHARED / "corpus").glob("*.pdf"))
    if SAMPLE.is_file():
        files.append(SAMPLE)
    return files


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def render(rows: list[Row], runs: int) -> str:
    """The results as a fixed-width text table with a totals line."""
    width = max([display_width(r.name) for r in rows] + [5])
    head = f"{pad('file', width)}  {'pages':>5}  {'budgetqa s':>10}  {'pdfplumber s':>12}  {'ratio':>5}  note"
    lines = [f"best of {runs} runs", head, "-" * display_width(head)]
    for r in rows:
        lines.append(f"{pad(r.name, width)}  {r.pages:>5}  {r.budgetqa:>10.3f}  {r.pdfplumber:>12.3f}  "
                     f"{r.ratio:>5.2f}  {r.note}")
    total = Row("total", sum(r.pages for r in rows), sum(r.budgetqa for r in rows), sum(r.pdfplumber for r in rows))
    lines.append("-" * display_width(head))
    lines.append(f"{pad(total.name, width)}  {total.pages:>5}  {total.budgetqa:>10.3f}  {total.pdfplumber:>12.3f}  "
                 f"{total.ratio:>5.2f}  {total.budgetqa / max(total.pages, 1) * 1000:.0f} ms/page (budgetqa)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="PDFs to time (default: the corpus and the sample)")
    parser.add_argument("--runs", type=int, default=3, help="runs per reader and file; the best counts")
    args = parser.parse_args(argv)
    files = args.files or default_files()
    if not files:
        print(f"no PDFs found (looked in {SHARED / 'corpus'} and {SAMPLE})", file=sys.stderr)
        return 1
    settings = Settings()
    rows = [measure(path, args.runs, settings) for path in files]
    print(render(rows, args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
