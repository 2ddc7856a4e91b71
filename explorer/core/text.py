"""Text helpers shared by the builder, the cURL importer, the CLI and the window: positions, bytes, sizes."""

from __future__ import annotations

from typing import Any


def format_size(size: int) -> str:
    """A byte count, written the same everywhere: `412 B`, `1,023 B`, `1.2 KB`, `3.4 MB`, `1.1 GB`."""
    if size < 1024:
        return f"{size:,} B"
    value = float(size)
    for unit in ("KB", "MB", "GB"):
        value /= 1024
        if value < 1024 or unit == "GB":
            return f"{value:,.1f} {unit}"
    raise AssertionError("unreachable")


def position(text: str, offset: int) -> str:
    """`line L, column C` (1-based) of a character offset, for error messages."""
    before = text[:offset]
    line = before.count("\n") + 1
    column = offset - (before.rfind("\n") + 1) + 1
    return f"line {line}, column {column}"


def undecodable(text: str) -> str | None:
    """Where `text` holds a byte that was not UTF-8, or None.

    Python keeps such bytes (from a command line, a pipe or a file read leniently) as lone surrogates,
    which can be neither sent nor printed; naming the spot beats a UnicodeEncodeError later.
    """
    for offset, ch in enumerate(text):
        if "\udc80" <= ch <= "\udcff":
            return f"byte 0x{ord(ch) - 0xDC00:02x} at {position(text, offset)} is not UTF-8 text"
        if "\ud800" <= ch <= "\udfff":
            return f"a lone surrogate U+{ord(ch):04X} at {position(text, offset)} is not valid text"
    return None


def undecodable_in(value: Any) -> str | None:
    """`undecodable` for a value that may be a list or dict of texts (typed arguments, JSON)."""
    if isinstance(value, str):
        return undecodable(value)
    if isinstance(value, dict):
        items = [*value.keys(), *value.values()]
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        return None
    return next((found for item in items if (found := undecodable_in(item)) is not None), None)
