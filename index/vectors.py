"""The vector index: narrative chunks in chromadb, embedded by our own model.

Each chunk is stored as its sentences (each with the chunk's headings, see
``passages.py``), ids ``<doc_id>:<chunk_id>:<n>``, each carrying its chunk id,
page, section and the document's metadata so searches can filter on them. One
collection per embedding model (``budgetqa-<model>-<hash>``), so switching models
never mixes vector spaces; ``rebuild_index`` fills a new model's collection. Chroma
never embeds anything itself: each collection gets ``ChromaEmbedding`` (our model,
loaded lazily, ``chroma_function.py``), and we always pass the vectors. chromadb is imported
only when the index is first used, so a process that never searches by vector (a numeric
question, ``BUDGETQA_EMBEDDING_MODEL=none``) does not pay for it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from budgetqa.index.passages import sentence_passages
from budgetqa.index.vector_cache import VectorCache, text_hash
from budgetqa.models import Document
from budgetqa.settings import Settings

if TYPE_CHECKING:
    from budgetqa.index.embeddings import Embedder

PREFIX = "budgetqa-"
HELD_PAGE = 5000
"""Passages read per page when listing what the index holds."""


def collection_name(model: str) -> str:
    """A valid Chroma collection name for an embedding model (a name or a path)."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(model).name or model).strip("-._")[:40] or "model"
    return f"{PREFIX}{slug}-{hashlib.sha1(model.encode()).hexdigest()[:8]}"


def chroma_path(settings: Settings) -> Path:
    return Path(settings.data_dir) / "chroma"


@lru_cache(maxsize=64)
def _client(url: str | None, path: str | None):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    import budgetqa.index.chroma_function  # noqa: F401  (registers our embedding function with Chroma)

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if url:
        match = re.match(r"^(https?)://([^/:]+)(?::(\d+))?", url)
        if not match:
            raise ValueError(f"chroma_url must look like http://host:8000, got {url!r}")
        scheme, host, port = match.groups()
        return chromadb.HttpClient(host=host, port=int(port or 8000), ssl=scheme == "https",
                                   settings=chroma_settings)
    return chromadb.PersistentClient(path=path, settings=chroma_settings)


def client_for(settings: Settings):
    """The Chroma client of a store: a server when ``chroma_url`` is set, else ``data_dir/chroma``."""
    if settings.chroma_url:
        return _client(settings.chroma_url, None)
    return _client(None, str(chroma_path(settings)))


def passage_id(doc_id: str, chunk: str, n: int) -> str:
    return f"{doc_id}:{chunk}:{n}"


@dataclass(frozen=True, slots=True)
class PassageRow:
    """One passage as the index stores it."""

    id: str
    text: str
    """What is embedded: the sentence with its chunk's headings."""
    document: str
    """The sentence as shown."""
    metadata: dict[str, Any]

    @property
    def sha(self) -> str:
        return str(self.metadata["sha"])


def passage_rows(doc: Document) -> list[PassageRow]:
    """Every passage of a document, with the metadata searches filter on and its text's hash."""
    rows = []
    for chunk in doc.chunks:
        for passage in sentence_passages(chunk.chunk_id, chunk.section_path, chunk.text):
            meta = {**_metadata(doc, chunk.chunk_id, chunk.page, chunk.section_path), "n": passage.n,
                    "sha": text_hash(passage.searchable)}
            rows.append(PassageRow(passage_id(doc.doc_id, chunk.chunk_id, passage.n), passage.searchable,
                                   passage.text, meta))
    return rows


@lru_cache(maxsize=16)
def vector_cache(data_dir: str) -> VectorCache:
    """The store's passage-vector cache, opened once per process."""
    return VectorCache(Path(data_dir))


Encoder = Callable[[list[str]], np.ndarray]


@dataclass(frozen=True, slots=True)
class VectorHit:
    doc_id: str
    chunk_id: str
    n: int
    """The passage's position in its chunk."""
    text: str
    similarity: float
    """Cosine similarity of the question and the chunk (1 is the same direction)."""


