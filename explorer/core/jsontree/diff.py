"""Structural diff of two JSON documents (and of two header lists): added, removed and changed paths."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from explorer.core.jsontree.paths import Key, jsonpath

ChangeKind = Literal["added", "removed", "changed"]

# Past this many changes the rest is counted, not listed: two unrelated 50 MB answers would otherwise
# produce millions of rows nobody reads.
DEFAULT_LIMIT = 5000


class _Missing:
    """The value on the side of a change where the path does not exist (distinct from JSON null)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


@dataclass(frozen=True, slots=True)
class Change:
    """One difference: the path, and the value before (`old`) and after (`new`); MISSING where absent."""

    kind: ChangeKind
    path: tuple[Key, ...]
    old: Any = MISSING
    new: Any = MISSING

    @property
    def where(self) -> str:
        """The path as JSONPath (`$.users[0].name`)."""
        return jsonpath(self.path)


@dataclass(frozen=True, slots=True)
class Diff:
    """The changes in document order; `total` counts them all, also those past the limit."""

    changes: tuple[Change, ...] = ()
    total: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def truncated(self) -> bool:
        return self.total > len(self.changes)

    @property
    def same(self) -> bool:
        return self.total == 0

    def summary(self) -> str:
        """`2 added, 1 removed, 3 changed`, or `No differences`."""
        if self.same:
            return "No differences"
        kinds = ("added", "removed", "changed")
        return ", ".join(f"{self.counts[kind]} {kind}" for kind in kinds if self.counts.get(kind))


def _is_container(value: Any) -> bool:
    return isinstance(value, dict | list)


def _same_scalar(old: Any, new: Any) -> bool:
    # 1 and True are equal in Python but not in JSON; 1 and 1.0 are the same JSON number.
    if isinstance(old, bool) or isinstance(new, bool):
        return type(old) is type(new) and old == new
    return bool(old == new)


def diff_json(old: Any, new: Any, *, limit: int = DEFAULT_LIMIT) -> Diff:
    """Compare two decoded JSON values path by path.

    Objects are compared by key (the old document's key order first, then keys only the new one has);
    arrays by position, so an element inserted at the front shows as changes to every later index, as
    most API clients show it. A path whose type differs (an object that became a string) is one change,
    not a change per child. Walks with an explicit stack: deeply nested answers do not hit the recursion
    limit.
    """
    changes: list[Change] = []
    counts = {"added": 0, "removed": 0, "changed": 0}

    def note(change: Change) -> None:
        counts[change.kind] += 1
        if len(changes) < limit:
            changes.append(change)

    stack: list[tuple[tuple[Key, ...], Any, Any]] = [((), old, new)]
    while stack:
        path, a, b = stack.pop()
        pending: list[tuple[tuple[Key, ...], Any, Any]] = []
        if isinstance(a, dict) and isinstance(b, dict):
            pending += [((*path, key), value, b.get(key, MISSING)) for key, value in a.items()]
            pending += [((*path, key), MISSING, value) for key, value in b.items() if key not in a]
        elif isinstance(a, list) and isinstance(b, list):
            for index in range(max(len(a), len(b))):
                before = a[index] if index < len(a) else MISSING
                after = b[index] if index < len(b) else MISSING
                pending.append(((*path, index), before, after))
        else:
            if a is MISSING:
                note(Change("added", path, MISSING, b))
            elif b is MISSING:
                note(Change("removed", path, a, MISSING))
            elif _is_container(a) or _is_container(b) or not _same_scalar(a, b):
                note(Change("changed", path, a, b))
            continue
        # Reversed onto the stack so the changes come out in document order.
        stack.extend(reversed(pending))
    return Diff(tuple(changes), sum(counts.values()), counts)


def diff_headers(old: Iterable[tuple[str, str]], new: Iterable[tuple[str, str]]) -> Diff:
    """Compare two header lists by name, case-insensitively; repeated headers are joined with ", "."""
    return diff_json(_header_map(old), _header_map(new))


def _header_map(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    joined: dict[str, list[str]] = {}
    for name, value in headers:
        joined.setdefault(name.lower(), []).append(value)
    return {name: ", ".join(values) for name, values in joined.items()}


def preview(value: Any, width: int = 120) -> str:
    """A value as one line of compact JSON, cut to `width` characters; "" for MISSING."""
    if value is MISSING:
        return ""
    try:
        text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def describe(changes: Sequence[Change]) -> list[str]:
    """Plain lines for logs and tests: `changed $.a: 1 → 2`."""
    lines = []
    for change in changes:
        if change.kind == "added":
            lines.append(f"added {change.where}: {preview(change.new)}")
        elif change.kind == "removed":
            lines.append(f"removed {change.where}: {preview(change.old)}")
        else:
            lines.append(f"changed {change.where}: {preview(change.old)} → {preview(change.new)}")
    return lines
