"""The one error ingestion raises for a file it refuses, with a reason code and message."""

from __future__ import annotations

from budgetqa.ingest.filenames import visible_name


class IngestError(Exception):
    """A file was rejected; ``reason`` is a stable code, ``message`` says why in words."""

    def __init__(self, file_name: str, reason: str, message: str) -> None:
        file_name = visible_name(file_name)
        super().__init__(f"{file_name}: {message}")
        self.file_name = file_name
        self.reason = reason
        self.message = message
