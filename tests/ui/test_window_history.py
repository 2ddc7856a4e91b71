"""History in the window: real sends listed newest first, search, opening and re-sending entries, the
response drop-down, comparing two responses, pin/delete/clear, and nothing read before the tab is shown."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt

from explorer.core.paths import AppPaths
from explorer.sandbox.demo import DemoCredentials
from explorer.ui.history_model import DayRow
from tests.ui.conftest import signal_future

SEND_TIMEOUT_S = 20


def send(qloop: Any, window: Any) -> tuple[Any, int]:
    """Send the editor's request; wait for its answer and for its history entry. (result, entry id)"""

    async def go() -> tuple[Any, int]:
        shown = signal_future(window.response_shown)
        recorded = signal_future(window.services.history.recorded)
        assert window.send()
        (result,) = await asyncio.wait_for(shown, SEND_TIMEOUT_S)
        (entry_id,) = await asyncio.wait_for(recorded, SEND_TIMEOUT_S)
        return result, entry_id

    return qloop.run_until_complete(go())


def fill(window: Any, **values: str) -> None:
    for name, value in values.items():
        window.editor.form.fields[name].set_value(value)
    window.editor.refresh()


def listed(window: Any) -> list[tuple[str, str | None, int | None]]:
    """The History tab's entries in display order: (verb, method id, status)."""
    model = window.history.panel.model
    return [(r.verb, r.method_id, r.status) for r in model.rows if not isinstance(r, DayRow)]


