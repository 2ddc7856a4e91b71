"""Requests as data in the window: editable URL and verb, free-form requests, imported cURL, the Body tab."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
from PySide6.QtCore import Qt

from explorer.core.curl import import_curl
from explorer.core.lifecycle import BodySpec, Pair, RequestSpec
from explorer.sandbox.demo import DemoCredentials
from tests.ui.conftest import signal_future

DEMO = DemoCredentials(url="http://127.0.0.1:9")  # profiles only: the transport answers


class Recorder:
    """An httpx transport that records requests and answers 200."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(200, json={"ok": True})


def _type_url(qtbot: Any, editor: Any, text: str) -> None:
    editor.url_edit.setFocus()
    editor.url_edit.selectAll()
    qtbot.keyClicks(editor.url_edit, text)
    qtbot.keyClick(editor.url_edit, Qt.Key.Key_Return)


def _send(qloop: Any, window: Any) -> Any:
    async def run() -> Any:
        done = signal_future(window.response_shown)
        assert window.send()
        return (await asyncio.wait_for(done, 10))[0]

    return qloop.run_until_complete(run())


def test_typing_a_catalog_path_shows_its_form_and_the_form_rewrites_the_url(
    qtbot: Any, make_window: Any
) -> None:
    window = make_window(demo=DEMO)
    editor = window.editor
    _type_url(qtbot, editor, "/custom/free.json")
    assert editor.tabs.currentWidget() is editor.params
    _type_url(qtbot, editor, "/t/42.json")
    assert editor.method is not None and editor.method.id == "getTopic"
    assert editor.tabs.currentWidget() is editor.form  # the form, not the free-form Params left before
    assert editor.form.fields["id"].value() == "42"
    assert window.browser.current_method() is not None and window.browser.current_method().id == "getTopic"
    editor.form.fields["id"].set_value("7")
    editor.refresh()
    assert editor.url_edit.text() == f"{DEMO.discourse_base_url}/t/7.json"


def test_any_other_url_is_a_free_form_request_sent_as_typed(qtbot: Any, qloop: Any, make_window: Any) -> None:
    recorder = Recorder()
    window = make_window(demo=DEMO, transport=httpx.MockTransport(recorder))
    editor = window.editor
    _type_url(qtbot, editor, "/plugins/explorer/thing.json?a=1")
    assert editor.method is None
    assert editor.tabs.isTabVisible(editor.tabs.indexOf(editor.params))
    assert not editor.tabs.isTabVisible(editor.tabs.indexOf(editor.form))
    assert editor.params.pairs() == (Pair("a", "1"),)
    editor.params.add_pair(Pair("b", "2"))
    editor.params.add_pair(Pair("off", "3", enabled=False))
    editor.headers.add_pair(Pair("X-Trace", "yes"))
    editor.verb.setCurrentText("POST")
    editor.body.set_body_spec(BodySpec("json", '{"hello": "world"}'))
    result = _send(qloop, window)
    assert result.status == 200
    sent = recorder.requests[-1]
    assert sent.method == "POST"
    assert str(sent.url) == f"{DEMO.discourse_base_url}/plugins/explorer/thing.json?a=1&b=2"
    assert sent.headers["x-trace"] == "yes"
    assert sent.headers["api-key"]  # the sandbox profile's key goes to the sandbox
    assert json.loads(sent.content) == {"hello": "world"}


def test_an_imported_curl_command_is_visible_and_editable_in_the_tabs(qtbot: Any, make_window: Any) -> None:
    window = make_window(demo=DEMO)
    command = (
        "curl -X POST 'https://forum.example.com/custom/endpoint.json?page=2' "
        "-H 'Api-Key: 0123456789abcdef' -H 'Api-Username: system' "
        '-H \'Content-Type: application/json\' -d \'{"note": "hi", "count": 3}\''
    )
    window.dialogs.load_imported(import_curl(command))
    editor = window.editor
    assert editor.method is None  # no catalog method has this path
    assert editor.params.pairs() == (Pair("page", "2"),)
    assert {p.name for p in editor.headers.pairs()} >= {"Api-Key", "Api-Username"}
    body = editor.body.body_spec()
    assert body.kind == "json" and json.loads(body.text) == {"note": "hi", "count": 3}
    # The URL bar shows the URL that will really be used (the command's host, not the profile's), masked.
    editor.refresh()
    assert editor.url_edit.text() == "https://forum.example.com/custom/endpoint.json?page=2"
    summary = editor.auth_view.toPlainText()
    assert "Api-Key from the request" in summary
    assert "0123456789abcdef" not in summary
    request = editor.current_request()
    assert request is not None and request.header("Api-Key") == "0123456789abcdef"
    # Editing works like any request: change a param and the URL follows.
    editor.params.set_pairs([Pair("page", "3")])
    editor.refresh()
    assert editor.url_edit.text().endswith("?page=3")


