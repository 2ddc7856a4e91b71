"""The response drop-down: earlier responses with the editor's arguments first, then the same method's
responses to other arguments under a heading."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from explorer.core.history import HistoryStore
from explorer.core.lifecycle import RequestSpec
from explorer.ui.widgets.response_history import (
    NOTHING,
    NOTHING_SAME,
    OTHER_ARGUMENTS,
    OTHER_QUERY,
    ResponseHistoryCombo,
)
from tests.core.history_support import exchange


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    opened = HistoryStore(tmp_path / "history.sqlite3")
    yield opened
    opened.close()


def topic(topic_id: str) -> RequestSpec:
    return RequestSpec(api="discourse", method_id="getTopic", arguments={"id": topic_id})


def sent(store: HistoryStore, spec: RequestSpec, url: str, status: int = 200) -> int:
    method = spec.method_id
    return store.record(exchange(method_id=method, verb=spec.verb, url=url, status=status, spec=spec))


def lines(combo: ResponseHistoryCombo) -> list[tuple[str, bool, int | None]]:
    """(text, can be picked, entry id) of each line."""
    model: Any = combo.model()
    return [
        (
            combo.itemText(i),
            model.item(i).isEnabled(),
            combo.value_at(i).id if combo.value_at(i) is not None else None,
        )
        for i in range(combo.count())
    ]


def test_the_same_arguments_come_first_then_other_arguments_under_a_heading(
    qtbot: Any, store: HistoryStore
) -> None:
    five_old = sent(store, topic("5"), "https://forum.example.org/t/5.json")
    six = sent(store, topic("6"), "https://forum.example.org/t/6.json", status=404)
    five_new = sent(store, topic("5"), "https://forum.example.org/t/5.json")
    sent(
        store,
        RequestSpec(api="discourse", method_id="listLatestTopics"),
        "https://forum.example.org/latest.json",
    )
    editor = topic("5")
    combo = ResponseHistoryCombo(lambda: store, lambda: editor)
    qtbot.addWidget(combo)

    entries = combo.refresh()
    assert [e.id for e in entries] == [five_new, five_old, six]
    shown = lines(combo)
    assert [(enabled, entry_id) for _, enabled, entry_id in shown] == [
        (True, five_new),
        (True, five_old),
        (False, None),
        (True, six),
    ]
    assert shown[2][0] == OTHER_ARGUMENTS
    assert shown[3][0].endswith(" · 404 · 125 ms · /t/6.json")  # says what it asked for

    picked: list[Any] = []
    combo.picked.connect(picked.append)
    combo.activated.emit(2)  # the heading: nothing happens
    combo.activated.emit(3)
    assert [e.id for e in picked] == [six]
    combo.showing(six)
    combo.refresh()
    assert combo.currentIndex() == 3  # the one shown stays marked, below the heading

    # Other arguments in the editor: none with these, the rest below.
    editor = topic("7")
    combo.refresh()
    assert [(text, entry_id) for text, _, entry_id in lines(combo)][:2] == [
        (NOTHING_SAME, None),
        (OTHER_ARGUMENTS, None),
    ]
    assert [entry_id for *_, entry_id in lines(combo)][2:] == [five_new, six, five_old]
    # Another method altogether: nothing.
    editor = RequestSpec(api="discourse", method_id="getSite")
    combo.refresh()
    assert lines(combo) == [(NOTHING, False, None)]


def test_a_free_form_request_is_matched_by_verb_and_url_with_its_query(
    qtbot: Any, store: HistoryStore
) -> None:
    base = "https://forum.example.org/search.json"
    cats = sent(store, RequestSpec(verb="GET", url=f"{base}?q=cats"), f"{base}?q=cats")
    dogs = sent(store, RequestSpec(verb="GET", url=f"{base}?q=dogs"), f"{base}?q=dogs")
    combo = ResponseHistoryCombo(lambda: store, lambda: RequestSpec(verb="GET", url=f"{base}?q=cats"))
    qtbot.addWidget(combo)
    combo.refresh()
    shown = lines(combo)
    assert [(enabled, entry_id) for _, enabled, entry_id in shown] == [
        (True, cats),
        (False, None),
        (True, dogs),
    ]
    assert shown[1][0] == OTHER_QUERY and shown[2][0].endswith("/search.json?q=dogs")
