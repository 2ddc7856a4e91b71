"""A word being typed: the index words it begins are read once and narrowed as letters are added, and read
again as soon as the index may have changed (this connection wrote, or another one did)."""

from __future__ import annotations

import json
from pathlib import Path

from explorer.core.history import HistoryFilter, HistoryStore
from explorer.core.history.search_index import EXPANSION_LIMIT
from tests.core.history_support import exchange


def record_users(store: HistoryStore, *names: str) -> None:
    store.record_many([(exchange(body=json.dumps({"user": name}).encode()), None) for name in names])


def found(store: HistoryStore, text: str) -> int:
    return len(store.search(HistoryFilter(text=text), limit=1000))


def test_typing_reads_the_vocabulary_once_and_narrows_it(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history.sqlite3")
    record_users(store, *(f"alice{n}" for n in range(300)), "alfred", "alina")
    store.search()  # opens this thread's connection
    expander = store._local.expand
    assert EXPANSION_LIMIT > 300
    assert [found(store, typed) for typed in ("ali", "alic", "alice", "alice1", "alice12")] == [
        301,
        300,
        300,
        111,
        11,
    ]
    assert expander.reads == 1
    assert found(store, "alf") == 1 and expander.reads == 2  # not narrower than one read: read


def test_the_words_are_read_again_after_a_write(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    store = HistoryStore(path)
    record_users(store, "alice1", "alice2")
    assert found(store, "alic") == 2
    record_users(store, "alice3")  # this connection wrote
    assert found(store, "alic") == 3 and found(store, "alice") == 3
    other = HistoryStore(path)  # another process, as far as this connection knows
    record_users(other, "alicia")
    other.close()
    assert found(store, "alic") == 4
    reads = store._local.expand.reads
    assert found(store, "alici") == 1 and store._local.expand.reads == reads  # narrowed again
    store.close()
