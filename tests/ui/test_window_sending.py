"""Sending from the window: invalid input sends nothing, Cancel really stops a slow request, lint fixes."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from PySide6.QtCore import Qt

from explorer.core.prepared import PreparedRequest
from explorer.sandbox.demo import DemoCredentials
from tests.ui.conftest import signal_future

DEMO = DemoCredentials(url="http://127.0.0.1:9")  # profiles only: these tests never reach it


class Recorder:
    """An httpx transport that records requests; optionally waits on an event before answering."""

    def __init__(self, gate: asyncio.Event | None = None) -> None:
        self.requests: list[httpx.Request] = []
        self.gate = gate

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.gate is not None:
            await self.gate.wait()
        return httpx.Response(200, json={"ok": True})


def test_invalid_input_shows_inline_errors_and_sends_nothing(
    qtbot: Any, qloop: Any, make_window: Any
) -> None:
    recorder = Recorder()
    window = make_window(demo=DEMO, transport=httpx.MockTransport(recorder))
    window.browser.select_method("discourse:createTopicPostPM")
    form = window.editor.form
    # Typing a non-number into an integer field is flagged as you type, before any send.
    qtbot.keyClicks(form.fields["category"].edit, "abc")
    assert form.visible_errors()["category"] == "expected a whole number, got 'abc'"
    qtbot.keyClick(window.editor.url_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    errors = form.visible_errors()
    assert "raw" in errors  # the required field is marked on Send
    assert window._controller is None or not window._controller.busy
    qloop.run_until_complete(asyncio.sleep(0))
    assert recorder.requests == []
    form.fields["category"].edit.clear()
    assert "category" not in form.visible_errors()


def test_slow_request_is_cancelled_with_escape(qtbot: Any, qloop: Any, make_window: Any) -> None:
    gate = asyncio.Event()  # never set: the server "hangs" until the request is cancelled
    recorder = Recorder(gate)
    window = make_window(demo=DEMO, transport=httpx.MockTransport(recorder))
    editor = window.editor

    async def scenario() -> Any:
        done = signal_future(window.response_shown)
        qtbot.keyClick(editor.url_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        while not recorder.requests:  # wait until the request really is in flight
            await asyncio.sleep(0)
        assert editor.send_button.text() == "Cancel"
        assert window.controller.busy
        qtbot.keyClick(editor.url_edit, Qt.Key.Key_Escape)
        (result,) = await asyncio.wait_for(done, 10)
        return result

    result = qloop.run_until_complete(scenario())
    assert result.cancelled and result.status is None
    assert editor.send_button.text() == "Send"
    assert not window.controller.busy
    assert window.response.status_badge.text() == "Cancelled"
    assert window.response.diagnosis.code == "cancelled"


def test_query_auth_shows_the_lint_banner_and_the_fix_moves_credentials_to_headers(
    qtbot: Any, qloop: Any, make_window: Any
) -> None:
    recorder = Recorder()
    window = make_window(demo=DEMO, transport=httpx.MockTransport(recorder))
    editor = window.editor
    pasted = PreparedRequest(
        method="POST",
        url="https://forum.example.com/posts.json",
        query=(("api_key", "0123456789abcdef"), ("api_username", "system")),
        api="discourse",
    )
    editor.load_request(pasted)
    assert "discourse-query-auth" in editor.banner.codes()
    assert not editor.banner.isHidden()
    assert "0123456789abcdef" not in editor.url_edit.text()  # masked in the preview

    # Sending with an error-level finding asks first; declining sends nothing.
    asked: list[list[str]] = []
    editor.confirm_send = lambda findings: asked.append([f.code for f in findings]) is not None and False
    window.send()
    assert asked and "discourse-query-auth" in asked[0]
    assert window._controller is None or not window._controller.busy

    qtbot.mouseClick(editor.banner.fix_buttons["discourse-query-auth"], Qt.MouseButton.LeftButton)
    fixed = editor.current_request()
    assert fixed is not None
    assert not any(k.startswith("api_") for k, _ in fixed.query)
    headers = dict(fixed.headers)
    assert headers["Api-Key"] == "0123456789abcdef" and headers["Api-Username"] == "system"
    assert "discourse-query-auth" not in editor.banner.codes()

    async def send_fixed() -> Any:
        done = signal_future(window.response_shown)
        window.send()
        return (await asyncio.wait_for(done, 10))[0]

    result = qloop.run_until_complete(send_fixed())
    assert result.status == 200
    assert recorder.requests[-1].headers["api-key"] == "0123456789abcdef"
    assert "api_key" not in str(recorder.requests[-1].url)


def test_pasted_curl_is_matched_linted_and_copied_back_masked(qtbot: Any, make_window: Any) -> None:
    from PySide6.QtGui import QGuiApplication

    window = make_window(demo=DEMO)
    window.dialogs.import_curl()
    dialog = window.dialogs.current
    dialog.text.setPlainText(
        "curl -X GET 'https://forum.example.com/latest.json?api_key=abc123&api_username=system'"
    )
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    editor = window.editor
    assert editor.method is not None and editor.method.key == "discourse:listLatestTopics"
    assert "discourse-query-auth" in editor.banner.codes()
    window.dialogs.copy_curl()
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith("curl") and "abc123" not in copied

    window.dialogs.import_curl()
    window.dialogs.current.text.setPlainText("curl -H 'unterminated")
    window.dialogs.current.accept()
    # A clear message, no traceback.
    assert window.dialogs.current.isVisible() and window.dialogs.current.error.text()


def test_without_a_profile_the_editor_says_what_is_missing(qtbot: Any, make_window: Any) -> None:
    window = make_window()  # no sandbox: no profiles at all
    window.send()
    assert window._controller is None
    assert window.editor.problem.isVisible()
    assert "Profiles" in window.editor.problem.text()


def test_cancel_stops_a_slow_sandbox_request_over_a_real_socket(
    qtbot: Any, qloop: Any, make_window: Any
) -> None:
    from explorer.sandbox.config import FaultSettings, SandboxConfig
    from explorer.sandbox.server import SandboxServer

    slow = SandboxConfig(faults=FaultSettings(latency_ms=120_000))  # far longer than the test may take
    with SandboxServer(slow) as server:
        window = make_window(demo=server.credentials)

        async def scenario() -> Any:
            done = signal_future(window.response_shown)
            window.send_or_cancel()
            assert window.controller.busy and window.editor.send_button.text() == "Cancel"
            await asyncio.sleep(0)  # let the request leave
            window.send_or_cancel()  # the same key (Ctrl+Enter) cancels while in flight
            return (await asyncio.wait_for(done, 10))[0]

        result = qloop.run_until_complete(scenario())
        assert result.cancelled
        assert not window.controller.busy and window.editor.send_button.text() == "Send"


def test_automated_send_waits_for_the_profiles_instead_of_sending_without_one(
    qtbot: Any, qloop: Any, home: Any
) -> None:
    from explorer.core.profiles import MemorySecretStore
    from explorer.ui.app import _send_and_wait
    from explorer.ui.main_window import MainWindow
    from explorer.ui.services import Services

    recorder = Recorder()
    services = Services.create(
        home, secrets=MemorySecretStore(), start_sandbox=False, transport=httpx.MockTransport(recorder)
    )
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.open_first_method("discourse:listLatestTopics")
    window.show()

    async def scenario() -> None:
        sending = asyncio.ensure_future(_send_and_wait(window))
        await asyncio.sleep(0)  # one turn: the send must still be waiting, with nothing sent
        assert not sending.done() and recorder.requests == []
        services.attach_sandbox(DEMO)  # the sandbox comes up; its profiles are installed
        window.load_profiles()
        await sending

    try:
        qloop.run_until_complete(scenario())
        assert [str(r.url) for r in recorder.requests] == [f"{DEMO.discourse_base_url}/latest.json"]
        assert window.response.result is not None and window.response.result.status == 200
    finally:
        qloop.run_until_complete(services.aclose())
