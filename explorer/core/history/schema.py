"""The history database's tables, versioned with PRAGMA user_version and upgraded one step at a time."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping

SCHEMA_VERSION = 2


class HistoryError(Exception):
    """The history database cannot be used: damaged, not a database, or from a newer version of the app."""


def _create_v1(db: sqlite3.Connection) -> None:
    """The first layout: one row per exchange, bodies apart, and a full-text index that keeps no text."""
    db.execute(
        """CREATE TABLE entries (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            created_at REAL NOT NULL,
            api TEXT,
            method_id TEXT,
            verb TEXT NOT NULL,
            url TEXT NOT NULL,
            status INTEGER,
            reason TEXT NOT NULL DEFAULT '',
            http_version TEXT NOT NULL DEFAULT '',
            duration_ms REAL NOT NULL DEFAULT 0,
            size INTEGER NOT NULL DEFAULT 0,
            wire_size INTEGER NOT NULL DEFAULT 0,
            profile TEXT,
            error TEXT,
            cancelled INTEGER NOT NULL DEFAULT 0,
            content_type TEXT NOT NULL DEFAULT '',
            body_truncated INTEGER NOT NULL DEFAULT 0,
            request_key TEXT NOT NULL,
            request TEXT NOT NULL,
            spec TEXT,
            response TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX entries_created ON entries(created_at)")
    db.execute("CREATE INDEX entries_key ON entries(request_key, id)")
    db.execute("CREATE INDEX entries_method ON entries(api, method_id, id)")
    # zlib-compressed response bodies, one row per entry, outside the full-text index.
    db.execute("CREATE TABLE bodies (entry_id INTEGER PRIMARY KEY, data BLOB NOT NULL)")
    # Contentless (content='') and without positions (detail=none): the index is a small fraction of the
    # bodies' size; the price is no phrase queries, which fts_query never makes.
    db.execute("CREATE VIRTUAL TABLE entries_fts USING fts5(doc, content='', detail=none)")


def _v1_to_v2(db: sqlite3.Connection) -> None:
    """Version 2: pinned entries (kept by retention), and each entry's stored size for the budget. From
    version 2 on, the request, specification and response columns are written zlib-compressed (version 1
    rows keep their text, which is still read)."""
    db.execute("ALTER TABLE entries ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE entries ADD COLUMN stored_bytes INTEGER NOT NULL DEFAULT 0")
    db.execute(
        """UPDATE entries SET stored_bytes = length(request) + length(response) + length(url)
            + coalesce(length(spec), 0)
            + coalesce((SELECT length(data) FROM bodies WHERE entry_id = id), 0)"""
    )
    db.execute("CREATE INDEX entries_unpinned ON entries(pinned, id)")


# Version N -> the step that makes it version N + 1; version 0 is an empty file.
MIGRATIONS: Mapping[int, Callable[[sqlite3.Connection], None]] = {0: _create_v1, 1: _v1_to_v2}


def prepare_file(db: sqlite3.Connection) -> None:
    """Settings of the file itself, before any table exists: WAL (readers never wait for the writer) and
    incremental auto-vacuum (PRAGMA incremental_vacuum gives freed pages back to the file system)."""
    if user_version(db) == 0 and db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0:
        # Only possible while the file has no table. 16 KiB pages hold several compressed bodies (2-4 KB
        # each) where 4 KiB pages would waste a quarter of the file.
        db.execute("PRAGMA page_size = 16384")  # first: setting auto_vacuum fixes the page size
        db.execute("PRAGMA auto_vacuum = INCREMENTAL")
    if db.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower() != "wal":
        raise HistoryError("the file system does not allow SQLite's WAL mode")


def user_version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Bring the database up to `target` in one transaction (all steps or none); the version found.

    A new file is created by the same steps, so every install runs the upgrade path. HistoryError for a
    file from a newer version of the app (its layout is unknown here).
    """
    found = user_version(db)
    if found == target:
        return found
    if found > target:
        raise HistoryError(f"the history was written by a newer version of the app (schema {found})")
    db.execute("BEGIN IMMEDIATE")
    try:
        found = user_version(db)  # another process may have upgraded it while this one waited
        for version in range(found, target):
            MIGRATIONS[version](db)
        db.execute(f"PRAGMA user_version = {int(target)}")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return found
