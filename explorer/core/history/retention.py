"""Removing history entries (by id, all of them, or by the retention settings) and their index text."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import time
from collections.abc import Iterator, Sequence

from explorer.core.history import rows
from explorer.core.history.schema import recount_totals

log = logging.getLogger(__name__)

# Entries removed per transaction: a big prune lets the recorder's writes in between.
_BATCH = 200


@contextlib.contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE … COMMIT (ROLLBACK on an error) on a connection in autocommit mode."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def remove(db: sqlite3.Connection, ids: Sequence[int]) -> int:
    """Remove the entries with these ids, their bodies and their index text; how many existed."""
    removed = 0
    unique = list(dict.fromkeys(int(i) for i in ids))
    for start in range(0, len(unique), _BATCH):
        batch = unique[start : start + _BATCH]
        marks = ",".join("?" * len(batch))
        with transaction(db):
            found = db.execute(
                f"SELECT {rows.INDEX_COLUMNS} FROM entries e LEFT JOIN bodies b ON b.entry_id = e.id "
                f"WHERE e.id IN ({marks})",
                batch,
            ).fetchall()
            for row in found:
                # The index keeps no text of its own: it is told exactly what it indexed for this row.
                db.execute(
                    "INSERT INTO entries_fts (entries_fts, rowid, doc) VALUES ('delete', ?, ?)",
                    (row[0], rows.document_from_row(row)),
                )
            db.execute(f"DELETE FROM bodies WHERE entry_id IN ({marks})", batch)
            db.execute(f"DELETE FROM entries WHERE id IN ({marks})", batch)
            removed += len(found)
    if removed:
        _give_back_space(db)
    return removed


def clear(db: sqlite3.Connection) -> int:
    """Remove every entry; how many there were."""
    with transaction(db):
        count = int(db.execute("SELECT count(*) FROM entries").fetchone()[0])
        db.execute("DELETE FROM entries")
        db.execute("DELETE FROM bodies")
        db.execute("INSERT INTO entries_fts (entries_fts) VALUES ('delete-all')")
    _give_back_space(db)
    return count


def totals(db: sqlite3.Connection, *, verify: bool = False) -> tuple[int, int]:
    """(entries, stored bytes) from the running totals the triggers keep (schema version 3).

    They are counted again only when found wrong: no row, a negative value, bytes without entries, or,
    with `verify` (the first prune of each opening), a number of entries that is not the table's. Counting
    rows reads a small index; summing the sizes reads every row, which is what this avoids.
    """
    # One statement, so the totals and the count come from the same snapshot (another process may write).
    counted = "(SELECT count(*) FROM entries)" if verify else "entries"
    found = db.execute(f"SELECT entries, stored_bytes, {counted} FROM totals WHERE id = 1").fetchone()
    if found is not None:
        entries, stored, count = int(found[0]), int(found[1]), int(found[2])
        if entries == count and entries >= 0 and stored >= 0 and (entries > 0 or stored == 0):
            return entries, stored
    log.warning("history: the stored totals were wrong (%s); counting them again", found)
    with transaction(db):
        return recount_totals(db)


def over_limits(
    db: sqlite3.Connection,
    *,
    keep_days: int | None,
    keep_entries: int | None,
    budget_bytes: int | None,
    now: float | None = None,
    verify: bool = False,
) -> list[int]:
    """Ids of the unpinned entries the retention settings drop, oldest first: older than `keep_days`,
    beyond the newest `keep_entries` (pinned ones count), then the oldest until the stored size of what
    is left fits `budget_bytes`. The sizes come from the running totals (`totals`; `verify` checks them)."""
    doomed: dict[int, None] = {}
    count, total = totals(db, verify=verify)
    if keep_days is not None:
        cutoff = (time.time() if now is None else now) - keep_days * 86400
        for (entry_id,) in db.execute(
            "SELECT id FROM entries WHERE pinned = 0 AND created_at < ? ORDER BY id", (cutoff,)
        ):
            doomed[entry_id] = None
    if keep_entries is not None and count > keep_entries:
        edge = db.execute(
            "SELECT id FROM entries ORDER BY id DESC LIMIT 1 OFFSET ?", (max(keep_entries, 0),)
        ).fetchone()
        if edge is not None:
            for (entry_id,) in db.execute(
                "SELECT id FROM entries WHERE pinned = 0 AND id <= ? ORDER BY id", (edge[0],)
            ):
                doomed[entry_id] = None
    if budget_bytes is not None and total > budget_bytes:
        total -= _stored(db, list(doomed))
        if total > budget_bytes:
            for entry_id, stored in db.execute(
                "SELECT id, stored_bytes FROM entries WHERE pinned = 0 ORDER BY id"
            ):
                if total <= budget_bytes:
                    break
                if entry_id not in doomed:
                    doomed[entry_id] = None
                    total -= stored
    return sorted(doomed)


def _stored(db: sqlite3.Connection, ids: list[int]) -> int:
    total = 0
    for start in range(0, len(ids), 500):
        batch = ids[start : start + 500]
        marks = ",".join("?" * len(batch))
        total += int(
            db.execute(f"SELECT total(stored_bytes) FROM entries WHERE id IN ({marks})", batch).fetchone()[0]
        )
    return total


def _give_back_space(db: sqlite3.Connection) -> None:
    # Pages freed by the deletes go back to the file system (the file was made with auto_vacuum=INCREMENTAL).
    # executescript, because the pragma frees one page per step and execute() steps it only once.
    db.executescript("PRAGMA incremental_vacuum;")
