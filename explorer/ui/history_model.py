"""The History tab's list model: entries newest first under a row per day, fetched a page at a time."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal

from explorer.core.text import format_size

if TYPE_CHECKING:
    from explorer.core.history import HistoryEntry, HistoryFilter, HistoryStore

PAGE = 100  # entries per query: a screenful several times over, and one quick indexed read

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class DayRow:
    """The heading above one day's entries."""

    day: date
    label: str


def day_label(day: date, today: date | None = None) -> str:
    """`Today`, `Yesterday`, a weekday within the week, else the date (`3 March 2025`)."""
    today = today or date.today()
    if day == today:
        return "Today"
    if day == today - timedelta(days=1):
        return "Yesterday"
    if today - timedelta(days=7) < day < today:
        return day.strftime("%A")
    return f"{day.day} {day.strftime('%B %Y')}"


def local_day(created_at: float) -> date:
    return datetime.fromtimestamp(created_at).date()


def entry_title(entry: HistoryEntry) -> str:
    """The method id, or for a free-form request the URL's path (its host is in the tooltip)."""
    if entry.method_id:
        return entry.method_id
    parts = urlsplit(entry.url)
    return parts.path or entry.url or "(no URL)"


def entry_outcome(entry: HistoryEntry) -> str:
    """`200`, `Cancelled`, or `No response`."""
    if entry.cancelled:
        return "Cancelled"
    if entry.status is None:
        return "No response"
    return str(entry.status)


def entry_details(entry: HistoryEntry) -> str:
    """The second line of a row: outcome, clock time, duration and size."""
    clock = datetime.fromtimestamp(entry.created_at).strftime("%H:%M:%S")
    parts = [entry_outcome(entry), clock, f"{entry.duration_ms:,.0f} ms"]
    if entry.status is not None:
        parts.append(format_size(entry.size))
    return "  ·  ".join(parts)


def entry_tooltip(entry: HistoryEntry) -> str:
    when = datetime.fromtimestamp(entry.created_at).strftime("%Y-%m-%d %H:%M:%S")
    lines = [f"{entry.verb} {entry.url}", f"{entry_outcome(entry)} at {when}"]
    if entry.profile:
        lines.append(f"Profile: {entry.profile}")
    if entry.error:
        lines.append(entry.error)
    if entry.pinned:
        lines.append("Pinned: kept when old entries are pruned")
    return "\n".join(lines)


