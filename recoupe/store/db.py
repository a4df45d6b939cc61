"""The one place where SQLite and PostgreSQL differ: connecting, placeholders, locks, full text.

Every other module of the store writes its SQL once, with ``?`` placeholders, and runs it
through a ``Database``; parameters are always bound, never formatted into the SQL text.
"""
from __future__ import annotations

import os
import re
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional, Sequence
from urllib.parse import unquote, urlparse

from recoupe.errors import StoreError

DEFAULT_PATH = "recoupe.db"
SQLITE_BUSY_MS = 30_000  # wait this long for another writer (a second ingest) before failing


@dataclass(frozen=True)
class Location:
    """Where a store lives: ``dialect`` is "sqlite" or "postgresql"; ``target`` a path or a conninfo URL."""

    dialect: str
    target: str

    def __str__(self) -> str:
        if self.dialect == "sqlite":
            return self.target
        parts = urlparse(self.target)
        host = parts.hostname or "localhost"
        return f"postgresql://{host}{':' + str(parts.port) if parts.port else ''}{parts.path}"  # no password


def parse_url(url: Optional[str]) -> Location:
    """``None`` -> ./recoupe.db; ``sqlite:///path``, a plain path, or ``postgresql://...``."""
    if url is None or url == "":
        return Location("sqlite", DEFAULT_PATH)
    if url.startswith(("postgresql://", "postgres://")):
        return Location("postgresql", url)
    if url.startswith("sqlite:"):
        path = unquote(url[len("sqlite:"):])
        if path.startswith("///"):  # sqlite:///relative.db, sqlite:////absolute.db
            path = path[3:]
        elif path.startswith("//"):
            raise StoreError(f"{url}: write sqlite:///relative.db or sqlite:////absolute/path.db")
        if not path:
            raise StoreError(f"{url}: no database file")
        return Location("sqlite", path)
    if re.match(r"^[a-z][a-z0-9+.-]*://", url):
        raise StoreError(f"{url}: unknown database kind (use a path, sqlite:///path.db or postgresql://...)")
    return Location("sqlite", url)


