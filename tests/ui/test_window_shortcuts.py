"""The window's shortcuts: no key press bound twice in one context, Esc cancels, the shortcut list opens."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut

from explorer.sandbox.demo import DemoCredentials
from explorer.ui.widgets.shortcuts_dialog import ShortcutsDialog
from tests.ui.conftest import signal_future

DEMO = DemoCredentials(url="http://127.0.0.1:9")  # profiles only: these tests never reach it

# On a US keyboard these characters are typed with Shift: "Ctrl+?" is the key press "Ctrl+Shift+/", and
# X11 offers both to the shortcut map, so binding both makes every press of it ambiguous.
SHIFTED = dict(zip('?!@#$%^&*()_+{}|:"<>~', "/1234567890-=[]\\;',.`", strict=True))
CONTEXT = Qt.ShortcutContext


def _key_press(sequence: QKeySequence) -> str:
    """The physical key press a one-key sequence stands for, spelled the same whichever way it was bound."""
    combination = sequence[0]
    modifiers = combination.keyboardModifiers()
    key = combination.key()
    char = chr(key.value) if 0x20 < key.value < 0x7F else ""
    if char in SHIFTED:
        modifiers |= Qt.KeyboardModifier.ShiftModifier
        key = Qt.Key(ord(SHIFTED[char].upper()))
    return QKeySequence(modifiers | key).toString(QKeySequence.SequenceFormat.PortableText)


def _scope(owner: QObject, context: Qt.ShortcutContext) -> object:
    """Where a shortcut listens: the whole window, or one widget (and its children)."""
    if context in (CONTEXT.WindowShortcut, CONTEXT.ApplicationShortcut):
        return ("window", context)
    return (id(owner), context)


def _bindings(window: Any) -> list[tuple[str, object, str]]:
    """Every shortcut of the window and its children: (key press, scope, description)."""
    found: list[tuple[str, object, str]] = []
    for shortcut in window.findChildren(QShortcut):
        owner = shortcut.parent()
        for keys in shortcut.keys():  # noqa: SIM118 - a QShortcut is not a mapping
            found.append((_key_press(keys), _scope(owner, shortcut.context()), type(owner).__name__))
    for action in window.findChildren(QAction):
        for keys in action.shortcuts():
            for owner in action.associatedObjects() or [action.parent()]:
                found.append((_key_press(keys), _scope(owner, action.shortcutContext()), action.text()))
    return found


def _show_a_json_response(qloop: Any, window: Any) -> None:
    """Send once and wait for the answer: the JSON viewer, with keys of its own, joins the window then."""

    async def scenario() -> None:
        shown = signal_future(window.response_shown)
        assert window.send()
        await asyncio.wait_for(shown, 10)

    qloop.run_until_complete(scenario())


def test_no_key_press_is_bound_twice_in_the_same_context(qtbot: Any, qloop: Any, make_window: Any) -> None:
    answer = httpx.Response(200, json={"topic_list": {"topics": []}})
    window = make_window(demo=DEMO, transport=httpx.MockTransport(lambda _request: answer))
    _show_a_json_response(qloop, window)
    bindings = _bindings(window)
    assert ("Esc", ("window", CONTEXT.WindowShortcut)) in [(k, s) for k, s, _ in bindings]
    assert any(k == "Ctrl+Shift+/" for k, _, _ in bindings)
    seen: dict[tuple[str, object], str] = {}
    clashes = []
    for keys, scope, what in bindings:
        if (keys, scope) in seen:
            clashes.append(f"{keys}: {seen[keys, scope]} and {what}")
        seen.setdefault((keys, scope), what)
    assert clashes == []


def test_escape_cancels_a_request_in_flight_after_a_response_was_shown(
    qtbot: Any, qloop: Any, make_window: Any
) -> None:
    hang = asyncio.Event()  # never set: every request after the first "hangs" until cancelled
    seen: list[httpx.Request] = []

    async def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if len(seen) > 1:
            await hang.wait()
        return httpx.Response(200, json={"topic_list": {"topics": []}})

    window = make_window(demo=DEMO, transport=httpx.MockTransport(answer))
    editor = window.editor

    _show_a_json_response(qloop, window)

    async def scenario() -> Any:
        done = signal_future(window.response_shown)
        qtbot.keyClick(editor.url_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        while len(seen) < 2:  # wait until the second request really is in flight
            await asyncio.sleep(0)
        assert window.controller.busy
        qtbot.keyClick(editor.url_edit, Qt.Key.Key_Escape)
        (result,) = await asyncio.wait_for(done, 10)
        return result

    result = qloop.run_until_complete(scenario())
    assert result.cancelled
    assert window.response.status_badge.text() == "Cancelled"
    assert not window.controller.busy


def test_the_shortcut_list_opens_with_its_key(qtbot: Any, make_window: Any) -> None:
    window = make_window(demo=DEMO)
    qtbot.keyClick(
        window, Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    sheet = window.findChild(ShortcutsDialog)
    assert sheet is not None and sheet.isVisible()
    assert any("shortcuts" in sheet.table.item(r, 1).text() for r in range(sheet.table.rowCount()))
