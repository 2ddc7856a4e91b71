"""Run the real window (`run_window`), pick a method, send it, read the tree, close; print the result as JSON.

Run as its own process with QT_QPA_PLATFORM and DISPLAY set: a process cannot change Qt's platform once
a QApplication exists, and the rest of the suite runs offscreen in-process.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, Qt
from PySide6.QtGui import QImage, QWindow
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMainWindow

from explorer.ui.app import run_window

ANSWER_TIMEOUT_S = 60.0


class _Exposed(QObject):
    """Resolves a future when the native window has been mapped and exposed by the display server."""

    def __init__(self, window: QWindow, future: asyncio.Future[None]) -> None:
        super().__init__(window)
        self.future = future
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        exposed = event.type() == QEvent.Type.Expose and isinstance(watched, QWindow) and watched.isExposed()
        if exposed and not self.future.done():
            self.future.set_result(None)
        return False


async def _exposed(window: QMainWindow) -> None:
    handle = window.windowHandle()
    if handle.isExposed():
        return
    future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    _Exposed(handle, future)
    await asyncio.wait_for(future, ANSWER_TIMEOUT_S)


def _rows_matching(screen: QImage, window: QImage, origin: QPoint) -> float:
    """Share of the window's pixel rows that the X server's screen shows identically at its position."""
    screen = screen.convertToFormat(QImage.Format.Format_RGB32)
    window = window.convertToFormat(QImage.Format.Format_RGB32)
    width = min(window.width(), screen.width() - origin.x())
    height = min(window.height(), screen.height() - origin.y())
    if width <= 0 or height <= 0:
        return 0.0
    same = 0
    for y in range(height):
        start = origin.x() * 4
        row_screen = bytes(screen.constScanLine(origin.y() + y))[start : start + width * 4]
        row_window = bytes(window.constScanLine(y))[: width * 4]
        same += row_screen == row_window
    return same / height


def body_tree(window: Any) -> tuple[Any, QModelIndex]:
    """The Body tab's JSON tree model and its root row, every child of the root fetched."""
    window.response.show_tab("body")
    model = window.response.body_view.json_view.model
    root = model.index(0, 0, QModelIndex())
    while model.canFetchMore(root):
        model.fetchMore(root)
    return model, root


async def _drive(window: Any, options: argparse.Namespace, result: dict[str, Any]) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    result["platform"] = app.platformName()
    await _exposed(window)
    result["exposed"] = window.windowHandle().isExposed()

    # Pick the method as a person does: type into the method search, then Enter.
    QTest.keyClicks(window.browser.search, options.method.split(":", 1)[1])
    QTest.keyClick(window.browser.search, Qt.Key.Key_Return)
    result["method"] = window.editor.method.key if window.editor.method else None
    result["title"] = window.windowTitle()

    answered: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
    window.response_shown.connect(lambda shown: answered.done() or answered.set_result(shown))
    result["sent"] = window.send()
    if result["sent"]:
        answer = await asyncio.wait_for(answered, ANSWER_TIMEOUT_S)
        result["status"] = answer.status
        model, root = body_tree(window)
        result["tree_root"] = root.data()
        result["tree_rows"] = model.rowCount(root)
        result["tree_keys"] = [model.index(r, 0, root).data() for r in range(model.rowCount(root))]

    # Paint now (repaint flushes to the X server), then read the pixels back from the server itself.
    window.repaint()
    picture = window.grab().toImage()
    picture.save(str(options.window_png), "PNG")
    screen = window.screen().grabWindow(0).toImage()
    screen.save(str(options.screen_png), "PNG")
    result["window_size"] = [picture.width(), picture.height()]
    result["screen_rows_matching"] = _rows_matching(screen, picture, window.mapToGlobal(QPoint(0, 0)))


def run_driven_window(home: Path, drive: Callable[[Any], Awaitable[None]], result: dict[str, Any]) -> None:
    """Open the real window on `home`, await `drive(window)` once its profiles are ready, then close it.

    Puts in `result` the window's exit code, whether it was driven, and what `drive` raised (as "error",
    so the test shows what went wrong).
    """
    tasks: list[asyncio.Task[None]] = []

    async def drive_and_close(window: Any) -> None:
        try:
            await drive(window)
        except Exception as exc:  # reported in the JSON
            result["error"] = repr(exc)
        finally:
            window.close()  # ends run_window the way a person closing the window does

    def drive_once(window: Any) -> None:
        # profiles_ready comes from inside the running qasync loop, once the sandbox profiles exist.
        if not tasks:
            tasks.append(asyncio.ensure_future(drive_and_close(window)))

    def on_ready() -> None:
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMainWindow))
        window.profiles_ready.connect(lambda: drive_once(window))

    window_options = argparse.Namespace(
        home=str(home), method=None, screenshot=None, on_ready=on_ready, open_file=None
    )
    result["exit_code"] = run_window(window_options)
    result["driven"] = bool(tasks)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--method", default="discourse:listCategories")
    parser.add_argument("--window-png", type=Path, required=True)
    parser.add_argument("--screen-png", type=Path, required=True)
    options = parser.parse_args()
    result: dict[str, Any] = {}
    run_driven_window(options.home, lambda window: _drive(window, options, result), result)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
