"""Keeps the request tabs in the drafts file: restored at start-up, written soon after edits and on close."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer

from explorer.core.drafts import DraftsError, load_drafts, save_drafts, set_aside_drafts
from explorer.ui.widgets.request_tabs import RequestTabs

log = logging.getLogger(__name__)
# Long enough to coalesce a burst of typing into one write, short enough that a crash loses little.
SAVE_DELAY_MS = 1000


class TabDrafts(QObject):
    """Restores the tabs from `path` and writes them back, atomically, never with a secret in them.

    An unreadable or damaged file is renamed with a timestamp (never deleted), `notice` says so through
    `notify`, and the window carries on with one empty tab.
    """

    def __init__(self, tabs: RequestTabs, path: Path, notify: Callable[[str], None]) -> None:
        super().__init__(tabs)
        self.tabs = tabs
        self.path = path
        self._notify = notify
        self.notice = ""
        self._write_failed = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.save)
        tabs.changed.connect(self._timer.start)

    @property
    def pending(self) -> bool:
        """True while an edit waits to be written."""
        return self._timer.isActive()

    def restore(self) -> bool:
        """Show the last session's tabs; False (the caller opens its own first tab) when there are none."""
        try:
            drafts = load_drafts(self.path)
        except DraftsError as exc:
            self._set_aside(exc)
            return False
        if drafts is None or not drafts.tabs:
            return False
        self.tabs.set_tabs(drafts)
        self._timer.stop()  # restoring is not an edit
        return True

    def _set_aside(self, error: DraftsError) -> None:
        log.warning("drafts file unreadable: %s", error)
        try:
            kept = set_aside_drafts(self.path)
        except OSError as exc:
            where = f"It could not be moved aside ({exc.strerror or exc}); it will be replaced."
        else:
            where = f"It was kept as {kept.name}, next to it."
        self.notice = f"Your open requests could not be restored: {error} {where}"
        self._notify(self.notice)

    def save(self) -> None:
        """Write every tab now (the debounced write, and the last one when the window closes)."""
        self._timer.stop()
        if not self.tabs.tabs:
            return
        try:
            save_drafts(self.path, self.tabs.drafts())
        except OSError as exc:
            log.warning("drafts not written: %s", exc)
            if not self._write_failed:  # said once: a full disk would otherwise repeat it every second
                self._notify(f"Your open requests could not be saved to {self.path}: {exc.strerror or exc}")
            self._write_failed = True
            return
        self._write_failed = False

    def watch_close(self, window: QObject) -> None:
        """Write the drafts when `window` closes, whatever the debounce timer was waiting for."""
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Close:
            self.save()
        return False
