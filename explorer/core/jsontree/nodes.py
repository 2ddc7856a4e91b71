"""Lazy tree nodes over a parsed JSON document: kinds, summaries, cell text and batched children."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import simdjson

from explorer.core.jsontree.parse import ExactNumber

BATCH = 500  # children created per fetch; large enough to fill a screen, small enough to stay instant
CELL_LIMIT = 200  # characters of a string shown in a tree cell; the detail pane shows the whole value

OBJECT, ARRAY, STRING, NUMBER, BOOLEAN, NULL = "object", "array", "string", "number", "boolean", "null"
Key = str | int


def kind_of(value: Any) -> str:
    """The JSON type name of a value from any of our parsers."""
    if isinstance(value, ExactNumber):  # before str: it is a str subclass
        return NUMBER
    if isinstance(value, str):
        return STRING
    if value is None:
        return NULL
    if isinstance(value, bool):  # before int: bool is an int subclass
        return BOOLEAN
    if isinstance(value, int | float):
        return NUMBER
    if isinstance(value, dict | simdjson.Object):
        return OBJECT
    if isinstance(value, list | simdjson.Array):
        return ARRAY
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def number_text(value: Any) -> str:
    """JSON text of a number: the source text when kept, else the shortest round-tripping form."""
    if isinstance(value, ExactNumber | int):
        return str(value)
    return repr(value)  # finite doubles only: simdjson rejects NaN/Infinity


def scalar_text(value: Any) -> str:
    """Plain text of a scalar (strings unquoted), as copied by "Copy value"."""
    kind = kind_of(value)
    if kind == STRING:
        return value
    if kind == NUMBER:
        return number_text(value)
    if kind == BOOLEAN:
        return "true" if value else "false"
    if kind == NULL:
        return "null"
    raise TypeError("containers have no scalar text")


def summary(value: Any) -> str:
    """`{12 keys}` / `[600000 items]` for containers, the cell text for scalars."""
    kind = kind_of(value)
    if kind == OBJECT:
        n = len(value)
        return f"{{{n} key{'' if n == 1 else 's'}}}"
    if kind == ARRAY:
        n = len(value)
        return f"[{n} item{'' if n == 1 else 's'}]"
    return cell_text(value)


def cell_text(value: Any, limit: int = CELL_LIMIT) -> str:
    """One-line text of a scalar for a tree cell: newlines made visible, long strings cut with an ellipsis."""
    kind = kind_of(value)
    if kind != STRING:
        return scalar_text(value)
    text = value if len(value) <= limit else value[:limit]
    text = text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
    if len(value) > limit:
        text += f"… ({len(value):,} chars)"
    return text


def iter_children(value: Any) -> Iterator[tuple[Key, Any]]:
    """(key, child) pairs in document order, without materialising anything below them."""
    if isinstance(value, simdjson.Object):
        # Object.items() converts whole subtrees to dicts; key look-ups keep the children lazy.
        for key in value:
            yield key, value[key]
    elif isinstance(value, dict):
        yield from value.items()
    else:
        yield from enumerate(value)


class Node:
    """One value in the tree; children are created in batches on demand and kept alive here."""

    __slots__ = ("parent", "row", "key", "value", "kind", "count", "children", "_source")

    def __init__(self, value: Any, parent: Node | None = None, row: int = 0, key: Key | None = None) -> None:
        self.parent = parent
        self.row = row
        self.key = key
        self.value = value
        self.kind = kind_of(value)
        self.count = len(value) if self.kind in (OBJECT, ARRAY) else 0
        self.children: list[Node] = []
        self._source: Iterator[tuple[Key, Any]] | None = None

    @property
    def is_container(self) -> bool:
        return self.kind in (OBJECT, ARRAY)

    def can_fetch_more(self) -> bool:
        return len(self.children) < self.count

    def pending(self, limit: int = BATCH) -> int:
        """How many children the next fetch(limit) will create."""
        return min(limit, self.count - len(self.children))

    def fetch(self, limit: int = BATCH) -> list[Node]:
        """Create the next `limit` children (fewer at the end) and return them."""
        want = self.pending(limit)
        if want <= 0:
            return []
        if self._source is None:
            self._source = iter_children(self.value)
        source, start = self._source, len(self.children)
        pairs = zip(range(want), source, strict=False)
        new = [Node(child, self, start + i, key) for i, (key, child) in pairs]
        self.children.extend(new)
        if len(self.children) >= self.count:
            self._source = None  # release the iterator (and its hold on the parser) once done
        return new

    def fetch_all(self) -> list[Node]:
        """All children (use only where the container is known to be small)."""
        while self.can_fetch_more():
            self.fetch()
        return self.children

    def path(self) -> tuple[Key, ...]:
        """Keys from the document root down to this node (iterative: depth is unbounded)."""
        keys: list[Key] = []
        node: Node | None = self
        while node is not None and node.parent is not None:
            keys.append(node.key)  # type: ignore[arg-type]
            node = node.parent
        keys.reverse()
        return tuple(keys)

    def depth(self) -> int:
        depth, node = 0, self.parent
        while node is not None:
            depth, node = depth + 1, node.parent
        return depth

    def __repr__(self) -> str:
        return f"Node(path={self.path()!r}, kind={self.kind})"
