"""A parse cache for the test session, shared by pytest-xdist workers through a folder.

Parsing a disclosure PDF is the slowest step of the suite. ``ParseCache`` wraps
``pipeline.read_document``: a file (by path, size, mtime and size limit) is parsed by
one worker, pickled into the shared folder under a file lock, and read back by the
other; every caller gets a deep copy, so a document mutated in one store never leaks
into another. ``warm`` parses a list of files in an order rotated per worker, so two
workers parse different files at the same time instead of waiting on one another.
"""

from __future__ import annotations

import copy
import hashlib
import os
import pickle
from collections.abc import Callable, Iterable
from pathlib import Path

from filelock import FileLock

from budgetqa.ingest.errors import IngestError
from budgetqa.models import Document
from budgetqa.settings import Settings

Reader = Callable[[Path, Settings], Document]


def worker_index() -> int:
    """This xdist worker's number (gw1 → 1), 0 without xdist."""
    name = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return int(name.removeprefix("gw") or 0)


class ParseCache:
    """``read_document`` memoised in memory and in a folder the workers share."""

    def __init__(self, folder: Path, reader: Reader) -> None:
        self.folder = folder
        self.reader = reader
        self.memory: dict[str, Document] = {}
        folder.mkdir(parents=True, exist_ok=True)

    def key(self, path: Path, settings: Settings) -> str:
        stat = path.stat()
        raw = f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{settings.max_file_mb}"
        return hashlib.sha256(raw.encode()).hexdigest()[:32]

    def load(self, path: Path, settings: Settings) -> Document:
        """The parsed document (parsed here, or by another worker); failures are not cached."""
        key = self.key(path, settings)
        if key not in self.memory:
            pickled = self.folder / f"{key}.pickle"
            with FileLock(str(pickled) + ".lock"):
                if pickled.is_file():
                    self.memory[key] = pickle.loads(pickled.read_bytes())
                else:
                    self.memory[key] = self.reader(path, settings)
                    pickled.write_bytes(pickle.dumps(self.memory[key]))
        return self.memory[key]

    def __call__(self, path: Path, settings: Settings) -> Document:
        if not path.is_file():
            return self.reader(path, settings)
        return copy.deepcopy(self.load(path, settings))

    def warm(self, paths: Iterable[Path], settings: Settings) -> None:
        """Parse every file, starting at a different place on each worker; bad files are skipped."""
        items = list(paths)
        if not items:
            return
        start = worker_index() * len(items) // 2 % len(items)
        for path in items[start:] + items[:start]:
            try:
                self.load(path, settings)
            except IngestError:  # a file a test expects to fail: that test reads it again
                continue
