"""Serialising a subtree back to JSON text iteratively, keeping exact number text where it was kept."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import simdjson

from explorer.core.jsontree.nodes import ARRAY, OBJECT, iter_children, kind_of, number_text

_encode_string = json.JSONEncoder(ensure_ascii=False).encode


class SizeLimitExceeded(ValueError):
    """The serialised text would exceed the caller's limit."""


def to_json(value: Any, indent: int | None = 2, limit: int | None = None) -> str:
    """JSON text of `value` (any depth, no recursion); raises SizeLimitExceeded past `limit` chars."""
    return "".join(iter_json(value, indent, limit))


def subtree_json(value: Any, pretty_limit: int = 1_000_000) -> str:
    """JSON for "Copy subtree": indented when small; a huge simdjson subtree is minified in C instead,
    since walking millions of values in Python would freeze the window for seconds."""
    if isinstance(value, simdjson.Object | simdjson.Array):
        # pysimdjson's stub declares `mini` as str, but at run time it is bytes; both are handled.
        mini: str | bytes = value.mini
        if len(mini) > pretty_limit:
            return mini.decode("utf-8") if isinstance(mini, bytes) else mini
    return to_json(value)


def iter_json(value: Any, indent: int | None = 2, limit: int | None = None) -> Iterator[str]:
    """The same text as to_json, in pieces, so large subtrees can be written out as they are produced."""
    newline = "\n" if indent is not None else ""
    pad = " " * (indent or 0)
    item_sep, key_sep = ("," if indent is not None else ","), (": " if indent is not None else ":")
    written = 0
    # Each frame: (children iterator, closing bracket, is first child still pending)
    stack: list[list[Any]] = []
    pending_key: Any = None
    current: Any = value
    have_current = True
    while True:
        if have_current:
            piece_prefix = ""
            if stack:
                frame = stack[-1]
                piece_prefix = ("" if frame[2] else item_sep) + newline + pad * len(stack)
                frame[2] = False
                if pending_key is not None:
                    piece_prefix += _encode_string(pending_key) + key_sep
            kind = kind_of(current)
            if kind in (OBJECT, ARRAY):
                opening, closing = ("{", "}") if kind == OBJECT else ("[", "]")
                if len(current) == 0:
                    piece = piece_prefix + opening + closing
                else:
                    piece = piece_prefix + opening
                    stack.append([iter_children(current), closing, True, kind == OBJECT])
            else:
                piece = piece_prefix + _scalar_json(current, kind)
            written += len(piece)
            if limit is not None and written > limit:
                raise SizeLimitExceeded(f"more than {limit:,} characters")
            yield piece
            have_current = False
        if not stack:
            return
        frame = stack[-1]
        try:
            key, current = next(frame[0])
        except StopIteration:
            stack.pop()
            yield newline + pad * len(stack) + frame[1]
            continue
        pending_key = key if frame[3] else None
        have_current = True


def _scalar_json(value: Any, kind: str) -> str:
    if kind == "string":
        return _encode_string(value)
    if kind == "number":
        return number_text(value)
    if kind == "boolean":
        return "true" if value else "false"
    return "null"
