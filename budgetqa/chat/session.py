"""A bounded, expiring, thread-safe store of conversations (turns kept per session id)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from budgetqa.answer.schema import Answer


@dataclass(slots=True)
class Turn:
    """One question and what it was resolved into."""

    question: str
    """As the user typed it."""
    resolved: str
    """The full question actually asked (the follow-up rewritten)."""
    doc: str | None
    """The document the question was pinned to, if any."""
    answer: Answer

    @property
    def pending(self) -> bool:
        """A clarifying answer waits for the user to pick an option."""
        return self.answer.status == "clarify"


@dataclass(slots=True)
class Session:
    session_id: str
    turns: list[Turn] = field(default_factory=list)
    touched: float = 0.0

    @property
    def last(self) -> Turn | None:
        return self.turns[-1] if self.turns else None


class SessionStore:
    """Sessions by id: least recently used evicted past ``max_sessions``; idle ones expire after
    ``ttl`` seconds; each keeps its last ``max_turns`` turns."""

    def __init__(self, ttl: float = 1800.0, max_sessions: int = 1000, max_turns: int = 20,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl, self.max_sessions, self.max_turns = ttl, max_sessions, max(1, max_turns)
        self._clock = clock
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, session_id: str) -> Session:
        """The live session (a fresh one when unknown or expired)."""
        with self._lock:
            now = self._clock()
            self._expire(now)
            session = self._sessions.get(session_id)
            if session is None:
                session = Session(session_id)
                self._sessions[session_id] = session
            self._sessions.move_to_end(session_id)
            session.touched = now
            while len(self._sessions) > self.max_sessions:
                self._sessions.popitem(last=False)
            return session

    def last_turn(self, session_id: str) -> Turn | None:
        return self.get(session_id).last

    def add(self, session_id: str, turn: Turn) -> None:
        session = self.get(session_id)
        with self._lock:
            session.turns.append(turn)
            del session.turns[:-self.max_turns]

    def __len__(self) -> int:
        with self._lock:
            self._expire(self._clock())
            return len(self._sessions)

    def _expire(self, now: float) -> None:
        while self._sessions:
            oldest = next(iter(self._sessions.values()))
            if now - oldest.touched <= self.ttl:
                break
            self._sessions.popitem(last=False)
