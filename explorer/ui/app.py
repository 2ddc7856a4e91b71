"""Start the window: QApplication, the qasync loop, the in-process sandbox, automation hooks, shutdown."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from PySide6 import QtCore
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from explorer.core.paths import AppPaths
from explorer.ui import theme

if TYPE_CHECKING:
    import asyncio

    from explorer.core.logmask import SecretMemory
    from explorer.ui.signals import SignalQuitter

log = logging.getLogger("explorer")
SEND_TIMEOUT_S = 120.0  # upper bound for --send in automation; the request's own deadline is shorter


class FirstPaint(QObject):
    """Calls `callback` once, when `widget` receives its first paint event."""

    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._callback: Callable[[], None] | None = callback
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint and self._callback is not None:
            callback, self._callback = self._callback, None
            watched.removeEventFilter(self)
            callback()
        return False


def _app_paths(options: argparse.Namespace) -> AppPaths:
    home = getattr(options, "home", None)
    return AppPaths.under(Path(home)) if home else AppPaths.default()


def _setup_logging(paths: AppPaths, memory: SecretMemory | None = None) -> Path | None:
    """Warnings and unexpected errors go to a log file under the data dir (requests are never logged);
    `memory` holds the keys the window sent, masked wherever a record quotes them."""
    try:
        folder = paths.data / "logs"
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(folder / "explorer.log", encoding="utf-8")
    except OSError:
        return None
    from explorer.core.logmask import MaskingFormatter

    # Crash reports point here: the formatter masks keys in messages and tracebacks alike.
    handler.setFormatter(MaskingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", memory))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    return Path(handler.baseFilename)


class ErrorReporter:
    """Shows unexpected errors as a calm dialog (and logs the traceback) instead of printing a traceback."""

    def __init__(self, parent: QWidget, log_file: Path | None) -> None:
        self.parent = parent
        self.log_file = log_file
        self.previous = sys.excepthook
        self.shown: list[str] = []

    def install(self) -> None:
        sys.excepthook = self.hook

    def uninstall(self) -> None:
        if sys.excepthook == self.hook:
            sys.excepthook = self.previous

    def hook(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            self.previous(exc_type, exc, tb)
            return
        import traceback

        log.error("unexpected error:\n%s", "".join(traceback.format_exception(exc_type, exc, tb)))
        self.report(str(exc) or exc_type.__name__)

    def loop_handler(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        import asyncio

        exc = context.get("exception")
        if isinstance(exc, asyncio.CancelledError):
            return
        if exc is not None:
            self.hook(type(exc), exc, exc.__traceback__)
        else:
            log.warning("event loop: %s", context.get("message"))

    def report(self, message: str) -> None:
        if message in self.shown:
            return  # the same fault repeating (e.g. in every repaint) is logged, but shown once
        self.shown.append(message)
        where = f"\n\nDetails were written to {self.log_file}." if self.log_file else ""
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Something went wrong",
            f"The explorer hit an unexpected problem:\n\n{message}{where}\n\n"
            "Your work is still open; you can carry on.",
            parent=self.parent,
        )
        box.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # not exec(): a nested event loop inside the asyncio loop would re-enter it


def option_problem(options: argparse.Namespace) -> str | None:
    """Why --open, --request, --collection or --screenshot cannot work, in one line, or None: checked
    before the window opens."""
    open_file = getattr(options, "open_file", None)
    if open_file:
        path = Path(open_file)
        if not path.exists():
            return f"cannot open {open_file}: no such file"
        if not path.is_file():
            return f"cannot open {open_file}: not a file"
        if not os.access(path, os.R_OK):
            return f"cannot open {open_file}: permission denied"
    request_file = getattr(options, "request_file", None)
    if request_file:
        from explorer.core.lifecycle.spec import RequestSpec, SpecError

        try:
            RequestSpec.loads(Path(request_file).read_text(encoding="utf-8"))
        except OSError as exc:
            return f"cannot open {request_file}: {exc.strerror or exc}"
        except (SpecError, UnicodeDecodeError) as exc:
            return f"cannot use {request_file}: {exc}"
    collection = getattr(options, "collection", None)
    if collection:
        from explorer.core.collections.folder import Collection, CollectionError

        if Path(collection).exists() and not Path(collection).is_dir():
            return f"cannot open the collection {collection}: not a folder"
        try:
            Collection.open(Path(collection))
        except CollectionError as exc:
            return f"cannot open the collection {collection}: {exc}"
        except OSError as exc:
            return f"cannot open the collection {collection}: {exc.strerror or exc}"
    screenshot = getattr(options, "screenshot", None)
    if screenshot:
        target = Path(screenshot)
        folder = target.parent
        if target.is_dir():
            return f"cannot save {screenshot}: it is a folder"
        if not folder.exists():
            return f"cannot save {screenshot}: no such folder {folder}"
        if not folder.is_dir():
            return f"cannot save {screenshot}: {folder} is not a folder"
        import tempfile

        # Try a real file: permission bits say nothing for root, nor about read-only file systems.
        try:
            with tempfile.TemporaryFile(dir=folder):
                pass
        except OSError as exc:
            return f"cannot save {screenshot}: cannot write in {folder} ({exc.strerror or exc})"
    return None


def run_window(options: argparse.Namespace) -> int:
    """Open the main window and run until it closes (or, with --screenshot, until the PNG is saved)."""
    problem = option_problem(options)
    if problem is not None:
        print(f"explorer: {problem}", file=sys.stderr)
        return 2
    # High-DPI: Qt 6 scales by the screen's factor with the PassThrough rounding policy by default, so
    # fractional scales (125 %, 150 %) stay sharp; nothing to switch on here.
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(theme.APP_NAME)
    app.setOrganizationName("Forum API Explorer")
    app.setDesktopFileName(theme.APP_ID)  # Wayland looks the icon up by this id
    paths = _app_paths(options)
    from explorer.core.logmask import SecretMemory

    secret_memory = SecretMemory()  # the executor remembers the keys it sends; the log file masks them
    log_file = _setup_logging(paths, secret_memory)

    from explorer.ui.main_window import MainWindow
    from explorer.ui.services import Services

    services = Services.create(paths, secret_memory=secret_memory)
    window = MainWindow(services, deferred=True)
    reporter = ErrorReporter(window, log_file)
    reporter.install()
    on_painted = getattr(options, "on_painted", None)  # the start-up benchmark's probes
    if on_painted is not None:
        FirstPaint(window, on_painted)
    window.show()
    # Paint the frame now; the content and everything after (asyncio, qasync, the builder, the sandbox)
    # load behind a visible window.
    app.processEvents()
    from explorer.core.catalog import CatalogError
    from explorer.ui import tooltips

    tooltips.install(app)  # long tooltips wrap; after the first paint, which its event filter would slow
    try:
        window.build()
    except CatalogError as exc:
        reporter.uninstall()
        QMessageBox.critical(window, theme.APP_NAME, f"A bundled catalog cannot be read:\n\n{exc}")
        return 1
    method = getattr(options, "method", None)
    if not window.open_first_method(method) and method:
        reporter.uninstall()
        print(f"explorer: unknown method {method!r} (use API:ID, e.g. {FIRST})", file=sys.stderr)
        return 2
    on_ready = getattr(options, "on_ready", None)
    if on_ready is not None:
        FirstPaint(window.browser.tree.viewport(), on_ready)
    window.theme_follower = theme.ThemeFollower(app, lambda: services.settings.theme)
    # Paint the content now: the icon (QtSvg), asyncio and qasync (~50 ms together) are not needed for it.
    app.processEvents()
    window.setWindowIcon(theme.app_icon())
    app.setWindowIcon(window.windowIcon())

    import asyncio

    import qasync  # type: ignore[import-untyped]  # ships no type information

    from explorer.core.jsontree import filter as jq_filter
    from explorer.ui.signals import SignalQuitter

    quitter = SignalQuitter(app)  # SIGTERM, SIGINT, SIGHUP: the same clean way out as closing the window
    try:
        with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
            return runner.run(_main(app, window, services, options, reporter, quitter))
    finally:
        quitter.restore()
        # Every way out, an exception too: a jq worker holds a copy of the body (hundreds of MB).
        jq_filter.shutdown_all()
        reporter.uninstall()


FIRST = "discourse:listLatestTopics"


async def _main(
    app: QApplication,
    window: Any,
    services: Any,
    options: argparse.Namespace,
    reporter: ErrorReporter,
    quitter: SignalQuitter | None = None,
) -> int:
    import asyncio

    asyncio.get_running_loop().set_exception_handler(reporter.loop_handler)
    closing = asyncio.Event()
    # Closing the window ends this coroutine while the loop still runs, so the sandbox and connections
    # are shut down on it; Qt quitting on its own (aboutToQuit) is the fallback.
    app.setQuitOnLastWindowClosed(False)
    app.lastWindowClosed.connect(closing.set)
    app.aboutToQuit.connect(closing.set)
    if quitter is not None:
        quitter.received.connect(lambda _signum: closing.set())
        if quitter.signum is not None:  # it came while the window was starting
            closing.set()
    try:
        await asyncio.sleep(0)  # let the first paint happen before the sandbox thread competes for the CPU
        services.sweep_leftovers()
        await services.start_sandbox()
        window.load_profiles()
        if getattr(options, "open_file", None):
            try:
                window.response.show_file(Path(options.open_file))
            except OSError as exc:  # changed since option_problem() looked at it
                print(f"explorer: cannot open {options.open_file}: {exc.strerror or exc}", file=sys.stderr)
                return 2
            on_opened = getattr(options, "on_opened", None)  # automation: the file is in the viewer
            if on_opened is not None:
                on_opened(window)
        if getattr(options, "collection", None) and not _open_collection(window, options):
            return 2
        if getattr(options, "request_file", None):
            window.open_request_file(Path(options.request_file))
            _select_in_collection(window, options.request_file)
        if getattr(options, "screenshot", None):
            return await _screenshot(window, options)
        await closing.wait()
        return 0
    finally:
        window.save_state()
        # The body file of the response on show is this run's to delete; a crash leaves it to the sweep.
        window.response.discard_body_file()
        if window._controller is not None:
            await window._controller.aclose()
        await services.aclose()


def _open_collection(window: Any, options: argparse.Namespace) -> bool:
    """--collection DIR: open DIR in the Collections tab (before --request, so a request file inside it
    takes its variables); False after saying why it cannot."""
    if window.collections.open_folder(Path(options.collection)) is None:
        # Changed since option_problem() looked at it; the status bar has the reason, stderr gets it too.
        reason = window.statusBar().currentMessage() or "not a readable folder"
        print(f"explorer: cannot open the collection {options.collection}: {reason}", file=sys.stderr)
        return False
    return True


def _select_in_collection(window: Any, file: str) -> None:
    """A --request file inside an open collection is the row selected in the Collections tab."""
    found = window.collections.collection_of(file, opened_only=True)
    if found is not None:
        window.collections.panel.select(*found)


async def _send_and_wait(window: Any) -> None:
    """Send once the profiles are in place (the real readiness signal, not a delay); wait for the answer."""
    import asyncio

    if not window.profiles_loaded:
        ready: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        window.profiles_ready.connect(lambda: None if ready.done() else ready.set_result(None))
        await asyncio.wait_for(ready, SEND_TIMEOUT_S)
    done: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
    window.response_shown.connect(lambda result: None if done.done() else done.set_result(result))
    if not window.send():
        preparation = window.editor.preparation
        problems = {**window.editor.form.visible_errors(), **(preparation.errors if preparation else {})}
        if window.services.sandbox_error:
            problems["sandbox"] = window.services.sandbox_error
        detail = "; ".join(f"{k}: {v}" for k, v in problems.items()) or "see the window"
        # Still exit 0 with a picture: it shows why (inline errors), which the documentation uses.
        print(f"explorer: the request was not sent ({detail})", file=sys.stderr)
        return
    result = await asyncio.wait_for(done, SEND_TIMEOUT_S)
    print(f"explorer: {result.status or result.error}", file=sys.stderr)


def show_screenshot_tab(window: Any, tab: str) -> str | None:
    """--tab: a response tab (body, raw, headers, request, explain), the Body's Table tab ("table"), or the
    sidebar's Collections tab ("collections"); why it cannot be shown, or None."""
    if tab == "collections":
        window.collections.show_tab()
        return None
    if tab == "table":
        window.response.show_tab("body")
        body = window.response.body_view
        if body.tabs.indexOf(body.table_view) < 0:
            return "--tab table: the response shown has no array of objects for the Table tab"
        body.tabs.setCurrentWidget(body.table_view)
        return None
    window.response.show_tab(tab)
    return None


async def _screenshot(window: Any, options: argparse.Namespace) -> int:
    """--screenshot PATH [--arg NAME=VALUE]… [--send] [--tab TAB]: fill, send and wait for the real
    answer, show a response tab, then save the window."""
    import asyncio

    window.resize(1440, 860)  # a stable, readable size for documentation pictures
    for item in getattr(options, "args", None) or ():
        name, _, value = item.partition("=")
        field = window.editor.form.fields.get(name)
        if field is None:
            print(f"explorer: {window.editor.method.key} has no argument {name!r}", file=sys.stderr)
            return 2
        field.set_value(value)
    if getattr(options, "send", False):
        await _send_and_wait(window)
    for _ in range(3):  # let pending layout and paint events run so the picture is current
        await asyncio.sleep(0)
    tab = getattr(options, "tab", None)
    if tab:
        problem = show_screenshot_tab(window, tab)
        if problem:
            print(f"explorer: {problem}", file=sys.stderr)
            return 2
        for _ in range(3):
            await asyncio.sleep(0)
    target = Path(options.screenshot)
    if not window.grab().save(str(target), "PNG"):
        print(f"explorer: cannot write {target}", file=sys.stderr)
        return 1
    return 0
