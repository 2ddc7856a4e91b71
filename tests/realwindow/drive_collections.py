"""Run the real window, import a Postman file through the Collections tab, send one of its requests, read
the tree, close; print what happened (and every Qt warning) as JSON.

Run as its own process with QT_QPA_PLATFORM and DISPLAY set, like drive_window.py: a person's steps, by
keys and clicks where there is a key or a button (Ctrl+E, Import…, Enter on the row, Ctrl+Enter).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import shiboken6
from drive_window import _exposed, body_tree, run_driven_window  # beside this file: both run as scripts
from PySide6.QtCore import Qt, QtMsgType, qInstallMessageHandler
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

ANSWER_TIMEOUT_S = 60.0
WARNINGS: list[str] = []
_FAILING = {QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg}


def _collect(kind: QtMsgType, _context: object, message: str) -> None:
    if kind in _FAILING:
        WARNINGS.append(f"{kind.name}: {message}")
    print(f"qt: {message}", file=sys.stderr)


async def _settle() -> None:
    for _ in range(5):  # a few turns of the loop: pending layouts, paints and queued signals run
        await asyncio.sleep(0.02)


async def _drive(window: Any, options: argparse.Namespace, result: dict[str, Any]) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    result["platform"] = app.platformName()
    await _exposed(window)
    window.activateWindow()
    await _settle()
    collections = window.collections

    # Where the focus usually is, in a text field: on X11 a line edit claims Ctrl+E (end of line).
    window.editor.url_edit.setFocus()
    await _settle()
    QTest.keyClick(window.editor.url_edit, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    await _settle()
    result["ctrl_e_from_a_text_field"] = window.history.sidebar.currentWidget() is collections.panel
    QTest.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    await _settle()
    panel = collections.panel
    result["tab_shown"] = window.history.sidebar.currentWidget() is panel
    result["empty_message"] = panel.empty.isVisible() and "No collection open" in panel.empty.text()

    buttons = {button.text(): button for button in panel.findChildren(type(panel.open_button))}
    QTest.mouseClick(buttons["Import…"], Qt.MouseButton.LeftButton)
    await _settle()
    dialog = collections.dialog
    result["dialog"] = type(dialog).__name__
    result["read"] = dialog.load_file(options.postman)
    result["summary"] = dialog.summary.text()
    dialog.destination.setText(str(options.into))
    QTest.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    await _settle()
    result["dialog_closed"] = not shiboken6.isValid(dialog) or not dialog.isVisible()  # deleted on close
    # Xvfb runs no window manager, which is what gives the window back its activation when a dialog
    # closes; without it the window's shortcuts (Ctrl+Enter) would not fire.
    window.activateWindow()
    await _settle()
    result["rows"] = panel.row_texts()
    result["sidebar_scrolls_sideways"] = panel.tree.horizontalScrollBar().isVisible()

    # The request's row, chosen and opened with Enter as a keyboard user does.
    tree = panel.tree
    found = tree.findItems(options.request, Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)
    result["found_row"] = bool(found)
    tree.setCurrentItem(found[0])
    tree.setFocus()
    QTest.keyClick(tree, Qt.Key.Key_Return)
    await _settle()
    result["tab_title"] = window.request_tabs.bar.tabText(window.request_tabs.bar.currentIndex())
    result["url"] = window.editor.url_edit.text()

    answered: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
    window.response_shown.connect(lambda shown: answered.done() or answered.set_result(shown))
    QTest.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    answer = await asyncio.wait_for(answered, ANSWER_TIMEOUT_S)
    result["status"] = answer.status
    model, root = body_tree(window)
    result["tree_keys"] = [model.index(r, 0, root).data() for r in range(model.rowCount(root))]
    window.repaint()
    window.grab().save(str(options.window_png), "PNG")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--postman", type=Path, required=True)
    parser.add_argument("--into", type=Path, required=True)
    parser.add_argument("--request", required=True, help="the name of the request to open and send")
    parser.add_argument("--window-png", type=Path, required=True)
    options = parser.parse_args()
    qInstallMessageHandler(_collect)
    result: dict[str, Any] = {}
    run_driven_window(options.home, lambda window: _drive(window, options, result), result)
    result["qt_warnings"] = WARNINGS
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
