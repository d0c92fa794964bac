"""Passage vectors by content: each distinct passage text is embedded once per model and reused.

Disclosures repeat whole sections word for word (名词解释, boilerplate), across documents and
across the years of one department. The cache maps (model, sha1 of the text) to its normalised
vector in ``data_dir/vectors.sqlite3`` (its own SQLite file, primary-key lookups), so ingest and
``budgetqa index rebuild`` embed only texts no document has had before, in any process.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from threading import Lock

import numpy as np

FILE_NAME = "vectors.sqlite3"
LOOKUP_BATCH = 500
"""Hashes per SELECT (well under SQLite's bound-parameter limit)."""


def text_hash(text: str) -> str:
    """The key of a passage's text (the text that is embedded, headings included)."""
    return hashlib.sha1(text.encode()).hexdigest()


class VectorCache:
    """Vectors keyed by (model, text hash), kept beside the store."""

    def __init__(self, data_dir: Path) -> None:
        Path(data_dir).mkdir(parents=True, exist_ok=True)
        self.path = Path(data_dir) / FILE_NAME
        self._lock = Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (model TEXT NOT NULL, sha TEXT NOT NULL, "
                         "dim INTEGER NOT NULL, vector BLOB NOT NULL, PRIMARY KEY (model, sha)) WITHOUT ROWID")

    def get(self, model: str, hashes: Iterable[str]) -> dict[str, np.ndarray]:
        """The cached vectors among ``hashes`` (hash → vector)."""
        wanted = list(dict.fromkeys(hashes))
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for start in range(0, len(wanted), LOOKUP_BATCH):
                part = wanted[start:start + LOOKUP_BATCH]
                marks = ",".join("?" * len(part))
                for sha, vector in self._db.execute(
                        f"SELECT sha, vector FROM vectors WHERE model = ? AND sha IN ({marks})", [model, *part]):
                    found[sha] = np.frombuffer(vector, dtype=np.float32)
        return found

    def put(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        """Keep these vectors (hash → vector) for ``model``."""
        rows = [(model, sha, int(v.shape[0]), np.asarray(v, dtype=np.float32).tobytes()) for sha, v in vectors.items()]
        with self._lock:
            self._db.execute("BEGIN")
            self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?)", rows)
            self._db.execute("COMMIT")

    def drop(self, model: str) -> None:
        """Forget every vector of ``model`` (``index rebuild --force``)."""
        with self._lock:
            self._db.execute("DELETE FROM vectors WHERE model = ?", [model])

    def count(self, model: str) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM vectors WHERE model = ?", [model]).fetchone()[0])

    def close(self) -> None:
        self._db.close()
