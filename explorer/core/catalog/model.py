"""Plain data classes describing an API catalog: API -> groups -> methods -> parameters."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Api(StrEnum):
    """The APIs the explorer knows."""

    DISCOURSE = "discourse"
    DISQUS = "disqus"


# Parameter types understood by the request builder and the form generator.
PARAM_TYPES = frozenset({"string", "integer", "number", "boolean", "object", "file"})
# Where a parameter travels.
PARAM_LOCATIONS = frozenset({"path", "query", "body"})
# Formats that change validation or widgets; "disqus-datetime" is Disqus's YYYY-MM-DDTHH:MM (UTC).
PARAM_FORMATS = frozenset({"date-time", "date", "binary", "disqus-datetime", "email", "uri"})
BODY_ENCODINGS = frozenset({"json", "form", "multipart"})
DATE_FORMATS = frozenset({"date-time", "date", "disqus-datetime"})
# How a list method pages (see Pagination.kind).
PAGINATION_KINDS = frozenset({"page", "offset", "cursor", "ids"})
_EXAMPLE_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_EXAMPLE_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:?\d{2})?")


@dataclass(frozen=True, slots=True)
class Param:
    """One argument of a method.

    `name` is exactly what goes on the wire (for Rails arrays it may already end in `[]`).
    `array` means the value is a list sent as repeated `name[]=` pairs (query/form) or a JSON array.
    `multi_enum` marks a comma-joined subset of `enum` (Disqus filter/exclude).
    `correction` explains where we deliberately differ from the official spec.
    `name_from` names another parameter whose *value* is the wire name of this one (Discourse's
    `PUT /admin/site_settings/{name}` expects the new value under the setting's own name).
    """

    name: str
    location: str
    type: str = "string"
    required: bool = False
    array: bool = False
    enum: tuple[str, ...] | None = None
    multi_enum: bool = False
    default: Any = None
    format: str | None = None
    description: str = ""
    example: Any = None
    minimum: float | None = None
    maximum: float | None = None
    correction: str | None = None
    name_from: str | None = None

    @property
    def is_upload(self) -> bool:
        return self.type == "file" or self.format == "binary"

    @property
    def date_format(self) -> str | None:
        """The date format this argument takes (one of DATE_FORMATS), or None when it is no date.

        The catalog's own format comes first. The specs leave many dates as plain strings, so a free
        string named like Rails timestamps (`created_at`, `expires_at`) is a date-time, and one whose
        example is a date or a date-time is that.
        """
        if self.format in DATE_FORMATS:
            return self.format
        if self.format is not None or self.type != "string" or self.enum:
            return None
        if self.name.endswith("_at"):
            return "date-time"
        example = str(self.example) if self.example is not None else ""
        if _EXAMPLE_DATE.fullmatch(example):
            return "date"
        if _EXAMPLE_DATE_TIME.fullmatch(example):
            return "date-time"
        return None


@dataclass(frozen=True, slots=True)
class Pagination:
    """How a list method pages, as the catalog declares it; explorer.core.paging follows it.

    `kind`: "page" (a page number in `param`, the first being `first`), "offset" (`param` skips that many
    items), "cursor" (`param` takes `cursor_field` of the last item, like `before=<post id>`) or "ids" (the
    response lists every id at `ids`, and `then` — another method — fetches them `chunk` at a time through
        its array argument `param`). `items` is the JSON path of the page's array ($ for the top level; a
    {name} in it is the request's value of that argument, as in $.voters.{option_id}). A next
    page exists while `more` (a path) holds a true value or a URL; with `total`, while the items so far are
    fewer; with `limit_param`/`limit`, while a page is full; and never after an empty page. `key` names the
    item fields that identify an item, so one seen on two pages is kept once.
    """

    kind: str
    items: str
    param: str = ""
    first: int = 0
    more: str | None = None
    total: str | None = None
    limit_param: str | None = None
    limit: int | None = None
    cursor_field: str = "id"
    key: tuple[str, ...] = ("id",)
    ids: str | None = None
    then: str | None = None
    chunk: int = 20


@dataclass(frozen=True, slots=True)
class Method:
    """One callable API method (an OpenAPI operation, or a Disqus 1.1 method)."""

    api: Api
    id: str
    verb: str
    path: str
    group: str
    summary: str
    description: str = ""
    tags: tuple[str, ...] = ()
    documented: bool = True
    params: tuple[Param, ...] = ()
    body_encoding: str | None = None
    # Discourse: "none" | "optional" | "user" | "admin".  Disqus: "user" | "forum" | "partner".
    auth: str = "optional"
    response: str = ""
    notes: tuple[str, ...] = ()
    corrections: tuple[str, ...] = ()
    example: dict[str, Any] = field(default_factory=dict)
    pagination: Pagination | None = None

    @property
    def key(self) -> str:
        """Stable identifier across APIs, e.g. `discourse:createTopicPostPM`."""
        return f"{self.api.value}:{self.id}"

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def params_in(self, location: str) -> tuple[Param, ...]:
        return tuple(p for p in self.params if p.location == location)


@dataclass(frozen=True, slots=True)
class Group:
    """A named set of methods (a Discourse tag, a Disqus object kind)."""

    id: str
    title: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Catalog:
    """Every method of one API, in display order."""

    api: Api
    title: str
    version: str
    groups: tuple[Group, ...]
    methods: tuple[Method, ...]
    description: str = ""

    def method(self, method_id: str) -> Method | None:
        return next((m for m in self.methods if m.id == method_id), None)

    def methods_in(self, group_id: str) -> tuple[Method, ...]:
        return tuple(m for m in self.methods if m.group == group_id)
