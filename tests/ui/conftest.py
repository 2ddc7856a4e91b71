"""Window test fixtures: a qasync loop, `signal_future`, a temporary home, and ready-made windows."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings

from explorer.core.paths import AppPaths


@pytest.fixture(autouse=True)
def _private_qsettings(tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test may write the user's real QSettings (the window keeps its own file under the temp home)."""
    folder = tmp_path_factory.getbasetemp() / "qsettings"
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(folder))
        QSettings.setPath(QSettings.Format.NativeFormat, scope, str(folder))


@pytest.fixture
def qloop(qapp: Any) -> Iterator[asyncio.AbstractEventLoop]:
    """A qasync loop; drive coroutines with `qloop.run_until_complete(...)` (never qtbot.waitSignal)."""
    import qasync

    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    yield loop
    loop.close()
    asyncio.set_event_loop(None)
    _delete_loop_qobjects(loop)


def _delete_loop_qobjects(loop: asyncio.AbstractEventLoop) -> None:
    """Delete a closed qasync loop's own QObjects now, in the GUI thread.

    WORKAROUND(qasync 0.28): close() only flags its timer object as stopped; the Qt timers of callbacks
    still pending (an HTTP timeout, a call_later) stay registered with the GUI thread's event dispatcher.
    The object is deleted whenever the garbage collector reaches the loop, which may be in another thread
    (the sandbox's, an executor's). Qt then warns "QObject::~QObject: Timers cannot be stopped from another
    thread", and the GUI thread's next timer event goes to freed memory: a segmentation fault in whichever
    later test processes events.
    """
    import shiboken6
    from PySide6.QtCore import QObject

    for value in vars(loop).values():  # the timer object and the call_soon_threadsafe signaller
        if isinstance(value, QObject) and shiboken6.isValid(value):
            shiboken6.delete(value)


def signal_future(signal: Any) -> asyncio.Future[tuple[Any, ...]]:
    """A future resolved with the arguments of the next emission; connect before triggering."""
    future: asyncio.Future[tuple[Any, ...]] = asyncio.get_event_loop().create_future()

    def slot(*args: Any) -> None:
        signal.disconnect(slot)
        if not future.done():
            future.set_result(args)

    signal.connect(slot)
    return future


@pytest.fixture
def home(tmp_path: Path) -> AppPaths:
    return AppPaths.under(tmp_path / "home")


@pytest.fixture
def make_window(qtbot: Any, qloop: asyncio.AbstractEventLoop, home: AppPaths) -> Iterator[Callable[..., Any]]:
    """make_window(demo=None, transport=None) -> a shown MainWindow on a temporary home, profiles loaded."""
    from explorer.core.profiles import MemorySecretStore
    from explorer.ui.main_window import MainWindow
    from explorer.ui.services import Services

    made: list[Any] = []

    def make(demo: Any = None, **kw: Any) -> Any:
        services = Services.create(home, secrets=MemorySecretStore(), start_sandbox=False, **kw)
        if demo is not None:
            services.attach_sandbox(demo)
        window = MainWindow(services)
        qtbot.addWidget(window)
        window.open_first_method()
        window.show()
        window.activateWindow()  # window shortcuts (Ctrl+Enter, Ctrl+K...) need the active window
        qtbot.waitUntil(window.isActiveWindow)
        # The editor builds its preview from its first paint on (start-up defers the builder until then).
        qtbot.waitUntil(lambda: window.editor.painted)
        window.load_profiles()
        made.append(services)
        return window

    yield make
    for services in made:
        qloop.run_until_complete(services.aclose())
