"""A parse cache: ``read_document`` memoised in memory and in a folder that processes share.

Parsing a disclosure PDF is the slowest step of ingestion. ``ParseCache`` wraps
``pipeline.read_document``: a file (by path, size, mtime, size limit and the parser's own
code) is parsed by one process, pickled into the folder under a file lock, and read back by
the others; every caller gets a deep copy, so a document mutated in one store never leaks
into another. The key holds a fingerprint of the parsing code and vocabularies, so a cache
folder kept between runs never serves a document parsed by older code. ``warm`` parses a
list of files in an order rotated per pytest-xdist worker, so two workers parse different
files at the same time instead of waiting on one another.

The test suite uses one per session; ``budgetqa eval`` uses one when ``BUDGETQA_PARSE_CACHE``
names a folder (``make test`` sets it, so its gates parse the shared PDFs once between them).
"""

from __future__ import annotations

import copy
import hashlib
import os
import pickle
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from filelock import FileLock

import budgetqa
from budgetqa.ingest.errors import IngestError
from budgetqa.models import Document
from budgetqa.settings import Settings

Reader = Callable[[Path, Settings], Document]


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A digest of the code and vocabularies that parse a document (this package, the vocab files,
    the models and number parsing): a change to any of them makes every cached parse stale."""
    package = Path(__file__).parent
    root = Path(budgetqa.__file__).parent
    files = sorted(package.glob("*.py")) + sorted((root / "vocab").glob("*.toml")) + [
        root / "models.py", root / "numbers.py", root / "settings.py"]
    digest = hashlib.sha256()
    for file in files:
        if file.is_file():
            digest.update(file.name.encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


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
        raw = f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{settings.max_file_mb}|{code_fingerprint()}"
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
