"""Find the document and table a request names, or raise the 404 that says which is missing."""

from __future__ import annotations

from budgetqa import docref
from budgetqa.index.store import Store
from budgetqa.models import Table
from budgetqa.service.errors import ApiError
from budgetqa.views import document_label, find_table


def resolve_document(store: Store, ref: str) -> str | None:
    """A document id from an id, an id prefix, a unique part of a department name, or a
    clarifying option as the answer offers it ("<department> <year>年<kind>")."""
    return docref.resolve(store, ref)


def document_id(store: Store, ref: str) -> str:
    """Like resolve_document, but a 404 ``unknown_document`` naming the candidates when nothing
    (or more than one) matches."""
    found = docref.candidates(store, ref)
    if len(found) != 1:
        raise ApiError(404, "unknown_document", docref.describe(found, ref)[1] + "".join(
            f" {d['doc_id']} ({document_label(d)});" for d in found[:10]))
    return found[0]["doc_id"]


def table_of(store: Store, doc_id: str, ref: str) -> Table:
    """A table by id, label, title or kind, or a 404 ``unknown_table``."""
    found = find_table(store.tables(doc_id), ref)
    if found is None:
        raise ApiError(404, "unknown_table", f"No table {ref!r} in document {doc_id}.")
    return found
