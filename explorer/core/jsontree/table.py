"""Arrays of objects as tables: finding them in a document, columns from their keys, cells, sort, filter."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

import simdjson

from explorer.core.jsontree.nodes import CELL_LIMIT, Key, cell_text, iter_children, number_text
from explorer.core.jsontree.parse import ExactNumber
from explorer.core.jsontree.paths import jsonpath
from explorer.core.jsontree.serialise import iter_json, to_json

ColumnPath = tuple[str, ...]  # keys from a row down to the cell's value; () is the row itself
VALUE_COLUMN: ColumnPath = ()

SAMPLE_ITEMS = 50  # first items looked at to tell an array of objects from other arrays
WALK_LIMIT = 20_000  # values visited while looking for arrays: a huge map must not stall the window
COLUMN_SAMPLE = 500  # first rows whose keys make the columns
COLUMN_DEPTH = 3  # nested objects are flattened into `user.username` columns down to this depth
FILL_SLICE = 5_000  # rows of a lazily parsed array materialised per step (a few ms)
SPARSE_LIMIT = 2_000  # rows fetched out of order (ahead of the fill) kept at most
FILTER_SLICE = 2_000  # rows examined per filter step


class _Missing:
    """The value of a column a row does not have (shown empty; distinct from JSON null)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
_OBJECTS = (dict, simdjson.Object)
_ARRAYS = (list, simdjson.Array)
_CONTAINERS = (*_OBJECTS, *_ARRAYS)


@dataclass(frozen=True)
class ArrayInfo:
    """An array of objects found in a document: where it is and how many rows it has."""

    path: tuple[Key, ...]
    count: int
    value: Any = field(compare=False, repr=False)

    @property
    def where(self) -> str:
        return jsonpath(self.path)

    @property
    def label(self) -> str:
        return f"{self.where} ({self.count:,} row{'' if self.count == 1 else 's'})"


def is_object(value: Any) -> bool:
    return isinstance(value, _OBJECTS)


def is_array_of_objects(value: Any) -> bool:
    """A non-empty array whose first items are objects (nulls allowed, any other kind is not)."""
    if not isinstance(value, _ARRAYS) or not len(value):
        return False
    objects = 0
    for item in islice(value, SAMPLE_ITEMS):
        if isinstance(item, _OBJECTS):
            objects += 1
        elif item is not None:
            return False
    return objects > 0


def find_arrays(root: Any, limit: int = WALK_LIMIT) -> list[ArrayInfo]:
    """Arrays of objects in document order, found through objects only.

    Items of arrays are not entered: `$.topics[0].posters` for each of 100,000 topics would bury the
    arrays people mean. (An array inside one is still reachable: see `enclosing_array`.) At most `limit`
    values are visited, so a map of a million entries costs a few milliseconds, not seconds.
    """
    found: list[ArrayInfo] = []
    stack: list[tuple[tuple[Key, ...], Any]] = [((), root)]
    visited = 0
    while stack and visited < limit:
        path, value = stack.pop()
        visited += 1
        if isinstance(value, _OBJECTS):
            children = []
            for key, child in iter_children(value):
                visited += 1
                if isinstance(child, _CONTAINERS):
                    children.append(((*path, key), child))
                if visited >= limit:
                    break
            stack.extend(reversed(children))
        elif is_array_of_objects(value):
            found.append(ArrayInfo(path, len(value), value))
    return found


def largest(arrays: Sequence[ArrayInfo]) -> ArrayInfo | None:
    """The array with the most rows (the first of equals), or None."""
    return max(arrays, key=lambda info: info.count, default=None)


def value_at(root: Any, path: Sequence[Key]) -> Any:
    """The value at `path` (MISSING when absent)."""
    value = root
    for key in path:
        value = _child(value, key)
        if value is MISSING:
            break
    return value


def enclosing_array(root: Any, path: Sequence[Key]) -> ArrayInfo | None:
    """The innermost array of objects at or above `path` (a tree selection inside a row finds its table)."""
    value, best = root, None
    if is_array_of_objects(value):
        best = ArrayInfo((), len(value), value)
    for depth, key in enumerate(path, 1):
        value = _child(value, key)
        if value is MISSING:
            break
        if is_array_of_objects(value):
            best = ArrayInfo(tuple(path[:depth]), len(value), value)
    return best


