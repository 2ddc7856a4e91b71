"""Earlier responses of the same request: the same method and arguments first, then other arguments."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.core.history import HistoryEntry, HistoryStore
from explorer.core.history.matching import spec_arguments_key
from explorer.core.lifecycle import Pair, RequestSpec
from tests.core.history_support import ADMIN_KEY, exchange


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    opened = HistoryStore(tmp_path / "history.sqlite3")
    yield opened
    opened.close()


def ids(entries: list[HistoryEntry]) -> list[int]:
    return [e.id for e in entries]


def topic(**arguments: object) -> RequestSpec:
    return RequestSpec(api="discourse", method_id="getTopic", arguments=arguments)  # type: ignore[arg-type]


def sent(store: HistoryStore, spec: RequestSpec) -> int:
    if spec.method_id:
        return store.record(
            exchange(method_id=spec.method_id, url="https://forum.example.org/t/x.json", spec=spec)
        )
    return store.record(exchange(method_id=None, verb=spec.verb, url=spec.url, spec=spec))


def test_the_same_method_with_the_same_arguments_comes_apart_from_other_arguments(
    store: HistoryStore,
) -> None:
    five_a = sent(store, topic(id="5"))
    six = sent(store, topic(id="6"))
    five_b = sent(store, topic(id=5, print=""))  # 5 and "5" send the same; an empty argument is none
    five_print = sent(store, topic(id="5", print="true"))
    sent(store, RequestSpec(api="discourse", method_id="listLatestTopics"))  # another method
    editor = topic(id="5")
    assert ids(store.responses_for(editor, same_arguments=True)) == [five_b, five_a]
    assert ids(store.responses_for(editor, same_arguments=False)) == [five_print, six]
    assert ids(store.responses_for(editor)) == [five_print, five_b, six, five_a]  # both, as before
    assert ids(store.responses_for(editor, 1, same_arguments=True)) == [five_b]
    assert ids(store.responses_for(topic(id="7"), same_arguments=True)) == []


def test_a_free_form_request_matches_by_verb_and_url_with_its_query(store: HistoryStore) -> None:
    base = "https://forum.example.org/search.json"
    cats = sent(store, RequestSpec(verb="GET", url=f"{base}?q=cats"))
    dogs = sent(store, RequestSpec(verb="GET", url=f"{base}?q=dogs"))
    by_param = sent(store, RequestSpec(verb="GET", url=base, params=(Pair("q", "cats"),)))
    unchecked = sent(
        store, RequestSpec(verb="GET", url=f"{base}?q=cats", params=(Pair("x", "1", enabled=False),))
    )
    sent(store, RequestSpec(verb="POST", url=f"{base}?q=cats"))  # another verb: another request
    editor = RequestSpec(verb="GET", url=f"{base}?q=cats")
    assert ids(store.responses_for(editor, same_arguments=True)) == [unchecked, cats]
    assert ids(store.responses_for(editor, same_arguments=False)) == [by_param, dogs]


def test_secret_arguments_are_matched_masked_and_never_stored(store: HistoryStore) -> None:
    first = sent(store, topic(id="5", api_key=ADMIN_KEY))
    second = sent(store, topic(id="5", api_key="another key"))
    assert ids(store.responses_for(topic(id="5", api_key="a third"), same_arguments=True)) == [second, first]
    assert spec_arguments_key(topic(id="5", api_key=ADMIN_KEY)) == spec_arguments_key(
        topic(id="5", api_key="x")
    )
    store.close()
    assert ADMIN_KEY.encode() not in store.path.read_bytes()


def test_entries_without_a_specification_are_among_other_arguments(store: HistoryStore) -> None:
    from dataclasses import replace

    bare = store.record(replace(exchange(method_id="getTopic"), spec=None))
    assert ids(store.responses_for(topic(id="5"), same_arguments=True)) == []
    assert ids(store.responses_for(topic(id="5"), same_arguments=False)) == [bare]
