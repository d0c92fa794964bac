"""Department binding at scale: 1,000 similar documents, every named question answered for that department.

Copies of the seed budget are saved under generated names that share most of their
characters: the same bureaus in many cities and districts (市财政局 beside 区财政局, 审计局
beside 统计局). Every copy's figures are scaled by its own factor, so an answer taken from
another department shows as a wrong number. For a sample of departments the script asks
with the full name and with the short form people use (某区某局), and asks about districts
that are not loaded; it reports how many answers cite the named department, how many were
wrong, refused or clarified, and the time per question. Run: python bench/identity.py [N]

With ``BUDGETQA_DATABASE_URL=postgresql://…`` set, the store is a scratch database created on that
server (the role needs CREATEDB) and dropped afterwards; otherwise a temporary SQLite file.
"""

from __future__ import annotations

import contextlib
import copy
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from budgetqa.answer import ask
from budgetqa.index.db import scratch_database
from budgetqa.index.store import Store
from budgetqa.ingest.identity import aliases
from budgetqa.ingest.pipeline import doc_id_for, read_document
from budgetqa.settings import Settings

PROJECT = Path(__file__).resolve().parents[1]
SEED = PROJECT.parent / "shared" / "seeds" / "000_648cb979c5ae0ed7.txt"
CITIES = ["东川", "西川", "南川", "北川", "东江", "西江", "南江", "北江", "东山", "西山"]
DISTRICTS = ["城", "湖", "河", "桥", "林", "港", "园", "塘", "岭", "洲"]
BUREAUS = ["财政局", "审计局", "统计局", "民政局", "教育局", "水务局", "商务局", "司法局", "体育局", "科学技术局"]
QUESTION = "项目支出是多少"


def cities() -> Iterator[str]:
    """CITIES, then more two-character city names (100 in all: 11,000 departments)."""
    yield from CITIES
    for first in "东西南北中新上下前后":
        for second in "川江山河湖原平阳宁安":
            if first + second not in CITIES:
                yield first + second


def names(count: int) -> list[str]:
    """City bureaus and district bureaus of the same kind, in many cities: names that share characters."""
    found: list[str] = []
    for city in cities():
        for bureau in BUREAUS:
            found.append(f"{city}市{bureau}")
            for district in DISTRICTS:
                found.append(f"{city}市{city[0]}{district}区{bureau}")
        if len(found) >= count:
            break
    return found[:count]


def scaled(doc, name: str, factor: Decimal, n: int):
    clone = copy.deepcopy(doc)
    clone.department, clone.region = name, ""
    clone.doc_id = doc_id_for(name, clone.year, clone.kind, clone.scope)
    clone.aliases = aliases(name)
    clone.title = clone.title.replace(doc.department, name)
    for file in clone.files:
        file.sha256 = f"{n:064d}"
    for table in clone.tables:
        for cell in table.cells:
            if cell.value is not None:
                cell.value = cell.value * factor
    for fact in clone.facts:
        for field in ("amount", "change_amount", "previous", "budget"):
            if getattr(fact, field) is not None:
                setattr(fact, field, getattr(fact, field) * factor)
    return clone


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    if not SEED.exists():
        print("../shared is absent; nothing to measure")
        return 1
    server = Settings().database_url
    with tempfile.TemporaryDirectory() as tmp, (
            scratch_database(server, "budgetqa_bench") if server else contextlib.nullcontext()) as url:
        store = Store(Path(tmp), url)
        seed = read_document(SEED, Settings(data_dir=Path(tmp), embedding_model="none"))
        alone = Store(Path(tmp) / "alone")
        alone.save(seed)
        base = Decimal(ask(alone, QUESTION).values[0].value)
        alone.close()
        expected = {}
        start = time.perf_counter()
        for n, name in enumerate(names(count)):
            factor = Decimal(100 + n) / 100
            store.save(scaled(seed, name, factor, n))
            expected[name] = base * factor
        built = time.perf_counter() - start
        start = time.perf_counter()
        first = ask(store, f"{names(count)[count // 2]}{QUESTION}")
        cold = time.perf_counter() - start
        start = time.perf_counter()
        subprocess.run([str(Path(sys.executable).parent / "budgetqa"), "ask", f"{names(count)[count // 3]}{QUESTION}",
                        "--data-dir", tmp], check=True, capture_output=True,
                       env={**os.environ, "BUDGETQA_EMBEDDING_MODEL": "none", "BUDGETQA_DATABASE_URL": url or ""})
        fresh = time.perf_counter() - start
        sample = names(count)[:: max(1, count // 100)]
        asked = [(f"{name}{QUESTION}", name) for name in sample]
        asked += [(f"{name.split('市', 1)[1]}{QUESTION}", name) for name in sample if "区" in name]
        missing = [(f"{name.replace('区', '新区', 1)}{QUESTION}", None) for name in sample if "区" in name][:20]
        outcome = {"right": 0, "wrong": 0, "other_department": 0, "refused": 0, "clarify": 0}
        timings = []
        for question, name in asked + missing:
            t0 = time.perf_counter()
            answer = ask(store, question)
            timings.append((time.perf_counter() - t0) * 1000)
            if answer.status != "answered":
                outcome["refused" if answer.status == "refused" else "clarify"] += 1
                continue
            cited = {store.load(c.doc_id).department for c in answer.citations}
            if name is None or cited != {name}:
                outcome["other_department"] += 1
            value = Decimal(answer.values[0].value)
            outcome["right" if name and abs(value - expected[name]) < Decimal("0.01") else "wrong"] += 1
        timings.sort()
        print(f"store: {'PostgreSQL' if url else 'SQLite'}")
        print(f"documents {count}: saved in {built:.1f} s; first answer in this process {cold * 1000:.0f} ms "
              f"({first.status}); `budgetqa ask` in a fresh process {fresh:.1f} s (interpreter start included)")
        print(f"questions {len(asked)} naming a loaded department, {len(missing)} naming one not loaded")
        print("outcome", outcome)
        print(f"per question p50 {statistics.median(timings):.1f} ms, p95 {timings[int(len(timings) * 0.95) - 1]:.1f} ms")
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
