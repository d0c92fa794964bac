"""Find the document and table a request names, or raise the 404 that says which is missing."""

from __future__ import annotations

import re

from budgetqa.index.store import Store
from budgetqa.models import Table
from budgetqa.service.errors import ApiError
from budgetqa.views import find_table

_YEAR = re.compile(r"(?:19|20)\d{2}")


def resolve_document(store: Store, ref: str) -> str | None:
    """A document id from an id, an id prefix, a unique part of a department name, or a
    clarifying option as the answer offers it ("<department> <year>年<kind>")."""
    ref = ref.strip()
    if not ref:
        return None
    found = store.resolve(ref)
    if found is not None:
        return found
    docs = [d for d in store.documents() if d["department"] and d["department"] in ref]
    years = {int(y) for y in _YEAR.findall(ref)}
    if years:
        docs = [d for d in docs if d["year"] in years]
    rest = ref
    for d in docs:
        rest = rest.replace(d["department"], "")
    kinds = [k for k in ("预算", "决算") if k in rest]
    if kinds:
        docs = [d for d in docs if d["kind"] in kinds]
    return docs[0]["doc_id"] if len(docs) == 1 else None


def document_id(store: Store, ref: str) -> str:
    """Like resolve_document, but a 404 ``unknown_document`` when nothing (or more than one) matches."""
    doc_id = resolve_document(store, ref)
    if doc_id is None:
        raise ApiError(404, "unknown_document", f"No single document matches {ref!r}.")
    return doc_id


def table_of(store: Store, doc_id: str, ref: str) -> Table:
    """A table by id, label, title or kind, or a 404 ``unknown_table``."""
    found = find_table(store.tables(doc_id), ref)
    if found is None:
        raise ApiError(404, "unknown_table", f"No table {ref!r} in document {doc_id}.")
    return found
