"""Versioned schema: numbered SQL files per dialect in ``migrations/``, applied in order at open.

``migrations/<dialect>/NNNN_name.sql`` brings the schema from version NNNN-1 to NNNN. The
``schema_version`` table records each applied version; a database whose version is newer
than the files this code ships is refused with a clear message rather than misread.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

from recoupe.errors import StoreError

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
    db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
    return int(db.scalar("SELECT coalesce(max(version), 0) FROM schema_version") or 0)


def migrate(db: Database) -> int:
    """Apply the missing migrations, all in one transaction; return the final version."""
    known = migrations(db.dialect)
    latest = known[-1][0] if known else 0
    with db.transaction():
        if db.dialect == "postgresql":  # two processes opening a new database migrate it once
            db.execute("SELECT pg_advisory_xact_lock(hashtext('recoupe schema'))")
        version = current_version(db)
        if version > latest:
            raise StoreError(
                f"{db.location}: database schema version {version} is newer than this recoupe "
                f"knows ({latest}); upgrade recoupe to use it"
            )
        for number, path in known:
            if number <= version:
                continue
            db.script(path.read_text(encoding="utf-8"))
            db.execute("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                       (number, datetime.now(timezone.utc).isoformat(timespec="seconds")))
            version = number
    return version
