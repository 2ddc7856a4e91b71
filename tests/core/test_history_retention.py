"""Retention: by age, by number, then by size; pinned entries are kept, and the file gives space back."""

from __future__ import annotations

import os
from pathlib import Path

from explorer.core.history import HistoryFilter, HistoryStore
from tests.core.history_support import exchange, fts_check, topic_list


def _fill(store: HistoryStore, count: int, *, start: float = 0.0) -> list[int]:
    return [
        store.record(exchange(body=topic_list(f"entry number {n}"), started_at=start + n))
        for n in range(count)
    ]


def test_keep_entries_keeps_the_newest_and_the_pinned(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h.sqlite3", keep_entries=3)
    ids = _fill(store, 8)
    store.pin(ids[1])
    assert store.prune() == 4
    assert [e.id for e in store.search()] == [ids[7], ids[6], ids[5], ids[1]]
    assert store.prune() == 0
    assert store.count(HistoryFilter(text="entry")) == 4
    store.close()
    fts_check(store.path)


def test_keep_days_drops_what_is_older(tmp_path: Path) -> None:
    import time

    now = time.time()
    store = HistoryStore(tmp_path / "h.sqlite3", keep_days=7)
    old = store.record(exchange(started_at=now - 8 * 86400))
    pinned_old = store.record(exchange(started_at=now - 30 * 86400))
    recent = store.record(exchange(started_at=now - 6 * 86400))
    store.pin(pinned_old)
    assert store.prune() == 1
    assert [e.id for e in store.search()] == [recent, pinned_old] and store.get(old) is None
    store.close()


def test_the_budget_drops_the_oldest_unpinned_until_the_history_fits(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h.sqlite3")
    ids = _fill(store, 10)
    store.pin(ids[0])
    each = store.stored_bytes() // 10
    store.budget_bytes = store.stored_bytes() - 3 * each + each // 2  # room for seven and a half
    assert store.prune() == 3
    assert [e.id for e in store.search()][::-1] == [ids[0], *ids[4:]]
    assert store.stored_bytes() <= store.budget_bytes
    # A budget smaller than the pinned entries alone keeps those.
    store.budget_bytes = 1
    assert store.prune() == 6 and [e.id for e in store.search()] == [ids[0]]
    store.close()
    fts_check(store.path)


def test_the_file_shrinks_when_entries_go(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    store = HistoryStore(path)
    for n in range(40):
        big = os.urandom(20_000).hex().encode()  # incompressible text: real pages
        store.record(exchange(body=big, started_at=float(n)))
    db = store._db()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    full = path.stat().st_size
    assert store.clear() == 40
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert path.stat().st_size < full // 4
    store.close()