def show_history(qtbot: Any, window: Any) -> Any:
    qtbot.keyClick(window.editor.url_edit, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    panel = window.history.panel
    qtbot.waitUntil(lambda: panel.isVisible() and panel.started)
    return panel


class Canned:
    """An httpx transport answering each request with the next JSON body given (or (status, body))."""

    def __init__(self, *bodies: Any, headers: list[dict[str, str]] | None = None) -> None:
        self.bodies = [b if isinstance(b, tuple) else (200, b) for b in bodies]
        self.headers = list(headers or [{} for _ in bodies])

    def __call__(self, request: httpx.Request) -> httpx.Response:
        status, body = self.bodies.pop(0)
        return httpx.Response(status, json=body, headers=self.headers.pop(0))


def test_nothing_is_read_before_the_tab_is_shown_then_real_sends_are_listed_newest_first(
    qtbot: Any, qloop: Any, make_window: Any, sandbox_server: DemoCredentials
) -> None:
    window = make_window(demo=sandbox_server)
    assert window.history.sidebar.tabText(0) == "Methods" and window.history.sidebar.tabText(1) == "History"
    window.browser.select_method("discourse:listLatestTopics")
    first, _ = send(qloop, window)
    window.browser.select_method("discourse:getTopic")
    fill(window, id="1")
    second, _ = send(qloop, window)
    assert first.status == 200 and second.status in (200, 404)
    # Recorded by the recorder's own connection; the History tab is not even made yet, and the window's
    # store is not open.
    assert window.history._panel is None and not window.services.history.opened
    panel = window.history.panel  # made, still hidden: it reads nothing until it is shown
    assert panel.model.queries == 0 and not panel.started
    assert not window.services.history.opened

    panel = show_history(qtbot, window)
    assert window.history.sidebar.currentWidget() is window.history.page
    assert panel.search.hasFocus()
    assert listed(window) == [
        ("GET", "getTopic", second.status),
        ("GET", "listLatestTopics", 200),
    ]
    heading = panel.model.rows[0]
    assert isinstance(heading, DayRow) and heading.label == "Today"
    assert panel.count.text() == "2 entries"

    # A new request appears at the top as soon as it is recorded, under the same heading.
    window.browser.select_method("discourse:listLatestTopics")
    send(qloop, window)
    qtbot.waitUntil(lambda: len(listed(window)) == 3)
    assert listed(window)[0] == ("GET", "listLatestTopics", 200)
    assert sum(isinstance(row, DayRow) for row in panel.model.rows) == 1
    assert panel.count.text() == "3 entries"


def test_search_and_filters_narrow_the_list(
    qtbot: Any, qloop: Any, make_window: Any, sandbox_server: DemoCredentials
) -> None:
    window = make_window(demo=sandbox_server)
    window.browser.select_method("discourse:listLatestTopics")
    send(qloop, window)
    window.browser.select_method("discourse:getTopic")
    fill(window, id="999999")
    missing, _ = send(qloop, window)
    assert missing.status == 404
    panel = show_history(qtbot, window)
    assert len(listed(window)) == 2

    qtbot.keyClicks(panel.search, "getTopic")
    qtbot.waitUntil(lambda: listed(window) == [("GET", "getTopic", 404)])
    panel.search.clear()
    qtbot.waitUntil(lambda: len(listed(window)) == 2)

    panel.status.select_value("2xx")
    assert listed(window) == [("GET", "listLatestTopics", 200)]
    panel.status.select_value("4xx")
    assert listed(window) == [("GET", "getTopic", 404)]
    assert panel.count.text() == "1 entry"
    panel.status.select_value(None)
    panel.api.select_value("disqus")
    assert listed(window) == []
    panel.api.select_value(None)
    # "This method" follows the request in the editor.
    panel.this_method.setChecked(True)
    assert listed(window) == [("GET", "getTopic", 404)]
    window.browser.select_method("discourse:listLatestTopics")
    assert listed(window) == [("GET", "listLatestTopics", 200)]


def test_opening_an_entry_shows_its_response_and_reopens_its_request_in_a_new_tab(
    qtbot: Any, qloop: Any, make_window: Any, sandbox_server: DemoCredentials
) -> None:
    window = make_window(demo=sandbox_server)
    window.browser.select_method("discourse:getTopic")
    fill(window, id="1")
    original, _ = send(qloop, window)
    window.browser.select_method("discourse:listLatestTopics")
    send(qloop, window)
    tabs_before = len(window.request_tabs.tabs)
    panel = show_history(qtbot, window)

    row = panel.model.row_of(panel.model.entry_at(2).id)  # the older entry: getTopic
    panel.view.setCurrentIndex(panel.model.index(row))
    shown = signal_future(window.history.shown)
    qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    (result,) = qloop.run_until_complete(asyncio.wait_for(shown, SEND_TIMEOUT_S))

    assert len(window.request_tabs.tabs) == tabs_before + 1
    editor = window.editor
    assert editor.method is not None and editor.method.key == "discourse:getTopic"
    assert editor.spec().arguments["id"] == "1"  # the arguments are back, ready to send again
    pane = window.response
    assert result.status == original.status and result.read_body() == original.read_body()
    assert pane.status_badge.text() == f"{original.status} {original.reason}".strip()
    assert pane.note.text().startswith("From history, ")
    assert pane.headers.rowCount() == len(original.masked().headers)


def test_re_send_reopens_the_request_and_sends_it(
    qtbot: Any, qloop: Any, make_window: Any, sandbox_server: DemoCredentials
) -> None:
    window = make_window(demo=sandbox_server)
    window.browser.select_method("discourse:getTopic")
    fill(window, id="1")
    send(qloop, window)
    window.browser.select_method("discourse:listLatestTopics")
    panel = show_history(qtbot, window)
    panel.view.setCurrentIndex(panel.model.index(1))  # the one entry, under its heading

    async def resend() -> Any:
        shown = signal_future(window.response_shown)
        recorded = signal_future(window.services.history.recorded)
        panel.resend_button.click()
        (result,) = await asyncio.wait_for(shown, SEND_TIMEOUT_S)
        await asyncio.wait_for(recorded, SEND_TIMEOUT_S)
        return result

    result = qloop.run_until_complete(resend())
    assert result.request.method_id == "getTopic"
    assert result.request.full_url().endswith("/t/1.json")
    assert window.editor.method.key == "discourse:getTopic"
    qtbot.waitUntil(lambda: len(listed(window)) == 2)
    assert [m for _, m, _ in listed(window)] == ["getTopic", "getTopic"]


def test_the_drop_down_beside_the_status_lists_this_requests_responses(
    qtbot: Any, qloop: Any, make_window: Any
) -> None:
    transport = httpx.MockTransport(Canned({"n": 1}, {"n": 2}, {"other": True}))
    window = make_window(demo=DemoCredentials(url="http://127.0.0.1:9"), transport=transport)
    window.browser.select_method("discourse:getTopic")
    fill(window, id="5")
    _, older = send(qloop, window)
    _, newer = send(qloop, window)
    window.browser.select_method("discourse:listLatestTopics")
    send(qloop, window)  # another method: not among the responses of getTopic
    window.browser.select_method("discourse:getTopic")
    picker = window.history.picker
    assert picker.isVisible() and picker.currentIndex() == -1  # a fresh response: nothing picked

    entries = picker.refresh()
    assert [e.id for e in entries] == [newer, older]
    assert picker.count() == 2
    shown = signal_future(window.history.shown)
    picker.setCurrentIndex(1)
    picker.activated.emit(1)
    (result,) = qloop.run_until_complete(asyncio.wait_for(shown, SEND_TIMEOUT_S))
    assert result.json() == {"n": 1}
    assert window.response.note.text().startswith("From history, ")
    assert picker.refresh() and picker.currentIndex() == 1  # the one shown stays picked


def test_compare_lists_added_removed_and_changed_paths_and_headers(
    qtbot: Any, qloop: Any, make_window: Any
) -> None:
    transport = httpx.MockTransport(
        Canned(
            {"topic": {"id": 5, "title": "Old", "tags": ["a", "b"]}, "gone": 1},
            {"topic": {"id": 5, "title": "New", "tags": ["a"], "views": 3}},
            headers=[{"X-Version": "1"}, {"X-Version": "2"}],
        )
    )
    window = make_window(demo=DemoCredentials(url="http://127.0.0.1:9"), transport=transport)
    window.browser.select_method("discourse:getTopic")
    fill(window, id="5")
    send(qloop, window)
    send(qloop, window)
    panel = show_history(qtbot, window)
    panel.view.selectAll()
    assert len(panel.selected_entries()) == 2
    panel.compare_requested.emit(*panel.selected_entries())
    dialog = window.history.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.rows("body") == [
        ("$.topic.title", "changed", '"Old"', '"New"'),
        ("$.topic.tags[1]", "removed", '"b"', ""),
        ("$.topic.views", "added", "", "3"),
        ("$.gone", "removed", "1", ""),
    ]
    assert ("$['x-version']", "changed", '"1"', '"2"') in dialog.rows("headers")
    assert dialog.summary.text().startswith("Body: 1 added, 2 removed, 1 changed.")
    dialog.close()


# A real popup menu: the offscreen plugin says it can neither raise it nor give it the keyboard.
@pytest.mark.qt_log_ignore(
    r"^This plugin does not support raise\(\)$", r"^This plugin does not support grabbing the keyboard$"
)
def test_the_context_menu_offers_compare_for_two_entries(qtbot: Any, qloop: Any, make_window: Any) -> None:
    transport = httpx.MockTransport(Canned({"a": 1}, {"a": 2}))
    window = make_window(demo=DemoCredentials(url="http://127.0.0.1:9"), transport=transport)
    window.browser.select_method("discourse:getTopic")
    fill(window, id="5")
    send(qloop, window)
    send(qloop, window)
    panel = show_history(qtbot, window)
    panel.view.selectAll()
    panel._show_menu(panel.view.visualRect(panel.model.index(1)).center())
    actions = {a.text(): a for a in panel.menu.actions() if a.text()}
    assert actions["Compare"].isEnabled()
    actions["Compare"].trigger()
    dialog = window.history.dialog
    assert dialog is not None and dialog.rows("body") == [("$.a", "changed", "1", "2")]
    panel.menu.close()
    dialog.close()


def test_pin_delete_and_clear_ask_first(qtbot: Any, qloop: Any, make_window: Any) -> None:
    transport = httpx.MockTransport(Canned({"a": 1}, (404, {"e": 2}), (404, {"e": 3}), {"a": 4}))
    window = make_window(demo=DemoCredentials(url="http://127.0.0.1:9"), transport=transport)
    window.browser.select_method("discourse:getTopic")
    for topic in ("1", "2", "3", "4"):
        fill(window, id=topic)
        send(qloop, window)
    panel = show_history(qtbot, window)
    store = window.services.history.store
    assert [status for _, _, status in listed(window)] == [200, 404, 404, 200]
    asked: list[str] = []
    answer = {"yes": False}

    def confirm(title: str, text: str, on_yes: Any) -> None:
        asked.append(text)
        if answer["yes"]:
            on_yes()

    panel.confirm = confirm
    newest = panel.model.entry_at(1)
    panel.pin(newest)
    assert store.get(newest.id).pinned and panel.model.entry_at(1).pinned
    panel.pin(panel.model.entry_at(1), False)
    assert not store.get(newest.id).pinned and not panel.model.entry_at(1).pinned

    panel.view.setCurrentIndex(panel.model.index(2))
    doomed = panel.model.entry_at(2).id
    panel.delete_selected()  # declined: nothing happens
    assert asked == ["Delete this entry from the history?"] and store.get(doomed) is not None
    answer["yes"] = True
    panel.delete_selected()
    assert store.get(doomed) is None
    assert [status for _, _, status in listed(window)] == [200, 404, 200]

    panel.status.select_value("4xx")
    assert panel.count.text() == "1 entry"
    answer["yes"] = False
    panel.delete_matching()
    assert asked[-1] == "Delete the 1 entry matching the filters?" and store.count() == 3
    answer["yes"] = True
    panel.delete_matching()
    assert listed(window) == [] and store.count() == 2
    panel.status.select_value(None)
    assert [status for _, _, status in listed(window)] == [200, 200]

    panel.clear_all()
    assert asked[-1] == "Delete every entry of the history, pinned ones too?"
    assert listed(window) == [] and store.count() == 0
    assert panel.count.text() == "0 entries"


def test_the_confirmation_is_a_non_blocking_question(qtbot: Any, qloop: Any, make_window: Any) -> None:
    transport = httpx.MockTransport(Canned({"a": 1}))
    window = make_window(demo=DemoCredentials(url="http://127.0.0.1:9"), transport=transport)
    window.browser.select_method("discourse:getTopic")
    fill(window, id="1")
    send(qloop, window)
    panel = show_history(qtbot, window)
    panel.clear_all()
    box = panel.box
    assert box is not None and box.isVisible()
    delete = next(b for b in box.buttons() if b.text() == "Delete")
    delete.click()
    qtbot.waitUntil(lambda: panel.count.text() == "0 entries")
    assert window.services.history.store.count() == 0


def test_history_off_records_nothing(qtbot: Any, qloop: Any, make_window: Any, home: AppPaths) -> None:
    from dataclasses import replace

    from explorer.core.settings import Settings

    settings = replace(Settings(), history_enabled=False)
    transport = httpx.MockTransport(Canned({"a": 1}))
    demo = DemoCredentials(url="http://127.0.0.1:9")
    window = make_window(demo=demo, transport=transport, settings=settings)
    window.browser.select_method("discourse:getTopic")
    fill(window, id="1")
    assert window.services.history.observers() == ()

    async def go() -> Any:
        shown = signal_future(window.response_shown)
        assert window.send()
        return await asyncio.wait_for(shown, SEND_TIMEOUT_S)

    qloop.run_until_complete(go())
    assert window.controller.observers == (window.rate_budget.pacer,)  # the rate budget's, no recorder
    panel = show_history(qtbot, window)
    assert listed(window) == [] and panel.count.text() == "0 entries"


def test_closing_the_window_writes_what_the_recorder_holds(
    qtbot: Any, qloop: Any, make_window: Any, home: AppPaths
) -> None:
    from explorer.core.history import open_history

    transport = httpx.MockTransport(Canned({"a": 1}))
    window = make_window(demo=DemoCredentials(url="http://127.0.0.1:9"), transport=transport)
    window.browser.select_method("discourse:getTopic")
    fill(window, id="1")
    send(qloop, window)
    window.close()
    assert window.services.history.closed
    store, notice = open_history(home.history_file)
    try:
        assert notice is None and store.count() == 1
    finally:
        store.close()


def test_a_damaged_history_file_is_set_aside_with_a_notice(
    qtbot: Any, qloop: Any, make_window: Any, home: AppPaths
) -> None:
    home.history_file.parent.mkdir(parents=True, exist_ok=True)
    home.history_file.write_bytes(b"this is not a database" * 100)
    window = make_window(demo=DemoCredentials(url="http://127.0.0.1:9"))
    show_history(qtbot, window)
    qtbot.waitUntil(lambda: "history" in window.statusBar().currentMessage().lower())
    assert listed(window) == []
    assert any(p.name.startswith(home.history_file.name + ".") for p in home.history_file.parent.iterdir())


def test_the_keyboard_moves_from_the_search_into_the_list_and_deletes(
    qtbot: Any, qloop: Any, make_window: Any
) -> None:
    transport = httpx.MockTransport(Canned({"a": 1}, {"a": 2}))
    window = make_window(demo=DemoCredentials(url="http://127.0.0.1:9"), transport=transport)
    window.browser.select_method("discourse:getTopic")
    fill(window, id="1")
    _, older = send(qloop, window)
    _, newer = send(qloop, window)
    panel = show_history(qtbot, window)
    asked: list[str] = []
    panel.confirm = lambda _title, text, on_yes: (asked.append(text), on_yes())

    qtbot.keyClick(panel.search, Qt.Key.Key_Down)  # into the list, on the newest entry (not the heading)
    assert panel.view.hasFocus() and panel.current_entry().id == newer
    qtbot.keyClick(panel.view, Qt.Key.Key_Delete)
    assert asked == ["Delete this entry from the history?"]
    assert [e.id for e in panel.model.rows if not isinstance(e, DayRow)] == [older]


def test_ctrl_k_brings_the_methods_back_and_the_sidebar_hides_as_a_whole(
    qtbot: Any, qloop: Any, make_window: Any
) -> None:
    window = make_window(demo=DemoCredentials(url="http://127.0.0.1:9"))
    sidebar = window.history.sidebar
    show_history(qtbot, window)
    qtbot.keyClick(window.editor.url_edit, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert sidebar.currentWidget() is window.browser and window.browser.search.hasFocus()
    qtbot.keyClick(window.editor.url_edit, Qt.Key.Key_Backslash, Qt.KeyboardModifier.ControlModifier)
    assert not sidebar.isVisible()
    qtbot.keyClick(window.editor.url_edit, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert sidebar.isVisible() and sidebar.currentWidget() is window.history.page
