"""Versioned schema: numbered SQL files per dialect in ``migrations/``, applied in order at open.

``migrations/<dialect>/NNNN_name.sql`` brings the schema from version NNNN-1 to NNNN. The
``schema_version`` table records each applied version and a checksum of its file; a database
whose version is newer than the files this code ships, or that a since changed file built,
is refused with a clear message rather than misread.
"""
from __future__ import annotations

import hashlib
import re
from datetime import datetime, timezone
from pathlib import Path

from recoupe.errors import StoreError, one_line

from .db import Database

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def migrations(dialect: str) -> list[tuple[int, Path]]:
    """(version, file) of every migration of a dialect, in order; numbers must run 1, 2, 3..."""
    found = sorted((int(m.group(1)), p) for p in (MIGRATIONS / dialect).glob("*.sql") if (m := _NAME.match(p.name)))
    for expected, (version, path) in enumerate(found, 1):
        if version != expected:
            raise StoreError(f"{path}: migration {version} where {expected} was expected")
    return found


def latest_version(dialect: str) -> int:
    found = migrations(dialect)
    return found[-1][0] if found else 0


def current_version(db: Database) -> int:
    """The schema version of an open database (0 when it is empty)."""
    db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL, "
               "checksum TEXT)")
    columns = [d[0] for d in db.execute("SELECT * FROM schema_version LIMIT 0").description]
    if "checksum" not in columns:  # a store from before checksums
        db.execute("ALTER TABLE schema_version ADD COLUMN checksum TEXT")
    return int(db.scalar("SELECT coalesce(max(version), 0) FROM schema_version") or 0)


def checksum(path: Path) -> str:
    """A digest of a migration's statements (comments and spacing left out)."""
    text = re.sub(r"--[^\n]*", "", path.read_text(encoding="utf-8"))
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


def _check_applied(db: Database, known: list[tuple[int, Path]]) -> None:
    """Refuse a store built by a migration file that has changed since (a development version
    of the schema under the same number): its tables are not the ones this code expects."""
    applied = {int(r["version"]): r["checksum"] for r in db.rows("SELECT version, checksum FROM schema_version")}
    for number, path in known:
        recorded = applied.get(number)
        if recorded and recorded != checksum(path):
            raise StoreError(f"{db.location}: schema version {number} of this store was written by another "
                             f"state of {path.name} than this recoupe ships; its tables differ: ingest the "
                             "articles again into a new store")


def _check_is_ours(db: Database) -> None:
    """Refuse a database that holds tables but no ``schema_version``: another program's, which
    creating recoupe's tables in would alter."""
    if db.dialect == "sqlite":
        names = [r["name"] for r in db.rows("SELECT name FROM sqlite_master WHERE type = 'table' "
                                            "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    else:
        names = [r["table_name"] for r in db.rows("SELECT table_name FROM information_schema.tables "
                                                  "WHERE table_schema = current_schema() ORDER BY table_name")]
    if names and "schema_version" not in names:
        shown = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")
        raise StoreError(f"{db.location}: not a recoupe store (it holds other tables: {shown}); "
                         "give a new file or an empty database")


def migrate(db: Database) -> int:
    """Apply the missing migrations, all in one transaction; return the final version."""
    known = migrations(db.dialect)
    latest = known[-1][0] if known else 0
    with db.transaction():
        if db.dialect == "postgresql":  # two processes opening a new database migrate it once
            db.execute("SELECT pg_advisory_xact_lock(hashtext('recoupe schema'))")
        _check_is_ours(db)
        version = current_version(db)
        _check_applied(db, known)
        if version > latest:
            raise StoreError(
                f"{db.location}: database schema version {version} is newer than this recoupe "
                f"knows ({latest}); upgrade recoupe to use it"
            )
        for number, path in known:
            if number <= version:
                continue
            try:
                db.script(path.read_text(encoding="utf-8"))
            except Exception as exc:  # the transaction rolls back: the store stays as it was
                raise StoreError(f"{db.location}: upgrade to schema version {number} ({path.name}) failed: "
                                 f"{one_line(str(exc))}; the store is unchanged, still at version {version}: "
                                 "keep using the recoupe that wrote it, or restore a backup") from exc
            db.execute("INSERT INTO schema_version (version, applied_at, checksum) VALUES (?, ?, ?)",
                       (number, datetime.now(timezone.utc).isoformat(timespec="seconds"), checksum(path)))
            version = number
    return version
