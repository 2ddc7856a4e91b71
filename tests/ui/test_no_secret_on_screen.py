"""What a screenshot of the window would show holds no key: every text the window paints, after requests whose
server echoes the keys back in its body and headers, through every auth kind of both APIs."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

from tests.cli.test_cli_never_prints_secrets import SECRETS, echo_url  # noqa: F401 - echo_url is a fixture
from tests.ui.conftest import signal_future
from tests.ui.echo_profiles import save_echo_profiles

_ROWS = 200  # rows read per level of an item view: the screen shows fewer


def _model_texts(view: QAbstractItemView) -> Iterator[str]:
    model = view.model()
    if model is None:
        return
    pending: list[tuple[QModelIndex, int]] = [(QModelIndex(), 0)]
    while pending:
        parent, depth = pending.pop()
        if depth > 3 or (parent.isValid() and not model.hasChildren(parent)):
            continue
        for row in range(min(model.rowCount(parent), _ROWS)):
            for column in range(model.columnCount(parent)):
                index = model.index(row, column, parent)
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    value = index.data(role)
                    if value is not None:
                        yield str(value)
            first = model.index(row, 0, parent)
            if isinstance(view, QAbstractItemView) and hasattr(view, "isExpanded") and view.isExpanded(first):
                pending.append((first, depth + 1))


def _window_text(window: QWidget) -> str:
    """The text of every widget of the window: labels, fields, buttons, tabs, lists, trees and tooltips."""
    parts = [window.windowTitle()]
    for widget in window.findChildren(QWidget):
        parts.append(widget.toolTip())
        if isinstance(widget, QLabel | QAbstractButton):
            parts.append(widget.text())
        elif isinstance(widget, QLineEdit):
            parts.append(widget.text() if widget.echoMode() == QLineEdit.EchoMode.Normal else "")
        elif isinstance(widget, QPlainTextEdit | QTextEdit):
            parts.append(widget.toPlainText())
        elif isinstance(widget, QComboBox):
            parts.extend(widget.itemText(i) for i in range(widget.count()))
        elif isinstance(widget, QTabBar):
            parts.extend(widget.tabText(i) for i in range(widget.count()))
        if isinstance(widget, QAbstractItemView):
            parts.extend(_model_texts(widget))
    return "\n".join(parts)


def _leaks(text: str) -> list[str]:
    return [s[:6] + "…" for s in SECRETS if any(form in text for form in (s, quote(s, safe="")))]


def _send(qloop: Any, window: Any) -> Any:
    async def run() -> Any:
        done = signal_future(window.response_shown)
        assert window.send(), window.editor.problem.text()
        return (await asyncio.wait_for(done, 20))[0]

    return qloop.run_until_complete(run())


def test_no_key_is_painted_anywhere_in_the_window(
    qtbot: Any, qloop: Any, make_window: Any, echo_url: str, tmp_path: Path  # noqa: F811
) -> None:
    window = make_window()
    window.editor.confirm_send = lambda findings: True
    profiles = save_echo_profiles(window, echo_url)
    for profile, method in profiles:
        window.choose_profile(profile.id)
        assert window.browser.select_method(method)
        result = _send(qloop, window)
        assert result.status == 401 and any(s in result.text() for s in SECRETS)  # really echoed
        pane = window.response
        for index in range(pane.tabs.count()):  # tabs fill when first shown: show each, as a user would
            pane.tabs.setCurrentIndex(index)
            body_tabs = pane.body_view.tabs
            for inner in range(body_tabs.count()):
                body_tabs.setCurrentIndex(inner)
                assert _leaks(_window_text(window)) == [], (method, pane.tabs.tabText(index), inner)
        for index in range(window.editor.tabs.count()):  # Arguments, Headers, Body, Auth, Docs…
            window.editor.tabs.setCurrentIndex(index)
            assert _leaks(_window_text(window)) == [], (method, window.editor.tabs.tabText(index))

    # The scan does see what the window paints: the user's own "Show secrets" makes the echoed key appear.
    window.response.tabs.setCurrentIndex(0)
    window.response.echoed_secrets.checkbox.setChecked(True)
    window.response.body_view.tabs.setCurrentIndex(0)
    assert _leaks(_window_text(window)) != []
    window.response.echoed_secrets.checkbox.setChecked(False)

    shot = tmp_path / "window.png"
    assert window.grab().save(str(shot), "PNG")
    assert _leaks(shot.read_bytes().decode("latin-1")) == []  # nothing in the picture's own metadata either
