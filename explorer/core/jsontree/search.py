"""Incremental, cancellable search over keys and values: a step function that does a bounded slice of work."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from explorer.core.jsontree.nodes import ARRAY, OBJECT, STRING, Key, iter_children, kind_of, scalar_text

SLICE = 5_000  # values examined per step: a few milliseconds, so a UI timer can keep painting between


@dataclass(frozen=True)
class SearchHit:
    path: tuple[Key, ...]
    in_key: bool  # the match is in the key (else in the value)


class Search:
    """Depth-first walk of a document, `step()` at a time; hits accumulate in document order.

    The walk keeps its own stack of iterators and one shared key list, so it never recurses and costs
    O(1) per value whatever the depth. `cancel()` stops it; a finished or cancelled search does nothing.
    """

    def __init__(self, root: Any, query: str, *, keys: bool = True, values: bool = True,
                 case_sensitive: bool = False, max_hits: int = 100_000) -> None:
        self.query = query if case_sensitive else query.casefold()
        self._fold = not case_sensitive
        self._keys = keys
        self._values = values
        self.max_hits = max_hits
        self.hits: list[SearchHit] = []
        self.visited = 0
        self.cancelled = False
        self._path: list[Key] = []
        self._stack: list[Iterator[tuple[Key, Any]]] = []
        self.done = not query
        if not self.done:
            self._visit_value(root)
            if kind_of(root) in (OBJECT, ARRAY):
                self._stack.append(iter_children(root))
                self._path.append(0)  # placeholder, replaced by each child's key

    @property
    def finished(self) -> bool:
        return self.done or self.cancelled

    def cancel(self) -> None:
        self.cancelled = True
        self._stack.clear()

    def step(self, budget: int = SLICE) -> list[SearchHit]:
        """Examine up to `budget` values; returns the hits found in this slice."""
        found_before = len(self.hits)
        stack, path = self._stack, self._path
        while budget > 0 and stack and not self.cancelled:
            try:
                key, value = next(stack[-1])
            except StopIteration:
                stack.pop()
                path.pop()
                continue
            budget -= 1
            self.visited += 1
            path[-1] = key
            if self._keys and isinstance(key, str) and self._matches(key):
                self._add(True)
            kind = kind_of(value)
            if kind in (OBJECT, ARRAY):
                if len(value):
                    stack.append(iter_children(value))
                    path.append(0)
            elif self._values:
                self._visit_value(value, kind)
            if len(self.hits) >= self.max_hits:
                stack.clear()
        if not stack:
            self.done = True
        return self.hits[found_before:]

    def run(self) -> list[SearchHit]:
        """Run to the end (for small documents and tests)."""
        while not self.finished:
            self.step()
        return self.hits

    def _visit_value(self, value: Any, kind: str | None = None) -> None:
        kind = kind or kind_of(value)
        if kind in (OBJECT, ARRAY) or not self._values:
            return
        text = value if kind == STRING else scalar_text(value)
        if self._matches(text):
            self._add(False)

    def _matches(self, text: str) -> bool:
        return self.query in (text.casefold() if self._fold else text)

    def _add(self, in_key: bool) -> None:
        # _path holds a placeholder for the container being iterated; only real levels belong to the hit.
        depth = len(self._stack)
        self.hits.append(SearchHit(tuple(self._path[:depth]), in_key))
