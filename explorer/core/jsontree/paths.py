"""JSONPath and jq path expressions for a node's key path, quoting keys that are not plain identifiers."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

Key = str | int

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
# jq parses these as keywords after a dot in older releases, so they are always quoted.
_JQ_KEYWORDS = frozenset({
    "and", "or", "not", "if", "then", "elif", "else", "end", "as", "def", "reduce", "foreach",
    "try", "catch", "label", "import", "include", "__loc__",
})


def jsonpath(keys: Sequence[Key]) -> str:
    """`$.post_stream.posts[0].id`; odd keys use bracket notation: `$['a b']`."""
    parts = ["$"]
    for key in keys:
        if isinstance(key, int):
            parts.append(f"[{key}]")
        elif _IDENTIFIER.match(key):
            parts.append(f".{key}")
        else:
            escaped = key.replace("\\", "\\\\").replace("'", "\\'")
            parts.append(f"['{escaped}']")
    return "".join(parts)


def jq_path(keys: Sequence[Key]) -> str:
    """`.post_stream.posts[0].id`; odd keys are JSON-quoted: `."a b"`, root alone is `.`."""
    if not keys:
        return "."
    parts: list[str] = []
    for key in keys:
        if isinstance(key, int):
            parts.append(f"[{key}]" if parts else f".[{key}]")
        elif _IDENTIFIER.match(key) and key not in _JQ_KEYWORDS:
            parts.append(f".{key}")
        else:
            parts.append("." + json.dumps(key, ensure_ascii=False))
    return "".join(parts)


def json_pointer(keys: Sequence[Key]) -> str:
    """RFC 6901 pointer (`/post_stream/posts/0/id`), handy for tools that take pointers."""
    return "".join("/" + str(key).replace("~", "~0").replace("/", "~1") for key in keys)