class VectorIndex:
    """The chunks of every document, embedded with the settings' model."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self._embedder = embedder
        self.client = client_for(settings)
        self.name = collection_name(settings.embedding_model)
        self._collection = None

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            from budgetqa.index.embeddings import embedder_for

            self._embedder = embedder_for(self.settings)
        return self._embedder

    @property
    def collection(self):
        if self._collection is None:
            from budgetqa.index.chroma_function import ChromaEmbedding

            self._collection = self.client.get_or_create_collection(
                self.name,
                embedding_function=ChromaEmbedding(self.settings.embedding_model, self.settings.embedding_query_prefix),
                configuration={"hnsw": {"space": "cosine"}},
                metadata={"model": self.settings.embedding_model},
            )
        return self._collection

    def index_document(self, doc: Document, replaces: str | None = None) -> int:
        """Replace a document's passages (and those of the document it replaces); returns the count.

        Vectors are computed before anything is removed, so a failing model leaves the
        index as it was; a passage whose text any document had before reuses its vector.
        """
        rows = passage_rows(doc)
        vectors, _ = self.vectors_for(rows)
        self.write(rows, vectors, remove={doc.doc_id, replaces} - {None})
        return len(rows)

    def vectors_for(self, rows: list[PassageRow], encode: Encoder | None = None) -> tuple[np.ndarray, int]:
        """A vector per row, and how many texts had to be embedded: each distinct text once, and none
        the vector cache holds already (``encode`` defaults to this index's model)."""
        cache = vector_cache(str(self.settings.data_dir))
        known = cache.get(self.name, (r.sha for r in rows))
        missing = {r.sha: r.text for r in rows if r.sha not in known}
        if missing:
            computed = (encode or self.embedder.encode)(list(missing.values()))
            fresh = dict(zip(missing, np.asarray(computed, dtype=np.float32), strict=True))
            cache.put(self.name, fresh)
            known.update(fresh)
        if not rows:
            return np.zeros((0, 1), dtype=np.float32), 0
        return np.vstack([known[r.sha] for r in rows]), len(missing)

    def write(self, rows: list[PassageRow], vectors: np.ndarray, remove: set[str] | frozenset[str] = frozenset()) -> None:
        """Remove the passages of the documents in ``remove``, then store ``rows`` with their vectors."""
        for doc_id in remove:
            self.collection.delete(where={"doc_id": doc_id})
        step = self.client.get_max_batch_size()
        for start in range(0, len(rows), step):
            part = rows[start:start + step]
            self.collection.upsert(ids=[r.id for r in part], embeddings=vectors[start:start + step],
                                   documents=[r.document for r in part], metadatas=[r.metadata for r in part])

    def held(self) -> dict[str, dict[str, str]]:
        """What the index holds, per document: doc_id → {passage id: text hash} ("" before hashes were kept)."""
        found: dict[str, dict[str, str]] = {}
        offset = 0
        while True:
            page = self.collection.get(include=["metadatas"], limit=HELD_PAGE, offset=offset)
            for passage, meta in zip(page["ids"], page["metadatas"], strict=True):
                found.setdefault(str(meta["doc_id"]), {})[passage] = str(meta.get("sha", ""))
            if len(page["ids"]) < HELD_PAGE:
                return found
            offset += HELD_PAGE

    def count(self, doc_id: str | None = None) -> int:
        """Passage vectors held for a document (or in all)."""
        if doc_id is None:
            return self.collection.count()
        return len(self.collection.get(where={"doc_id": doc_id}, include=[])["ids"])

    def search(self, question: str, k: int, where: dict | None = None) -> list[VectorHit]:
        """The ``k`` passages nearest to the question, among those ``where`` allows."""
        total = self.collection.count()
        if total == 0:
            return []
        vector = self.embedder.query_vector(question)
        result = self.collection.query(query_embeddings=[vector], n_results=min(k, total), where=where,
                                       include=["metadatas", "documents", "distances"])
        hits = []
        for meta, text, distance in zip(result["metadatas"][0], result["documents"][0],
                                        result["distances"][0], strict=True):
            hits.append(VectorHit(str(meta["doc_id"]), str(meta["chunk_id"]), int(meta["n"]), text or "",
                                  1.0 - float(distance)))
        return hits


    def similarities(self, question: str, ids: list[str]) -> list[VectorHit]:
        """Cosine similarity of the question to given passages (those the index holds)."""
        if not ids:
            return []
        found = self.collection.get(ids=ids, include=["embeddings", "metadatas", "documents"])
        if not found["ids"]:
            return []
        vector = self.embedder.query_vector(question)
        similarities = np.asarray(found["embeddings"], dtype=np.float32) @ vector
        return [VectorHit(str(m["doc_id"]), str(m["chunk_id"]), int(m["n"]), text or "", float(sim))
                for m, text, sim in zip(found["metadatas"], found["documents"], similarities, strict=True)]


def _metadata(doc: Document, chunk: str, page: int, section_path: list[str]) -> dict:
    meta: dict[str, Any] = {"doc_id": doc.doc_id, "chunk_id": chunk, "page": page,
                            "section": " > ".join(section_path), "department": doc.department,
                            "title": doc.title}
    if doc.year is not None:
        meta["year"] = doc.year
    if doc.kind:
        meta["kind"] = doc.kind
    return meta


def dense_enabled(settings: Settings) -> bool:
    """False with ``BUDGETQA_EMBEDDING_MODEL=none``: only the keyword index is kept."""
    return settings.embedding_model.strip().lower() != "none"


def index_document(doc: Document, settings: Settings, replaces: str | None = None) -> int:
    """Embed and store a saved document's chunks (see ``VectorIndex.index_document``)."""
    if not dense_enabled(settings):
        return 0
    return VectorIndex(settings).index_document(doc, replaces)


def remove_document(doc_id: str, settings: Settings) -> None:
    """Remove a document's chunks from every budgetqa collection (every model's)."""
    from budgetqa.index.chroma_function import ChromaEmbedding

    client = client_for(settings)
    for item in client.list_collections():
        if not item.name.startswith(PREFIX):
            continue
        config = (item.configuration_json or {}).get("embedding_function") or {}
        model = (config.get("config") or {}).get("model", settings.embedding_model)
        collection = client.get_collection(item.name, embedding_function=ChromaEmbedding(model))
        collection.delete(where={"doc_id": doc_id})


def ensure_indexed(store, doc_id: str, settings: Settings) -> bool:
    """Index a stored document whose chunks are missing from the vector index; True if it did."""
    if not dense_enabled(settings):
        return False
    doc = store.load(doc_id)
    if doc is None:
        return False
    index = VectorIndex(settings)
    if index.count(doc_id) == len(passage_rows(doc)):
        return False
    index.index_document(doc)
    return True
