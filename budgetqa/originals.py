"""Copies of the ingested PDFs, kept beside the store so a cited page can be opened.

A file is kept as ``data_dir/files/<sha256>.pdf``, the sha256 the store records for it, so
two names for the same bytes share one copy and a document's file list finds it.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

FOLDER = "files"


def kept_path(data_dir: Path, sha256: str) -> Path:
    return data_dir / FOLDER / f"{sha256}.pdf"


def keep(path: Path, data_dir: Path) -> Path | None:
    """Copy a PDF into the data dir (once per content); other files are not kept."""
    if path.suffix.lower() != ".pdf":
        return None
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    target = kept_path(data_dir, digest)
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    return target


def kept_file(data_dir: Path, files: list[dict], file_name: str) -> Path | None:
    """The kept copy of a document's file (``files`` as Store.documents() lists them), if any."""
    for item in files:
        if item["file_name"] == file_name and kept_path(data_dir, item["sha256"]).is_file():
            return kept_path(data_dir, item["sha256"])
    return None
