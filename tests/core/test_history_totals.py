"""Retention reads running totals (kept by the file's triggers) and stays exact through inserts, deletes
and pins; wrong totals are found and counted again."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.core.history import HistoryStore
from tests.core.history_support import exchange, fts_check, topic_list


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    opened = HistoryStore(tmp_path / "history.sqlite3")
    yield opened
    opened.close()


def actual(store: HistoryStore) -> tuple[int, int]:
    """(entries, stored bytes) counted the slow way."""
    row = store._db().execute("SELECT count(*), coalesce(sum(stored_bytes), 0) FROM entries").fetchone()
    return int(row[0]), int(row[1])


def cached(store: HistoryStore) -> tuple[int, int]:
    row = store._db().execute("SELECT entries, stored_bytes FROM totals").fetchone()
    return int(row[0]), int(row[1])


def record(store: HistoryStore, rng: random.Random, n: int) -> int:
    titles = [f"topic {n} {rng.random()}" for _ in range(rng.randint(1, 40))]  # sizes vary
    return store.record(exchange(body=topic_list(*titles), started_at=float(n)))


def test_the_budget_is_kept_through_many_inserts_deletes_and_a_pinned_entry(store: HistoryStore) -> None:
    rng = random.Random(5)
    first = record(store, rng, 0)
    store.pin(first)  # the oldest entry is pinned: pruning must pass over it, never stop at it
    sample = [record(store, rng, n) for n in range(1, 21)]
    store.budget_bytes = store.stored_bytes() * 3  # room for about sixty entries of the 400
    for n in range(21, 400):
        entry_id = record(store, rng, n)
        if n % 7 == 0:
            store.delete([entry_id])  # removed by hand
        if n % 11 == 0:
            store.pin(entry_id, n % 22 == 0)
        if n % 64 == 0:
            store.prune()
        assert cached(store) == actual(store), n
    store.prune()
    entries, stored = actual(store)
    assert stored <= store.budget_bytes and cached(store) == (entries, stored)
    assert store.get(first) is not None and all(store.get(i) is None for i in sample)
    # The oldest unpinned entry that is left is newer than every one that went: oldest first.
    left = store._db().execute("SELECT min(id) FROM entries WHERE pinned = 0").fetchone()[0]
    gone = [i for i in range(1, left) if store.get(i) is None]
    assert gone and max(gone) < left
    # A budget below the pinned entries keeps them all, and the totals still add up.
    store.budget_bytes = 1
    store.prune()
    assert store.count() == len(store._db().execute("SELECT id FROM entries WHERE pinned = 1").fetchall())
    assert cached(store) == actual(store)
    store.clear()
    assert cached(store) == (0, 0) == actual(store)
    store.close()
    fts_check(store.path)


def test_prune_never_sums_every_entry(store: HistoryStore) -> None:
    rng = random.Random(7)
    for n in range(50):
        record(store, rng, n)
    store.budget_bytes = store.stored_bytes() - 1
    statements: list[str] = []
    store._db().set_trace_callback(statements.append)
    assert store.prune() == 1 and store.prune() == 0 and store.stored_bytes() <= store.budget_bytes
    store._db().set_trace_callback(None)
    assert statements
    every = [
        s for s in statements if "(stored_bytes)" in s and "FROM entries" in s and "WHERE id IN" not in s
    ]
    assert every == []


@pytest.mark.parametrize(
    "damage",
    [
        "UPDATE totals SET stored_bytes = -5",
        "DELETE FROM totals",
        "UPDATE totals SET entries = 0",
        "UPDATE totals SET entries = entries + 3, stored_bytes = stored_bytes + 999999",
    ],
)
def test_wrong_totals_are_found_and_counted_again(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "history.sqlite3"
    store = HistoryStore(path)
    rng = random.Random(3)
    for n in range(10):
        record(store, rng, n)
    right = actual(store)
    store.close()
    db = sqlite3.connect(path)
    db.execute(damage)  # outside the app (the triggers keep them right otherwise)
    db.commit()
    db.close()
    store = HistoryStore(path, budget_bytes=right[1])
    assert store.prune() == 0  # the first prune of an opening checks the count; nothing goes
    assert cached(store) == right
    store.close()
