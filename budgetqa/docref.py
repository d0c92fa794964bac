"""What a ``DOC`` argument names: one document, or the candidates to list when it is not one.

The CLI and the HTTP service take a document the same ways: an id or id prefix, a part of
the department's name or an alias (``Store.candidates``), or a label as a clarifying
question offers it ("<department> <year>年<kind>"). When that leaves nothing, every word
of the reference found in a document's id or label ("2019", "某大学 2023") picks the
candidates, so an error can list them.
"""

from __future__ import annotations

import re

from budgetqa.index.store import Store
from budgetqa.views import document_label

_YEAR = re.compile(r"(?:19|20)\d{2}")


def _by_label(listed: list[dict], ref: str) -> list[dict]:
    """Documents whose department the reference contains, narrowed by its year and kind."""
    docs = [d for d in listed if d["department"] and d["department"] in ref]
    years = {int(y) for y in _YEAR.findall(ref)}
    if years:
        docs = [d for d in docs if d["year"] in years]
    rest = ref
    for d in docs:
        rest = rest.replace(d["department"], "")
    kinds = [k for k in ("预算", "决算") if k in rest]
    if kinds:
        docs = [d for d in docs if d["kind"] in kinds]
    return docs


def _by_words(listed: list[dict], ref: str) -> list[dict]:
    words = ref.split()
    return [d for d in listed if words and all(w in f"{d['doc_id']} {document_label(d)}" for w in words)]


def candidates(store: Store, ref: str) -> list[dict]:
    """Every document ``ref`` may mean (one when it names exactly one), as Store.documents() items."""
    ref = ref.strip()
    if not ref:
        return []
    listed = store.documents()
    ids = {c["doc_id"] for c in store.candidates(ref)}
    found = [d for d in listed if d["doc_id"] in ids]
    if len(found) == 1:
        return found
    labelled = _by_label(listed, ref)
    if len(labelled) == 1 or not found:
        found = labelled
    return found or _by_words(listed, ref)


def resolve(store: Store, ref: str) -> str | None:
    """The one document ``ref`` names, or None (nothing, or several)."""
    found = candidates(store, ref)
    return found[0]["doc_id"] if len(found) == 1 else None


def describe(found: list[dict], ref: str, limit: int = 10) -> tuple[str, str]:
    """Why ``ref`` names no single document, in Chinese and English, with the candidates listed."""
    listed = "".join(f"\n  {d['doc_id']}  {document_label(d)}" for d in found[:limit])
    more = f"\n  …（另有 {len(found) - limit} 份 / {len(found) - limit} more）" if len(found) > limit else ""
    if found:
        zh = f"“{ref}”对应 {len(found)} 份公开文件，请用编号或更完整的名称指明："
        en = f"{len(found)} documents match {ref!r}; name one by its id or a fuller name:"
    else:
        zh = f"没有与“{ref}”对应的公开文件（用 budgetqa docs 查看已载入的文件）。"
        en = f"No document matches {ref!r} (see `budgetqa docs`)."
    return zh + listed + more, en
