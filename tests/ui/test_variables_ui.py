"""Variables in the window: an unknown {{name}} is a field error and nothing is sent; collection and profile
values fill the URL preview and the request sent; secret-looking names are refused in both editors."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
from PySide6.QtCore import Qt

from explorer.core.catalog.model import Api
from explorer.core.collections.folder import Collection
from explorer.core.lifecycle import RequestSpec
from explorer.core.profiles import Profile
from explorer.sandbox.demo import DemoCredentials
from explorer.ui.widgets.collection_dialogs import VariablesDialog
from tests.ui.conftest import signal_future

DEMO = DemoCredentials(url="http://127.0.0.1:9")  # profiles only: the transport answers


class Recorder:
    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(200, json={"id": 5})


def send(qloop: Any, window: Any) -> Any:
    async def go() -> Any:
        shown = signal_future(window.response_shown)
        assert window.send()
        (result,) = await asyncio.wait_for(shown, 10)
        return result

    return qloop.run_until_complete(go())


def test_an_unknown_variable_blocks_the_send_until_the_collection_gives_it(
    qtbot: Any, qloop: Any, make_window: Any, tmp_path: Path
) -> None:
    recorder = Recorder()
    window = make_window(demo=DEMO, transport=httpx.MockTransport(recorder))
    collection = Collection.create(tmp_path / "team", "Team")
    collection.save_request(
        "Get topic", RequestSpec(api="discourse", method_id="getTopic", arguments={"id": "{{topic_id}}"})
    )
    window.collections.open_folder(collection.directory)
    window.collections.open_item(collection, collection.item("Get topic.json"))
    editor = window.editor
    assert editor.form.visible_errors() == {}  # a reference is not "expected a whole number" as typed

    qtbot.keyClick(editor.url_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert editor.form.visible_errors() == {"id": "unknown variable {{topic_id}}"}
    assert window.statusBar().currentMessage() == "Not sent: fix the highlighted fields first."
    assert editor.variables_note.text() == "Variables: topic_id: unknown"
    qloop.run_until_complete(asyncio.sleep(0))
    assert recorder.requests == []

    dialog = VariablesDialog(window.collections.collections[0], window)
    dialog.table.add_row("topic_id", "5")
    dialog.accept()
    assert Collection.open(collection.directory).variables == {"topic_id": "5"}
    editor.refresh()
    assert editor.url_edit.text().endswith("/t/5.json")  # the preview shows the value
    assert editor.variables_note.text() == "Variables: topic_id = 5 (collection)"
    result = send(qloop, window)
    assert result.status == 200 and recorder.requests[0].url.path == "/t/5.json"
    assert "/t/5.json" in window.response.request_view.toPlainText()  # the Request tab: the value sent


def test_profile_variables_fill_in_and_switch_with_the_profile(qloop: Any, make_window: Any) -> None:
    recorder = Recorder()
    window = make_window(demo=DEMO, transport=httpx.MockTransport(recorder))
    store = window.services.profiles
    one = store.save(Profile(name="One", api=Api.DISCOURSE, base_url=DEMO.url, variables={"topic_id": "3"}))
    two = store.save(Profile(name="Two", api=Api.DISCOURSE, base_url=DEMO.url, variables={"topic_id": "9"}))
    window.load_profiles()
    window.request_tabs.new_tab(
        RequestSpec(api="discourse", method_id="getTopic", arguments={"id": "{{topic_id}}"})
    )
    window.choose_profile(one.id)
    window.editor.refresh()
    assert window.editor.url_edit.text().endswith("/t/3.json")
    assert window.editor.variables_note.text() == "Variables: topic_id = 3 (profile)"
    window.choose_profile(two.id)
    window.editor.refresh()
    assert window.editor.url_edit.text().endswith("/t/9.json")
    send(qloop, window)
    assert recorder.requests[-1].url.path == "/t/9.json"


def test_an_unknown_variable_in_a_free_form_url_is_named_under_it(make_window: Any) -> None:
    window = make_window(demo=DEMO)
    window.request_tabs.new_tab(RequestSpec(api="discourse", verb="GET", url="/t/{{nothing}}.json"))
    window.editor.refresh()
    assert window.editor.problem.text() == "URL: unknown variable {{nothing}}"
    assert not window.send()


def test_secret_looking_names_are_refused_by_both_editors(make_window: Any, tmp_path: Path) -> None:
    window = make_window(demo=DEMO)
    collection = Collection.create(tmp_path / "team", "Team")
    dialog = VariablesDialog(collection, window)
    dialog.table.add_row("api_key", "abc")
    dialog.accept()
    assert not dialog.error.isHidden() and "looks like a secret" in dialog.error.text()
    assert Collection.open(collection.directory).variables == {}

    from explorer.ui.widgets.profile_dialog import ProfileDialog

    profiles = ProfileDialog(window.services, None, window)
    profiles.new_profile()
    profiles.base_url.setText("https://forum.example")
    profiles.variables.add_row("api_key", "abc")
    assert not profiles.save_profile()
    assert "looks like a secret" in profiles.error.text()
    profiles.variables.set_variables({"category": "4"})
    assert profiles.save_profile()
    saved = next(p for p in window.services.profiles.list() if p.name == "My forum")
    assert dict(saved.variables) == {"category": "4"}
    profiles.close()