def test_invalid_json_in_the_body_is_a_field_error_and_nothing_is_sent(
    qtbot: Any, qloop: Any, make_window: Any
) -> None:
    recorder = Recorder()
    window = make_window(demo=DEMO, transport=httpx.MockTransport(recorder))
    editor = window.editor
    window.browser.select_method("discourse:createTopicPostPM")
    editor.body.kind.setCurrentIndex(1)  # JSON
    qtbot.keyClicks(editor.body.text, '{"raw": "x",')
    assert "invalid JSON at line 1" in editor.body.status.text()
    assert not window.send()
    assert editor.tabs.currentWidget() is editor.body
    assert "Body: invalid JSON" in editor.problem.text()
    qloop.run_until_complete(asyncio.sleep(0))
    assert recorder.requests == []
    # A valid body is sent instead of the Arguments' body fields, and the tabs say so.
    editor.body.text.setPlainText('{"raw": "typed in the Body tab", "title": "A title long enough"}')
    assert editor.tabs.tabText(editor.tabs.indexOf(editor.form)) == "Arguments (body replaced)"
    assert "the body fields of the Arguments tab are not" in editor.body.status.text()
    result = _send(qloop, window)
    assert result.status == 200
    assert json.loads(recorder.requests[-1].content)["raw"] == "typed in the Body tab"


def test_switching_method_labels_the_old_response_and_a_send_clears_not_sent(
    qtbot: Any, qloop: Any, make_window: Any
) -> None:
    recorder = Recorder()
    window = make_window(demo=DEMO, transport=httpx.MockTransport(recorder))
    window.browser.select_method("discourse:listLatestTopics")
    assert _send(qloop, window).status == 200
    window.browser.select_method("discourse:getTopic")
    assert "Response to listLatestTopics" in window.response.note.text()
    assert not window.send()  # getTopic needs its id
    assert window.statusBar().currentMessage().startswith("Not sent")
    window.editor.form.fields["id"].set_value("1")
    assert _send(qloop, window).status == 200
    assert not window.statusBar().currentMessage().startswith("Not sent")
    assert "Response to" not in window.response.note.text()


def test_the_editor_spec_round_trips_through_json_without_its_secrets(qtbot: Any, make_window: Any) -> None:
    window = make_window(demo=DEMO)
    editor = window.editor
    window.browser.select_method("discourse:createTopicPostPM")
    editor.form.fields["raw"].set_value("Hello there, this is long enough")
    editor.headers.add_pair(Pair("Api-Key", "s3cret-typed-key"))
    spec = editor.spec()
    text = spec.dumps()
    assert "s3cret-typed-key" not in text
    again = RequestSpec.loads(text)
    assert (
        again.method_id == "createTopicPostPM"
        and again.arguments["raw"] == "Hello there, this is long enough"
    )
    editor.load_spec(again)
    assert editor.form.fields["raw"].value() == "Hello there, this is long enough"


def test_a_saved_request_file_opens_in_a_new_tab_marked_saved(make_window: Any, tmp_path: Any) -> None:
    window = make_window(demo=DEMO)
    spec = RequestSpec(api="disqus", verb="GET", url="/api/get_forum_list/", title="My forums")
    path = tmp_path / "forums.json"
    path.write_text(spec.dumps(), encoding="utf-8")
    before = len(window.request_tabs.tabs)
    window.open_request_file(path)
    assert len(window.request_tabs.tabs) == before + 1
    assert window.request_tabs.current.file == str(path)
    assert not window.request_tabs.sync_current().unsaved
    assert window.editor.spec().url == "/api/get_forum_list/"
    # A free-form Disqus request uses the Disqus profile, although no method says which API it is for.
    assert window.active_profile() is not None and window.active_profile().api.value == "disqus"