def _child(value: Any, key: Key) -> Any:
    if isinstance(key, int):
        if isinstance(value, _ARRAYS) and 0 <= key < len(value):
            return value[key]
        return MISSING
    if isinstance(value, dict):
        return value.get(key, MISSING)
    if isinstance(value, simdjson.Object):
        try:
            return value[key]
        except KeyError:
            return MISSING
    return MISSING


def cell_value(row: Any, column: ColumnPath) -> Any:
    """The value of `column` in `row`, or MISSING."""
    for key in column:
        if isinstance(row, dict):
            row = row.get(key, MISSING)
            if row is MISSING:
                return MISSING
        elif isinstance(row, simdjson.Object):
            try:
                row = row[key]
            except KeyError:
                return MISSING
        else:
            return MISSING
    return row


def column_name(column: ColumnPath) -> str:
    """`user.username`; the row itself (an array of plain values) is `(value)`."""
    return ".".join(column) if column else "(value)"


class Table:
    """The rows of one array, fetched lazily when the document was parsed lazily.

    Indexing a pysimdjson array walks it from the start (about 1 ms at row 100,000), so the rows are
    materialised once, in order, as proxies: a slice at a time by `fill_step()` between paints, or on
    demand up to a row asked for just past them. A row far ahead (a scroll bar dragged to the end before
    the fill got there) is fetched alone and kept aside, which costs far less than filling the gap.
    A list from json.loads is used as it is.
    """

    def __init__(self, array: Any, path: tuple[Key, ...] = ()) -> None:
        self.array = array
        self.path = path
        self.count = len(array)
        self._rows: list[Any]
        self._source: Iterator[Any] | None
        if isinstance(array, list):
            self._rows, self._source = array, None
        else:
            self._rows, self._source = [], iter(array)
        self._sparse: dict[int, Any] = {}

    @property
    def where(self) -> str:
        return jsonpath(self.path)

    @property
    def complete(self) -> bool:
        return len(self._rows) >= self.count

    def fill_step(self, budget: int = FILL_SLICE) -> bool:
        """Materialise up to `budget` more rows; True once every row is there."""
        if self._source is not None and len(self._rows) < self.count:
            self._rows.extend(islice(self._source, budget))
        if len(self._rows) >= self.count:
            self._source = None
            self._sparse.clear()
        return self.complete

    def row(self, index: int) -> Any:
        if index < len(self._rows):
            return self._rows[index]
        gap = index + 1 - len(self._rows)
        if gap <= FILL_SLICE:
            self.fill_step(gap)
            return self._rows[index]
        row = self._sparse.get(index, MISSING)
        if row is MISSING:
            if len(self._sparse) >= SPARSE_LIMIT:
                self._sparse.clear()
            row = self._sparse[index] = self.array[index]
        return row

    def rows(self) -> list[Any]:
        """Every row (materialising the rest first)."""
        self.fill_step(self.count)
        return self._rows

    def columns(self, sample: int = COLUMN_SAMPLE, depth: int = COLUMN_DEPTH) -> list[ColumnPath]:
        """Columns from the keys of the first `sample` rows, in first-seen order.

        Nested objects become one column per key below them (`user.username`) down to `depth` levels;
        arrays, empty objects and deeper objects stay one column. Plain values among the rows add the
        `(value)` column.
        """
        seen: dict[ColumnPath, bool] = {}  # column -> a value other than null or {} was seen
        for index in range(min(sample, self.count)):
            row = self.row(index)
            if isinstance(row, _OBJECTS):
                _flatten(row, (), depth, seen)
            elif row is not None:
                seen[VALUE_COLUMN] = True
        # `user` null in some rows and an object in others is the object's columns, not one more column.
        parents = {column[:end] for column in seen for end in range(1, len(column))}
        return [column for column, real in seen.items() if real or column not in parents]


def _flatten(obj: Any, prefix: ColumnPath, depth: int, seen: dict[ColumnPath, bool]) -> None:
    for key, value in iter_children(obj):
        column = (*prefix, str(key))  # object keys are strings
        if depth > 1 and isinstance(value, _OBJECTS) and len(value):
            _flatten(value, column, depth - 1, seen)
        else:
            real = value is not None and not (isinstance(value, _OBJECTS) and not len(value))
            seen[column] = seen.get(column, False) or real


