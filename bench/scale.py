"""Benchmark at scale: 10 to 10,000 generated disclosures, ingested, asked in process, by batch and over HTTP.

Each document is the seed budget (a text dump) saved under a generated department and region
(``identity.names``: bureaus of many cities and their districts, names that share characters),
with every amount multiplied by the document's own integer factor (sums stay exact, shares and
growth rates stay the same), so an answer taken from another document shows as a wrong number.
For each size it reports:

- ingest documents/s (``budgetqa ingest --jobs 2``, ``BUDGETQA_EMBEDDING_MODEL=none``), its CPU
  seconds per document (parse and write, all processes: the rate two idle cores would reach is
  2 / that) and store size;
- a named numeric question ("<department>项目支出是多少"): p50/p95 in process and through
  ``budgetqa ask --batch`` (time between answer lines), first answer in a fresh process;
- p95 of a question naming only a short name several cities share (answered or a clarifying
  question) and of a text question answered from a retrieved passage (the first one in a process
  apart: it builds the keyword index);
- server RSS (peak) and requests/s with 8 concurrent clients (httpx against ``budgetqa serve``)
  asking about up to 1,000 departments;

and checks that every answer cites the named department, and every figure is that department's.
With ``BUDGETQA_DATABASE_URL`` set (PostgreSQL) each size gets its own database on that server,
dropped afterwards; otherwise SQLite in a temporary folder.

    python bench/scale.py [--sizes 10,100,1000] [--questions 100] [--duration 20] [--report reports/scale.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

from identity import QUESTION, SEED, names
from serve import CLI, run, server

from budgetqa.answer import ask
from budgetqa.index.store import Store

PROJECT = Path(__file__).resolve().parents[1]
TEXT_QUESTION = "公物仓维护管理项目资金用在哪些方面"
"""Answered from a passage the keyword search finds (not a section read whole, as 有哪些科室 is)."""
AMOUNT = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)\.(\d+)(?![\d.]*\s*[%％])")
"""An amount as printed (a decimal point; not a percentage): scaled per document."""


def factor(n: int) -> int:
    """Document n's figures are the seed's times this (never 1, so the seed's own figure is wrong too)."""
    return n + 2


def scale_amounts(text: str, times: int) -> str:
    def scaled(match: re.Match) -> str:
        whole, fraction = match.group(1), match.group(2)
        value = Decimal(whole.replace(",", "") + "." + fraction) * times
        printed = f"{value:,.{len(fraction)}f}" if "," in whole else f"{value:.{len(fraction)}f}"
        return printed
    return AMOUNT.sub(scaled, text)


def generate(folder: Path, count: int, seed_text: str, department: str, region: str) -> None:
    """``count`` seed variants as text files (document n: ``names(count)[n]``, figures times ``factor(n)``)."""
    folder.mkdir(parents=True, exist_ok=True)
    for n, name in enumerate(names(count)):
        city = name.split("市", 1)[0] + "市"
        text = seed_text.replace(department, name)
        if region:
            text = text.replace(region, city)
        (folder / f"{n:05d}.txt").write_text(scale_amounts(text, factor(n)), encoding="utf-8")


def percentile(values: list[float], p: int) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


@contextmanager
def database(size: int) -> Iterator[dict[str, str]]:
    """The environment for one size: its own PostgreSQL database when BUDGETQA_DATABASE_URL is set."""
    url = os.environ.get("BUDGETQA_DATABASE_URL", "")
    env = {**os.environ, "BUDGETQA_EMBEDDING_MODEL": "none", "BUDGETQA_KEEP_FILES": "false"}
    if not url.startswith("postgres"):
        yield env
        return
    import psycopg

    name = f"budgetqa_scale_{size}_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**env, "BUDGETQA_DATABASE_URL": re.sub(r"/[^/?]*(\?|$)", f"/{name}\\1", url, count=1)}
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def store_bytes(data_dir: Path, env: dict[str, str]) -> int:
    url = env.get("BUDGETQA_DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        with psycopg.connect(url) as db:
            return int(db.execute("SELECT pg_database_size(current_database())").fetchone()[0])
    return sum(p.stat().st_size for p in data_dir.rglob("*") if p.is_file())


class Judge:
    """Checks an answer: it cites only the named department, and its figure is that department's."""

    def __init__(self, departments: dict[str, str], factors: dict[str, int], base: Decimal) -> None:
        self.departments = departments
        self.factors = factors
        self.base = base
        self.problems: list[str] = []

    def __call__(self, name: str | None, answer: dict, numeric: bool) -> bool:
        if answer.get("status") != "answered" or name is None:
            return True
        cited = {self.departments.get(c.get("doc_id"), "?") for c in answer.get("citations") or []}
        if cited != {name}:
            self.problems.append(f"{name}: cites {sorted(cited)}")
            return False
        if numeric:
            value = Decimal(str(answer["values"][0]["value"]))
            if abs(value - self.base * self.factors[name]) >= Decimal("0.01"):
                self.problems.append(f"{name}: {value} ≠ {self.base * self.factors[name]}")
                return False
        return True


CPU: list[float] = []
"""CPU milliseconds of each ``timed`` call (this process), beside its wall time."""


def timed(function, *args) -> tuple[float, object]:
    start, cpu = time.perf_counter(), time.process_time()
    result = function(*args)
    CPU.append((time.process_time() - cpu) * 1000)
    return (time.perf_counter() - start) * 1000, result


def batch_timings(data_dir: Path, env: dict[str, str], questions: list[str], folder: Path) -> tuple[list[float], list[dict]]:
    """``budgetqa ask --batch``: milliseconds between answer lines (the first, with start-up, left out)."""
    path = folder / "questions.jsonl"
    path.write_text("".join(json.dumps({"id": i, "question": q}, ensure_ascii=False) + "\n"
                            for i, q in enumerate(questions)), encoding="utf-8")
    process = subprocess.Popen([*CLI, "ask", "--batch", str(path), "--data-dir", str(data_dir)], env=env,
                               stdout=subprocess.PIPE, text=True, encoding="utf-8")
    stamps, answers = [], []
    for line in process.stdout:
        stamps.append(time.perf_counter())
        answers.append(json.loads(line))
    process.wait()
    return [(b - a) * 1000 for a, b in zip(stamps, stamps[1:], strict=False)], answers


def seed_figure(seed, work: Path) -> Decimal:
    """The seed's own answer to the named question (each document's is this times its factor)."""
    with tempfile.TemporaryDirectory(prefix="budgetqa-seed-", dir=work) as folder:
        alone = Store(Path(folder))
        alone.save(seed)
        try:
            return Decimal(ask(alone, QUESTION).values[0].value)
        finally:
            alone.close()


def measure(size: int, work: Path, args: argparse.Namespace, seed_text: str, seed, base: Decimal) -> dict:
    from budgetqa.cli import _store

    folder, data_dir = work / f"in-{size}", work / f"store-{size}"
    factors = {name: factor(n) for n, name in enumerate(names(size))}
    row: dict = {"documents": size}
    reuse = args.reuse and data_dir.is_dir()
    if not reuse:
        generate(folder, size, seed_text, seed.department, seed.region)
    with database(size) as env:
        if not reuse:
            start, cpu = time.perf_counter(), _children_cpu()
            ingest = subprocess.run([*CLI, "ingest", str(folder), "--jobs", str(args.jobs), "--data-dir",
                                     str(data_dir)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                    text=True)
            seconds = time.perf_counter() - start
            row["ingest_docs_per_s"] = round(size / seconds, 1)
            row["ingest_cpu_s_per_doc"] = round((_children_cpu() - cpu) / size, 3)
            row["ingest_failed"] = ingest.returncode
        row["store_mb"] = round(store_bytes(data_dir, env) / 1e6, 1)
        sample = names(size)[:: max(1, size // args.questions)]
        short = [name.split("市", 1)[1] for name in sample if "区" in name] or [n[-3:] for n in sample]
        os.environ.update({k: v for k, v in env.items() if k.startswith("BUDGETQA_")})
        store = _store(data_dir)
        departments = {d["doc_id"]: d["department"] for d in store.documents()}
        row["stored"] = len(departments)
        first_ms, _ = timed(ask, store, f"{sample[0]}{QUESTION}")
        row["first_in_process_cpu_ms"] = round(CPU[-1], 1)
        judge = Judge(departments, factors, base)
        named, statuses = [], {}
        CPU.clear()
        for name in sample:
            ms, answer = timed(ask, store, f"{name}{QUESTION}")
            named.append(ms)
            body = json.loads(answer.model_dump_json())
            statuses[body["status"]] = statuses.get(body["status"], 0) + 1
            judge(name, body, numeric=True)
        named_cpu = list(CPU)
        clarify = [timed(ask, store, f"{name}{QUESTION}") for name in short]
        text = [timed(ask, store, f"{name}{TEXT_QUESTION}") for name in sample] if args.text else []
        row["first_text_in_process_ms"] = round(text[0][0], 1) if text else None
        row["first_text_cpu_ms"] = round(CPU[-len(text)], 1) if text else None
        text = text[1:] or text
        for name, (_, answer) in zip(sample[len(sample) - len(text):], text, strict=True):
            judge(name, json.loads(answer.model_dump_json()), numeric=False)
        store.close()
        row.update({
            "first_in_process_ms": round(first_ms, 1),
            "named_p50_ms": _round(percentile(named, 50)), "named_p95_ms": _round(percentile(named, 95)),
            "named_cpu_p50_ms": _round(percentile(named_cpu, 50)),
            "named_cpu_p95_ms": _round(percentile(named_cpu, 95)),
            "named_statuses": statuses,
            "short_name_p95_ms": _round(percentile([ms for ms, _ in clarify], 95)),
            "short_name_statuses": _statuses(answer for _, answer in clarify),
            "text_p95_ms": _round(percentile([ms for ms, _ in text], 95)),
            "text_statuses": _statuses(answer for _, answer in text),
        })
        gaps, answers = batch_timings(data_dir, env, [f"{n}{QUESTION}" for n in sample], work)
        for name, body in zip(sample, answers, strict=False):
            judge(name, body, numeric=True)
        row["batch_p50_ms"] = _round(percentile(gaps, 50))
        row["batch_p95_ms"] = _round(percentile(gaps, 95))
        cpu = _children_cpu()
        fresh = [_fresh(data_dir, env, f"{name}{QUESTION}")[0] for name in sample[:3]]
        row["first_answer_fresh_s"] = round(statistics.median(fresh) / 1000, 2)
        row["first_answer_fresh_cpu_s"] = round((_children_cpu() - cpu) / len(fresh), 2)
        by_question = {f"{n}{QUESTION}": n for n in names(size)[:: max(1, size // args.server_departments)]}
        with server(data_dir, env) as (url, process):
            tally, elapsed = asyncio.run(run(url, list(by_question), args.clients, args.duration,
                                             lambda q, body: judge(by_question[q], body, numeric=True)))
            row["server_rss_mb"] = round(_peak_rss_kb(process.pid) / 1024, 1)
        row["server_req_per_s"] = round(len(tally.latencies) / elapsed, 1) if elapsed else 0.0
        row["server_p95_ms"] = _round(percentile([s * 1000 for s in tally.latencies], 95))
        row["server_failures"] = dict(tally.failures)
        row["wrong_department_or_figure"] = len(judge.problems)
        row["problems"] = judge.problems[:10]
    return row


def _fresh(data_dir: Path, env: dict[str, str], question: str) -> tuple[float, object]:
    """``budgetqa ask`` in a new process: milliseconds from launch to exit (interpreter start included)."""
    start = time.perf_counter()
    done = subprocess.run([*CLI, "ask", question, "--data-dir", str(data_dir)], env=env, capture_output=True)
    return (time.perf_counter() - start) * 1000, done


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _children_cpu() -> float:
    """CPU seconds (user + system) of this process's finished children and theirs."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _statuses(answers) -> dict[str, int]:
    found: dict[str, int] = {}
    for answer in answers:
        found[answer.status] = found.get(answer.status, 0) + 1
    return found


def _peak_rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


COLUMNS = [("documents", "documents"), ("ingest_docs_per_s", "ingest docs/s"),
           ("ingest_cpu_s_per_doc", "ingest CPU s/doc"), ("store_mb", "store MB"),
           ("named_p50_ms", "named p50 ms"), ("named_p95_ms", "named p95 ms"),
           ("named_cpu_p95_ms", "named CPU p95 ms"), ("batch_p50_ms", "batch p50 ms"),
           ("batch_p95_ms", "batch p95 ms"), ("short_name_p95_ms", "short-name p95 ms"),
           ("first_text_in_process_ms", "first text ms"), ("first_text_cpu_ms", "first text CPU ms"), ("text_p95_ms", "text p95 ms"), ("first_answer_fresh_s", "first answer s"),
           ("first_answer_fresh_cpu_s", "first answer CPU s"),
           ("server_rss_mb", "server RSS MB"), ("server_req_per_s", "req/s (8 clients)"),
           ("wrong_department_or_figure", "wrong")]


def table(rows: list[dict]) -> str:
    lines = ["| " + " | ".join(label for _, label in COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(str(row.get(key, "")) for key, _ in COLUMNS) + " |" for row in rows]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,100,1000", help="Comma-separated document counts.")
    parser.add_argument("--questions", type=int, default=100, help="Departments asked about per size.")
    parser.add_argument("--jobs", type=int, default=2, help="budgetqa ingest --jobs.")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--server-departments", type=int, default=1000,
                        help="Departments the HTTP clients ask about (each document's first question loads it).")
    parser.add_argument("--duration", type=float, default=20.0, help="Seconds of HTTP load per size.")
    parser.add_argument("--no-text", dest="text", action="store_false",
                        help="Skip the text questions (the first builds the keyword index of every document).")
    parser.add_argument("--reuse", action="store_true",
                        help="Ask over the SQLite stores already in --work (no generation, no ingest).")
    parser.add_argument("--work", type=Path, help="Folder for the generated files and stores (default: temporary).")
    parser.add_argument("--report", type=Path, help="Write the rows as JSON here.")
    args = parser.parse_args()
    if not SEED.exists():
        print("../shared is absent; nothing to measure")
        return 1
    from budgetqa.ingest.pipeline import read_document
    from budgetqa.settings import Settings

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    rows = []
    with tempfile.TemporaryDirectory(prefix="budgetqa-scale-") as tmp:
        work = args.work or Path(tmp)
        seed = read_document(SEED, Settings(data_dir=work, embedding_model="none"))
        seed_text = SEED.read_text(encoding="utf-8")
        base = seed_figure(seed, work)
        for size in sizes:
            row = measure(size, work, args, seed_text, seed, base)
            rows.append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
    print(table(rows))
    if args.report:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
    return 1 if any(row["wrong_department_or_figure"] for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
