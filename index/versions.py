"""Every ingested version of a document, kept whole so that no file ever loses data.

A version holds the files that made it, its counts, when it came and the whole document
(zlib-compressed JSON). One version of a document is ``current`` (the one answered from);
a less complete file is kept as a ``candidate``; a replaced one is ``superseded``; a deleted
document's last version is ``deleted``. Restoring a version makes it current again.
"""

from __future__ import annotations

import json
import zlib
from datetime import UTC, datetime

from pydantic import TypeAdapter

from budgetqa.index.db import Database
from budgetqa.ingest.completeness import counts
from budgetqa.models import Document

LISTED = "doc_id, version, status, created_at, files, pages, tables, cells, facts, chunks, warnings"
_DOCUMENT = TypeAdapter(Document)


def migrate(db: Database, documents: list[Document]) -> None:
    """v4 → v5: keep each stored document as its version 1 (current)."""
    for doc in documents:
        record(db, doc, "current")


def record(db: Database, doc: Document, status: str, warnings: list[str] | None = None) -> int:
    """Keep ``doc`` as its next version with ``status``; a new current one supersedes the old current."""
    if status == "current":
        db.execute("UPDATE versions SET status = 'superseded' WHERE doc_id = ? AND status IN ('current', 'deleted')",
                   (doc.doc_id,))
    number = db.execute("SELECT COALESCE(MAX(version), 0) + 1 FROM versions WHERE doc_id = ?",
                        (doc.doc_id,)).fetchone()[0]
    sizes = counts(doc)
    files = [{"file_name": f.file_name, "sha256": f.sha256, "pages": f.pages, "size": f.size, "role": f.role}
             for f in doc.files]
    db.execute(
        f"INSERT INTO versions ({LISTED}, document) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (doc.doc_id, number, status, datetime.now(UTC).isoformat(timespec="seconds"),
         json.dumps(files, ensure_ascii=False), sizes["pages"], sizes["tables"], sizes["cells"], sizes["facts"],
         sizes["chunks"], json.dumps(warnings or [], ensure_ascii=False), zlib.compress(_DOCUMENT.dump_json(doc))),
    )
    db.executemany("INSERT OR IGNORE INTO version_files VALUES (?, ?, ?)",
                   [(f.sha256, doc.doc_id, number) for f in doc.files])
    return number


def listing(db: Database, doc_id: str) -> list[dict]:
    """A document's versions, oldest first, without their contents."""
    rows = db.execute(f"SELECT {LISTED} FROM versions WHERE doc_id = ? ORDER BY version", (doc_id,))
    return [{**dict(r), "files": json.loads(r["files"]), "warnings": json.loads(r["warnings"])} for r in rows]


def of_file(db: Database, sha256: str) -> dict | None:
    """The newest version that holds a file with this hash, if any."""
    row = db.execute(
        f"SELECT {', '.join('v.' + c.strip() for c in LISTED.split(','))} FROM version_files f "
        "JOIN versions v ON v.doc_id = f.doc_id AND v.version = f.version WHERE f.sha256 = ? "
        "ORDER BY v.version DESC LIMIT 1", (sha256,)).fetchone()
    return None if row is None else {**dict(row), "files": json.loads(row["files"])}


def document(db: Database, doc_id: str, version: int) -> Document | None:
    """The whole document as it was in one version."""
    row = db.execute("SELECT document FROM versions WHERE doc_id = ? AND version = ?", (doc_id, version)).fetchone()
    return None if row is None else _DOCUMENT.validate_json(zlib.decompress(row["document"]))


def make_current(db: Database, doc_id: str, version: int) -> None:
    """Mark ``version`` current and the document's other current version superseded."""
    db.execute("UPDATE versions SET status = 'superseded' WHERE doc_id = ? AND status IN ('current', 'deleted')",
               (doc_id,))
    db.execute("UPDATE versions SET status = 'current' WHERE doc_id = ? AND version = ?", (doc_id, version))


def mark_deleted(db: Database, doc_id: str) -> None:
    db.execute("UPDATE versions SET status = 'deleted' WHERE doc_id = ? AND status = 'current'", (doc_id,))


def doc_ids(db: Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT DISTINCT doc_id FROM versions ORDER BY doc_id")]
