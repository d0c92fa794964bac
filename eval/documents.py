"""The metadata eval: every shared file lands in the right document, with the right identity.

``eval/sets/documents.jsonl`` lists, per file, the expected department, region (the
administrative prefix of the department's name), level, year, kind and scope, which files
form one disclosure (same ``document`` key) and which must be rejected. All files are
ingested into one store, as a user would load them together.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from budgetqa.eval.runner import shared_dir
from budgetqa.index.store import Store
from budgetqa.ingest.errors import IngestError
from budgetqa.ingest.pipeline import ingest_file
from budgetqa.settings import Settings

FIELDS = ("department", "region", "level", "year", "kind", "scope")


def is_documents_set(path: Path) -> bool:
    first = next((line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()), "{}")
    return "file" in json.loads(first) and "scope" in json.loads(first)


def run_documents(paths: list[Path]) -> dict:
    """Score every expected field and merge; a field is right only when it equals the expectation."""
    items = [json.loads(line) for p in paths for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    items = [i for i in items if (shared_dir() / i["file"]).is_file()]
    checks: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), embedding_model="none")
        store = Store(Path(tmp))
        landed: dict[str, str | None] = {}
        for item in items:
            try:
                landed[item["file"]] = ingest_file(store, shared_dir() / item["file"], settings).doc_id
            except IngestError:
                landed[item["file"]] = None
        stored = {d["doc_id"]: d for d in store.documents()}
        for item in items:
            doc_id = landed[item["file"]]
            if item.get("rejected"):
                checks.append(_check(item, "rejected", True, doc_id is None))
                continue
            doc = stored.get(doc_id or "", {})
            for name in FIELDS:
                checks.append(_check(item, name, item[name], doc.get(name)))
        by_key: dict[str, set] = {}
        for item in items:
            if not item.get("rejected"):
                by_key.setdefault(item["document"], set()).add(landed[item["file"]])
        for key, ids in by_key.items():
            checks.append({"file": key, "field": "merged", "expected": 1, "got": len(ids), "ok": len(ids) == 1})
        distinct = len({i for ids in by_key.values() for i in ids})
        checks.append({"file": "*", "field": "documents", "expected": len(by_key), "got": distinct,
                       "ok": distinct == len(by_key)})
        store.close()
    correct = sum(c["ok"] for c in checks)
    return {"files": len(items), "checks": len(checks), "correct": correct,
            "accuracy": round(correct / (len(checks) or 1) * 100, 2), "failures": [c for c in checks if not c["ok"]]}


def _check(item: dict, name: str, expected, got) -> dict:
    return {"file": item["file"], "field": name, "expected": expected, "got": got, "ok": expected == got}