class Database:
    """A connection in autocommit mode; ``transaction()`` groups statements into one commit."""

    def __init__(self, location: Location):
        self.location = location
        self.dialect = location.dialect
        if self.dialect == "sqlite":
            self.conn = _connect_sqlite(location.target)
        else:
            self.conn = _connect_postgresql(location.target)
        self._depth = 0

    # ------------------------------------------------------------ statements
    def sql(self, text: str) -> str:
        """The dialect's form of a statement written with ``?`` placeholders."""
        if self.dialect == "sqlite":
            return text
        return text.replace("%", "%%").replace("?", "%s")

    def execute(self, text: str, params: Sequence[Any] = ()) -> Any:
        return self.conn.execute(self.sql(text), tuple(params))

    def executemany(self, text: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = [tuple(r) for r in rows]
        if not rows:
            return
        if self.dialect == "sqlite":
            self.conn.executemany(text, rows)
        else:
            with self.conn.cursor() as cur:
                cur.executemany(self.sql(text), rows)

    def rows(self, text: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cur = self.execute(text, params)
        return [_as_dict(cur, r) for r in cur.fetchall()]

    def row(self, text: str, params: Sequence[Any] = ()) -> Optional[dict[str, Any]]:
        cur = self.execute(text, params)
        r = cur.fetchone()
        return _as_dict(cur, r) if r is not None else None

    def scalar(self, text: str, params: Sequence[Any] = ()) -> Any:
        r = self.execute(text, params).fetchone()
        return None if r is None else (r[0] if not isinstance(r, dict) else next(iter(r.values())))

    def stream(self, text: str, params: Sequence[Any] = (), size: int = 500) -> Iterator[dict[str, Any]]:
        """Rows one by one, fetched in batches (exports)."""
        cur = self.execute(text, params)
        while True:
            batch = cur.fetchmany(size)
            if not batch:
                break
            for r in batch:
                yield _as_dict(cur, r)

    def script(self, text: str) -> None:
        """Run a migration file (several statements, no parameters) inside the current transaction."""
        if self.dialect == "sqlite":
            # executescript would commit first; split on the statement-ending ";\n" outside triggers
            for statement in _split_sqlite_script(text):
                self.conn.execute(statement)
        else:
            self.conn.execute(text)

    # ---------------------------------------------------------- transactions
    @property
    def in_transaction(self) -> bool:
        """Whether a ``transaction()`` is open."""
        return self._depth > 0

    @contextmanager
    def transaction(self) -> Iterator["Database"]:
        """One commit for everything inside; rolled back whole on any exception."""
        if self._depth:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
            return
        # IMMEDIATE: take SQLite's write lock now, so two ingests queue instead of failing mid-way
        self.conn.execute("BEGIN IMMEDIATE" if self.dialect == "sqlite" else "BEGIN")
        self._depth = 1
        try:
            yield self
        except BaseException:
            self._depth = 0
            self.conn.execute("ROLLBACK")
            raise
        self._depth = 0
        self.conn.execute("COMMIT")

    def lock(self, keys: Iterable[str]) -> None:
        """Serialise concurrent writers of the same keys until commit (SQLite's write lock already does).

        PostgreSQL's advisory locks are the whole database's: each is taken in the store's schema's
        own space, so that stores in other schemas of the database (other users, test runs) never
        wait on this one's keys, nor deadlock with it.
        """
        if self.dialect == "postgresql":
            for key in sorted(set(keys)):  # sorted: two writers never wait on each other in a cycle
                self.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema()), hashtext(?))", (key,))

    # -------------------------------------------------------------- full text
    @property
    def indexes_text(self) -> bool:
        """Whether the store must index each article's folded text itself (``index_text``)."""
        return self.dialect == "postgresql"

    def index_text(self, seq: int, folded: str) -> None:
        """Index an article's folded title and text (PostgreSQL; SQLite's triggers do it)."""
        if self.dialect == "postgresql":
            self.execute("UPDATE articles SET fts = to_tsvector('simple', ?) WHERE seq = ?", (folded, seq))

    def search_sql(self) -> str:
        """The search query: articles matching the first ``?`` (``search_query``), best first, paged."""
        if self.dialect == "sqlite":
            return ("SELECT a.id, a.title, a.date, a.outlet, a.url, a.text FROM articles_fts f "
                    "JOIN articles a ON a.seq = f.rowid WHERE articles_fts MATCH ? "
                    "ORDER BY rank LIMIT ? OFFSET ?")  # rank: FTS5's own bm25, sorted inside the index scan
        return ("SELECT a.id, a.title, a.date, a.outlet, a.url, a.text FROM articles a, "
                "to_tsquery('simple', ?) q WHERE a.fts @@ q "
                "ORDER BY ts_rank(a.fts, q) DESC, a.seq LIMIT ? OFFSET ?")

    def search_query(self, words: list[str]) -> str:
        """Every word must occur: FTS5 phrase strings, or a tsquery of quoted lexemes."""
        if self.dialect == "sqlite":
            return " ".join('"' + w.replace('"', '""') + '"' for w in words)
        return " & ".join("'" + w.replace("'", "''").replace("\\", "\\\\") + "'" for w in words)

    def close(self) -> None:
        try:
            self.conn.close()
        except Exception:  # noqa: BLE001 - closing a broken connection must not hide the first error
            pass


def _as_dict(cur: Any, row: Any) -> dict[str, Any]:
    if isinstance(row, dict):
        return row
    if isinstance(row, sqlite3.Row):
        return dict(zip(row.keys(), row))
    return {d[0]: v for d, v in zip(cur.description, row)}


def _connect_sqlite(path: str) -> sqlite3.Connection:
    parent = Path(path).expanduser().resolve().parent
    if not parent.is_dir():
        raise StoreError(f"{path}: folder {parent} does not exist")
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=SQLITE_BUSY_MS / 1000)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        # WAL: readers (the web page) never block the ingest, and a killed writer loses only
        # its open transaction
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: cannot open as SQLite: {exc}") from exc
    return conn


def _connect_postgresql(url: str) -> Any:
    try:
        import psycopg
    except ImportError as exc:  # pragma: no cover - psycopg is a pinned dependency
        raise StoreError("PostgreSQL needs psycopg (pip install -r requirements.lock)") from exc
    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=int(os.environ.get("RECOUPE_PG_TIMEOUT", "10")))
    except psycopg.Error as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise StoreError(f"{Location('postgresql', url)}: cannot connect: {reason}") from exc


def _split_sqlite_script(text: str) -> list[str]:
    """Statements of a migration file; a CREATE TRIGGER's body stays whole."""
    out: list[str] = []
    buf = ""
    for line in text.splitlines(keepends=True):
        if line.lstrip().startswith("--"):
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out
