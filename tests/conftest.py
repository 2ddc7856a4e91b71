"""Shared test configuration: offscreen Qt, the ../shared reference folder, temporary app paths."""

from __future__ import annotations

import faulthandler
import os
import re
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # imported inside the fixtures, so collecting tests that need no sandbox stays quick
    from explorer.sandbox.demo import DemoCredentials

# Set before any QApplication exists, so GUI tests never need a display. No QT_LOGGING_RULES: a qt.qpa
# warning (a missing font family, say) is the code's to fix, and pyproject.toml's qt_log_ignore lists the
# offscreen plugin's own noise.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = REPO_ROOT.parent / "shared"


# A GUI test takes seconds; one still running after this is stuck. The thread method, because a stuck qasync
# loop sits in Qt's C++ event loop where a SIGALRM handler never runs: it dumps every stack and ends the
# worker, which ends the run (--max-worker-restart=0 in pyproject.toml).
GUI_TEST_TIMEOUT_S = 120


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/ui" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.gui)
            if item.get_closest_marker("timeout") is None:
                item.add_marker(pytest.mark.timeout(GUI_TEST_TIMEOUT_S, method="thread"))


# ---------------------------------------------------------------------------------------------------------
# Guards against a run that never ends and against Qt warnings slipping through.
# ---------------------------------------------------------------------------------------------------------


def pytest_configure(config: pytest.Config) -> None:
    _arm_controller_watchdog(config)


def pytest_unconfigure(config: pytest.Config) -> None:
    if config.stash.get(_WATCHDOG_ARMED, False):
        faulthandler.cancel_dump_traceback_later()


_WATCHDOG_ARMED = pytest.StashKey[bool]()


def _arm_controller_watchdog(config: pytest.Config) -> None:
    """End an xdist run that outlives pytest-timeout's session_timeout: dump every stack, exit 1.

    pytest-timeout checks the session timeout between tests, in the process that runs them. An xdist
    controller runs none, so a controller waiting for workers that will never report (a crashed one, a
    scheduling bug) would wait forever. faulthandler's watchdog is a C thread: it fires even if the
    controller is stuck holding the GIL. The grace lets the workers' own session-timeout report arrive first.
    """
    if hasattr(config, "workerinput") or not getattr(config.option, "numprocesses", None):
        return  # a worker or a run without xdist: pytest-timeout covers it
    limit = config.getoption("session_timeout", None)  # --session-timeout wins, even when it is 0 (off)
    if limit is None:
        limit = config.getini("session_timeout") or 0
    if float(limit) <= 0:
        return
    seconds = float(limit) + min(60.0, float(limit) / 10)
    # A duplicate of the terminal's stderr: fd 2 may be redirected by output capture when the watchdog fires.
    faulthandler.dump_traceback_later(seconds, exit=True, file=os.dup(2))
    config.stash[_WATCHDOG_ARMED] = True


_FAILING_QT_TYPES = {  # the message types each qt_log_level_fail value fails on, as pytest-qt reads them
    "NO": (),
    "CRITICAL": ("QtCriticalMsg", "QtFatalMsg"),
    "WARNING": ("QtWarningMsg", "QtCriticalMsg", "QtFatalMsg"),
    "INFO": ("QtInfoMsg", "QtDebugMsg", "QtWarningMsg", "QtCriticalMsg", "QtFatalMsg"),
    "DEBUG": ("QtDebugMsg", "QtWarningMsg", "QtCriticalMsg", "QtFatalMsg"),
}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, None, None]:
    """Fail a teardown during which Qt warned, with the same level and allow-list as pytest-qt.

    pytest-qt captures Qt's messages from setup to the end of the call only, yet teardown is where qtbot
    closes and deletes the widgets, and where warnings about timers, deleted objects or open painters
    arrive. Skipped where pytest-qt's capture is off (--no-qt-log, -s, the no_qt_log mark).
    """
    capture = _TeardownQtMessages.start(item)
    try:
        result = yield
    finally:
        if capture is not None:
            capture.stop()
    if capture is not None:  # only when the teardown itself passed: its own error says more
        capture.fail_on_unexpected()
    return result


class _TeardownQtMessages:
    def __init__(self, level: str, ignore: list[str]) -> None:
        self.level = level
        self.ignore = [re.compile(pattern) for pattern in ignore]
        self.messages: list[tuple[str, str]] = []
        self.previous: Any = None

    @classmethod
    def start(cls, item: pytest.Item) -> _TeardownQtMessages | None:
        config = item.config
        if not config.pluginmanager.has_plugin("_qt_logging") or item.get_closest_marker("no_qt_log"):
            return None  # pytest-qt's logging capture is off, or off for this test
        level_mark = item.get_closest_marker("qt_log_level_fail")
        level = level_mark.args[0] if level_mark else config.getini("qt_log_level_fail")
        ignore = list(config.getini("qt_log_ignore"))
        ignore_mark = item.get_closest_marker("qt_log_ignore")
        if ignore_mark:
            marked = list(ignore_mark.args)
            ignore = ignore + marked if ignore_mark.kwargs.get("extend", True) else marked
        capture = cls(level or "NO", ignore)
        from PySide6.QtCore import qInstallMessageHandler  # loaded already: pytest-qt is active

        capture.previous = qInstallMessageHandler(capture._handle)
        return capture

    def stop(self) -> None:
        from PySide6.QtCore import qInstallMessageHandler

        qInstallMessageHandler(self.previous)

    def _handle(self, msg_type: Any, _context: Any, message: str) -> None:
        self.messages.append((msg_type.name, message))

    def fail_on_unexpected(self) -> None:
        failing = _FAILING_QT_TYPES[self.level]
        unexpected = [
            f"{kind}: {message}"
            for kind, message in self.messages
            if kind in failing and not any(pattern.search(message) for pattern in self.ignore)
        ]
        if unexpected:
            pytest.fail(
                f"Qt messages with level {self.level} or above emitted during teardown:\n"
                + "\n".join(unexpected),
                pytrace=False,
            )


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The ../shared reference folder; tests using it skip when it is not beside the checkout."""
    if not (SHARED_DIR / "reference").is_dir():
        pytest.skip(f"reference material not found at {SHARED_DIR} (../shared is absent)")
    return SHARED_DIR


@pytest.fixture
def app_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary EXPLORER_HOME so no test touches the user's real config."""
    home = tmp_path / "home"
    monkeypatch.setenv("EXPLORER_HOME", str(home))
    return home


# ---------------------------------------------------------------------------------------------------------
# Sandbox fixtures: a real uvicorn server on an ephemeral loopback port.
# `sandbox_server` is shared by the whole session (read-only use); `fresh_sandbox` is private to one test
# (use it when the test changes state).
# ---------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[DemoCredentials]:
    from explorer.sandbox.server import SandboxServer

    server = SandboxServer(host="127.0.0.1", port=0)
    credentials = server.start()
    try:
        yield credentials
    finally:
        server.stop()


@pytest.fixture
def fresh_sandbox() -> Iterator[DemoCredentials]:
    from explorer.sandbox.server import SandboxServer

    with SandboxServer(host="127.0.0.1", port=0) as server:
        yield server.credentials
