"""Chroma's view of a budgetqa embedding model (imported only when a collection is opened)."""

from __future__ import annotations

from typing import Any

from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function

from budgetqa.index.embeddings import Embedder, load_embedder


@register_embedding_function
class ChromaEmbedding(EmbeddingFunction[Documents]):
    """Chroma's view of a budgetqa embedding model; the model loads on first use."""

    def __init__(self, model: str, query_prefix: str = "") -> None:
        self.model = model
        self.query_prefix = query_prefix

    @property
    def embedder(self) -> Embedder:
        return load_embedder(self.model, self.query_prefix)

    def __call__(self, input: Documents) -> Embeddings:
        return list(self.embedder.encode(list(input)))

    def embed_query(self, input: Documents) -> Embeddings:
        return [self.embedder.query_vector(text) for text in input]

    @staticmethod
    def name() -> str:
        return "budgetqa"

    def get_config(self) -> dict[str, Any]:
        return {"model": self.model, "query_prefix": self.query_prefix}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> ChromaEmbedding:
        return ChromaEmbedding(config["model"], config.get("query_prefix", ""))

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"
