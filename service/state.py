"""What one app holds: its settings and its one store, shared safely by request threads.

Requests run in worker threads and share one SQLite connection (the Store opens
it with ``check_same_thread=False``; Python's sqlite3 is built serialized). A
readers–writer lock keeps every read consistent: a request holds the read side
while it answers, so it never sees a document half-written, and a store write
(``save``/``delete``) takes the write side alone, for just the commit. Admin
operations (ingest, delete) also hold ``admin_lock`` so that two uploads never
race on merging the halves of one disclosure. At most ANSWER_THREADS questions
are answered at once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import Request

from budgetqa.chat.llm import configured_llm
from budgetqa.chat.session import SessionStore
from budgetqa.index.store import Store
from budgetqa.models import Document
from budgetqa.settings import Settings

ANSWER_THREADS = 2
"""Questions answered at once; answering is CPU-bound, so more threads would only contend for the GIL."""


class ReadWriteLock:
    """Many readers or one writer; a waiting writer goes before new readers."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._cond:
            while self._writing or self._writers_waiting:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if not self._readers:
                    self._cond.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self._cond:
            self._writers_waiting += 1
            while self._writing or self._readers:
                self._cond.wait()
            self._writers_waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


class ServiceStore(Store):
    """The app's Store: writes take the write side of ``lock``; readers hold ``lock.reading()``."""

    def __init__(self, data_dir: Path, database_url: str | None = None) -> None:
        super().__init__(data_dir, database_url)
        self.lock = ReadWriteLock()

    def save(self, document: Document, replaces: str | None = None) -> int:
        with self.lock.writing():
            return super().save(document, replaces)

    def save_candidate(self, document: Document, warnings: list[str]) -> int:
        with self.lock.writing():
            return super().save_candidate(document, warnings)

    def restore(self, doc_id: str, version: int) -> Document | None:
        with self.lock.writing():
            return super().restore(doc_id, version)

    def delete(self, doc_id: str, settings: Settings | None = None) -> bool:
        with self.lock.writing():
            return super().delete(doc_id, settings)


@dataclass
class AppState:
    """Per-app state, kept on ``app.state.budgetqa``."""

    settings: Settings
    store: ServiceStore
    admin_lock: threading.Lock = field(default_factory=threading.Lock)
    answer_slots: threading.BoundedSemaphore = field(
        default_factory=lambda: threading.BoundedSemaphore(ANSWER_THREADS))
    cache: dict = field(default_factory=dict)
    """Derived data keyed by the store's generation (suggestions)."""
    sessions: SessionStore = field(default_factory=SessionStore)
    """Conversations by session_id (bounded, expiring)."""
    llm: Any = None
    """The optional chat model (BUDGETQA_LLM_*); None: rule-based only."""

    @classmethod
    def open(cls, settings: Settings) -> AppState:
        sessions = SessionStore(settings.session_ttl_seconds, settings.session_max, settings.session_max_turns)
        return cls(settings=settings, store=ServiceStore(settings.data_dir, settings.database_url), sessions=sessions,
                   llm=configured_llm(settings))


def get_state(request: Request) -> AppState:
    """Dependency: the app's state."""
    return request.app.state.budgetqa
