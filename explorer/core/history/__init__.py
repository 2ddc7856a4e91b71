"""Request history: every exchange recorded (redacted) in a searchable SQLite store, off the UI thread."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from explorer.core.history.entry import STATUS_CLASSES, HistoryEntry, HistoryFilter
    from explorer.core.history.opening import open_history
    from explorer.core.history.recorder import HistoryRecorder
    from explorer.core.history.schema import SCHEMA_VERSION, HistoryError
    from explorer.core.history.store import HistoryStore

# Name -> submodule, loaded on first use: importing the package (the window does at start-up) loads
# neither sqlite3 nor the lifecycle.
_EXPORTS = {
    "HistoryEntry": "entry",
    "HistoryFilter": "entry",
    "STATUS_CLASSES": "entry",
    "HistoryRecorder": "recorder",
    "HistoryError": "schema",
    "SCHEMA_VERSION": "schema",
    "HistoryStore": "store",
    "open_history": "opening",
}

__all__ = [
    "SCHEMA_VERSION",
    "STATUS_CLASSES",
    "HistoryEntry",
    "HistoryError",
    "HistoryFilter",
    "HistoryRecorder",
    "HistoryStore",
    "open_history",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
