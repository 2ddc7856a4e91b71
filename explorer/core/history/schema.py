"""The history database's tables, versioned with PRAGMA user_version and upgraded one step at a time."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping

SCHEMA_VERSION = 3


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


def _v2_to_v3(db: sqlite3.Connection) -> None:
    """Version 3: each entry's arguments digest (the response drop-down matches method and arguments),
    and the running totals retention reads instead of summing every row, kept by triggers in the same
    transaction as every insert, delete and size change."""
    db.execute("ALTER TABLE entries ADD COLUMN arguments_key TEXT")
    db.create_function("history_arguments_key", 1, _stored_arguments_key, deterministic=True)
    db.execute("UPDATE entries SET arguments_key = history_arguments_key(spec) WHERE spec IS NOT NULL")
    db.execute("CREATE INDEX entries_arguments ON entries(request_key, arguments_key, id)")
    db.execute(
        """CREATE TABLE totals (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            entries INTEGER NOT NULL,
            stored_bytes INTEGER NOT NULL
        )"""
    )
    recount_totals(db)
    db.execute(
        """CREATE TRIGGER totals_insert AFTER INSERT ON entries BEGIN
            UPDATE totals SET entries = entries + 1, stored_bytes = stored_bytes + NEW.stored_bytes;
        END"""
    )
    db.execute(
        """CREATE TRIGGER totals_delete AFTER DELETE ON entries BEGIN
            UPDATE totals SET entries = entries - 1, stored_bytes = stored_bytes - OLD.stored_bytes;
        END"""
    )
    db.execute(
        """CREATE TRIGGER totals_update AFTER UPDATE OF stored_bytes ON entries BEGIN
            UPDATE totals SET stored_bytes = stored_bytes - OLD.stored_bytes + NEW.stored_bytes;
        END"""
    )


def recount_totals(db: sqlite3.Connection) -> tuple[int, int]:
    """Count the entries and sum their stored sizes into `totals` (the migration, and a repair when the
    totals are found wrong); (entries, stored bytes)."""
    entries, stored = db.execute("SELECT count(*), coalesce(sum(stored_bytes), 0) FROM entries").fetchone()
    db.execute(
        "INSERT OR REPLACE INTO totals (id, entries, stored_bytes) VALUES (1, ?, ?)", (entries, stored)
    )
    return int(entries), int(stored)


def _stored_arguments_key(spec: str | bytes | None) -> str | None:
    # Loaded here: the schema module is imported with the store, the lifecycle is not needed for this.
    from explorer.core.history import codec, matching, rows

    try:
        return matching.arguments_key(codec.loads(rows.unpack(spec) or ""))
    except Exception:  # one unreadable specification leaves that entry without a key, not the upgrade undone
        return None


# Version N -> the step that makes it version N + 1; version 0 is an empty file.
MIGRATIONS: Mapping[int, Callable[[sqlite3.Connection], None]] = {
    0: _create_v1,
    1: _v1_to_v2,
    2: _v2_to_v3,
}


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
