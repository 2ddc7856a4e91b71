"""Captures from the response tree, end to end against a sandbox: "Use as variable…" on topic_id keeps the
value and the path, the next request reads {{topic_id}}, sending the first request again re-captures, and
Captured values… clears them."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from PySide6.QtWidgets import QInputDialog

from explorer.core.lifecycle import Capture, RequestSpec
from explorer.sandbox.demo import DemoCredentials
from explorer.ui.widgets.collection_dialogs import CapturesDialog
from tests.ui.conftest import signal_future


def send(qloop: Any, window: Any) -> Any:
    async def go() -> Any:
        shown = signal_future(window.response_shown)
        assert window.send()
        (result,) = await asyncio.wait_for(shown, 30)
        return result

    return qloop.run_until_complete(go())


def create_topic(window: Any, title: str) -> None:
    assert window.browser.select_method("discourse:createTopicPostPM")
    form = window.editor.form
    form.fields["title"].set_value(title)
    form.fields["raw"].set_value("A post whose topic the next request reads back.")
    window.editor.refresh()


def test_a_value_used_as_variable_feeds_the_next_request(
    qtbot: Any, qloop: Any, make_window: Any, fresh_sandbox: DemoCredentials
) -> None:
    window = make_window(demo=fresh_sandbox)
    create_topic(window, "Captured from the response tree")
    created = send(qloop, window)
    assert created.status == 200, created.text()
    topic_id = json.loads(created.read_body())["topic_id"]

    view = window.response.body_view.json_view
    assert view.select_path(("topic_id",))
    menu = view.context_menu()
    assert "Use as variable…" in [action.text() for action in menu.actions()]
    menu.deleteLater()
    view.act_use_as_variable.trigger()
    dialog = window.collections.dialog
    assert isinstance(dialog, QInputDialog) and dialog.isVisible()
    assert dialog.textValue() == "topic_id"  # suggested from the path
    dialog.textValueSelected.emit("topic_id")
    dialog.reject()
    assert window.collections.captures == {"topic_id": str(topic_id)}
    assert window.editor.spec().captures == (Capture("topic_id", "$.topic_id"),)

    # A new request reads the captured value.
    window.request_tabs.new_tab(
        RequestSpec(api="discourse", method_id="getTopic", arguments={"id": "{{topic_id}}"})
    )
    window.editor.refresh()
    assert window.editor.url_edit.text().endswith(f"/t/{topic_id}.json")
    assert window.editor.variables_note.text() == f"Variables: topic_id = {topic_id} (captured)"
    read = send(qloop, window)
    assert read.status == 200 and json.loads(read.read_body())["id"] == topic_id

    # Back to the first tab: it declares the capture, so sending it again captures the new topic's id.
    window.request_tabs.switch_by(-1)
    window.editor.form.fields["title"].set_value("A second topic, captured on its own")
    window.editor.refresh()
    again = send(qloop, window)
    second_id = json.loads(again.read_body())["topic_id"]
    assert second_id != topic_id
    assert window.collections.captures == {"topic_id": str(second_id)}

    # Captured values… lists them; Clear all forgets them, and a request using one is blocked again.
    window.collections.edit_captures()
    captures = window.collections.dialog
    assert isinstance(captures, CapturesDialog)
    assert captures.table.variables() == {"topic_id": str(second_id)}
    captures.clear_button.click()
    captures.accept()
    assert window.collections.captures == {}
    window.request_tabs.switch_by(1)
    assert not window.send()
    assert window.editor.form.visible_errors() == {"id": "unknown variable {{topic_id}}"}
