"""The request history: a SQLite file (WAL) of redacted exchanges, searchable, within a size budget."""

from __future__ import annotations

import contextlib
import functools
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from explorer.core.history import retention, rows
from explorer.core.history.entry import HistoryEntry, HistoryFilter
from explorer.core.history.matching import spec_arguments_key
from explorer.core.history.query import SUMMARY_COLUMNS, selection
from explorer.core.history.redact import RedactedExchange, redact_exchange, request_key
from explorer.core.history.schema import HistoryError, migrate, prepare_file
from explorer.core.history.terms import TermExpander

if TYPE_CHECKING:
    from explorer.core.lifecycle.send import Exchange
    from explorer.core.lifecycle.spec import RequestSpec

_P = ParamSpec("_P")
_R = TypeVar("_R")

# Tables a usable history file has; a SQLite file without them is some other database.
_TABLES = frozenset({"entries", "bodies", "entries_fts", "totals"})
# How long a writer waits for another (the window and a command line recording at once).
_BUSY_TIMEOUT_S = 30.0
# The filter that matches every entry (frozen, so one instance serves as every default).
EVERYTHING = HistoryFilter()
# The budget's estimate of an entry's size, measured on 100,000 recorded topic lists (benchmarks/history.py):
# its compressed body and texts, plus what pages leave unused around bodies (a tenth), the rest of its row
# and its table index entries, and its share of the full-text index per character of its index text.
_BODY_SLACK = 1.1
_ROW_BYTES = 350
INDEX_BYTES_PER_CHAR = 0.04


def _guarded(method: Callable[_P, _R]) -> Callable[_P, _R]:
    """SQLite's errors (a damaged page, a full disk) leave a store method as HistoryError."""

    @functools.wraps(method)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return method(*args, **kwargs)
        except sqlite3.Error as exc:
            raise HistoryError(f"the history database failed: {exc}") from exc

    return run


