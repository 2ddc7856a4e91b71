"""SQL for a HistoryFilter: which rows of the history's tables it covers, newest first."""

from __future__ import annotations

from dataclasses import dataclass

from explorer.core.history.entry import HistoryFilter
from explorer.core.history.search_index import Expander, fts_query

# The columns of a list row (HistoryEntry's summary), in the order entry_from_row reads them.
SUMMARY_COLUMNS = (
    "e.id, e.created_at, e.api, e.method_id, e.verb, e.url, e.status, e.duration_ms, e.size, e.profile, "
    "e.pinned, e.error, e.cancelled, e.body_truncated, e.content_type"
)

_STATUS_RANGES = {"2xx": (200, 299), "3xx": (300, 399), "4xx": (400, 499), "5xx": (500, 599)}

SqlValue = str | int | float


@dataclass(frozen=True)
class Selection:
    """The FROM and WHERE parts for a filter, and their parameters."""

    source: str
    where: str
    params: tuple[SqlValue, ...]
    # The key the rows are in order of (descending): the entry id, or the index's rowid (the same value).
    key: str
    # Only a text filter: counting needs the index alone (every indexed row is an entry).
    text_only: bool = False

    def select(
        self, columns: str, *, limit: int | None = None, before: int | None = None
    ) -> tuple[str, tuple[SqlValue, ...]]:
        """The rows newest first; with `before` (an entry id) only those after it in that order. A page
        starts where the last one ended by key, never by position (OFFSET reads every row it skips)."""
        where, params = self.where, self.params
        if before is not None:
            # On the key itself, so the index (or the full-text index, walked by rowid) seeks straight to it.
            where, params = f"{where} AND {self.key} < ?", (*params, int(before))
        sql = f"SELECT {columns} FROM {self.source} WHERE {where} ORDER BY {self.key} DESC"
        if limit is None:
            return sql, params
        return f"{sql} LIMIT ?", (*params, int(limit))

    def count(self) -> tuple[str, tuple[SqlValue, ...]]:
        if self.text_only:
            return "SELECT count(*) FROM entries_fts WHERE entries_fts MATCH ?", self.params
        return f"SELECT count(*) FROM {self.source} WHERE {self.where}", self.params


def selection(flt: HistoryFilter, expand: Expander | None = None) -> Selection:
    """The rows `flt` covers. With text, the full-text index leads and is walked newest first, so the
    first page of a search that matches most of the history is found without looking at the rest
    (`expand` lists the index words a word being typed begins: see search_index.fts_query)."""
    clauses: list[str] = []
    params: list[SqlValue] = []
    query = fts_query(flt.text, expand) if flt.text else None
    if query is not None:
        source = "entries_fts JOIN entries e ON e.id = entries_fts.rowid"
        clauses.append("entries_fts MATCH ?")
        params.append(query)
        key = "entries_fts.rowid"
    else:
        source = "entries e"
        key = "e.id"
    for column, value in (("api", flt.api), ("method_id", flt.method_id), ("profile", flt.profile)):
        if value is not None:
            clauses.append(f"e.{column} = ?")
            params.append(value)
    if flt.status_class == "none":
        clauses.append("e.status IS NULL")
    elif flt.status_class is not None:
        low, high = _STATUS_RANGES[flt.status_class]
        clauses.append("e.status BETWEEN ? AND ?")
        params += [low, high]
    if flt.since is not None:
        clauses.append("e.created_at >= ?")
        params.append(flt.since)
    if flt.until is not None:
        clauses.append("e.created_at < ?")
        params.append(flt.until)
    text_only = query is not None and len(clauses) == 1
    return Selection(source, " AND ".join(clauses) or "1", tuple(params), key, text_only)
