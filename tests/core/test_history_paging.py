"""Paging the history by key: every entry exactly once, in order, however deep, while entries come and go."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.core.history import HistoryEntry, HistoryFilter, HistoryStore
from tests.core.history_support import exchange

PAGE = 37  # not a divisor of the counts below: the last page is a short one


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    opened = HistoryStore(tmp_path / "history.sqlite3")
    yield opened
    opened.close()


def fill(store: HistoryStore, count: int) -> list[int]:
    """`count` entries, seven at a time sent in the same second (equal timestamps), every tenth one sent
    before the one recorded just ahead of it (a slow answer); every third one holds the word needle,
    every fourth one is a Disqus request."""
    exchanges = []
    for n in range(count):
        started = 1_700_000_000.0 + (n // 7) - (1.5 if n % 10 == 9 else 0.0)
        body = json.dumps({"n": n, "word": "needle" if n % 3 == 0 else "hay"}).encode()
        if n % 4 == 0:
            exchanges.append(
                (exchange(api="disqus", method_id="listPosts", body=body, started_at=started), None)
            )
        else:
            exchanges.append((exchange(body=body, started_at=started), None))
    return store.record_many(exchanges)


EVERYTHING = HistoryFilter()


def walk(store: HistoryStore, flt: HistoryFilter = EVERYTHING) -> list[HistoryEntry]:
    """Every page of `flt` in turn, each starting after the last entry of the one before."""
    seen: list[HistoryEntry] = []
    before: int | None = None
    while True:
        page = store.search(flt, limit=PAGE, before=before)
        seen += page
        if len(page) < PAGE:
            return seen
        before = page[-1].id


def test_a_walk_through_1000_entries_gets_each_once_in_order(store: HistoryStore) -> None:
    ids = fill(store, 1000)
    seen = walk(store)
    # Newest first in the order they were recorded, equal and out-of-order timestamps included.
    assert [e.id for e in seen] == ids[::-1]
    assert len(seen) - len({e.created_at for e in seen}) > 700  # most share their timestamp with another


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (HistoryFilter(api="disqus"), lambda n: n % 4 == 0),
        (HistoryFilter(text="needle"), lambda n: n % 3 == 0),
        (HistoryFilter(text="need"), lambda n: n % 3 == 0),  # a word being typed: a prefix
        (HistoryFilter(text="needle", api="discourse"), lambda n: n % 3 == 0 and n % 4 != 0),
    ],
)
def test_filters_and_search_page_the_same_way(store: HistoryStore, flt: HistoryFilter, expected) -> None:
    ids = fill(store, 1000)
    seen = walk(store, flt)
    assert [e.id for e in seen] == [i for n, i in enumerate(ids) if expected(n)][::-1]
    assert store.count(flt) == len(seen)


def test_entries_recorded_or_removed_during_a_walk_neither_repeat_nor_skip_one(store: HistoryStore) -> None:
    ids = fill(store, 300)
    first = store.search(limit=PAGE)
    # Meanwhile a request is recorded at the top and the first page's entries are deleted: a position
    # (OFFSET) would now point PAGE entries too far and skip a page's worth.
    store.record(exchange(started_at=1_800_000_000.0))
    store.delete([e.id for e in first])
    rest = walk_from(store, first[-1].id)
    assert [e.id for e in first + rest] == ids[::-1]


def walk_from(store: HistoryStore, before: int) -> list[HistoryEntry]:
    seen: list[HistoryEntry] = []
    while True:
        page = store.search(limit=PAGE, before=before)
        seen += page
        if len(page) < PAGE:
            return seen
        before = page[-1].id


def test_no_page_is_read_by_position(store: HistoryStore) -> None:
    fill(store, 100)
    statements: list[str] = []
    store._db().set_trace_callback(statements.append)
    walk(store)
    walk(store, HistoryFilter(text="needle"))
    store._db().set_trace_callback(None)
    listing = [s for s in statements if s.lstrip().upper().startswith("SELECT E.ID")]
    assert listing and not any("OFFSET" in s.upper() for s in listing)
