"""A consistent copy of a store: SQLite's online backup API (safe while the store is in use) and
the local Chroma folder. The copy is itself a data dir: restore by using or copying it."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from budgetqa.index.store import Store


def backup(store: Store, target: Path) -> list[Path]:
    """Copy ``store`` (and the Chroma folder beside it) into the new or empty folder ``target``."""
    if target.exists() and any(target.iterdir()):
        raise FileExistsError(f"{target} is not empty")
    target.mkdir(parents=True, exist_ok=True)
    written = [target / store.path.name]
    copy = sqlite3.connect(written[0])
    try:
        store.db.backup(copy)
    finally:
        copy.close()
    chroma = store.path.parent / "chroma"
    if chroma.is_dir():
        written.append(Path(shutil.copytree(chroma, target / "chroma")))
    return written
