"""The index words a word being typed begins, read from the index's vocabulary and kept while it holds."""

from __future__ import annotations

import sqlite3

from explorer.core.history.search_index import EXPANSION_LIMIT, prefix_range

# Prefixes remembered per connection: a few searches' worth of typing.
_REMEMBERED = 32
# A prefix shorter than this is never expanded (search_index._PREFIX_MIN), so never a base to narrow.
_SHORTEST = 3


class TermExpander:
    """Lists the index words that begin with a prefix, for one connection (search_index.Expander).

    Reading the vocabulary costs about as much as the doc lists of the words it returns (fts5vocab
    counts each word's rows), so lists are remembered: typing `ali`, `alic`, `alice` reads it once and
    narrows the list in memory. What is remembered is dropped when the index may have changed: another
    connection committed (PRAGMA data_version) or this one wrote (total_changes).
    """

    def __init__(self, db: sqlite3.Connection, limit: int = EXPANSION_LIMIT) -> None:
        self._db = db
        self.limit = limit
        self._lists: dict[str, list[str] | None] = {}
        self._state: tuple[int, int] | None = None
        self.reads = 0  # vocabulary reads, for tests

    def __call__(self, prefix: str) -> list[str] | None:
        """The index words beginning with `prefix` (ASCII), or None when there are more than `limit`."""
        state = (int(self._db.execute("PRAGMA data_version").fetchone()[0]), self._db.total_changes)
        if state != self._state:
            self._lists.clear()
            self._state = state
        if prefix in self._lists:
            return self._lists[prefix]
        terms = self._narrowed(prefix)
        if terms is None:
            terms = self._read(prefix)
        if len(self._lists) >= _REMEMBERED:
            del self._lists[next(iter(self._lists))]
        self._lists[prefix] = terms
        return terms

    def _narrowed(self, prefix: str) -> list[str] | None:
        # A complete list for a shorter prefix holds every word of this one (a shorter prefix that
        # began too many words says nothing: this one may begin few enough, so it is read).
        for cut in range(len(prefix) - 1, _SHORTEST - 1, -1):
            base = self._lists.get(prefix[:cut])
            if base is not None:
                return [term for term in base if term.startswith(prefix)]
        return None

    def _read(self, prefix: str) -> list[str] | None:
        self.reads += 1
        low, high = prefix_range(prefix)
        found = self._db.execute(
            "SELECT term FROM temp.history_terms WHERE term >= ? AND term < ? LIMIT ?",
            (low, high, self.limit + 1),
        )
        terms = [term for (term,) in found]
        return terms if len(terms) <= self.limit else None
