"""Latency of `ask` in-process over the eval questions, with 2 and with 100 documents loaded.

The 100-document store holds copies of the two documents under other
department names (same tables, same figures), which is what a big store of
similar disclosures looks like to the planner. Run: python bench/ask.py
"""

from __future__ import annotations

import copy
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from budgetqa.answer import ask, catalogs
from budgetqa.index.store import Store
from budgetqa.ingest.identity import aliases
from budgetqa.ingest.pipeline import doc_id_for, read_document
from budgetqa.settings import Settings

PROJECT = Path(__file__).resolve().parents[1]
SHARED = PROJECT.parent / "shared"
SOURCES = [SHARED / "seeds" / "000_648cb979c5ae0ed7.txt",
           SHARED / "corpus" / "上海市普陀区财政局2024年度部门决算.pdf"]
SETS = [PROJECT / "eval" / "sets" / "seed.jsonl", PROJECT / "eval" / "sets" / "final_accounts.jsonl"]
COPY_REGIONS = ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"]


def build_store(data_dir: Path, copies: int) -> Store:
    """A store with the two documents, plus ``copies`` renamed copies of each."""
    store = Store(data_dir)
    originals = [read_document(path, Settings(data_dir=data_dir)) for path in SOURCES]
    for doc in originals:
        store.save(doc)
    for n in range(copies):
        for doc in originals:
            clone = copy.deepcopy(doc)
            clone.department = f"测试{COPY_REGIONS[n % 10]}{n}县{doc.department[-5:]}"
            clone.doc_id = doc_id_for(clone.department, clone.year, clone.kind, clone.scope)
            clone.aliases = aliases(clone.department)
            for file in clone.files:
                file.sha256 = f"{file.sha256[:-8]}{n:08d}"
            store.save(clone)
    return store


def named_questions(store: Store) -> list[str]:
    """The eval questions, each naming its document's department (as people do with many loaded)."""
    departments = [store.load(store.find_document_by_file(path.name)).department for path in SOURCES]
    questions = []
    for department, set_path in zip(departments, SETS, strict=True):
        for line in set_path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                questions.append(f"{department}{json.loads(line)['question']}")
    return questions


def measure(store: Store, questions: list[str]) -> dict[str, float]:
    catalogs(store)  # build the per-document caches once, as a running service would
    timings = []
    for question in questions:
        start = time.perf_counter()
        ask(store, question)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return {"p50": statistics.median(timings), "p95": timings[int(len(timings) * 0.95) - 1],
            "max": timings[-1], "n": len(timings)}


def main() -> int:
    if not all(p.exists() for p in SOURCES):
        print("../shared is absent; nothing to measure")
        return 1
    print(f"{'documents':>10} {'questions':>10} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for copies in (0, 49):
        with tempfile.TemporaryDirectory() as tmp:
            store = build_store(Path(tmp), copies)
            documents = len(store.documents())
            questions = named_questions(store)
            result = measure(store, questions)
            print(f"{documents:>10} {result['n']:>10} {result['p50']:>8.2f} {result['p95']:>8.2f} {result['max']:>8.2f}")
            store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
