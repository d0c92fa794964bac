"""A consistent copy of a store and the local Chroma folder beside it.

SQLite: the online backup API (safe while the store is in use); the copy is itself a data dir.
PostgreSQL: ``pg_dump --format=custom`` (one consistent snapshot) into ``budgetqa.pgdump``;
restore it with ``pg_restore --no-owner --dbname URL PATH/budgetqa.pgdump`` into an empty
database, then use PATH as the data dir with that URL.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from budgetqa.index.store import Store

DUMP_NAME = "budgetqa.pgdump"


def backup(store: Store, target: Path) -> list[Path]:
    """Copy ``store`` (and the Chroma folder beside it) into the new or empty folder ``target``."""
    if target.exists() and any(target.iterdir()):
        raise FileExistsError(f"{target} is not empty")
    target.mkdir(parents=True, exist_ok=True)
    if store.url:
        written = [target / DUMP_NAME]
        subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file", str(written[0]),
                        "--dbname", store.url], check=True, capture_output=True, text=True)
    else:
        written = [target / store.path.name]
        copy = sqlite3.connect(written[0])
        try:
            store.db.connection.backup(copy)
        finally:
            copy.close()
    chroma = store.path.parent / "chroma"
    if chroma.is_dir():
        written.append(Path(shutil.copytree(chroma, target / "chroma")))
    return written


def restore_postgres(dump: Path, url: str) -> None:
    """Load a ``budgetqa backup`` dump into the (empty) PostgreSQL database at ``url``."""
    subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", "--dbname", url, str(dump)],
                   check=True, capture_output=True, text=True)
