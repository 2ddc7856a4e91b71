"""The history file's schema: made by its migrations, upgraded from version 1, and damaged files set aside."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from explorer.core.history import HistoryError, HistoryFilter, HistoryStore, open_history, schema
from explorer.core.history.matching import spec_arguments_key
from explorer.core.history.rows import compress, pack, stored_document
from explorer.core.lifecycle import RequestSpec
from tests.core.history_support import exchange, fts_check, topic_list


def _v1_file(path: Path) -> None:
    """A history as version 1 of the app left it: its tables and two entries, written as it wrote them."""
    db = sqlite3.connect(path, isolation_level=None)
    schema.prepare_file(db)
    schema.MIGRATIONS[0](db)
    db.execute("PRAGMA user_version = 1")
    for n, title in enumerate(("Old topic one", "Old topic two"), 1):
        body = topic_list(title)
        request = json.dumps(
            {
                "method": "GET",
                "url": "https://old.example.org/latest.json",
                "query": [],
                "headers": [["Api-Key", "<redacted>"]],
                "body": None,
                "api": "discourse",
                "method_id": "listLatestTopics",
                "notes": [],
            }
        )
        response = json.dumps(
            {
                "headers": [["Content-Type", "application/json"]],
                "sent_headers": [],
                "redirects": [],
                "final_url": "",
                "final_method": "",
                "notes": [],
            }
        )
        values = dict(
            created_at=1000.0 * n,
            api="discourse",
            method_id="listLatestTopics",
            verb="GET",
            url="https://old.example.org/latest.json",
            status=200,
            reason="OK",
            profile="Old",
            error=None,
            content_type="application/json",
        )
        cursor = db.execute(
            "INSERT INTO entries (created_at, api, method_id, verb, url, status, reason, duration_ms, size, "
            "profile, error, content_type, request_key, request, spec, response) "
            "VALUES (:created_at, :api, :method_id, :verb, :url, :status, :reason, 12.5, :size, :profile, "
            ":error, :content_type, 'method discourse:listLatestTopics', :request, NULL, :response)",
            {**values, "size": len(body), "request": request, "response": response},
        )
        db.execute("INSERT INTO bodies (entry_id, data) VALUES (?, ?)", (cursor.lastrowid, compress(body)))
        document = stored_document(
            url=values["url"],
            api="discourse",
            method_id="listLatestTopics",
            verb="GET",
            status=200,
            reason="OK",
            cancelled=False,
            profile="Old",
            error=None,
            request_json=request,
            response_json=response,
            content_type="application/json",
            body=body,
        )
        db.execute("INSERT INTO entries_fts (rowid, doc) VALUES (?, ?)", (cursor.lastrowid, document))
    db.close()


def test_a_new_file_is_made_by_the_migrations(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    HistoryStore(path).close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION == 3
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA auto_vacuum").fetchone()[0] == 2  # incremental
    assert db.execute("PRAGMA page_size").fetchone()[0] == 16384
    columns = {row[1] for row in db.execute("PRAGMA table_info(entries)")}
    assert {"pinned", "stored_bytes", "request_key", "arguments_key"} <= columns
    assert db.execute("SELECT id, entries, stored_bytes FROM totals").fetchall() == [(1, 0, 0)]
    db.close()


def test_a_version_1_file_is_upgraded_and_keeps_its_entries(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    _v1_file(path)
    store = HistoryStore(path)
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 3
    old = store.search()
    assert [(e.id, e.created_at, e.profile, e.pinned) for e in old] == [
        (2, 2000.0, "Old", False),
        (1, 1000.0, "Old", False),
    ]
    assert store.body(1) == topic_list("Old topic one")
    assert [e.id for e in store.search(HistoryFilter(text="topic two"))] == [2]
    entry = store.get(1)
    assert entry is not None and entry.request_headers == (("Api-Key", "<redacted>"),) and entry.spec is None
    # Sizes were computed for the budget, and the new features work on old entries.
    assert store.stored_bytes() > 0
    assert store.pin(1) and store.search()[1].pinned
    new = store.record(exchange(body=topic_list("New topic")))
    assert new == 3 and store.delete([2]) == 1
    assert [e.id for e in store.search(HistoryFilter(text="topic"))] == [3, 1]
    store.close()
    fts_check(path)


def _v2_file(path: Path) -> list[RequestSpec]:
    """A history as version 2 of the app left it: the version 1 entries upgraded, then three entries
    written by version 2 (compressed texts, sizes, no arguments key); their specifications."""
    _v1_file(path)
    db = sqlite3.connect(path, isolation_level=None)
    schema.MIGRATIONS[1](db)
    db.execute("PRAGMA user_version = 2")
    specs = [
        RequestSpec(api="discourse", method_id="getTopic", arguments={"id": "5"}),
        RequestSpec(api="discourse", method_id="getTopic", arguments={"id": 6}),
        RequestSpec(api="discourse", method_id="getTopic", arguments={"id": "5", "print": ""}),
    ]
    for n, spec in enumerate(specs, 3):
        db.execute(
            "INSERT INTO entries (created_at, api, method_id, verb, url, status, request_key, request, spec, "
            "response, stored_bytes) VALUES (?, 'discourse', 'getTopic', 'GET', ?, 200, "
            "'method discourse:getTopic', ?, ?, ?, ?)",
            (
                1000.0 * n,
                f"https://old.example.org/t/{n}.json",
                pack("{}"),
                pack(json.dumps(spec.as_json())),
                pack("{}"),
                100 * n,
            ),
        )
        db.execute("INSERT INTO bodies (entry_id, data) VALUES (?, ?)", (n, compress(b"{}")))
    db.close()
    return specs


def test_a_version_2_file_is_upgraded_with_arguments_keys_and_totals(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    specs = _v2_file(path)
    before = sqlite3.connect(path)
    sizes = before.execute("SELECT count(*), sum(stored_bytes) FROM entries").fetchone()
    before.close()
    store = HistoryStore(path)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 3
    # The totals were counted by the upgrade, and the triggers keep them from then on.
    assert db.execute("SELECT entries, stored_bytes FROM totals").fetchone() == sizes
    assert store.stored_bytes() == sizes[1]
    # Each stored specification got its arguments' key: 5 and "5" are the same, an empty one is absent.
    keys = dict(db.execute("SELECT id, arguments_key FROM entries"))
    assert keys[1] is None and keys[2] is None  # version 1 kept no specification
    assert keys[3] == keys[5] == spec_arguments_key(specs[0]) != keys[4]
    same = store.responses_for(
        RequestSpec(api="discourse", method_id="getTopic", arguments={"id": "5"}), same_arguments=True
    )
    assert [e.id for e in same] == [5, 3]
    new = store.record(exchange(method_id="getTopic", spec=specs[1]))
    assert db.execute("SELECT entries, stored_bytes FROM totals").fetchone() == (
        sizes[0] + 1,
        sizes[1] + db.execute("SELECT stored_bytes FROM entries WHERE id = ?", (new,)).fetchone()[0],
    )
    assert store.delete([1, 3]) == 2
    assert (
        db.execute("SELECT entries, stored_bytes FROM totals").fetchone()
        == db.execute("SELECT count(*), sum(stored_bytes) FROM entries").fetchone()
    )
    db.close()
    store.close()
    fts_check(path)


def test_a_failing_version_3_upgrade_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "history.sqlite3"
    _v2_file(path)
    real = schema.MIGRATIONS[2]

    def half_done(db: sqlite3.Connection) -> None:
        real(db)
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setitem(schema.MIGRATIONS, 2, half_done)  # type: ignore[index]
    with pytest.raises(HistoryError, match="disk I/O error"):
        HistoryStore(path)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 2
    assert "arguments_key" not in {row[1] for row in db.execute("PRAGMA table_info(entries)")}
    assert db.execute("SELECT name FROM sqlite_master WHERE name LIKE 'totals%'").fetchall() == []
    db.close()


def test_an_unreadable_specification_does_not_stop_the_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    _v2_file(path)
    db = sqlite3.connect(path)
    db.execute("UPDATE entries SET spec = x'00ff00' WHERE id = 4")  # not zlib data
    db.commit()
    db.close()
    store = HistoryStore(path)
    assert store.count() == 5 and store.get(5) is not None
    keys = dict(sqlite3.connect(path).execute("SELECT id, arguments_key FROM entries WHERE id IN (4, 5)"))
    assert keys[4] is None and keys[5] is not None
    store.close()


def test_a_failing_upgrade_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "history.sqlite3"
    _v1_file(path)

    def half_done(db: sqlite3.Connection) -> None:
        db.execute("ALTER TABLE entries ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0")
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setitem(schema.MIGRATIONS, 1, half_done)  # type: ignore[index]
    with pytest.raises(HistoryError, match="disk I/O error"):
        HistoryStore(path)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 1
    assert "pinned" not in {row[1] for row in db.execute("PRAGMA table_info(entries)")}
    db.close()


def test_a_damaged_file_is_set_aside_and_a_new_history_starts(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    garbage = b"this is not a database" * 100
    path.write_bytes(garbage)
    path.with_name("history.sqlite3-wal").write_bytes(b"old log")
    store, notice = open_history(path)
    assert notice is not None and "could not be read" in notice
    aside = [p for p in tmp_path.iterdir() if ".broken-" in p.name]
    assert {"history.sqlite3", "history.sqlite3-wal"} <= {p.name.split(".broken-")[0] for p in aside}
    main = next(p for p in aside if p.name.startswith("history.sqlite3.broken-"))
    assert main.read_bytes() == garbage and main.name in notice
    assert store.record(exchange()) == 1 and store.count() == 1
    store.close()
    # The new file opens as it is, without a notice.
    again, notice = open_history(path)
    assert notice is None and again.count() == 1
    again.close()


def test_a_file_from_a_newer_version_is_not_touched(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    HistoryStore(path).close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(HistoryError, match="newer version"):
        HistoryStore(path)
    store, notice = open_history(path)
    assert notice is not None and "newer version" in notice
    kept = next(tmp_path.glob("history.sqlite3.broken-*"))
    assert sqlite3.connect(kept).execute("PRAGMA user_version").fetchone()[0] == 99
    store.close()


def test_a_sqlite_file_that_is_not_a_history_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE notes (text TEXT)")
    db.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION}")
    db.close()
    with pytest.raises(HistoryError, match="not a history"):
        HistoryStore(path)


def test_when_no_new_history_can_be_made_this_session_still_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from explorer.core.history import opening

    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"garbage" * 100)

    def cannot_rename(path: Path) -> Path:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(opening, "set_aside_file", cannot_rename)
    store, notice = open_history(path)
    assert notice is not None and "this session" in notice and store.path != path
    assert path.read_bytes() == b"garbage" * 100
    assert store.record(exchange()) == 1
    store.close()