class HistoryModel(QAbstractListModel):
    """Rows are day headings and entries; only the pages the view scrolls to are read.

    Nothing is read before `start()`: the History tab calls it when first shown, so the window starts
    without opening the database. `queries` counts the store reads (tests check there were none).
    New entries are added at the top (`add_recorded`). The next page is read by key: the entries older
    than the last one listed (`HistoryStore.search(before=...)`), so a page deep in a long history is as
    quick as the first, and entries recorded or deleted meanwhile neither repeat nor skip one.
    """

    loaded = Signal()  # after a page or a new entry was added, or the rows were read again
    failed = Signal(str)  # the history could not be read (why)

    def __init__(self, store: Callable[[], HistoryStore], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.rows: list[DayRow | HistoryEntry] = []
        self.active = False
        self.exhausted = False
        self.queries = 0
        self.error: str | None = None
        self._busy = False
        self._filter: HistoryFilter | None = None
        self._entries = 0  # entries among the rows
        self._ids: set[int] = set()
        self._oldest: int | None = None  # the id of the last (oldest) entry listed: the next page's key

    # -- reading ------------------------------------------------------------------------------------------

    @property
    def filter(self) -> HistoryFilter:
        if self._filter is None:
            from explorer.core.history import HistoryFilter

            self._filter = HistoryFilter()
        return self._filter

    def start(self) -> None:
        """Allow reading; the view then fetches the first page."""
        if not self.active:
            self.active = True
            self.reload()

    def set_filter(self, flt: HistoryFilter) -> None:
        self._filter = flt
        if self.active:
            self.reload()

    def reload(self, keep: int = 0) -> None:
        """Read the rows again from the top (at least `keep` entries: what was on screen stays).

        The first page is read inside the reset, so the view never shows an empty list in between; no
        page is fetched while the reset is being announced (rows inserted then would be out of order).
        """
        limit = max(keep, PAGE)
        with self._announcing():
            self.beginResetModel()
            self.rows, self._ids, self._entries, self._oldest = [], set(), 0, None
            page = self._first_page(limit) if self.active else []
            self.exhausted = page is None or len(page) < limit
            if page:
                self.rows = self._with_days(page, None)
                self._remember(page)
            self.endResetModel()
        self.loaded.emit()

    def _first_page(self, limit: int) -> list[HistoryEntry] | None:
        return self._read(lambda store: store.search(self.filter, limit=limit))

    @contextlib.contextmanager
    def _announcing(self) -> Iterator[None]:
        """While a change is being announced, slots (a view, a model tester) may ask for more rows; a
        page inserted then would nest one change inside another, so none is fetched until it is over."""
        busy, self._busy = self._busy, True
        try:
            yield
        finally:
            self._busy = busy

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def canFetchMore(self, parent: Index) -> bool:  # noqa: N802
        return self.active and not self.exhausted and not self._busy and not parent.isValid()

    def fetchMore(self, parent: Index) -> None:  # noqa: N802
        if self.canFetchMore(parent):
            self._fetch(PAGE)

    def _fetch(self, limit: int) -> None:
        before = self._oldest
        page = self._read(lambda store: store.search(self.filter, limit=limit, before=before))
        if page is None:
            self.exhausted = True  # a failing database: the view stops asking; a reload tries again
            return
        if len(page) < limit:
            self.exhausted = True
        page = [entry for entry in page if entry.id not in self._ids]
        if page:
            rows = self._with_days(page, self._last_day())
            first = len(self.rows)
            with self._announcing():
                self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
                self.rows.extend(rows)
                self._remember(page)
                self.endInsertRows()
        self.loaded.emit()

    def _read(self, query: Callable[[HistoryStore], list[HistoryEntry]]) -> list[HistoryEntry] | None:
        """Run a query on the store; None (and `error` set, `failed` emitted) when the history fails."""
        from explorer.core.history import HistoryError

        self.queries += 1
        try:
            found = query(self._store())
        except HistoryError as exc:
            self.error = str(exc)
            self.failed.emit(self.error)
            return None
        self.error = None
        return found

    def _last_day(self) -> date | None:
        last = next((row for row in reversed(self.rows) if isinstance(row, DayRow)), None)
        return last.day if last is not None else None

    @staticmethod
    def _with_days(entries: Iterable[HistoryEntry], current: date | None) -> list[DayRow | HistoryEntry]:
        rows: list[DayRow | HistoryEntry] = []
        today = date.today()
        for entry in entries:
            day = local_day(entry.created_at)
            if day != current:
                rows.append(DayRow(day, day_label(day, today)))
                current = day
            rows.append(entry)
        return rows

    def _remember(self, entries: Iterable[HistoryEntry]) -> None:
        for entry in entries:
            self._ids.add(entry.id)
            self._entries += 1
            if self._oldest is None or entry.id < self._oldest:
                self._oldest = entry.id

    def add_recorded(self, entry_id: int) -> None:
        """A request was just recorded: put the entries newer than the top row at the top (when they pass
        the filter); before `start()` nothing is read."""
        if not self.active or entry_id in self._ids:
            return
        newest = self._read(lambda store: store.search(self.filter, limit=PAGE)) or []
        fresh = [entry for entry in newest if entry.id not in self._ids and self._is_newer(entry)]
        if not fresh:
            return
        top_day = self.rows[0].day if self.rows and isinstance(self.rows[0], DayRow) else None
        rows = self._with_days(fresh, None)
        if top_day is not None and local_day(fresh[0].created_at) == top_day:
            rows, insert_at = rows[1:], 1  # all from the top row's day: under its heading
        else:
            insert_at = 0
            if top_day is not None and local_day(fresh[-1].created_at) == top_day:
                self._drop_top_heading()  # the fresh rows bring that day's heading with them
        with self._announcing():
            self.beginInsertRows(QModelIndex(), insert_at, insert_at + len(rows) - 1)
            self.rows[insert_at:insert_at] = rows
            self._remember(fresh)
            self.endInsertRows()
        self.loaded.emit()

    def _is_newer(self, entry: HistoryEntry) -> bool:
        # The store lists entries in the order they were recorded: a higher id is newer.
        top = next((row for row in self.rows if not isinstance(row, DayRow)), None)
        return top is None or entry.id > top.id

    def _drop_top_heading(self) -> None:
        """Remove the first day heading (fresh rows bring their own heading for that day)."""
        with self._announcing():
            self.beginRemoveRows(QModelIndex(), 0, 0)
            del self.rows[0]
            self.endRemoveRows()

    # -- entries ------------------------------------------------------------------------------------------

    def entry_at(self, index: Index | int) -> HistoryEntry | None:
        row = index if isinstance(index, int) else index.row()
        if isinstance(index, QModelIndex | QPersistentModelIndex) and not index.isValid():
            return None
        if not 0 <= row < len(self.rows):
            return None
        found = self.rows[row]
        return None if isinstance(found, DayRow) else found

    def heading_at(self, index: Index) -> str:
        """The day heading's text on a heading row, "" on an entry."""
        row = self.rows[index.row()] if index.isValid() and 0 <= index.row() < len(self.rows) else None
        return row.label if isinstance(row, DayRow) else ""

    def row_of(self, entry_id: int) -> int | None:
        for row, found in enumerate(self.rows):
            if not isinstance(found, DayRow) and found.id == entry_id:
                return row
        return None

    def set_pinned(self, entry_id: int, pinned: bool) -> None:
        row = self.row_of(entry_id)
        if row is None:
            return
        found = self.rows[row]
        assert not isinstance(found, DayRow)
        self.rows[row] = replace(found, pinned=pinned)
        index = self.index(row)
        self.dataChanged.emit(index, index)

    @property
    def entry_count(self) -> int:
        return self._entries

    # -- Qt ----------------------------------------------------------------------------------------------

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if isinstance(row, DayRow):
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return row.label
            if role == Qt.ItemDataRole.ToolTipRole:
                return row.day.isoformat()
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{row.verb} {entry_title(row)}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{row.verb} {entry_title(row)}, {entry_details(row)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return entry_tooltip(row)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if 0 <= index.row() < len(self.rows) and isinstance(self.rows[index.row()], DayRow):
            return Qt.ItemFlag.ItemIsEnabled  # a heading: neither selected nor opened
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


def age_text(created_at: float, now: float | None = None) -> str:
    """How long ago, for the response pane's label: `12:03:04` today, else the date and time."""
    moment = datetime.fromtimestamp(created_at)
    today = datetime.fromtimestamp(now if now is not None else time.time()).date()
    if moment.date() == today:
        return moment.strftime("%H:%M:%S")
    return moment.strftime("%Y-%m-%d %H:%M:%S")