# --- cell text ---------------------------------------------------------------------------------------------
def display_text(value: Any, limit: int = CELL_LIMIT) -> str:
    """One line for a table cell: scalars as in the tree, containers as compact JSON cut at `limit`."""
    if value is MISSING:
        return ""
    if isinstance(value, _CONTAINERS):
        text = compact_json(value, limit)
        return text if len(text) <= limit else text[:limit] + "…"
    return cell_text(value, limit)


def plain_text(value: Any) -> str:
    """The whole value for copying and CSV: strings unquoted, null and absent empty, containers as JSON."""
    if value is MISSING or value is None:
        return ""
    if isinstance(value, str) and not isinstance(value, ExactNumber):
        return value
    return value_json(value)


def compact_json(value: Any, limit: int | None = None) -> str:
    """Minified JSON; with `limit`, serialising stops soon after `limit` characters (for cells)."""
    if isinstance(value, simdjson.Object | simdjson.Array):
        mini: str | bytes = value.mini  # bytes at run time, str in the stub; made in C either way
        return mini.decode("utf-8") if isinstance(mini, bytes) else mini
    if limit is None:
        return to_json(value, indent=None)
    pieces, size = [], 0
    for piece in iter_json(value, indent=None):
        pieces.append(piece)
        size += len(piece)
        if size > limit:
            break
    return "".join(pieces)


def value_json(value: Any) -> str:
    """JSON text of any value, numbers exactly as parsed."""
    if isinstance(value, ExactNumber):
        return str(value)
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int | float):
        return number_text(value)
    if isinstance(value, _CONTAINERS):
        return compact_json(value)
    return to_json(value, indent=None)


# --- sort and filter ---------------------------------------------------------------------------------------
def sort_key(value: Any) -> tuple[int, Any] | None:
    """Numbers (and booleans) by value, then strings case-insensitively, then containers by size;
    None for null and absent values, which go last whichever the direction."""
    kind = type(value)
    if kind is int or kind is float:
        return (0, value)
    if kind is str:
        return (1, value.casefold())
    if kind is ExactNumber:
        return (0, float(value))
    if value is None or value is MISSING:
        return None
    if kind is bool:
        return (0, int(value))
    if isinstance(value, _CONTAINERS):
        return (2, len(value))
    return (1, str(value).casefold())


def sort_rows(table: Table, column: ColumnPath, rows: Sequence[int] | None = None,
              *, descending: bool = False) -> list[int]:
    """Row numbers (of `rows`, default all) ordered by `column`; equal values keep their order."""
    data = table.rows()
    indices = range(table.count) if rows is None else rows
    keyed: list[int] = []
    keys: list[tuple[int, Any]] = []
    empty: list[int] = []
    for index in indices:
        key = sort_key(cell_value(data[index], column))
        if key is None:
            empty.append(index)
        else:
            keyed.append(index)
            keys.append(key)
    # sorted(reverse=True) keeps equal keys in their original order too: the sort stays stable both ways.
    order = sorted(range(len(keys)), key=keys.__getitem__, reverse=descending)
    return [keyed[i] for i in order] + empty


class RowFilter:
    """Rows whose shown columns contain `query` (case-insensitive), found a slice at a time.

    Call `step()` until `done`; `matches` holds the row numbers found so far, in the order given.
    """

    def __init__(self, table: Table, columns: Sequence[ColumnPath], query: str,
                 rows: Sequence[int] | None = None) -> None:
        self.table = table
        self.columns = list(columns)
        self.query = query.casefold()
        self._rows = range(table.count) if rows is None else rows
        self._position = 0
        self.matches: list[int] = []

    @property
    def done(self) -> bool:
        return self._position >= len(self._rows)

    def step(self, budget: int = FILTER_SLICE) -> bool:
        """Examine up to `budget` rows; True when every row has been examined."""
        end = min(len(self._rows), self._position + budget)
        query, columns, table = self.query, self.columns, self.table
        for position in range(self._position, end):
            index = self._rows[position]
            row = table.row(index)
            for column in columns:
                value = cell_value(row, column)
                if value is not MISSING and query in display_text(value, 1000).casefold():
                    self.matches.append(index)
                    break
        self._position = end
        return self.done

    def run(self) -> list[int]:
        while not self.step():
            pass
        return self.matches
