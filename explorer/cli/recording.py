"""Record what `explorer request` and `explorer run` send in the request history, as the window does."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

from explorer.cli.common import write
from explorer.core.lifecycle import SendObserver
from explorer.core.paths import AppPaths
from explorer.core.settings import Settings

# How long the command waits, before it exits, for the history to be written (a window writing to the same
# file at the same moment can hold it for a little while).
FLUSH_TIMEOUT_S = 30.0


@contextlib.contextmanager
def history_observers(paths: AppPaths | None, settings: Settings) -> Iterator[list[SendObserver]]:
    """The observers that record a send in the history under `paths` (none when `paths` is None or
    history is switched off in the settings); on leaving, waits until it is written and prints a note
    if it could not be."""
    if paths is None or not settings.history_enabled:
        yield []
        return
    from explorer.core.history import HistoryRecorder, HistoryStore, open_history

    notices: list[str] = []

    def open_store() -> HistoryStore:
        store, notice = open_history(paths.history_file, **settings.history_options())
        if notice is not None:
            notices.append(notice)
        return store

    recorder = HistoryRecorder(open_store)
    try:
        yield [recorder]
    finally:
        written = recorder.flush(FLUSH_TIMEOUT_S)
        recorder.close(timeout=0 if not written else None)
        for notice in notices:
            write(f"note: {notice}", stream=sys.stderr)
        if not written:
            write("note: the request could not be written to the history in time", stream=sys.stderr)
        elif recorder.last_error is not None:
            write(
                f"note: the request was not recorded in the history: {recorder.last_error}", stream=sys.stderr
            )
