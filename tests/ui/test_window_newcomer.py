"""The newcomer's first minute, end to end against a real sandbox on loopback: no account, no keys to find."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt

from explorer.sandbox.server import SandboxServer
from tests.ui.conftest import signal_future


@pytest.fixture(scope="module")
def sandbox() -> Any:
    # Private to this module: the flow creates a topic.
    with SandboxServer(host="127.0.0.1", port=0) as server:
        yield server.credentials


def _tree_pairs(body_view: Any) -> dict[str, str]:
    """Key -> value text of the top-level rows of the JSON tree in the Body tab."""
    model = body_view.json_view.model
    root = model.index(0, 0, QModelIndex())
    while model.canFetchMore(root):
        model.fetchMore(root)
    return {
        str(model.index(r, 0, root).data()): str(model.index(r, 1, root).data())
        for r in range(model.rowCount(root))
    }


def _send(qtbot: Any, qloop: Any, window: Any, focus: Any = None) -> Any:
    """Ctrl+Enter with the keyboard focus in `focus` (the URL line by default), and the answer."""

    async def scenario() -> Any:
        done = signal_future(window.response_shown)
        target = focus or window.editor.url_edit
        qtbot.keyClick(target, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        (result,) = await asyncio.wait_for(done, 30)
        return result

    return qloop.run_until_complete(scenario())


def test_first_minute_create_a_topic_then_see_it_in_latest(
    qtbot: Any, qloop: Any, make_window: Any, sandbox: Any
) -> None:
    window = make_window(demo=sandbox)
    # Start: the sandbox profile is active and a harmless first method is selected, ready for Ctrl+Enter.
    assert window.editor.method.key == "discourse:listLatestTopics"
    assert window.editor.target is not None and window.editor.target.is_sandbox
    assert window.switcher.combo.currentText() == "Sandbox — Discourse"
    assert "Sandbox — Discourse" in window.windowTitle() and "listLatestTopics" in window.windowTitle()
    assert window.editor.url_edit.text() == f"{sandbox.url}/latest.json"

    # Pick createTopicPostPM with the search box (Ctrl+K, type, Enter).
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.browser.search.hasFocus()
    qtbot.keyClicks(window.browser.search, "createTopicPostPM")
    qtbot.keyClick(window.browser.search, Qt.Key.Key_Return)
    assert window.editor.method.key == "discourse:createTopicPostPM"
    # Before the arguments are complete, the Auth tab already says what the profile will send (masked).
    auth = window.editor.auth_view.toPlainText()
    assert "Api-Key: <redacted>" in auth and "Api-Username: system" in auth and "d0c5" not in auth

    title = "Hello from the explorer window test"
    qtbot.keyClicks(window.editor.form.fields["title"].edit, title)
    qtbot.keyClicks(window.editor.form.fields["raw"].edit, "My very first post, written without an account.")
    window.editor.refresh()
    # The preview never shows the key, though the request carries it.
    assert "Api-Key" in dict(window.editor.current_request().headers)
    assert "d0c5" not in window.editor.url_edit.text()

    # Ctrl+Enter straight from the multi-line field just typed in.
    result = _send(qtbot, qloop, window, focus=window.editor.form.fields["raw"].edit)
    assert result.status == 200, result.text()
    created = json.loads(result.read_body())
    topic_id = created["topic_id"]
    assert window.response.status_badge.text().startswith("200")
    assert _tree_pairs(window.response.body_view)["topic_id"] == str(topic_id)
    # The Request tab shows what was sent, with the key masked.
    sent = window.response.request_view.toPlainText()
    assert "POST " in sent and "<redacted>" in sent and "d0c5a11a" not in sent

    # The topic appears in the latest list.
    assert window.browser.select_method("discourse:listLatestTopics")
    latest = _send(qtbot, qloop, window)
    assert latest.status == 200
    topics = json.loads(latest.read_body())["topic_list"]["topics"]
    assert any(t["id"] == topic_id and t["title"] == title for t in topics)
    assert window.response.diagnosis.severity == "ok"


def test_values_are_kept_per_method_and_state_survives_restart(
    qtbot: Any, make_window: Any, sandbox: Any, home: Any
) -> None:
    window = make_window(demo=sandbox)
    window.browser.select_method("discourse:createTopicPostPM")
    qtbot.keyClicks(window.editor.form.fields["title"].edit, "Draft title")
    window.browser.select_method("discourse:listLatestTopics")
    window.browser.select_method("discourse:createTopicPostPM")
    assert window.editor.form.fields["title"].value() == "Draft title"

    window.inner.setSizes([300, 700])
    window.layout_action.setChecked(True)
    window.save_state()
    assert str(home.config) in window.state.path  # UI state lives under the (temporary) config dir
    second = make_window(demo=sandbox)
    assert second.layout_action.isChecked()
    assert second.inner.orientation() == Qt.Orientation.Vertical
    assert second.editor.method.key == "discourse:createTopicPostPM"  # reopens where the user left off


def test_a_422_puts_the_servers_messages_next_to_the_fields(
    qtbot: Any, qloop: Any, make_window: Any, sandbox: Any
) -> None:
    window = make_window(demo=sandbox)
    window.browser.select_method("discourse:createTopicPostPM")
    form = window.editor.form
    qtbot.keyClicks(form.fields["title"].edit, "Too short")
    qtbot.keyClicks(form.fields["raw"].edit, "tiny")
    result = _send(qtbot, qloop, window)
    assert result.status == 422
    errors = form.visible_errors()
    assert errors["title"].startswith("Title is too short")
    assert errors["raw"].startswith("Body is too short")
    assert window.response.diagnosis.code == "discourse-validation"


def test_a_private_message_to_nobody_says_so_next_to_the_recipients(
    qtbot: Any, qloop: Any, make_window: Any, sandbox: Any
) -> None:
    window = make_window(demo=sandbox)
    window.browser.select_method("discourse:createTopicPostPM")
    form = window.editor.form
    qtbot.keyClicks(form.fields["title"].edit, "A private message with nobody to read it")
    qtbot.keyClicks(form.fields["raw"].edit, "Long enough to pass the length check.")
    form.fields["archetype"].set_value("private_message")
    result = _send(qtbot, qloop, window)
    assert result.status == 422
    assert form.visible_errors()["target_recipients"] == "You must choose a valid user."
