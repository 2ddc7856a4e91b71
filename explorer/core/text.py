"""Text helpers shared by the builder, the cURL importer, the CLI and the window: positions, bytes, sizes."""

from __future__ import annotations

import re
from typing import Any

_SURROGATE = re.compile("[\ud800-\udfff]")


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
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


_URL_UNSAFE = re.compile("[\x00-\x20\x7f]")
_CHARACTER_NAMES = {
    "\x00": "a NUL character",
    "\r": "a carriage return (CR)",
    "\n": "a line break (LF)",
    "\t": "a tab",
    " ": "a space",
}


def character_name(ch: str) -> str:
    """How a message names a control character or a space."""
    return _CHARACTER_NAMES.get(ch) or f"the control character U+{ord(ch):04X}"


def url_characters_problem(url: str) -> str | None:
    """Why `url` cannot be sent as typed (a space, CR, LF, NUL or another control character), or None.

    URL parsers quietly drop CR, LF and tabs and HTTP clients cut at a NUL, so the request sent would not be
    the one typed; a space is a typing slip or a value to percent-encode.
    """
    found = _URL_UNSAFE.search(url)
    if found is None:
        return None
    hint = "; write it as %20" if found[0] == " " else "; percent-encode it or remove it"
    return f"contains {character_name(found[0])} at character {found.start() + 1}{hint}"


def undecodable(text: str) -> str | None:
    """Where `text` holds a byte that was not UTF-8, or None.

    Python keeps such bytes (from a command line, a pipe or a file read leniently) as lone surrogates,
    which can be neither sent nor printed; naming the spot beats a UnicodeEncodeError later.
    """
    found = _SURROGATE.search(text)  # one pass in C; a Python loop cost 40 ms per megabyte
    if found is None:
        return None
    offset, ch = found.start(), found[0]
    if "\udc80" <= ch <= "\udcff":
        return f"byte 0x{ord(ch) - 0xDC00:02x} at {position(text, offset)} is not UTF-8 text"
    return f"a lone surrogate U+{ord(ch):04X} at {position(text, offset)} is not valid text"


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
