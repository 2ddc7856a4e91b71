"""Captures: a value read from response JSON at a JSONPath ($.post_stream.posts[0].id), as variable text."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from explorer.core.lifecycle.spec import Capture

Key = str | int

# One step after the root: .name, [3], [-1], ['odd key'] or ["odd key"] (what the JSON viewer copies).
_STEP = re.compile(
    r"""\.(?P<name>[A-Za-z_][A-Za-z0-9_]*)
      | \[(?P<index>-?\d+)\]
      | \['(?P<single>(?:[^'\\]|\\.)*)'\]
      | \["(?P<double>(?:[^"\\]|\\.)*)"\]""",
    re.VERBOSE,
)
_ESCAPE = re.compile(r"\\(.)")


class CaptureError(ValueError):
    """A path that cannot be read, or that the response does not have; the message says which step."""


def parse_path(path: str) -> list[Key]:
    """The keys of a JSONPath like `$.post_stream.posts[0].id` or `$['a b'][2]`; CaptureError otherwise."""
    text = path.strip()
    if not text.startswith("$"):
        raise CaptureError(f"{path!r}: a path starts with $, like $.topic_id")
    keys: list[Key] = []
    position = 1
    while position < len(text):
        match = _STEP.match(text, position)
        if match is None:
            raise CaptureError(f"{path!r}: cannot read the path from {text[position:]!r}")
        if match.group("name") is not None:
            keys.append(match.group("name"))
        elif match.group("index") is not None:
            keys.append(int(match.group("index")))
        else:
            quoted = match.group("single") if match.group("single") is not None else match.group("double")
            keys.append(_ESCAPE.sub(r"\1", quoted))
        position = match.end()
    return keys


def capture_value(document: object, path: str) -> str:
    """The value at `path` in parsed JSON, as variable text.

    Text as it is, numbers and true/false/null as JSON writes them, objects and arrays as compact JSON.
    CaptureError names the step the document does not have.
    """
    node: Any = document
    walked = "$"
    for key in parse_path(path):
        node = _step(node, key, walked)
        walked += f"[{key}]" if isinstance(key, int) else f".{key}"
    return as_text(node)


def capture_all(document: object, captures: Sequence[Capture]) -> tuple[dict[str, str], dict[str, str]]:
    """(values by capture name, error messages by capture name) for every capture of a request."""
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    for capture in captures:
        try:
            values[capture.name] = capture_value(document, capture.path)
        except CaptureError as exc:
            errors[capture.name] = str(exc)
    return values, errors


def as_text(value: object) -> str:
    """A JSON value as the text a `{{name}}` reference puts in its place."""
    if isinstance(value, str):  # an exact number from the viewer's parse is text already
        return value
    plain = _plain(value)
    return json.dumps(plain, ensure_ascii=False, separators=(",", ":"))


def _step(node: Any, key: Key, walked: str) -> Any:
    if isinstance(key, int):
        if _is_array(node):
            size = len(node)
            if -size <= key < size:
                return node[key]
            raise CaptureError(f"{walked}[{key}]: the array at {walked} has {size} item(s)")
        raise CaptureError(f"{walked}[{key}]: {walked} is {_kind(node)}, not an array")
    if _is_object(node):
        if key in node:
            return node[key]
        raise CaptureError(f"{walked}.{key}: the response has no {key!r} at {walked}")
    raise CaptureError(f"{walked}.{key}: {walked} is {_kind(node)}, not an object")


def _is_object(node: object) -> bool:
    # pysimdjson's lazy Object is no Mapping but has as_dict(); the viewer may hand either over.
    return isinstance(node, Mapping) or hasattr(node, "as_dict")


def _is_array(node: object) -> bool:
    return (isinstance(node, Sequence) and not isinstance(node, str | bytes)) or hasattr(node, "as_list")


def _kind(node: object) -> str:
    if _is_object(node):
        return "an object"
    if _is_array(node):
        return "an array"
    if node is None:
        return "null"
    if isinstance(node, bool):
        return "true/false"
    return "a number" if isinstance(node, int | float) else "text"


def _plain(value: Any) -> Any:
    """Lazy containers as dicts and lists, so json.dumps can write them."""
    if hasattr(value, "as_dict"):
        return value.as_dict()
    if hasattr(value, "as_list"):
        return value.as_list()
    return value
