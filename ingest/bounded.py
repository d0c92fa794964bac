"""Parse a file in a child process with a time limit and a memory limit, so no file can grow or hang
the process that asked (the server, or ``budgetqa ingest``).

The child is a fresh interpreter (``python -m budgetqa.ingest.bounded``: no threads or state of the
parent are copied) that limits its own address space, reads the file and writes the Document (or the
IngestError) to stdout. The parent writes the store, so a child killed for any reason leaves the
store as it was.
"""

from __future__ import annotations

import pickle
import resource
import subprocess
import sys
from pathlib import Path

from budgetqa.ingest.errors import IngestError
from budgetqa.models import Document
from budgetqa.settings import Settings

MIB = 1024 * 1024


def read_bounded(path: Path, settings: Settings) -> Document:
    """``pipeline.read_document`` in a child process: killed after ``ingest_timeout_seconds``, and unable
    to use more than ``ingest_memory_mb`` of address space (either is a clear IngestError)."""
    command = [sys.executable, "-m", "budgetqa.ingest.bounded", str(path.resolve())]
    try:
        done = subprocess.run(command, input=settings.model_dump_json().encode(), capture_output=True,
                              timeout=settings.ingest_timeout_seconds, check=False)
    except subprocess.TimeoutExpired as exc:
        raise IngestError(path.name, "timeout", f"parsing took over {settings.ingest_timeout_seconds:g} s "
                                                "(BUDGETQA_INGEST_TIMEOUT_SECONDS)") from exc
    try:
        outcome, payload = pickle.loads(done.stdout)
    except Exception:
        outcome, payload = "memory", None  # the child died without a word: killed at its limit
    return document_or_raise(path, settings, outcome, payload)


def document_or_raise(path: Path, settings: Settings, outcome: str, payload: object) -> Document:
    """The Document a bounded parse returned, or its IngestError raised (``outcome`` from ``parse``)."""
    if outcome == "ok":
        return payload  # type: ignore[return-value]
    if outcome == "memory":
        raise IngestError(path.name, "too_much_memory", f"parsing needed more than {settings.ingest_memory_mb} MB "
                                                        "(BUDGETQA_INGEST_MEMORY_MB), or crashed")
    raise IngestError(*payload)  # type: ignore[misc]


def limit_memory(settings: Settings) -> None:
    """Cap this process's address space at ``ingest_memory_mb`` (run in the parsing process only)."""
    limit = settings.ingest_memory_mb * MIB
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def parse(path: Path, settings: Settings) -> tuple[str, object]:
    """Read one file in a memory-limited process: ("ok", Document), ("memory", None) or ("error", args)."""
    from budgetqa.ingest.pipeline import read_document

    try:
        return "ok", read_document(path, settings)
    except Exception as exc:  # MemoryError too; a parser crash on a hostile file is that file's problem
        if _out_of_memory(exc):
            return "memory", None
        if isinstance(exc, IngestError):
            return "error", (exc.file_name, exc.reason, exc.message)
        return "error", (path.name, "corrupt", f"not a readable file ({type(exc).__name__})")


def _out_of_memory(exc: BaseException | None) -> bool:
    """True if running out of address space is anywhere in the chain: a MemoryError, or what a C
    extension raises when an allocation or a library mapping fails under the limit (SystemError,
    "cannot allocate memory", "failed to map segment"); parsers wrap these in their own errors."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, MemoryError | SystemError) or any(
                word in str(exc).lower() for word in ("allocate memory", "map segment", "out of memory")):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


if __name__ == "__main__":
    _settings = Settings.model_validate_json(sys.stdin.buffer.read())
    limit_memory(_settings)
    result = parse(Path(sys.argv[1]), _settings)
    sys.stdout.buffer.write(pickle.dumps(result))
