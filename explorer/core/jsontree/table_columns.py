"""Which array and which columns the table showed for each method, kept in a small JSON file."""

from __future__ import annotations

import contextlib
import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from explorer.core.jsonfile import loads
from explorer.core.paths import atomic_write_bytes, set_aside_file

if TYPE_CHECKING:  # the table (and the JSON parser behind it) loads with the first response, not at start-up
    from explorer.core.jsontree.table import ColumnPath

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
MAX_METHODS = 300  # the least recently changed methods are forgotten past this many


class ColumnMemory:
    """`{method: {"array": "$.topic_list.topics", "columns": {"$.topic_list.topics": [["id"], …]}}}`.

    `path` None keeps everything in memory (a viewer with no home). The file holds JSON keys of
    responses and method names only, never values. A damaged file is set aside and started afresh.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._methods: dict[str, dict[str, Any]] | None = None

    def _data(self) -> dict[str, dict[str, Any]]:
        if self._methods is None:
            self._methods = self._load()
        return self._methods

    def _load(self) -> dict[str, dict[str, Any]]:
        if self.path is None or not self.path.is_file():
            return {}
        try:
            data = loads(self.path.read_text(encoding="utf-8"))
            methods = data["methods"]
            if not isinstance(methods, dict):
                raise TypeError("methods is not an object")
            return {name: entry for name, entry in methods.items() if isinstance(entry, dict)}
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
            log.warning("table columns file %s is damaged (%s); starting afresh", self.path, exc)
            with contextlib.suppress(OSError):
                set_aside_file(self.path)
            return {}

    def array(self, method: str) -> str | None:
        """The JSONPath of the array last shown for `method`."""
        value = self._data().get(method, {}).get("array")
        return value if isinstance(value, str) else None

    def columns(self, method: str, array: str) -> list[ColumnPath] | None:
        """The columns chosen for that array of that method, in their order; None if never chosen."""
        stored = self._data().get(method, {}).get("columns", {})
        value = stored.get(array) if isinstance(stored, dict) else None
        if not isinstance(value, list):
            return None
        columns = [tuple(c) for c in value if isinstance(c, list) and all(isinstance(k, str) for k in c)]
        return columns or None

    def remember_array(self, method: str, array: str) -> None:
        entry = self._entry(method)
        if entry.get("array") != array:
            entry["array"] = array
            self._save()

    def remember_columns(self, method: str, array: str, columns: list[ColumnPath]) -> None:
        entry = self._entry(method)
        stored = entry.setdefault("columns", {})
        value = [list(column) for column in columns]
        if stored.get(array) != value:
            stored[array] = value
            self._save()

    def forget_columns(self, method: str, array: str) -> None:
        """Back to the columns found in the rows ("Reset columns")."""
        stored = self._data().get(method, {}).get("columns", {})
        if isinstance(stored, dict) and stored.pop(array, None) is not None:
            self._save()

    def _entry(self, method: str) -> dict[str, Any]:
        data = self._data()
        entry = data.pop(method, {})
        data[method] = entry  # most recently changed last: the oldest are dropped first
        while len(data) > MAX_METHODS:
            data.pop(next(iter(data)))
        return entry

    def _save(self) -> None:
        if self.path is None:
            return
        text = json.dumps({"schema_version": SCHEMA_VERSION, "methods": self._data()}, ensure_ascii=False,
                          indent=1)
        try:
            atomic_write_bytes(self.path, text.encode("utf-8"))
        except OSError as exc:  # a read-only or full disk: the choice still holds for this session
            log.warning("could not save table columns to %s: %s", self.path, exc)
