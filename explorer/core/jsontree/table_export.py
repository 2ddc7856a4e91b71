"""A table's rows as CSV, tab-separated text (for the clipboard) or JSON, written atomically."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from explorer.core.jsontree.table import (
    MISSING,
    VALUE_COLUMN,
    ColumnPath,
    Table,
    cell_value,
    column_name,
    is_object,
    plain_text,
    value_json,
)
from explorer.core.paths import atomic_write_bytes

_encode_key = json.JSONEncoder(ensure_ascii=False).encode


def delimited_text(table: Table, rows: Sequence[int], columns: Sequence[ColumnPath], *,
                   header: bool = True, dialect: str = "excel") -> str:
    """CSV (`excel`) or tab-separated (`excel-tab`) text; values quoted where they hold a separator,
    a quote or a line break, so spreadsheets read every cell back whole."""
    out = io.StringIO()
    writer = csv.writer(out, dialect=dialect, lineterminator="\n" if dialect == "excel-tab" else "\r\n")
    if header:
        writer.writerow([column_name(column) for column in columns])
    data = table.rows() if len(rows) > 1000 else None  # one fill beats many look-ups for big exports
    for index in rows:
        row = data[index] if data is not None else table.row(index)
        writer.writerow([plain_text(cell_value(row, column)) for column in columns])
    return out.getvalue()


def json_text(table: Table, rows: Sequence[int], columns: Sequence[ColumnPath]) -> str:
    """A JSON array with one object per row (one per line), holding the chosen columns.

    Nested columns are nested again (`user.username` → `{"user": {"username": …}}`), absent values are
    left out, numbers keep their exact text. With the `(value)` column (an array of plain values) each
    row is its value.
    """
    if VALUE_COLUMN in columns:
        items = [value_json(table.row(index)) for index in rows]
    else:
        layout = _nest(columns)
        items = [_object_json(table.row(index), layout) for index in rows]
    if not items:
        return "[]\n"
    return "[\n" + ",\n".join(items) + "\n]\n"


# A column layout: key -> None (a leaf, the whole value) or a nested layout.
Layout = dict[str, Any]


def _nest(columns: Sequence[ColumnPath]) -> Layout:
    layout: Layout = {}
    for column in columns:
        node = layout
        for key in column[:-1]:
            child = node.get(key)
            if child is None and key in node:
                break  # the whole parent is a column already: it includes this one
            node = node.setdefault(key, {})
        else:
            node[column[-1]] = None
    return layout


def _object_json(row: Any, layout: Layout) -> str:
    parts = []
    for key, inner in layout.items():
        value = cell_value(row, (key,))
        if value is MISSING:
            continue
        # A nested column whose parent is not an object in this row (null, say) shows that value as it is.
        text = value_json(value) if inner is None or not is_object(value) else _object_json(value, inner)
        parts.append(f"{_encode_key(key)}: {text}")
    return "{" + ", ".join(parts) + "}"


def write_text(path: Path, text: str) -> None:
    """Write UTF-8 text so a crash or a full disk leaves the old file or the new one, never half of it."""
    atomic_write_bytes(path, text.encode("utf-8"))


def export_csv(path: Path, table: Table, rows: Sequence[int], columns: Sequence[ColumnPath]) -> None:
    # A byte-order mark, so spreadsheet programs read the file as UTF-8 rather than the system's code page.
    write_text(path, "\ufeff" + delimited_text(table, rows, columns))


def export_json(path: Path, table: Table, rows: Sequence[int], columns: Sequence[ColumnPath]) -> None:
    write_text(path, json_text(table, rows, columns))
