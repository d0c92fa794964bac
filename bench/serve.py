"""Benchmark: the HTTP service under N concurrent clients asking the eval questions.

Against a server already running on this machine (loopback only)::

    budgetqa serve --data-dir data/sample &
    python bench/serve.py --url http://127.0.0.1:8000 [--clients 8] [--duration 30]

or let the benchmark start one on the bundled sample (in a subprocess, so the
server and the clients don't share an interpreter)::

    python bench/serve.py --start

Each client posts the questions of the sets (default eval/sets/seed.jsonl; only
the question text is sent) to /api/v1/ask in turn, one request at a time, for
--duration seconds. Prints requests/s, latency p50/p95/p99 and the answers'
statuses; a request fails on a transport error, a non-200 status or a body that
is not an answer. Exits 1 when any request failed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

PROJECT = Path(__file__).resolve().parents[1]
SAMPLE = PROJECT / "samples" / "sample_budget.pdf"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
STATUSES = {"answered", "refused", "clarify"}


@dataclass
class Tally:
    """What the clients saw."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    failures: Counter = field(default_factory=Counter)


def load_questions(paths: list[Path]) -> list[str]:
    questions = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                questions.append(json.loads(line)["question"])
    if not questions:
        raise SystemExit("no questions in " + ", ".join(map(str, paths)))
    return questions


Check = Callable[[str, dict], bool]
"""Judges an answer to a question (False: counted as a failure, "check")."""


async def client(http: httpx.AsyncClient, questions: list[str], start: int, deadline: float, tally: Tally,
                 check: Check | None = None) -> None:
    """One client: ask the questions in turn (each client starting at its own offset) until the deadline."""
    i = start
    while time.perf_counter() < deadline:
        question = questions[i % len(questions)]
        i += 1
        began = time.perf_counter()
        try:
            response = await http.post("/api/v1/ask", json={"question": question})
            body = response.json() if response.status_code == 200 else {}
            status = body.get("status")
        except (httpx.HTTPError, ValueError) as exc:
            tally.failures[type(exc).__name__] += 1
            continue
        tally.latencies.append(time.perf_counter() - began)
        if status in STATUSES:
            tally.statuses[status] += 1
            if check is not None and not check(question, body):
                tally.failures["check"] += 1
        else:
            tally.failures[f"HTTP {response.status_code}"] += 1


async def run(url: str, questions: list[str], clients: int, duration: float,
              check: Check | None = None) -> tuple[Tally, float]:
    tally = Tally()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30.0, trust_env=False) as http:
        (await http.get("/healthz")).raise_for_status()
        began = time.perf_counter()
        deadline = began + duration
        step = max(1, len(questions) // clients)
        await asyncio.gather(*(client(http, questions, k * step, deadline, tally, check) for k in range(clients)))
        elapsed = time.perf_counter() - began
    return tally, elapsed


def report(tally: Tally, elapsed: float, clients: int, questions: int) -> dict:
    done = len(tally.latencies)
    cuts = statistics.quantiles(tally.latencies, n=100, method="inclusive") if done > 1 else [0.0] * 99
    return {
        "clients": clients,
        "questions": questions,
        "seconds": round(elapsed, 2),
        "requests": done + sum(tally.failures.values()),
        "failed": sum(tally.failures.values()),
        "failures": dict(tally.failures),
        "requests_per_s": round(done / elapsed, 1) if elapsed else 0.0,
        "latency_ms": {name: round(cuts[k] * 1000, 1) for name, k in (("p50", 49), ("p95", 94), ("p99", 98))},
        "statuses": dict(tally.statuses),
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def sample_server() -> Iterator[str]:
    """`budgetqa serve` in a subprocess over a fresh store holding the bundled sample."""
    with tempfile.TemporaryDirectory(prefix="budgetqa-bench-") as data_dir:
        subprocess.run([*CLI, "ingest", str(SAMPLE), "--data-dir", data_dir], check=True, capture_output=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("BUDGETQA_")}
        with server(Path(data_dir), env) as (url, _):
            yield url


CLI = [sys.executable, "-c", "from budgetqa.cli import app; app()"]


@contextmanager
def server(data_dir: Path, env: dict[str, str]) -> Iterator[tuple[str, subprocess.Popen]]:
    """`budgetqa serve` in a subprocess on a free loopback port: its URL and its process, once it answers."""
    port = free_port()
    process = subprocess.Popen([*CLI, "serve", "--host", "127.0.0.1", "--port", str(port), "--data-dir", str(data_dir)],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(url + "/healthz", timeout=1, trust_env=False).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the server did not start")
            time.sleep(0.2)
        yield url, process
    finally:
        process.terminate()
        process.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="A running server (loopback only).")
    parser.add_argument("--start", action="store_true", help="Start a server on the bundled sample instead.")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=30.0, help="Seconds.")
    parser.add_argument("--sets", type=Path, nargs="+", default=[PROJECT / "eval" / "sets" / "seed.jsonl"])
    parser.add_argument("--json", action="store_true", help="Print the report as JSON.")
    args = parser.parse_args()
    questions = load_questions(args.sets)

    def measure(url: str) -> dict:
        if urlsplit(url).hostname not in LOOPBACK:
            raise SystemExit(f"refusing to load-test {url}: this benchmark runs against 127.0.0.1 only")
        tally, elapsed = asyncio.run(run(url, questions, args.clients, args.duration))
        return report(tally, elapsed, args.clients, len(questions))

    if args.start:
        with sample_server() as url:
            result = measure(url)
    else:
        result = measure(args.url)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        lat = result["latency_ms"]
        print(f"{result['clients']} clients × {result['seconds']} s, {result['questions']} questions: "
              f"{result['requests']} requests, {result['requests_per_s']} req/s, "
              f"latency p50 {lat['p50']} ms, p95 {lat['p95']} ms, p99 {lat['p99']} ms, "
              f"failed {result['failed']} {result['failures'] or ''}  statuses {result['statuses']}")
    if result["failed"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
