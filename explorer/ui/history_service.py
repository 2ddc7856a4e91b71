"""The window's request history: the store the History tab reads (opened on first use) and the recorder."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal

if TYPE_CHECKING:  # the store (sqlite3) is loaded when the History tab or the first send needs it
    from explorer.core.history import HistoryRecorder, HistoryStore
    from explorer.core.lifecycle.send import SendObserver
    from explorer.core.paths import AppPaths
    from explorer.core.settings import Settings

log = logging.getLogger(__name__)

# How long closing the window waits for the recorder to write what it still holds.
FLUSH_TIMEOUT_S = 5.0


class HistoryService(QObject):
    """Opens the history lazily and records every request the window sends.

    Two stores on one file: the one read here, in the GUI thread, for the History tab and the response
    pane; the recorder's own, opened by its writer thread on the first send, so that closing the recorder
    never closes what the window reads. `recorded` and `notice` start in the writer thread: Qt queues
    them to this object's (the GUI) thread, so their slots may touch widgets.
    """

    recorded = Signal(int)  # the id of an entry just written
    notice = Signal(str)  # the history file was damaged and set aside (said once)
    # Emitted in the writer thread; queued to this object's thread, where they emit the two above. Every
    # slot of `recorded` and `notice` then runs in the GUI thread, plain functions and lambdas included.
    _recorded_elsewhere = Signal(int)
    _notice_elsewhere = Signal(str)

    def __init__(
        self, paths: AppPaths, settings: Callable[[], Settings], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.paths = paths
        self._settings = settings
        self._store: HistoryStore | None = None
        self._recorder: HistoryRecorder | None = None
        self._open_lock = threading.Lock()  # the first opener sets a damaged file aside, not both
        self._noticed = False
        self.profile: Callable[[], str | None] = lambda: None  # the window names the profile in use
        self.closed = False
        queued = Qt.ConnectionType.QueuedConnection
        self._recorded_elsewhere.connect(self.recorded, queued)
        self._notice_elsewhere.connect(self.notice, queued)

    @property
    def enabled(self) -> bool:
        return self._settings().history_enabled

    @property
    def opened(self) -> bool:
        """True once the GUI thread's store was opened (the History tab shown, or a response looked up)."""
        return self._store is not None

    def _open(self) -> HistoryStore:
        """Open the history file with the settings' caps; a damaged file is set aside with a notice."""
        from explorer.core.history import open_history

        with self._open_lock:
            store, notice = open_history(self.paths.history_file, **self._settings().history_options())
            if notice and not self._noticed:
                self._noticed = True
                log.warning("history: %s", notice)
                self._notice_elsewhere.emit(notice)
        return store

    @property
    def store(self) -> HistoryStore:
        """The store for reading (and pinning, deleting) in the GUI thread, opened on first use."""
        if self._store is None:
            self._store = self._open()
        return self._store

    def observers(self) -> tuple[SendObserver, ...]:
        """What the request controller tells about every send: the recorder, unless history is off."""
        recorder = self.recorder()
        return (recorder,) if recorder is not None else ()

    def recorder(self) -> HistoryRecorder | None:
        """The recorder (made once; it opens its own store in its writer thread), None when history is off."""
        if self._recorder is None and self.enabled and not self.closed:
            from explorer.core.history import HistoryRecorder

            # The profile is asked at each send, in the GUI thread (after_send runs in the sender's).
            self._recorder = HistoryRecorder(
                self._open, profile=lambda: self.profile(), on_recorded=self._recorded_elsewhere.emit
            )
        return self._recorder

    def flush(self, timeout: float | None = FLUSH_TIMEOUT_S) -> bool:
        """Wait until the recorder has written every request it was told about (True when it has)."""
        return self._recorder.flush(timeout) if self._recorder is not None else True

    def close(self) -> None:
        """Write what the recorder holds, stop it and close the store (idempotent)."""
        self.closed = True
        recorder, self._recorder = self._recorder, None
        if recorder is not None:
            if not recorder.flush(FLUSH_TIMEOUT_S):
                log.warning("history: some requests were not written before closing")
            recorder.close(FLUSH_TIMEOUT_S)
        store, self._store = self._store, None
        if store is not None:
            store.close()
