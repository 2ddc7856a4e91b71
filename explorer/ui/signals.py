"""SIGTERM, SIGINT and SIGHUP end the window like closing it does: cleanly, workers and sandbox stopped."""

from __future__ import annotations

import contextlib
import signal
import socket
from types import FrameType
from typing import Any

from PySide6.QtCore import QObject, QSocketNotifier, Signal

# SIGHUP: the terminal the window was started from went away (there is no SIGHUP on Windows).
QUIT_SIGNALS = tuple(getattr(signal, n) for n in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, n))


class SignalQuitter(QObject):
    """Turns a termination signal into `received(signum)`, emitted from the Qt event loop.

    Python runs a signal handler only when the interpreter next gets control, which inside Qt's event
    loop may be never (an idle window runs no Python). signal.set_wakeup_fd makes the C-level handler
    also write to a socket that a QSocketNotifier watches: the loop wakes, Python runs the handler,
    then the notifier's slot emits. `signum` keeps the first signal, also one that came before the
    event loop started.
    """

    received = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.signum: int | None = None
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._woken)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)
        self._previous: dict[int, Any] = {n: signal.signal(n, self._handle) for n in QUIT_SIGNALS}

    def _handle(self, signum: int, _frame: FrameType | None) -> None:
        # Runs between two Python bytecodes of whatever was running: only note it; _woken acts.
        if self.signum is None:
            self.signum = signum

    def _woken(self) -> None:
        with contextlib.suppress(BlockingIOError, InterruptedError):
            while self._reader.recv(512):
                pass
        if self.signum is not None:
            self.received.emit(self.signum)

    def restore(self) -> None:
        """Put the previous handlers back (a second signal during shutdown then acts as it used to)."""
        for number, handler in self._previous.items():
            signal.signal(number, handler)
        self._previous = {}
        signal.set_wakeup_fd(self._previous_fd)
        self._notifier.setEnabled(False)
        self._reader.close()
        self._writer.close()
