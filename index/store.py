"""The store: the source of truth for documents, tables, cells, facts and chunks (SQLite, or
PostgreSQL when a ``postgresql://`` URL is given).

Every write of a document happens in one transaction, so an ingest either lands
whole or leaves the store as it was.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from budgetqa.index import schema
from budgetqa.index import versions as kept
from budgetqa.index.db import Database, is_postgres
from budgetqa.index.keyword import passage_rows
from budgetqa.models import (
    Cell,
    Chunk,
    Document,
    Fact,
    FrontPage,
    Indicator,
    Performance,
    SourceFile,
    Table,
)

if TYPE_CHECKING:
    from budgetqa.settings import Settings

_FACT_DECIMALS = ("amount", "share", "change_amount", "change_pct", "budget", "completion_pct", "previous")


def _dec(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _str(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


class Store:
    """A budgetqa store: ``data_dir/budgetqa.sqlite3``, or the PostgreSQL database at ``database_url``
    (``data_dir`` still holds the vector index and kept files)."""

    def __init__(self, data_dir: Path, database_url: str | None = None) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / "budgetqa.sqlite3"
        self.url = database_url if is_postgres(database_url) else None
        self.db = Database.postgres(self.url) if self.url else Database.sqlite(self.path)
        schema.migrate(self.db, self._backfill_search, self._migrate)
        self._refresh_aliases()

    @property
    def location(self) -> str:
        """Where the store is (its database URL or file): a key for per-store caches."""
        return self.url or str(self.path)

    def _migrate(self, db: Database) -> None:
        """Bring a SQLite store written by an older version up to v5."""
        before = schema.version(db)
        if "previous" not in db.columns("facts"):
            db.execute("ALTER TABLE facts ADD COLUMN previous TEXT")
        if "dept_key" not in db.columns("documents"):
            # v2 → v3: scope, level, identity key, warnings and the alias table
            from budgetqa.ingest.identity import aliases, identity_key, level_of

            for ddl in ("scope TEXT NOT NULL DEFAULT '部门'", "level TEXT", "dept_key TEXT NOT NULL DEFAULT ''",
                        "warnings TEXT NOT NULL DEFAULT '[]'"):
                db.execute(f"ALTER TABLE documents ADD COLUMN {ddl}")
            with self.transaction() as tx:
                for row in tx.execute("SELECT doc_id, department FROM documents").fetchall():
                    tx.execute("UPDATE documents SET dept_key = ?, level = ? WHERE doc_id = ?",
                               (identity_key(row["department"]), level_of(row["department"]), row["doc_id"]))
                    tx.executemany("INSERT OR IGNORE INTO aliases VALUES (?, ?)",
                                   [(a, row["doc_id"]) for a in aliases(row["department"])])
        if before < 5 and not kept.doc_ids(db):
            # v4 → v5: each stored document kept as its version 1
            with self.transaction() as tx:
                ids = [r["doc_id"] for r in tx.execute("SELECT doc_id FROM documents ORDER BY doc_id")]
                kept.migrate(tx, [doc for doc in map(self.load, ids) if doc is not None])

    def _refresh_aliases(self) -> None:
        """Write every document's aliases again when the alias rules changed since they were written,
        so a new rule (a short name people use) reaches the documents already stored."""
        from budgetqa.ingest.identity import alias_rules_fingerprint, aliases

        rules = alias_rules_fingerprint()
        row = self.db.execute("SELECT value FROM store_meta WHERE key = 'alias_rules'").fetchone()
        if row is not None and row["value"] == rules:
            return
        with self.transaction() as tx:
            for doc in tx.execute("SELECT doc_id, department FROM documents ORDER BY doc_id").fetchall():
                tx.execute("DELETE FROM aliases WHERE doc_id = ?", (doc["doc_id"],))
                tx.executemany("INSERT OR IGNORE INTO aliases VALUES (?, ?)",
                               [(a, doc["doc_id"]) for a in aliases(doc["department"])])
            tx.execute("DELETE FROM store_meta WHERE key = 'alias_rules'")
            tx.execute("INSERT INTO store_meta VALUES ('alias_rules', ?)", (rules,))

    def _backfill_search(self, db: Database) -> None:
        """v5 → v6: the keyword index of every stored chunk that has none yet."""
        rows = db.execute("SELECT k.doc_id, k.chunk_id, k.section_path, k.text FROM chunks k WHERE NOT EXISTS "
                          "(SELECT 1 FROM passages p WHERE p.doc_id = k.doc_id AND p.chunk_id = k.chunk_id) "
                          "ORDER BY k.doc_id, k.rowid").fetchall()
        with self.transaction() as tx:
            self._insert_passages(tx, [(r["doc_id"], r["chunk_id"], json.loads(r["section_path"]), r["text"])
                                       for r in rows])

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """All writes inside land together or not at all; other processes see a new generation."""
        with self.db.transaction() as db:
            yield db
        if self.db.postgresql:
            self.db.execute("SELECT nextval('store_generation')")

    # --- lookups -----------------------------------------------------------------
    def doc_of_file(self, sha256: str) -> str | None:
        row = self.db.execute("SELECT doc_id FROM files WHERE sha256 = ?", (sha256,)).fetchone()
        return row["doc_id"] if row else None

    def find_document_by_file(self, file_name: str) -> str | None:
        row = self.db.execute("SELECT doc_id FROM files WHERE file_name = ?", (file_name,)).fetchone()
        return row["doc_id"] if row else None

    def find_document(self, key: str, year: int | None, kind: str | None, scope: str = "部门") -> str | None:
        """The document of one department (identity key), year, kind and scope, if stored."""
        row = self.db.execute(
            "SELECT doc_id FROM documents WHERE dept_key = ? AND year IS ? AND kind IS ? AND scope = ?",
            (key, year, kind, scope),
        ).fetchone()
        return row["doc_id"] if row else None

    def match_aliases(self, texts: list[str]) -> dict[str, list[str]]:
        """Which of ``texts`` are a stored document's alias: alias → doc ids (an index lookup)."""
        found: dict[str, list[str]] = {}
        unique = list(dict.fromkeys(texts))
        for start in range(0, len(unique), 500):
            batch = unique[start:start + 500]
            marks = ",".join("?" * len(batch))
            for row in self.db.execute(f"SELECT alias, doc_id FROM aliases WHERE alias IN ({marks})", batch):
                found.setdefault(row["alias"], []).append(row["doc_id"])
        return found

    def dept_key(self, doc_id: str) -> str:
        """A document's department identity key ("" when unknown)."""
        row = self.db.execute("SELECT dept_key FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        return row["dept_key"] if row else ""

    def same_department(self, doc_id: str) -> list[str]:
        """The other documents (other years, kinds, editions) of a document's department (an index lookup)."""
        rows = self.db.execute(
            "SELECT doc_id FROM documents WHERE dept_key = (SELECT dept_key FROM documents WHERE doc_id = ?) "
            "AND doc_id != ?", (doc_id, doc_id))
        return [r["doc_id"] for r in rows]

    def identities(self) -> list[dict]:
        """Every document's identity (no contents): id, department, key, region, level, year, kind, scope."""
        rows = self.db.execute(
            "SELECT doc_id, department, dept_key, region, level, year, kind, scope FROM documents "
            "ORDER BY department, year DESC, kind, scope"
        )
        return [dict(row) for row in rows]

    def aliases_of(self, doc_id: str) -> list[str]:
        return [r["alias"] for r in self.db.execute("SELECT alias FROM aliases WHERE doc_id = ? ORDER BY rowid",
                                                   (doc_id,))]

    def documents(self) -> list[dict]:
        """Every document with its counts, newest year first."""
        rows = self.db.execute(
            """SELECT d.*, (SELECT COUNT(*) FROM tables t WHERE t.doc_id = d.doc_id) AS tables,
                      (SELECT COUNT(*) FROM cells c WHERE c.doc_id = d.doc_id AND c.state = 'value') AS cells,
                      (SELECT COUNT(*) FROM facts f WHERE f.doc_id = d.doc_id) AS facts,
                      (SELECT COUNT(*) FROM chunks k WHERE k.doc_id = d.doc_id) AS chunks,
                      (SELECT SUM(pages) FROM files x WHERE x.doc_id = d.doc_id) AS pages
               FROM documents d ORDER BY d.department, d.year DESC, d.kind, d.scope"""
        ).fetchall()
        result = []
        for row in rows:
            item = dict(row)
            item["profile"] = json.loads(item["profile"])
            item["metadata_warnings"] = json.loads(item.pop("warnings"))
            item["aliases"] = self.aliases_of(row["doc_id"])
            item["files"] = [
                dict(f)
                for f in self.db.execute(
                    "SELECT file_name, sha256, pages, size, role FROM files WHERE doc_id = ? ORDER BY file_name",
                    (row["doc_id"],),
                )
            ]
            result.append(item)
        return result

    def versions(self, doc_ids: Collection[str] | None = None) -> dict[str, str]:
        """Each document's id (or each of ``doc_ids``) → a version string that changes when its files change."""
        versions: dict[str, list[str]] = {}
        where, args = "", list(doc_ids or ())
        if doc_ids is not None and not args:
            return {}
        if doc_ids is not None:
            where = f"WHERE doc_id IN ({','.join('?' * len(args))})"
        for row in self.db.execute(f"SELECT doc_id, sha256 FROM files {where} ORDER BY doc_id, sha256", args):
            versions.setdefault(row["doc_id"], []).append(row["sha256"])
        return {doc_id: ",".join(shas) for doc_id, shas in versions.items()}

    def resolve(self, ref: str) -> str | None:
        """A document id from an id, an id prefix, a department name (part) or alias; None unless one."""
        matches = self.candidates(ref)
        return matches[0]["doc_id"] if len(matches) == 1 else None

    def candidates(self, ref: str) -> list[dict]:
        """The documents ``ref`` may mean: an exact id, else an alias, else id prefixes and name parts."""
        rows = self.identities()
        exact = [r for r in rows if r["doc_id"] == ref]
        if exact:
            return exact
        aliased = set(self.match_aliases([ref]).get(ref, []))
        if aliased:
            return [r for r in rows if r["doc_id"] in aliased]
        return [r for r in rows if r["doc_id"].startswith(ref) or ref in r["department"]]

    # --- writes ------------------------------------------------------------------
    def save(self, document: Document, replaces: str | None = None) -> int:
        """Write a document whole, replacing ``replaces`` (and any same-id document) atomically, and keep
        it as the document's new current version (the number returned); older versions stay."""
        with self.transaction() as db:
            for doc_id in {document.doc_id, replaces} - {None}:
                db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
            self._insert(db, document)
            return kept.record(db, document, "current")

    def save_candidate(self, document: Document, warnings: list[str]) -> int:
        """Keep ``document`` as a candidate version only (not answered from); its number."""
        with self.transaction() as db:
            return kept.record(db, document, "candidate", warnings)

    def restore(self, doc_id: str, version: int) -> Document | None:
        """Make a kept version the document answered from again (None: no such version)."""
        with self.transaction() as db:
            document = kept.document(db, doc_id, version)
            if document is None:
                return None
            db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
            self._insert(db, document)
            kept.make_current(db, doc_id, version)
        return document

    def document_versions(self, doc_id: str) -> list[dict]:
        """A document's kept versions, oldest first: number, status, time, files, counts, warnings."""
        return kept.listing(self.db, doc_id)

    def version_of_file(self, sha256: str) -> dict | None:
        """The newest kept version holding a file with this hash."""
        return kept.of_file(self.db, sha256)

    def version_doc_ids(self) -> list[str]:
        """Every document id with kept versions (including deleted documents)."""
        return kept.doc_ids(self.db)

    def delete(self, doc_id: str, settings: Settings | None = None) -> bool:
        """Delete a document, then its chunks from the vector index of ``settings`` (default: the
        environment's; searches ignore any left behind).

        Its versions are kept (status ``deleted``): ``restore`` brings it back."""
        with self.transaction() as db:
            deleted = db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,)).rowcount > 0
            kept.mark_deleted(db, doc_id)
        if deleted:
            from budgetqa.index.vectors import remove_document
            from budgetqa.settings import Settings

            try:
                remove_document(doc_id, settings or Settings(data_dir=self.path.parent))
            except Exception as exc:  # the store is the source of truth; stale vectors are never served
                logging.getLogger(__name__).warning("vector index not updated for %s: %s", doc_id, exc)
        return deleted

    def _insert(self, db: Database, doc: Document) -> None:
        db.execute(
            "INSERT INTO documents (doc_id, department, region, year, kind, unit, title, profile, scope, level, "
            "dept_key, warnings) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (doc.doc_id, doc.department, doc.region, doc.year, doc.kind, doc.unit, doc.title,
             json.dumps(doc.profile, ensure_ascii=False), doc.scope, doc.level, doc.key,
             json.dumps(doc.warnings, ensure_ascii=False)),
        )
        db.executemany("INSERT OR IGNORE INTO aliases VALUES (?, ?)", [(a, doc.doc_id) for a in doc.aliases])
        db.executemany(
            "INSERT INTO files VALUES (?,?,?,?,?,?)",
            [(f.sha256, doc.doc_id, f.file_name, f.pages, f.size, f.role) for f in doc.files],
        )
        for table in doc.tables:
            db.execute(
                "INSERT INTO tables VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (doc.doc_id, table.table_id, table.title, table.kind, table.label, table.unit,
                 json.dumps(table.pages), table.empty_statement, json.dumps(table.sides, ensure_ascii=False),
                 json.dumps(table.columns, ensure_ascii=False), table.source_file),
            )
            db.executemany(
                "INSERT INTO cells VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (doc.doc_id, table.table_id, c.side, c.row_index, c.row_code, c.row_name, c.row_subject,
                     c.parent_code, c.level, c.col_index, json.dumps(c.col_path, ensure_ascii=False), c.state,
                     _str(c.value), c.unit, c.page, c.raw, int(c.ambiguous))
                    for c in table.cells
                ],
            )
        for table in doc.tables:
            if table.performance is not None:
                self._insert_performance(db, doc.doc_id, table.table_id, table.performance)
        db.executemany(
            "INSERT INTO facts (doc_id, kind, subject, sentence, page, section, amount, unit, share, "
            "change_amount, change_pct, budget, completion_pct, source_file, previous) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (doc.doc_id, f.kind, f.subject, f.sentence, f.page, f.section, _str(f.amount), f.unit,
                 _str(f.share), _str(f.change_amount), _str(f.change_pct), _str(f.budget),
                 _str(f.completion_pct), f.source_file, _str(f.previous))
                for f in doc.facts
            ],
        )
        db.executemany(
            "INSERT INTO chunks VALUES (?,?,?,?,?,?)",
            [(doc.doc_id, c.chunk_id, json.dumps(c.section_path, ensure_ascii=False), c.page, c.text,
              c.source_file) for c in doc.chunks],
        )
        db.executemany(
            "INSERT INTO front_pages VALUES (?,?,?,?,?)",
            [(doc.doc_id, p.role, p.page, json.dumps(p.lines, ensure_ascii=False), p.source_file) for p in doc.front],
        )
        self._insert_passages(db, [(doc.doc_id, c.chunk_id, c.section_path, c.text) for c in doc.chunks])

    @staticmethod
    def _insert_passages(db: Database, chunks: list[tuple[str, str, list[str], str]]) -> None:
        """The passages of chunks (doc_id, chunk_id, section path, text) in the keyword index (the
        full-text index follows: a trigger or a generated column)."""
        db.executemany("INSERT INTO passages VALUES (?,?,?,?,?)",
                       [(doc_id, chunk_id, *row) for doc_id, chunk_id, path, text in chunks
                        for row in passage_rows(chunk_id, path, text)])

    @staticmethod
    def _insert_performance(db: Database, doc_id: str, table_id: str, form: Performance) -> None:
        db.execute(
            "INSERT INTO performance VALUES (?,?,?,?,?,?,?,?)",
            (doc_id, table_id, form.project, form.unit, json.dumps(form.fields, ensure_ascii=False),
             json.dumps({k: str(v) for k, v in form.amounts.items()}, ensure_ascii=False),
             json.dumps(form.goals, ensure_ascii=False), json.dumps(form.pages)),
        )
        db.executemany(
            "INSERT INTO indicators VALUES (?,?,?,?,?,?,?,?,?)",
            [(doc_id, table_id, i, x.level1, x.level2, x.name, x.target, x.weight, x.page)
             for i, x in enumerate(form.indicators)],
        )

    # --- reads -------------------------------------------------------------------
    def performance(self, doc_id: str) -> dict[str, Performance]:
        """A document's performance-target forms by table id."""
        forms: dict[str, Performance] = {}
        for r in self.db.execute("SELECT * FROM performance WHERE doc_id = ? ORDER BY table_id", (doc_id,)):
            forms[r["table_id"]] = Performance(
                project=r["project"], unit=r["unit"], fields=json.loads(r["fields"]),
                amounts={k: Decimal(v) for k, v in json.loads(r["amounts"]).items()},
                goals=[tuple(g) for g in json.loads(r["goals"])], pages=json.loads(r["pages"]),
            )
        for r in self.db.execute("SELECT * FROM indicators WHERE doc_id = ? ORDER BY table_id, position", (doc_id,)):
            forms[r["table_id"]].indicators.append(
                Indicator(r["level1"], r["level2"], r["name"], r["target"], r["page"], r["weight"]))
        return forms

    def load(self, doc_id: str) -> Document | None:
        """The whole document back from the store."""
        row = self.db.execute("SELECT * FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        if row is None:
            return None
        doc = Document(
            doc_id=row["doc_id"], department=row["department"], region=row["region"], year=row["year"],
            kind=row["kind"], unit=row["unit"], title=row["title"], profile=json.loads(row["profile"]),
            scope=row["scope"], level=row["level"], warnings=json.loads(row["warnings"]),
            aliases=self.aliases_of(doc_id),
        )
        doc.files = [
            SourceFile(r["file_name"], r["sha256"], r["pages"], r["size"], r["role"])
            for r in self.db.execute("SELECT * FROM files WHERE doc_id = ? ORDER BY file_name", (doc_id,))
        ]
        doc.tables = self.tables(doc_id)
        doc.facts = [
            Fact(
                kind=r["kind"], subject=r["subject"], sentence=r["sentence"], page=r["page"],
                section=r["section"], unit=r["unit"], source_file=r["source_file"],
                **{name: _dec(r[name]) for name in _FACT_DECIMALS},
            )
            for r in self.db.execute("SELECT * FROM facts WHERE doc_id = ? ORDER BY rowid", (doc_id,))
        ]
        doc.chunks = [
            Chunk(r["chunk_id"], json.loads(r["section_path"]), r["page"], r["text"], r["source_file"])
            for r in self.db.execute("SELECT * FROM chunks WHERE doc_id = ? ORDER BY rowid", (doc_id,))
        ]
        doc.front = [
            FrontPage(r["role"], r["page"], json.loads(r["lines"]), r["source_file"])
            for r in self.db.execute("SELECT * FROM front_pages WHERE doc_id = ? ORDER BY rowid", (doc_id,))
        ]
        return doc

    def tables(self, doc_id: str) -> list[Table]:
        """A document's tables with their cells, in document order."""
        tables: dict[str, Table] = {}
        for r in self.db.execute("SELECT * FROM tables WHERE doc_id = ? ORDER BY table_id", (doc_id,)):
            columns = {side: [tuple(p) for p in paths] for side, paths in json.loads(r["columns"]).items()}
            tables[r["table_id"]] = Table(
                table_id=r["table_id"], title=r["title"], kind=r["kind"], label=r["label"], unit=r["unit"],
                pages=json.loads(r["pages"]), empty_statement=r["empty_statement"],
                sides=json.loads(r["sides"]), columns=columns, source_file=r["source_file"],
            )
        for r in self.db.execute("SELECT * FROM cells WHERE doc_id = ? ORDER BY rowid", (doc_id,)):
            tables[r["table_id"]].cells.append(
                Cell(
                    side=r["side"], row_index=r["row_index"], row_code=r["row_code"], row_name=r["row_name"],
                    parent_code=r["parent_code"], level=r["level"], col_index=r["col_index"],
                    col_path=tuple(json.loads(r["col_path"])), state=r["state"], value=_dec(r["value"]),
                    unit=r["unit"], page=r["page"], raw=r["raw"], ambiguous=bool(r["ambiguous"]),
                    row_subject=r["row_subject"],
                )
            )
        for table_id, form in self.performance(doc_id).items():
            tables[table_id].performance = form
        return list(tables.values())

    def generation(self) -> int:
        """A number that changes whenever the store's content changes, in this process or another
        (for caches)."""
        if self.db.postgresql:
            return self.db.execute("SELECT last_value FROM store_generation").fetchone()[0]
        return self.db.execute("PRAGMA data_version").fetchone()[0] + self.db.connection.total_changes
