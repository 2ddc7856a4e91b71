"""The History tab's model on a real store: pages read on demand, day headings, new entries at the top."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from explorer.core.history import HistoryFilter, HistoryStore
from explorer.core.http.result import ExecutionResult
from explorer.core.lifecycle import Exchange, RequestSpec
from explorer.core.prepared import PreparedRequest
from explorer.ui.history_model import PAGE, DayRow, HistoryModel, day_label

NOON = datetime.combine(date.today(), datetime.min.time()).replace(hour=12).timestamp()
DAY = 86400.0


def exchange(started_at: float, status: int = 200, method_id: str = "listLatestTopics") -> Exchange:
    url = "https://forum.example.org/latest.json"
    request = PreparedRequest("GET", url, api="discourse", method_id=method_id)
    headers = (("Content-Type", "application/json"),)
    result = ExecutionResult(request, status=status, reason="OK", headers=headers, body=b"{}", size=2)
    return Exchange(request, result, RequestSpec(api="discourse", method_id=method_id), started_at=started_at)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    opened = HistoryStore(tmp_path / "history.sqlite3")
    yield opened
    opened.close()


def entries(model: HistoryModel) -> list[Any]:
    return [row for row in model.rows if not isinstance(row, DayRow)]


def headings(model: HistoryModel) -> list[str]:
    return [row.label for row in model.rows if isinstance(row, DayRow)]


def test_nothing_is_read_before_start_and_pages_come_on_demand(
    qtmodeltester: Any, store: HistoryStore
) -> None:
    # 250 requests over three days, recorded oldest first (as they happen).
    times = [NOON - 2 * DAY + i * 60 for i in range(50)]
    times += [NOON - DAY + i * 60 for i in range(100)]
    times += [NOON + i * 1 for i in range(100)]
    store.record_many([(exchange(t, 200 if i % 5 else 404), None) for i, t in enumerate(times)])
    model = HistoryModel(lambda: store)
    qtmodeltester.check(model)
    assert model.queries == 0 and model.rowCount() == 0 and not model.canFetchMore(model.index(0).parent())

    model.start()
    assert model.queries == 1
    assert len(entries(model)) == PAGE  # one page, not the 250
    assert headings(model) == ["Today"]
    created = [e.created_at for e in entries(model)]
    assert created == sorted(created, reverse=True)  # newest first
    qtmodeltester.check(model)  # fetchMore included: the tester reads every page

    while model.canFetchMore(model.index(0).parent()):
        model.fetchMore(model.index(0).parent())
    assert len(entries(model)) == 250 and len({e.id for e in entries(model)}) == 250
    assert headings(model) == ["Today", "Yesterday", day_label((datetime.now() - timedelta(days=2)).date())]
    # A heading is neither selectable nor an entry; an entry is.
    assert model.entry_at(0) is None and model.heading_at(model.index(0)) == "Today"
    assert model.entry_at(1) is not None and model.heading_at(model.index(1)) == ""


def test_a_filter_reads_again_from_the_top(qtmodeltester: Any, store: HistoryStore) -> None:
    store.record_many([(exchange(NOON + i, 200 if i % 2 else 404), None) for i in range(10)])
    model = HistoryModel(lambda: store)
    model.start()
    model.set_filter(HistoryFilter(status_class="4xx"))
    assert [e.status for e in entries(model)] == [404] * 5
    assert model.exhausted
    qtmodeltester.check(model)


def test_recorded_entries_go_to_the_top_under_their_day(store: HistoryStore) -> None:
    [yesterday] = store.record_many([(exchange(NOON - DAY), None)])
    model = HistoryModel(lambda: store)
    model.add_recorded(yesterday)  # before start(): nothing is read
    assert model.queries == 0
    model.start()
    assert headings(model) == ["Yesterday"]

    now = time.time()
    first = store.record(exchange(now))
    model.add_recorded(first)
    assert headings(model) == ["Today", "Yesterday"]
    assert [e.id for e in entries(model)] == [first, yesterday]
    second = store.record(exchange(now + 1))
    model.add_recorded(second)
    model.add_recorded(second)  # told twice: listed once
    assert headings(model) == ["Today", "Yesterday"]
    assert [e.id for e in entries(model)] == [second, first, yesterday]
    assert isinstance(model.rows[0], DayRow) and model.entry_at(1).id == second

    # One that the filter leaves out is not added.
    model.set_filter(HistoryFilter(status_class="5xx"))
    third = store.record(exchange(now + 2))
    model.add_recorded(third)
    assert entries(model) == []


def test_pinning_updates_the_row(store: HistoryStore) -> None:
    entry_id = store.record(exchange(NOON))
    model = HistoryModel(lambda: store)
    model.start()
    changed: list[int] = []
    model.dataChanged.connect(lambda top, _bottom: changed.append(top.row()))
    model.set_pinned(entry_id, True)
    assert model.entry_at(1).pinned and changed == [1]


def test_scrolling_through_1000_entries_lists_each_once_by_key(store: HistoryStore) -> None:
    # Five at a time in the same second, so pages end inside a run of equal timestamps.
    ids = store.record_many(
        [(exchange(NOON + i // 5, 404 if i % 3 == 0 else 200), None) for i in range(1000)]
    )
    model = HistoryModel(lambda: store)
    statements: list[str] = []
    store._db().set_trace_callback(statements.append)
    model.start()
    deleted = [e.id for e in entries(model)[:10]]
    store.delete(deleted)  # gone from the file while listed: the next pages still start at the right place
    while model.canFetchMore(model.index(0).parent()):
        model.fetchMore(model.index(0).parent())
    store._db().set_trace_callback(None)
    assert [e.id for e in entries(model)] == ids[::-1] and model.entry_count == 1000
    assert not any("OFFSET" in s.upper() for s in statements)

    model.set_filter(HistoryFilter(status_class="4xx"))
    while model.canFetchMore(model.index(0).parent()):
        model.fetchMore(model.index(0).parent())
    left = [i for n, i in enumerate(ids) if n % 3 == 0 and i not in deleted]
    assert [e.id for e in entries(model)] == left[::-1]
