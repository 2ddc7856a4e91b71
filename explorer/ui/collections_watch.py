"""When the Collections tab reads its folders again: a file watcher, a poll while in front, the tab shown."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtCore import QEvent, QFileSystemWatcher, QObject, QTimer

POLL_MS = 2000  # how often a Collections tab in front looks for changes made outside the app (a git pull)
# A git pull or a checkout changes many files in a row: one read of the tab after the burst settles.
SETTLE_MS = 200


class CollectionsWatch(QObject):
    """Tells the tab to look again (`poll`) whenever a change made outside the app may show.

    Three ways, because none is enough alone: the file system watcher sees files added, removed or renamed
    in the watched folders at once, but not a file rewritten in place and not on every file system; the
    poll catches the rest while the tab is in front; and the tab looks again each time it comes to the
    front (shown, or the window activated after a `git pull` in a terminal). Nothing is read while the
    tab is hidden.
    """

    def __init__(self, parent: QObject, in_front: Callable[[], bool], poll: Callable[[], object]) -> None:
        super().__init__(parent)
        self._in_front = in_front
        self._poll = poll
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._look)
        self.settle = QTimer(self)
        self.settle.setSingleShot(True)
        self.settle.setInterval(SETTLE_MS)
        self.settle.timeout.connect(self._look)
        self.watcher = QFileSystemWatcher(self)
        self.watcher.directoryChanged.connect(self._changed)
        self.watcher.fileChanged.connect(self._changed)

    def watch(self, directories: Iterable[Path], files: Iterable[Path] = ()) -> None:
        """Watch exactly these folders and files (those that exist): the open collections as listed now."""
        wanted_dirs = {str(d) for d in directories if d.is_dir()}
        wanted_files = {str(f) for f in files if f.is_file()}
        watcher = self.watcher
        stale = [p for p in watcher.directories() if p not in wanted_dirs]
        stale += [p for p in watcher.files() if p not in wanted_files]
        if stale:  # Qt warns about an empty list, and warnings fail the tests
            watcher.removePaths(stale)
        new = sorted((wanted_dirs - set(watcher.directories())) | (wanted_files - set(watcher.files())))
        if new:
            watcher.addPaths(new)  # a path the system refuses (no more watches) is left to the poll

    def shown(self, in_front: bool) -> None:
        """The sidebar changed tab: look now and keep polling while the tab is in front, else stop."""
        if in_front:
            self._poll()
            self.timer.start()
        else:
            self.timer.stop()
            self.settle.stop()

    def _changed(self, _path: str) -> None:
        # Hidden: the tab looks when it is shown again; in front: once the burst of changes settles.
        if self._in_front():
            self.settle.start()

    def _look(self) -> None:
        if self._in_front():
            self._poll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """The window activated (back from a terminal or an editor): look at once if the tab is in front."""
        if event.type() == QEvent.Type.WindowActivate:
            self._look()
        return False
