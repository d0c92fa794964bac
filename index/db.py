"""One connection to the store's database, SQLite or PostgreSQL, behind the same few calls.

The store writes its SQL once, in SQLite's spelling (``?`` parameters, ``INSERT OR IGNORE``,
``IS ?``, ``BLOB``); ``pg_sql`` turns it into PostgreSQL's. Rows answer ``row["name"]``,
``row[0]`` and ``dict(row)`` on both.
"""

from __future__ import annotations

import re
import sqlite3
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

Dialect = Literal["sqlite", "postgresql"]


def is_postgres(url: str | None) -> bool:
    return bool(url) and url.split(":", 1)[0] in ("postgresql", "postgres")


@lru_cache(maxsize=512)
def pg_sql(sql: str) -> str:
    """A statement in SQLite's spelling, in PostgreSQL's."""
    ignore = re.match(r"\s*INSERT OR IGNORE INTO", sql, re.IGNORECASE)
    if ignore:
        sql = "INSERT INTO" + sql[ignore.end():] + " ON CONFLICT DO NOTHING"
    sql = re.sub(r"\bIS \?", "IS NOT DISTINCT FROM ?", sql)
    sql = re.sub(r"\bBLOB\b", "BYTEA", sql)
    return sql.replace("%", "%%").replace("?", "%s")


class Row:
    """A result row by name or position, like ``sqlite3.Row``."""

    __slots__ = ("_names", "_values")

    def __init__(self, names: dict[str, int], values: Sequence[Any]) -> None:
        self._names = names
        self._values = values

    def __getitem__(self, key: str | int) -> Any:
        return self._values[self._names[key] if isinstance(key, str) else key]

    def keys(self) -> list[str]:
        return list(self._names)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


def _pg_connect(url: str) -> Any:
    import psycopg

    return psycopg.connect(url, autocommit=True, row_factory=_row_factory)


def _row_factory(cursor: Any) -> Any:
    names = {column.name: i for i, column in enumerate(cursor.description or ())}
    return lambda values: Row(names, values)


class Database:
    """A connection in autocommit mode; ``transaction()`` groups writes."""

    def __init__(self, dialect: Dialect, connection: Any, url: str | None = None) -> None:
        self.dialect = dialect
        self.connection = connection
        self.url = url
        self._depth = 0
        """Open transactions (a broken connection is replaced only outside one)."""

    @classmethod
    def sqlite(cls, path: Path) -> Database:
        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        connection.row_factory = sqlite3.Row
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("PRAGMA journal_mode = WAL")
        return cls("sqlite", connection)

    @classmethod
    def postgres(cls, url: str) -> Database:
        return cls("postgresql", _pg_connect(url), url)

    @property
    def postgresql(self) -> bool:
        return self.dialect == "postgresql"

    def sql(self, statement: str) -> str:
        return pg_sql(statement) if self.postgresql else statement

    def _live(self) -> Any:
        """The connection; a PostgreSQL connection the server dropped (a restart, an idle timeout)
        is opened again, unless a transaction was open on it (that one fails whole)."""
        if self.postgresql and self.connection.broken and not self._depth:
            self.connection = _pg_connect(self.url)
        return self.connection

    def execute(self, statement: str, params: Sequence[Any] = ()) -> Any:
        return self._live().execute(self.sql(statement), params)

    def executemany(self, statement: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = list(rows)
        if not rows:
            return
        if self.postgresql:
            with self._live().cursor() as cursor:
                cursor.executemany(self.sql(statement), rows)
        else:
            self.connection.executemany(statement, rows)

    def script(self, statements: str) -> None:
        """Run ``;``-separated statements one by one (inside the caller's transaction, if any)."""
        for statement in filter(str.strip, statements.split(";")):
            self.execute(statement)

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """All writes inside land together or not at all."""
        if self.postgresql:
            with self._live().transaction():
                self._depth += 1
                try:
                    yield self
                finally:
                    self._depth -= 1
            return
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        self.connection.execute("COMMIT")

    def columns(self, table: str) -> set[str]:
        if self.postgresql:
            rows = self.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                                "AND table_schema = current_schema()", (table,))
            return {r[0] for r in rows}
        return {r["name"] for r in self.execute(f"PRAGMA table_info({table})")}

    def close(self) -> None:
        self.connection.close()


@contextmanager
def scratch_database(server_url: str, prefix: str = "budgetqa_scratch") -> Iterator[str]:
    """The URL of a new empty database on the PostgreSQL server of ``server_url`` (whose role
    may create databases), dropped on exit: for tests and benchmarks."""
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield urlsplit(server_url)._replace(path="/" + name).geturl()
    finally:
        with psycopg.connect(server_url, autocommit=True) as admin:
            for attempt in range(5):  # an autovacuum worker (another role) may be in it for a moment
                try:
                    admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
                    break
                except psycopg.errors.InsufficientPrivilege:
                    if attempt == 4:
                        raise
                    time.sleep(0.5 * (attempt + 1))