class HistoryStore:
    """Recorded exchanges in one SQLite file, safe to use from several threads.

    Each thread gets its own connection; in WAL mode readers never wait for the writer. Everything is
    redacted before it is written (`redact.redact_exchange`). Bodies are kept zlib-compressed, up to
    `body_cap_bytes` each; `prune()` applies `keep_days`, `keep_entries` and then `budget_bytes`, dropping
    the oldest entries that are not pinned. HistoryError when the file cannot be used.
    """

    def __init__(
        self,
        path: Path,
        *,
        body_cap_bytes: int = 5 * 2**20,
        budget_bytes: int = 500 * 2**20,
        keep_days: int | None = None,
        keep_entries: int | None = None,
    ) -> None:
        self.path = Path(path)
        self.body_cap_bytes = body_cap_bytes
        self.budget_bytes = budget_bytes
        self.keep_days = keep_days
        self.keep_entries = keep_entries
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self._closed = False
        self._totals_checked = False  # the first prune of this opening checks the running totals
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = self._db()
            prepare_file(db)
            migrate(db)
            found = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
            if not found >= _TABLES:
                raise HistoryError(f"{self.path} is a SQLite file, but not a history")
        except (sqlite3.Error, OSError) as exc:
            self.close()
            raise HistoryError(f"{self.path} cannot be opened as the history ({exc})") from exc
        except HistoryError:
            self.close()
            raise

    # -- connections -------------------------------------------------------------------------------------

    def _db(self) -> sqlite3.Connection:
        if self._closed:
            raise HistoryError("the history is closed")
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            # check_same_thread=False only so close() can close every thread's connection at the end.
            db = sqlite3.connect(
                self.path, timeout=_BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
            )
            # A commit survives the process being killed; only a power cut can lose the last ones.
            db.execute("PRAGMA synchronous = NORMAL")
            # The index's words, to expand a word being typed (temp: this connection's own, nothing stored).
            db.execute("CREATE VIRTUAL TABLE temp.history_terms USING fts5vocab(main, entries_fts, 'row')")
            with self._lock:
                self._connections.append(db)
            self._local.db = db
            self._local.expand = TermExpander(db)
        return db

    def _write(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        return retention.transaction(self._db())

    def close(self) -> None:
        """Close every connection; the store cannot be used afterwards (HistoryError)."""
        self._closed = True
        with self._lock:
            connections, self._connections = self._connections, []
        for db in connections:
            with contextlib.suppress(sqlite3.Error):
                db.close()

    # -- writing -----------------------------------------------------------------------------------------

    def record(self, exchange: Exchange, *, profile: str | None = None) -> int:
        """Redact and store one exchange; its new id."""
        return self.record_many([(exchange, profile)])[0]

    def record_many(self, exchanges: Iterable[tuple[Exchange, str | None]]) -> list[int]:
        """Redact and store exchanges (with their profile names) in one transaction; their ids in order."""
        cap = self.body_cap_bytes
        return self.insert([redact_exchange(ex, profile=who, body_cap_bytes=cap) for ex, who in exchanges])

    @_guarded
    def insert(self, records: Sequence[RedactedExchange]) -> list[int]:
        """Store already redacted exchanges in one transaction (the bulk path); their ids in order.

        Compressing and building the index text happen before the write lock is taken.
        """
        prepared = [
            (
                record,
                rows.compress(record.body),
                rows.pack(record.request_json),
                rows.pack(record.spec_json) if record.spec_json is not None else None,
                rows.pack(record.response_json),
                _document(record),
            )
            for record in records
        ]
        ids: list[int] = []
        with self._write() as db:
            for record, blob, request, spec, response, document in prepared:
                stored = (
                    int(len(blob) * _BODY_SLACK)
                    + len(request)
                    + len(response)
                    + len(spec or b"")
                    + len(record.url)
                    + _ROW_BYTES
                    + int(len(document) * INDEX_BYTES_PER_CHAR)
                )
                cursor = db.execute(
                    """INSERT INTO entries (created_at, api, method_id, verb, url, status, reason,
                        http_version, duration_ms, size, wire_size, profile, error, cancelled, content_type,
                        body_truncated, request_key, arguments_key, request, spec, response, stored_bytes)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    (
                        record.created_at,
                        record.api,
                        record.method_id,
                        record.verb,
                        record.url,
                        record.status,
                        record.reason,
                        record.http_version,
                        record.duration_ms,
                        record.size,
                        record.wire_size,
                        record.profile,
                        record.error,
                        int(record.cancelled),
                        record.content_type,
                        int(record.body_truncated),
                        record.request_key,
                        record.arguments_key,
                        request,
                        spec,
                        response,
                        stored,
                    ),
                )
                entry_id = int(cursor.lastrowid or 0)
                db.execute("INSERT INTO bodies (entry_id, data) VALUES (?, ?)", (entry_id, blob))
                db.execute("INSERT INTO entries_fts (rowid, doc) VALUES (?, ?)", (entry_id, document))
                ids.append(entry_id)
        return ids

    @_guarded
    def pin(self, entry_id: int, pinned: bool = True) -> bool:
        """Pin (or unpin) an entry: retention never drops a pinned one. False when there is no such entry."""
        with self._write() as db:
            changed = db.execute("UPDATE entries SET pinned = ? WHERE id = ?", (int(pinned), entry_id))
            return changed.rowcount > 0

    # -- reading -----------------------------------------------------------------------------------------

    @_guarded
    def search(
        self, flt: HistoryFilter = EVERYTHING, *, limit: int = 50, before: int | None = None
    ) -> list[HistoryEntry]:
        """Entries matching `flt`, newest first (in the order they were recorded), without their details.

        Pages are read by key, not by position: `before` is the id of the last entry of the page before
        (the next page starts just after it), so a page deep in the history costs what the first costs,
        and entries recorded or removed meanwhile neither repeat nor skip one.
        """
        sql, params = selection(flt, self._expand).select(SUMMARY_COLUMNS, limit=limit, before=before)
        return [rows.summary_entry(row) for row in self._db().execute(sql, params)]

    @_guarded
    def count(self, flt: HistoryFilter = EVERYTHING) -> int:
        # Without the expansion: counting reads every match anyway, and FTS5 merges a prefix's words for
        # that faster than it walks hundreds of words OR-ed together (the same entries either way).
        sql, params = selection(flt).count()
        return int(self._db().execute(sql, params).fetchone()[0])

    def _expand(self, prefix: str) -> list[str] | None:
        self._db()
        expander: TermExpander = self._local.expand
        return expander(prefix)

    @_guarded
    def get(self, entry_id: int) -> HistoryEntry | None:
        """The entry with every detail (specification, request, response headers), or None."""
        row = (
            self._db()
            .execute(
                f"SELECT {SUMMARY_COLUMNS}, {rows.DETAIL_COLUMNS} FROM entries e WHERE e.id = ?", (entry_id,)
            )
            .fetchone()
        )
        return rows.full_entry(row) if row is not None else None

    @_guarded
    def body(self, entry_id: int) -> bytes | None:
        """The stored response body (redacted, up to the cap), or None when there is no such entry."""
        row = self._db().execute("SELECT data FROM bodies WHERE entry_id = ?", (entry_id,)).fetchone()
        return rows.decompress(row[0]) if row is not None else None

    @_guarded
    def responses_for(
        self, spec: RequestSpec, limit: int = 20, *, same_arguments: bool | None = None
    ) -> list[HistoryEntry]:
        """Earlier responses to this request, newest first: the same catalog method (api and method id), or
        for a free-form request the same verb and URL (without its query).

        `same_arguments=True` keeps those sent with the same arguments (`matching.arguments_key`: the
        method's arguments, or the verb and URL with its query), False those sent with others (and entries
        recorded without a specification); None both.
        """
        key = request_key(spec.api, spec.method_id, spec.verb, spec.url)
        where = "e.request_key = ?"
        params: list[str | None] = [key]
        if same_arguments is not None:
            where += " AND e.arguments_key IS ?" if same_arguments else " AND e.arguments_key IS NOT ?"
            params.append(spec_arguments_key(spec))
        found = self._db().execute(
            f"SELECT {SUMMARY_COLUMNS} FROM entries e WHERE {where} ORDER BY e.id DESC LIMIT ?",
            (*params, int(limit)),
        )
        return [rows.summary_entry(row) for row in found]

    # -- removing ----------------------------------------------------------------------------------------

    @_guarded
    def delete(self, ids: Iterable[int]) -> int:
        """Remove these entries (pinned ones too: they were named); how many existed."""
        return retention.remove(self._db(), list(ids))

    @_guarded
    def delete_matching(self, flt: HistoryFilter) -> int:
        """Remove every entry `flt` matches, pinned ones included; how many."""
        sql, params = selection(flt).select("e.id")
        db = self._db()
        return retention.remove(db, [row[0] for row in db.execute(sql, params)])

    @_guarded
    def clear(self) -> int:
        """Remove every entry, pinned ones included; how many there were."""
        return retention.clear(self._db())

    @_guarded
    def prune(self) -> int:
        """Apply the retention settings: entries older than `keep_days`, beyond the newest `keep_entries`,
        then the oldest until the stored size is within `budget_bytes`. Pinned entries are always kept.
        How many entries were removed."""
        doomed = retention.over_limits(
            self._db(),
            keep_days=self.keep_days,
            keep_entries=self.keep_entries,
            budget_bytes=self.budget_bytes,
            verify=not self._totals_checked,
        )
        self._totals_checked = True
        return retention.remove(self._db(), doomed)

    @_guarded
    def stored_bytes(self) -> int:
        """The size the budget counts: compressed bodies, the stored texts and an estimate of the index
        (the running total the file keeps, not a sum over every entry)."""
        return retention.totals(self._db())[1]


def _document(record: RedactedExchange) -> str:
    return rows.stored_document(
        url=record.url,
        api=record.api,
        method_id=record.method_id,
        verb=record.verb,
        status=record.status,
        reason=record.reason,
        cancelled=record.cancelled,
        profile=record.profile,
        error=record.error,
        request_json=record.request_json,
        response_json=record.response_json,
        content_type=record.content_type,
        body=record.body,
    )
