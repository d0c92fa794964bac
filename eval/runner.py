"""Run question sets against budgetqa and score them: accuracy per category, wrong numbers, latency."""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
import tomllib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from budgetqa.answer import ask
from budgetqa.answer.schema import Answer
from budgetqa.index.store import Store
from budgetqa.ingest.errors import IngestError
from budgetqa.ingest.parse_cache import ParseCache
from budgetqa.ingest.pipeline import ingest_file, read_document
from budgetqa.settings import Settings

EVAL_DIR = Path(__file__).parent
PROJECT_DIR = EVAL_DIR.parent


def shared_dir() -> Path:
    return Path(os.environ.get("BUDGETQA_SHARED", PROJECT_DIR.parent / "shared"))


def _reader() -> Callable | None:
    """``read_document`` through the parse cache ``$BUDGETQA_PARSE_CACHE`` names, if set (so
    several eval runs over the same files parse each once); None (read afresh) otherwise."""
    folder = os.environ.get("BUDGETQA_PARSE_CACHE")
    if not folder:
        return None
    global _CACHE
    if _CACHE is None or _CACHE.folder != Path(folder):
        _CACHE = ParseCache(Path(folder), read_document)
    return _CACHE


_CACHE: ParseCache | None = None


def document_paths(key: str) -> list[Path]:
    """Files of an eval document key (see eval/documents.toml)."""
    with (EVAL_DIR / "documents.toml").open("rb") as fh:
        table = tomllib.load(fh)
    paths = []
    for ref in table[key]:
        prefix, _, rel = ref.partition(":")
        base = shared_dir() if prefix == "shared" else PROJECT_DIR / "samples"
        paths.append(base / rel)
    return paths


@dataclass
class Outcome:
    id: str
    category: str
    question: str
    expected_status: str
    status: str
    correct: bool
    wrong_number: bool
    seconds: float
    answer: str
    missing: list[str] = field(default_factory=list)
    planner: str = "rules"
    """Who planned the answer: the rule parser, an LLM's typed plan, a tool call's."""
    phrased: str | None = None
    """An LLM's plan in the parser's grammar (None: no plan, or one that named what the question doesn't)."""


def _numbers(answer: Answer) -> set[str]:
    found = set()
    for value in answer.values:
        try:
            number = Decimal(value.value).quantize(Decimal("0.01"))
        except InvalidOperation:
            continue
        found.add(f"{number}%" if value.unit == "%" else str(number))
    return found


def bare_number(item: dict, answer: Answer) -> bool:
    """A question that asks for a quote (``"quote": true``) answered with a figure and no quoted
    sentence (a field read from a form, with no figure, is no bare number)."""
    return (item.get("quote", False) and answer.status == "answered" and bool(answer.values)
            and not any(c.sentence for c in answer.citations))


def judge(item: dict, answer: Answer) -> tuple[bool, bool, list[str]]:
    """(correct, wrong_number, missing gold values) for one answer.

    Text items give ``gold_text``: fragments the answer must contain (the sentence it should
    quote); a text item answered with a figure and no quoted sentence counts as a wrong number.
    """
    expected = item["expected_status"]
    if answer.status != expected:
        wrong = answer.status == "answered" and expected != "answered"
        return False, wrong, []
    if expected != "answered":
        return True, False, []
    if bare_number(item, answer):
        return False, True, ["(no quoted sentence)"]
    numbers = _numbers(answer)
    golds = [g if g.endswith("%") else str(Decimal(g).quantize(Decimal("0.01"))) for g in item.get("gold", [])]
    missing = [g for g in golds if g not in numbers]
    texts = [t for t in item.get("gold_text", []) if t not in answer.answer]
    ok = not missing and not texts
    return ok, bool(missing), missing + texts


def run_sets(paths: list[Path], answerer: Callable[[Store, str], Answer] = ask) -> dict:
    """Score every question of the given JSONL sets; documents are ingested once per group.

    ``answerer`` answers one question from a store (the rule engine by default; the eval of an
    LLM planner passes one that lets the model plan what the rules cannot)."""
    items = [json.loads(line) for p in paths for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    groups: dict[tuple[str, ...], list[dict]] = defaultdict(list)
    for item in items:
        groups[tuple(item["documents"])].append(item)
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory() as tmp:
        for n, (keys, group) in enumerate(groups.items()):
            data_dir = Path(tmp) / f"g{n}"
            paths = [path for key in keys for path in document_paths(key)]
            if not all(path.exists() for path in paths):
                continue  # documents not on this machine (../shared absent): not scored
            store = Store(data_dir)
            settings = Settings(data_dir=data_dir)
            for path in paths:
                try:
                    ingest_file(store, path, settings, read=_reader())
                except IngestError:
                    continue  # a file the eval expects to be rejected (the blank template)
            for item in group:
                start = time.perf_counter()
                answer = answerer(store, item["question"])
                seconds = time.perf_counter() - start
                ok, wrong, missing = judge(item, answer)
                outcomes.append(Outcome(item["id"], item["category"], item["question"], item["expected_status"],
                                        answer.status, ok, wrong, seconds, answer.answer, missing,
                                        answer.plan.planner, answer.plan.phrased))
            store.close()
    return report(outcomes)


def report(outcomes: list[Outcome]) -> dict:
    by_category: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_category[outcome.category].append(outcome)
    latencies = sorted(o.seconds * 1000 for o in outcomes) or [0.0]
    total = len(outcomes) or 1
    return {
        "questions": len(outcomes),
        "correct": sum(o.correct for o in outcomes),
        "accuracy": round(sum(o.correct for o in outcomes) / total * 100, 2),
        "wrong_numbers": sum(o.wrong_number for o in outcomes),
        "refusals": sum(o.status == "refused" and o.expected_status != "refused" for o in outcomes),
        "latency_ms": {"p50": round(statistics.median(latencies), 2),
                       "p95": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))], 2)},
        "categories": {
            name: {"questions": len(items), "correct": sum(o.correct for o in items),
                   "accuracy": round(sum(o.correct for o in items) / len(items) * 100, 2)}
            for name, items in sorted(by_category.items())
        },
        "outcomes": [o.__dict__ for o in outcomes],
    }
