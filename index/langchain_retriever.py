"""The hybrid search as a langchain retriever (kept apart, so answering never imports langchain)."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from budgetqa.index.retriever import ChunkFilter, ChunkSearch, Mode
from budgetqa.settings import Settings


class HybridRetriever(BaseRetriever):
    """A langchain retriever over a store's narrative chunks (hybrid by default)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    search: Any
    """A ``ChunkSearch``."""
    k: int = 5
    mode: Mode = "hybrid"
    chunk_filter: ChunkFilter | None = None

    @classmethod
    def for_store(cls, store, settings: Settings | None = None, **kwargs: Any) -> HybridRetriever:
        return cls(search=ChunkSearch(store, settings), **kwargs)

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[LCDocument]:
        hits = self.search.search(query, self.k, self.chunk_filter, self.mode)
        return [hit.as_langchain() for hit in hits]
