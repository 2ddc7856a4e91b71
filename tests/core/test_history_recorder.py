"""The history recorder: the sender only queues, a writer thread opens the store and writes."""

from __future__ import annotations

import threading
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest

from explorer.core.history import HistoryRecorder, HistoryStore
from tests.core.history_support import exchange, topic_list


class _WatchedStore(HistoryStore):
    """A store that notes which threads wrote to it."""

    writers: set[str]

    def insert(self, records):  # type: ignore[no-untyped-def]
        self.writers.add(threading.current_thread().name)
        return super().insert(records)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "history.sqlite3"


def test_the_sender_only_queues_and_the_writer_thread_opens_and_writes(path: Path) -> None:
    opened_in: list[str] = []
    recorded: list[tuple[int, str]] = []
    stores: list[_WatchedStore] = []

    def factory() -> HistoryStore:
        opened_in.append(threading.current_thread().name)
        store = _WatchedStore(path)
        store.writers = set()
        stores.append(store)
        return store

    recorder = HistoryRecorder(
        factory, on_recorded=lambda entry_id: recorded.append((entry_id, threading.current_thread().name))
    )
    assert not path.exists() and opened_in == []  # making a recorder touches no file
    for n in range(5):
        recorder.after_send(exchange(body=topic_list(f"topic {n}"), started_at=1.0 + n))
    assert recorder.flush(timeout=30)
    assert opened_in == ["history-writer"] and stores[0].writers == {"history-writer"}
    assert [entry_id for entry_id, _ in recorded] == [1, 2, 3, 4, 5]
    assert {thread for _, thread in recorded} == {"history-writer"}
    recorder.close()
    with closing(HistoryStore(path)) as store:
        assert [e.created_at for e in store.search()] == [5.0, 4.0, 3.0, 2.0, 1.0]


def test_cancelled_and_unanswered_requests_are_recorded(path: Path) -> None:
    recorder = HistoryRecorder(lambda: HistoryStore(path))
    recorder.after_send(exchange(cancelled=True))
    recorder.after_send(exchange(status=None, error="Timed out after 30 s"))
    recorder.close()
    with closing(HistoryStore(path)) as store:
        offline, cancelled = store.search()
    assert (cancelled.status, cancelled.cancelled, cancelled.error) == (None, True, None)
    assert (offline.status, offline.cancelled, offline.error) == (None, False, "Timed out after 30 s")


def test_the_profile_comes_from_the_recorder_or_else_the_specification(path: Path) -> None:
    current = ["Staging"]
    recorder = HistoryRecorder(lambda: HistoryStore(path), profile=lambda: current[0])
    recorder.after_send(exchange(profile="From the spec"))
    current[0] = "Production"
    recorder.after_send(exchange(profile="From the spec"))
    recorder.profile = None
    recorder.after_send(exchange(profile="From the spec"))
    recorder.profile = "Fixed"
    recorder.after_send(exchange(profile=None))
    recorder.close()
    with closing(HistoryStore(path)) as store:
        assert [e.profile for e in store.search()][::-1] == [
            "Staging",
            "Production",
            "From the spec",
            "Fixed",
        ]


def test_flush_waits_for_the_writer_and_can_give_up(path: Path) -> None:
    release = threading.Event()

    def slow_factory() -> HistoryStore:
        release.wait()
        return HistoryStore(path)

    recorder = HistoryRecorder(slow_factory)
    recorder.after_send(exchange())
    assert recorder.flush(timeout=0.01) is False  # the writer is held until the event is set
    release.set()
    assert recorder.flush(timeout=30) is True
    recorder.close()
    with closing(HistoryStore(path)) as store:
        assert store.count() == 1


def test_a_store_that_cannot_open_loses_the_entries_not_the_app(path: Path) -> None:
    attempts: list[int] = []

    def failing() -> HistoryStore:
        attempts.append(1)
        if len(attempts) == 1:
            raise OSError("No space left on device")
        return HistoryStore(path)

    recorder = HistoryRecorder(failing)
    recorder.after_send(exchange())
    assert recorder.flush(timeout=30) and recorder.last_error == "No space left on device"
    recorder.after_send(exchange())  # the next one tries again
    assert recorder.flush(timeout=30) and recorder.last_error is None
    recorder.close()
    recorder.after_send(exchange())  # after close: not recorded, no thread left behind
    with closing(HistoryStore(path)) as store:
        assert store.count() == 1 and len(attempts) == 2


def test_a_body_in_a_file_is_read_even_if_its_owner_deletes_it_at_once(path: Path, tmp_path: Path) -> None:
    body = topic_list("Streamed to a file")
    body_file = tmp_path / "body.bin"
    body_file.write_bytes(body)
    recorder = HistoryRecorder(lambda: HistoryStore(path))
    sent = exchange(body=body, body_path=body_file)
    recorder.after_send(sent)
    sent.result.discard_body_file()  # what the CLI does as soon as the send returns
    assert not body_file.exists()
    recorder.close()
    with closing(HistoryStore(path)) as store:
        entry = store.search()[0]
        assert store.body(entry.id) == body and not entry.body_truncated


def test_retention_runs_in_the_writer(path: Path) -> None:
    recorder = HistoryRecorder(lambda: HistoryStore(path, keep_entries=10))
    for n in range(70):  # past the prune interval
        recorder.after_send(replace(exchange(), started_at=1.0 + n))
    recorder.close()
    with closing(HistoryStore(path)) as store:
        assert store.count() < 70
