"""Route table plumbing: route specs, path matching with optional format suffixes, request context."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request

from explorer.sandbox.discourse import errors
from explorer.sandbox.discourse.auth import Identity
from explorer.sandbox.discourse.model import User
from explorer.sandbox.discourse.store import Store

# Formats a path may end in; ".json" is optional everywhere (the real server also honours Accept).
FORMATS = ("json", "rss", "ics")


@dataclass
class Ctx:
    """Everything a handler needs about one request."""

    request: Request
    store: Store
    identity: Identity
    params: dict[str, Any]
    path: dict[str, str]
    fmt: str
    verb: str

    @property
    def user(self) -> User | None:
        return self.identity.user

    def require_user(self) -> User:
        if self.identity.user is None:
            raise errors.not_logged_in()
        return self.identity.user

    def fields(self, root: str) -> dict[str, Any]:
        """The parameters nested under `root` (`topic[title]=…`, JSON `{"topic": {…}}`), else the top ones."""
        nested = self.params.get(root)
        return nested if isinstance(nested, dict) else self.params

    def str_param(self, name: str, default: str | None = None) -> str | None:
        value = self.params.get(name, default)
        if value is None:
            return None
        if isinstance(value, list):
            value = value[0] if value else default
        return str(value) if value is not None else None

    def required(self, name: str) -> str:
        value = self.str_param(name)
        if value is None or value == "":
            raise errors.missing_param(name)
        return value

    def int_param(self, name: str, default: int | None = None) -> int | None:
        value = self.params.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return int(value)
        try:
            return int(value)
        except (TypeError, ValueError):
            raise errors.invalid_params(name) from None

    def bool_param(self, name: str, default: bool = False) -> bool:
        value = self.params.get(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        return str(value).lower() in ("true", "1", "yes", "on")

    def list_param(self, name: str) -> list[str]:
        value = self.params.get(name)
        if value is None:
            return []
        if isinstance(value, list):
            return [str(v) for v in value]
        return [part.strip() for part in str(value).split(",") if part.strip()]


Handler = Callable[[Ctx], Any]


@dataclass(frozen=True)
class RouteSpec:
    """One endpoint; `access`: public | login | staff_action (403 to others) | staff | admin (404 to others).

    `action` is the Rails controller#action: it names the X-Discourse-Route header and drives scope checks.
    """

    verb: str
    template: str
    action: str
    handler: Handler
    access: str = "public"
    formats: tuple[str, ...] = ("json",)
    param_auth: bool = False  # credentials accepted in query/body (RSS, bookmarks .ics, handle_mail)
    cache: bool = False  # GET answers may be cached until the next write
    regex: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # `{name}` takes any segment; `{name:int}` only ASCII digits, like a Rails route's `\d+` constraint.
        pattern = re.sub(r"\{(\w+):int\}", r"(?P<\1>[0-9]+)", self.template.rstrip("/"))
        pattern = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+?)", pattern)
        object.__setattr__(self, "regex", re.compile(f"^{pattern}/?$"))


class Router:
    """Finds the route for (verb, path); strips a trailing .json/.rss/.ics into the format."""

    def __init__(self, routes: list[RouteSpec]) -> None:
        # Indexed by verb and first path segment, so a request tries a handful of patterns, not all of them.
        self._index: dict[tuple[str, str], list[RouteSpec]] = {}
        for route in routes:
            first = route.template.split("/")[1]
            key = (route.verb, "*" if first.startswith("{") else first)
            self._index.setdefault(key, []).append(route)

    def match(self, verb: str, path: str) -> tuple[RouteSpec, dict[str, str], str] | None:
        fmt = "json"
        for candidate in FORMATS:
            if path.endswith("." + candidate):
                path, fmt = path[: -len(candidate) - 1], candidate
                break
        verb = "GET" if verb == "HEAD" else verb
        first = path.split("/", 2)[1] if path.count("/") else ""
        candidates = self._index.get((verb, first), []) + self._index.get((verb, "*"), [])
        for route in candidates:
            found = route.regex.match(path)
            if found is not None and fmt in route.formats:
                return route, found.groupdict(), fmt
        return None


def merge_params(target: dict[str, Any], items: list[tuple[str, Any]]) -> None:
    """Rails-style parameter parsing: `a[]` repeats into a list, `a[b]` nests into a dict."""
    for key, value in items:
        if key.endswith("[]"):
            existing = target.setdefault(key[:-2], [])
            if isinstance(existing, list):
                existing.append(value)
            continue
        nested = re.fullmatch(r"([^\[\]]+)\[([^\[\]]+)\]", key)
        if nested:
            bucket = target.setdefault(nested.group(1), {})
            if isinstance(bucket, dict):
                bucket[nested.group(2)] = value
            continue
        target[key] = value
