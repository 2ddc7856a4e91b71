"""The history store: what is kept of an exchange, listing, filters, full-text search, pins and deletes."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from explorer.core.history import HistoryEntry, HistoryFilter, HistoryStore
from explorer.core.lifecycle import Pair, RequestSpec
from tests.core.history_support import ADMIN_KEY, exchange, fts_check, topic_list


@pytest.fixture
def store(tmp_path: Path):
    store = HistoryStore(tmp_path / "history.sqlite3")
    yield store
    store.close()


def ids(entries: list[HistoryEntry]) -> list[int]:
    return [e.id for e in entries]


def test_an_exchange_comes_back_as_it_was_shown_with_the_key_masked(store: HistoryStore) -> None:
    body = topic_list("Welcome to the forum", "Release notes")
    entry_id = store.record(exchange(body=body, query=(("page", "2"),)))
    entry = store.get(entry_id)
    assert entry is not None
    assert (entry.api, entry.method_id, entry.verb, entry.status) == (
        "discourse",
        "listLatestTopics",
        "GET",
        200,
    )
    assert entry.url == "https://forum.example.org/latest.json?page=2"
    assert entry.created_at == 1_700_000_000.0 and entry.duration_ms == 125.0 and entry.size == len(body)
    assert entry.profile == "Forum" and not entry.pinned and not entry.cancelled and entry.error is None
    assert entry.spec == RequestSpec(api="discourse", method_id="listLatestTopics", profile="Forum")
    assert ("Api-Key", "<redacted>") in entry.request_headers and (
        "Host",
        "forum.example.org",
    ) in entry.request_headers
    assert entry.response_headers == (("Content-Type", "application/json"), ("X-Request-Id", "req-1"))
    assert entry.content_type == "application/json" and not entry.body_truncated
    assert store.body(entry_id) == body

    result = entry.as_result(store.body(entry_id) or b"")
    assert (result.status, result.reason, result.http_version) == (200, "OK", "HTTP/1.1")
    assert result.body == body and result.size == len(body) and result.elapsed_s == 0.125
    assert result.request.header("Api-Key") == "<redacted>" and result.request.query == (("page", "2"),)
    assert result.json() == {
        "topic_list": {
            "topics": [
                {"id": 1, "title": "Welcome to the forum", "slug": "welcome-to-the-forum"},
                {"id": 2, "title": "Release notes", "slug": "release-notes"},
            ]
        }
    }
    assert result.final_url == entry.url and ("Api-Key", "<redacted>") in result.sent_headers
    assert ADMIN_KEY not in repr(entry)


def test_a_free_form_request_keeps_its_body_masked(store: HistoryStore) -> None:
    from explorer.core.http.result import ExecutionResult
    from explorer.core.lifecycle import Exchange
    from explorer.core.prepared import Body, PreparedRequest

    request = PreparedRequest(
        "POST",
        "https://forum.example.org/posts.json",
        body=Body(kind="json", json_value={"raw": "hello", "auth": {"api_key": ADMIN_KEY}}),
    )
    spec = RequestSpec(
        verb="POST", url="https://forum.example.org/posts.json", headers=(Pair("Api-Key", ADMIN_KEY),)
    )
    entry_id = store.record(Exchange(request, ExecutionResult(request, status=200, size=0), spec))
    entry = store.get(entry_id)
    assert entry is not None and entry.request_body == '{"raw": "hello", "auth": {"api_key": "<redacted>"}}'
    assert entry.spec is not None and entry.spec.headers == (Pair("Api-Key", "<redacted>"),)
    assert entry.request is not None and entry.request.body is not None
    assert entry.request.body.json_value == {"raw": "hello", "auth": {"api_key": "<redacted>"}}


def test_unknown_ids_give_none(store: HistoryStore) -> None:
    assert store.get(12345) is None and store.body(12345) is None
    assert store.pin(12345) is False and store.delete([12345]) == 0


def test_the_list_is_newest_first_and_pages(store: HistoryStore) -> None:
    recorded = [store.record(exchange(started_at=1000.0 + n)) for n in range(7)]
    assert ids(store.search()) == recorded[::-1]
    assert ids(store.search(limit=3)) == recorded[6:3:-1]
    assert ids(store.search(limit=3, before=recorded[4])) == recorded[3:0:-1]
    assert store.count() == 7
    first = store.search(limit=1)[0]
    assert first.spec is None and first.request_headers == () and first.content_type == "application/json"


def test_each_filter_narrows_the_list(store: HistoryStore) -> None:
    ok = store.record(exchange(started_at=100.0))
    missing = store.record(
        exchange(method_id="getTopic", url="https://forum.example.org/t/9.json", status=404, started_at=200.0)
    )
    broken = store.record(exchange(status=500, started_at=300.0, profile="Staging"))
    offline = store.record(exchange(status=None, started_at=400.0))
    cancelled = store.record(exchange(cancelled=True, started_at=500.0))
    disqus = store.record(exchange(api="disqus", method_id="get_forum_list", started_at=600.0))
    cases = {
        HistoryFilter(api="disqus"): [disqus],
        HistoryFilter(api="discourse", method_id="getTopic"): [missing],
        HistoryFilter(profile="Staging"): [broken],
        HistoryFilter(status_class="2xx"): [disqus, ok],
        HistoryFilter(status_class="4xx"): [missing],
        HistoryFilter(status_class="5xx"): [broken],
        HistoryFilter(status_class="3xx"): [],
        HistoryFilter(status_class="none"): [cancelled, offline],
        HistoryFilter(since=200.0, until=400.0): [broken, missing],
        HistoryFilter(since=450.0, status_class="none"): [cancelled],
    }
    for flt, expected in cases.items():
        assert ids(store.search(flt)) == expected, flt
        assert store.count(flt) == len(expected), flt
    with pytest.raises(ValueError, match="status_class"):
        HistoryFilter(status_class="2XX")


def test_a_cancelled_request_is_kept_without_a_response(store: HistoryStore) -> None:
    entry = store.get(store.record(exchange(cancelled=True)))
    assert entry is not None and entry.cancelled and entry.status is None and entry.error is None
    assert store.body(entry.id) == b"" and entry.as_result(b"").cancelled


def test_text_search_covers_url_method_status_headers_and_body(store: HistoryStore) -> None:
    welcome = store.record(exchange(body=topic_list("Welcome aboard", "Rules")))
    missing = store.record(
        exchange(
            method_id="getTopic",
            url="https://forum.example.org/t/77.json",
            status=404,
            body=b'{"errors": ["The requested URL or resource could not be found."]}',
        )
    )
    offline = store.record(exchange(status=None, error="Could not connect to forum.example.org"))
    cases = {
        "welcome": [welcome],  # the body
        "WELCOME aboard": [welcome],  # every word, any case
        "welc": [welcome],  # the start of a word
        "gettopic": [missing],  # the method id
        "t/77.json": [missing],  # the URL, punctuation and all
        "404": [missing],  # the status
        "not found": [missing],  # the reason
        "req-1": [missing, welcome],  # a response header
        "x-request-id req": [missing, welcome],
        "connect": [offline],  # the error
        "resource rules": [],  # words from two different entries
        "nothing-like-this": [],
        '"AND OR NOT * ( ^': [],  # query syntax is read as words
        "  ": [offline, missing, welcome],  # no word at all: no text filter
    }
    for text, expected in cases.items():
        assert ids(store.search(HistoryFilter(text=text))) == expected, text
        assert store.count(HistoryFilter(text=text)) == len(expected), text
    assert ids(store.search(HistoryFilter(text="found", status_class="4xx"))) == [missing]
    assert ids(store.search(HistoryFilter(text="found", status_class="2xx"))) == []
    assert store.count(HistoryFilter(text="found", status_class="4xx")) == 1
    assert store.count(HistoryFilter(text="found", status_class="2xx")) == 0


def test_a_binary_body_is_kept_exactly_but_not_indexed(store: HistoryStore) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) + b"IEND secretword"
    entry_id = store.record(exchange(body=png, content_type="image/png"))
    assert store.body(entry_id) == png
    assert store.search(HistoryFilter(text="secretword")) == []


def test_a_body_over_the_cap_is_cut_and_says_so(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h.sqlite3", body_cap_bytes=1000)
    body = b'{"text": "' + b"x" * 5000 + b'"}'
    entry = store.get(store.record(exchange(body=body)))
    assert entry is not None and entry.body_truncated and entry.size == len(body)
    kept = store.body(entry.id)
    assert kept == body[:1000]
    assert entry.as_result(kept).notes[-1] == "History kept the first 1,000 B of this 4.9 KB body."
    store.close()


def test_responses_for_a_request_are_its_earlier_answers(store: HistoryStore) -> None:
    latest = [store.record(exchange(started_at=float(n))) for n in range(3)]
    store.record(exchange(method_id="getTopic", url="https://forum.example.org/t/1.json"))
    free_a = store.record(
        exchange(method_id=None, url="https://forum.example.org/site.json", query=(("a", "1"),))
    )
    store.record(exchange(method_id=None, verb="POST", url="https://forum.example.org/site.json"))
    free_b = store.record(exchange(method_id=None, url="https://forum.example.org/site.json"))
    assert (
        ids(store.responses_for(RequestSpec(api="discourse", method_id="listLatestTopics"))) == latest[::-1]
    )
    assert ids(store.responses_for(RequestSpec(api="discourse", method_id="listLatestTopics"), limit=2)) == [
        latest[2],
        latest[1],
    ]
    same_url = RequestSpec(api="discourse", verb="GET", url="https://forum.example.org/site.json?b=2")
    assert ids(store.responses_for(same_url)) == [free_b, free_a]
    assert store.responses_for(RequestSpec(api="discourse", method_id="getLatestPosts")) == []


def test_pins_and_deletes(store: HistoryStore, tmp_path: Path) -> None:
    a, b, c, d = (
        store.record(exchange(body=topic_list(f"topic {n}"), started_at=float(n))) for n in range(4)
    )
    assert store.pin(b) is True
    assert [e.pinned for e in store.search()] == [False, False, True, False]
    assert store.pin(b, False) is True and not any(e.pinned for e in store.search())
    assert store.delete([a, a, 999]) == 1
    assert ids(store.search()) == [d, c, b] and store.body(a) is None and store.get(a) is None
    assert ids(store.search(HistoryFilter(text="topic"))) == [d, c, b]
    store.pin(c)
    assert store.delete_matching(HistoryFilter(since=2.0)) == 2  # pinned ones too, when they match
    assert ids(store.search()) == [b]
    # Ids are never reused, even for the newest entry deleted.
    assert store.record(exchange()) == d + 1
    assert store.clear() == 2
    assert store.search() == [] and store.search(HistoryFilter(text="topic")) == [] and store.count() == 0
    fts_check(store.path)


def test_threads_record_and_read_at_once(store: HistoryStore) -> None:
    recorded: list[int] = []
    failures: list[BaseException] = []

    def writer(name: str) -> None:
        try:
            for n in range(25):
                recorded.append(store.record(exchange(body=topic_list(f"thread {name} {n}"))))
        except BaseException as exc:  # surfaced below
            failures.append(exc)

    threads = [threading.Thread(target=writer, args=(name,)) for name in ("alpha", "bravo", "charlie")]
    for thread in threads:
        thread.start()
    seen = 0
    while any(t.is_alive() for t in threads):
        seen = max(seen, store.count(HistoryFilter(text="thread")))  # reads while the others write
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(recorded) == sorted(set(recorded)) and len(recorded) == 75
    assert 0 <= seen <= 75
    assert store.count() == 75 and store.count(HistoryFilter(text="thread bravo")) == 25
    fts_check(store.path)


def test_a_closed_store_refuses_politely(tmp_path: Path) -> None:
    from explorer.core.history import HistoryError

    store = HistoryStore(tmp_path / "h.sqlite3")
    store.close()
    with pytest.raises(HistoryError, match="closed"):
        store.search()


@pytest.mark.parametrize("listed", [1024, 64])  # the words are looked up one by one; more than listed
def test_only_the_last_word_is_a_prefix_however_many_words_it_begins(
    store: HistoryStore, listed: int
) -> None:
    store._db()
    store._local.expand.limit = listed
    for n in range(70):  # 70 index words beginning with "alice"
        note = {"user": f"alice{n}", "note": "Café crème \U0001f600"}  # json.dumps writes \\u escapes
        store.record(exchange(body=json.dumps(note).encode()))
    assert store.count(HistoryFilter(text="alice")) == 70
    assert store.count(HistoryFilter(text="alice1")) == 11  # alice1 and alice10 to alice19
    assert [e.id for e in store.search(HistoryFilter(text="alice6"), limit=3)] == [70, 69, 68]
    assert store.count(HistoryFilter(text="alic user")) == 0  # a word followed by another is whole
    assert store.count(HistoryFilter(text="user alic")) == 70
    for accented in ("cafe", "café", "caf", "CAFÉ crè"):
        assert store.count(HistoryFilter(text=accented)) == 70, accented
    # Removing hands the index the same text it was given (escapes decoded alike), so it stays whole.
    assert (
        store.delete_matching(HistoryFilter(text="alice")) == 70
        and store.count(HistoryFilter(text="cafe")) == 0
    )
    fts_check(store.path)


def test_the_query_for_typed_words() -> None:
    from explorer.core.history.search_index import fts_query

    expand = {"fou": ["found", "foundation"], "zzz": [], "many": None}.get
    assert fts_query("not fou", expand) == '"not" AND ("found" OR "foundation")'
    assert fts_query("not zzz", expand) == '"not" AND "zzz"*'
    assert fts_query("many", expand) == '"many"*'
    assert fts_query("fou id", expand) == '"fou" AND "id"'  # short last words are whole
    assert fts_query('t/77.json "or" NOT', None) == '"t" AND "77" AND "json" AND "or" AND "not"*'
    assert fts_query(" -/ ", expand) is None
