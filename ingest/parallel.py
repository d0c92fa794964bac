"""Parse many files in a pool of worker processes, each under the bounded-ingest limits.

``budgetqa ingest --jobs N`` hands its files to N workers (pebble's ``ProcessPool``, fresh
interpreters started with ``spawn``). Each worker caps its own address space once
(``bounded.limit_memory``) and parses file after file, so the interpreter start is paid once per
worker, not per file; a file that runs past ``ingest_timeout_seconds`` has its worker killed and
replaced, and a worker that dies (killed at its memory limit, a crash) fails only the file it held.
The caller stays the one writer of the store: results come back to it in the order given.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

from pebble import ProcessExpired, ProcessPool

from budgetqa.ingest.bounded import document_or_raise, limit_memory, parse
from budgetqa.ingest.errors import IngestError
from budgetqa.models import Document
from budgetqa.settings import Settings

TASKS_PER_WORKER = 200
"""A worker is replaced after this many files, so memory a parser leaves behind does not pile up."""
AHEAD_PER_WORKER = 4
"""Files parsed ahead of the writer per worker: enough to keep the workers busy, few enough that parsed
documents waiting to be written stay a handful."""


def read_many(paths: list[Path], settings: Settings, jobs: int) -> Iterator[tuple[Path, Document | IngestError]]:
    """Each path with its Document, or the IngestError that refused it, in the order given.

    Parsing runs ahead in ``jobs`` processes while the caller writes what came back.
    """
    if not paths:
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPool(max_workers=max(1, jobs), max_tasks=TASKS_PER_WORKER, initializer=limit_memory,
                     initargs=(settings,), context=context) as pool:
        ahead: deque = deque()
        queue = iter(paths)
        try:
            for path in queue:
                ahead.append((path, _schedule(pool, path, settings)))
                if len(ahead) >= jobs * AHEAD_PER_WORKER:
                    done, future = ahead.popleft()
                    yield done, _outcome(done, settings, future)
            while ahead:
                done, future = ahead.popleft()
                yield done, _outcome(done, settings, future)
        finally:
            pool.stop()


def _schedule(pool: ProcessPool, path: Path, settings: Settings):
    return pool.schedule(parse, (path.resolve(), settings), timeout=settings.ingest_timeout_seconds)


def _outcome(path: Path, settings: Settings, future) -> Document | IngestError:
    try:
        outcome, payload = future.result()
    except FutureTimeout:
        return IngestError(path.name, "timeout", f"parsing took over {settings.ingest_timeout_seconds:g} s "
                                                 "(BUDGETQA_INGEST_TIMEOUT_SECONDS)")
    except ProcessExpired:
        outcome, payload = "memory", None  # the worker died without a word: killed at its limit
    except Exception as exc:  # a result that could not come back (e.g. unpicklable) fails that file only
        return IngestError(path.name, "corrupt", f"not a readable file ({type(exc).__name__})")
    try:
        return document_or_raise(path, settings, outcome, payload)
    except IngestError as exc:
        return exc
