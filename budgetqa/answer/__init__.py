"""Question → plan → execution → answer, over the documents in a store."""

from __future__ import annotations

from budgetqa.answer.catalog import Catalog, build_catalog
from budgetqa.answer.engine import ask as ask_catalogs
from budgetqa.answer.schema import Answer

_CACHE: dict[tuple[str, str], Catalog] = {}


def catalogs(store, doc: str | None = None) -> list[Catalog]:
    """A catalog per stored document (cached per document version), or just ``doc``'s."""
    found = []
    for item in store.documents():
        if doc is not None and item["doc_id"] != doc:
            continue
        version = ",".join(f["sha256"] for f in item["files"])
        key = (str(store.path), item["doc_id"])
        cached = _CACHE.get(key)
        if cached is None or getattr(cached, "version", None) != version:
            cached = build_catalog(store.load(item["doc_id"]))
            cached.version = version
            _CACHE[key] = cached
        found.append(cached)
    return found


def ask(store, question: str, doc: str | None = None) -> Answer:
    """Answer a question from the store's documents (or one document)."""
    doc_id = store.resolve(doc) if doc else None
    return ask_catalogs(question, catalogs(store, doc_id) if doc is None or doc_id else [])
