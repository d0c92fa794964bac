"""The store's schema, declared once for SQLite and PostgreSQL, and its versioned migrations.

Tables are written in SQLite's spelling (``index/db.py`` translates); ``{rowid}`` marks the
tables read back in insertion order, which get a ``rowid`` column of their own on PostgreSQL
(SQLite has one built in). ``migrate`` brings any older store up to ``SCHEMA_VERSION``:

- v2 → v3: scope, level, identity key, warnings and the alias table;
- v3 → v4: the performance and indicators tables (empty until a document is ingested again;
  so is ``front_pages``, the cover, contents and blank pages the audit reads, added later without a version,
  as is ``store_meta``, a key/value table: which alias rules wrote the aliases);
- v4 → v5: the version tables, each stored document kept as its version 1;
- v5 → v6: the keyword index (``passages`` with its full-text index: FTS5 on SQLite, a GIN
  ``tsvector`` on PostgreSQL), filled from the stored chunks, and an index on every looked-up column.
"""

from __future__ import annotations

from collections.abc import Callable

from budgetqa.index.db import Database

SCHEMA_VERSION = 6

TABLES = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY, department TEXT NOT NULL, region TEXT NOT NULL, year INTEGER,
    kind TEXT, unit TEXT NOT NULL, title TEXT NOT NULL, profile TEXT NOT NULL DEFAULT '{}',
    scope TEXT NOT NULL DEFAULT '部门', level TEXT, dept_key TEXT NOT NULL DEFAULT '',
    warnings TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS aliases (
    alias TEXT NOT NULL, doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE{rowid},
    PRIMARY KEY (alias, doc_id)
);
CREATE TABLE IF NOT EXISTS files (
    sha256 TEXT PRIMARY KEY, doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    file_name TEXT NOT NULL, pages INTEGER NOT NULL, size INTEGER NOT NULL, role TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tables (
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE, table_id TEXT NOT NULL,
    title TEXT NOT NULL, kind TEXT NOT NULL, label TEXT, unit TEXT NOT NULL, pages TEXT NOT NULL,
    empty_statement TEXT, sides TEXT NOT NULL, columns TEXT NOT NULL, source_file TEXT NOT NULL,
    PRIMARY KEY (doc_id, table_id)
);
CREATE TABLE IF NOT EXISTS cells (
    doc_id TEXT NOT NULL, table_id TEXT NOT NULL, side TEXT NOT NULL, row_index INTEGER NOT NULL,
    row_code TEXT, row_name TEXT NOT NULL, row_subject TEXT, parent_code TEXT, level TEXT,
    col_index INTEGER NOT NULL, col_path TEXT NOT NULL, state TEXT NOT NULL, value TEXT,
    unit TEXT NOT NULL, page INTEGER NOT NULL, raw TEXT NOT NULL, ambiguous INTEGER NOT NULL{rowid},
    FOREIGN KEY (doc_id, table_id) REFERENCES tables(doc_id, table_id) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS facts (
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE, kind TEXT NOT NULL,
    subject TEXT NOT NULL, sentence TEXT NOT NULL, page INTEGER NOT NULL, section TEXT NOT NULL,
    amount TEXT, unit TEXT NOT NULL, share TEXT, change_amount TEXT, change_pct TEXT,
    budget TEXT, completion_pct TEXT, source_file TEXT NOT NULL, previous TEXT{rowid}
);
CREATE TABLE IF NOT EXISTS chunks (
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE, chunk_id TEXT NOT NULL,
    section_path TEXT NOT NULL, page INTEGER NOT NULL, text TEXT NOT NULL, source_file TEXT NOT NULL{rowid},
    PRIMARY KEY (doc_id, chunk_id)
);
CREATE TABLE IF NOT EXISTS performance (
    doc_id TEXT NOT NULL, table_id TEXT NOT NULL, project TEXT NOT NULL, unit TEXT NOT NULL,
    fields TEXT NOT NULL, amounts TEXT NOT NULL, goals TEXT NOT NULL, pages TEXT NOT NULL,
    PRIMARY KEY (doc_id, table_id),
    FOREIGN KEY (doc_id, table_id) REFERENCES tables(doc_id, table_id) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS indicators (
    doc_id TEXT NOT NULL, table_id TEXT NOT NULL, position INTEGER NOT NULL, level1 TEXT NOT NULL,
    level2 TEXT NOT NULL, name TEXT NOT NULL, target TEXT NOT NULL, weight TEXT NOT NULL, page INTEGER NOT NULL,
    FOREIGN KEY (doc_id, table_id) REFERENCES performance(doc_id, table_id) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS store_meta (
    key TEXT PRIMARY KEY, value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS front_pages (
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE, role TEXT NOT NULL,
    page INTEGER NOT NULL, lines TEXT NOT NULL, source_file TEXT NOT NULL{rowid}
);
CREATE TABLE IF NOT EXISTS versions (
    doc_id TEXT NOT NULL, version INTEGER NOT NULL, status TEXT NOT NULL, created_at TEXT NOT NULL,
    files TEXT NOT NULL, pages INTEGER NOT NULL, tables INTEGER NOT NULL, cells INTEGER NOT NULL,
    facts INTEGER NOT NULL, chunks INTEGER NOT NULL, warnings TEXT NOT NULL, document BLOB NOT NULL,
    PRIMARY KEY (doc_id, version)
);
CREATE TABLE IF NOT EXISTS version_files (
    sha256 TEXT NOT NULL, doc_id TEXT NOT NULL, version INTEGER NOT NULL,
    PRIMARY KEY (sha256, doc_id, version)
);
CREATE TABLE IF NOT EXISTS passages (
    doc_id TEXT NOT NULL, chunk_id TEXT NOT NULL, n INTEGER NOT NULL,
    tokens TEXT NOT NULL, terms TEXT NOT NULL{rowid}{search},
    PRIMARY KEY (doc_id, chunk_id, n),
    FOREIGN KEY (doc_id, chunk_id) REFERENCES chunks(doc_id, chunk_id) ON DELETE CASCADE
)
"""
"""``passages``: each passage's weighted token counts (JSON, for BM25) and its distinct tokens
(space-separated, for the full-text index)."""

INDEXES = """
CREATE INDEX IF NOT EXISTS aliases_by_doc ON aliases(doc_id);
CREATE INDEX IF NOT EXISTS files_by_doc ON files(doc_id);
CREATE INDEX IF NOT EXISTS files_by_name ON files(file_name);
CREATE INDEX IF NOT EXISTS cells_by_table ON cells(doc_id, table_id);
CREATE INDEX IF NOT EXISTS facts_by_doc ON facts(doc_id);
CREATE INDEX IF NOT EXISTS indicators_by_table ON indicators(doc_id, table_id);
CREATE INDEX IF NOT EXISTS front_pages_by_doc ON front_pages(doc_id);
CREATE INDEX IF NOT EXISTS documents_by_identity ON documents(dept_key, year, kind, scope);
CREATE INDEX IF NOT EXISTS documents_by_year_kind ON documents(year, kind);
CREATE INDEX IF NOT EXISTS version_files_by_doc ON version_files(doc_id, version)
"""
"""Every looked-up column: ``doc_id`` in every table (the primary keys that start with it cover
the rest), aliases both ways, file names, identity, year and kind."""

SQLITE_SEARCH = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS passage_search USING fts5(terms, content='passages', "
    "content_rowid='rowid', tokenize=\"unicode61 tokenchars '_.'\")",
    "CREATE TRIGGER IF NOT EXISTS passages_indexed AFTER INSERT ON passages BEGIN "
    "INSERT INTO passage_search(rowid, terms) VALUES (new.rowid, new.terms); END",
    "CREATE TRIGGER IF NOT EXISTS passages_unindexed AFTER DELETE ON passages BEGIN "
    "INSERT INTO passage_search(passage_search, rowid, terms) VALUES ('delete', old.rowid, old.terms); END",
]
"""SQLite: an FTS5 index over ``passages.terms``, kept in step by triggers (as sqlite-utils does)."""

POSTGRES_SEARCH = [
    "CREATE INDEX IF NOT EXISTS passages_search ON passages USING GIN (search)",
    "CREATE SEQUENCE IF NOT EXISTS store_generation",
    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)",
]
"""PostgreSQL: a GIN index over the generated ``tsvector`` column; the generation counter other
processes' caches watch; the schema version."""

_PG_COLUMNS = {
    "rowid": ", rowid BIGSERIAL",
    "search": ", search tsvector GENERATED ALWAYS AS (array_to_tsvector(string_to_array(terms, ' '))) STORED",
}
_MIGRATION_LOCK = 7013
"""PostgreSQL advisory lock that serialises migrations of processes starting together."""


def tables_sql(db: Database) -> str:
    sql = TABLES
    for name, column in _PG_COLUMNS.items():
        sql = sql.replace("{" + name + "}", column if db.postgresql else "")
    return sql


def version(db: Database) -> int:
    if db.postgresql:
        row = db.execute("SELECT MAX(version) FROM schema_version").fetchone()
        return row[0] or 0
    return db.execute("PRAGMA user_version").fetchone()[0]


def set_version(db: Database, number: int) -> None:
    if db.postgresql:
        db.execute("DELETE FROM schema_version")
        db.execute("INSERT INTO schema_version VALUES (?)", (number,))
    else:
        db.execute(f"PRAGMA user_version = {number}")


def migrate(db: Database, backfill: Callable[[Database], None],
            older: Callable[[Database], None]) -> None:
    """Create what is missing and bring the store to ``SCHEMA_VERSION``. ``older`` runs the steps
    up to v5 (SQLite stores only; PostgreSQL stores start at v6); ``backfill`` fills the keyword
    index from the stored chunks (v5 → v6)."""
    if db.postgresql:
        db.execute("SELECT pg_advisory_lock(?)", (_MIGRATION_LOCK,))
    try:
        if db.postgresql:
            db.script(tables_sql(db))
            db.script(";".join(POSTGRES_SEARCH))
        else:
            db.connection.executescript(tables_sql(db))
            older(db)
        db.script(INDEXES)
        if not db.postgresql:
            for statement in SQLITE_SEARCH:
                db.execute(statement)
        if version(db) < SCHEMA_VERSION:
            backfill(db)
            set_version(db, SCHEMA_VERSION)
    finally:
        if db.postgresql:
            db.execute("SELECT pg_advisory_unlock(?)", (_MIGRATION_LOCK,))
