"""The next page of a paginated method: read a page's items and say which request fetches the next one."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import cache
from urllib.parse import parse_qsl, urlsplit

from explorer.core.catalog.model import Api, Catalog, Method, Pagination
from explorer.core.lifecycle.spec import ArgumentValue, Pair, RequestSpec

_MISSING = object()


def read_path(document: object, path: str) -> object:
    """The value at a JSON path like `$.topic_list.topics` ($ alone: the document), or None when absent."""
    value: object = document
    for part in path.removeprefix("$").split(".")[1:] if path != "$" else ():
        if not isinstance(value, Mapping):
            return None
        value = value.get(part, _MISSING)
        if value is _MISSING:
            return None
    return value


def page_items(document: object, pagination: Pagination, path: str | None = None) -> list[object] | None:
    """The items of one page, or None when the response has no array where the catalog says (`path`:
    the items path with its {argument} references filled in, see items_path)."""
    items = read_path(document, path or pagination.items)
    return items if isinstance(items, list) else None


_REFERENCE = re.compile(r"\{([^{}]+)\}")


def items_path(spec: RequestSpec, method: Method) -> str | None:
    """The method's items path with each {argument} replaced by the request's value of it (poll voters
    are listed under their option's id); None when the request leaves one of them out."""
    assert method.pagination is not None
    missing = False

    def value(match: re.Match[str]) -> str:
        nonlocal missing
        found = spec_value(spec, method, match.group(1))
        if found in (None, "") or isinstance(found, list):
            missing = True
            return ""
        return str(found)

    path = _REFERENCE.sub(value, method.pagination.items)
    return None if missing else path


def path_references(path: str) -> list[str]:
    """The argument names an items path refers to ({option_id})."""
    return _REFERENCE.findall(path)


def spec_value(spec: RequestSpec, method: Method, name: str) -> ArgumentValue:
    """The value a specification gives `name`: an argument of the method, or else an extra query param."""
    if method.param(name) is not None:
        return spec.arguments.get(name)
    return next((p.value for p in spec.params if p.enabled and p.name == name), None)


def with_value(spec: RequestSpec, method: Method, name: str, value: ArgumentValue) -> RequestSpec:
    """`spec` with `name` set: as an argument when the method lists it, else as a query param.

    Some servers page methods whose catalog entry lists no page argument (`/top.json?page=1`, a group's
    members with `offset`); the extra query params of a catalog request carry those.
    """
    if method.param(name) is not None:
        return replace(spec, arguments={**spec.arguments, name: value})
    text = "" if value is None else str(value)
    rows = [p for p in spec.params if p.name != name]
    return replace(spec, params=(*rows, Pair(name, text)))


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


@cache
def _bundled() -> Mapping[Api, Catalog]:
    from explorer.core.catalog.loader import load_bundled_catalogs

    return load_bundled_catalogs()


class Pager:
    """Walks the pages of one request, from the page `spec` asks for.

    Give `next_spec` each page's parsed response in order; it answers the specification of the following
    page, or None after the last. It keeps what a walk needs beyond one response: the items counted so
    far (for a `total`) and, for a topic, its full list of post ids (the later pages do not repeat it).
    """

    def __init__(
        self, spec: RequestSpec, method: Method, catalogs: Mapping[Api, Catalog] | None = None
    ) -> None:
        if method.pagination is None:
            raise ValueError(f"{method.id} does not page")
        self.first_spec = spec
        self.spec = spec
        self.method = method
        self.pagination: Pagination = method.pagination
        self._catalogs = catalogs
        self._counted = 0
        # Counting toward a page-number total is right only from the first page on.
        self._from_start = self._is_first_page(spec)
        self._stream: list[object] | None = None
        self._fetched: set[object] = set()
        # Where every page of this walk keeps its items: the first request's arguments fill the path in.
        self._items_path = items_path(spec, method)

    def _is_first_page(self, spec: RequestSpec) -> bool:
        p = self.pagination
        if p.kind == "page":
            current = _int(spec_value(spec, self.method, p.param))
            return current is None or current <= p.first
        if p.kind == "offset":
            return not _int(spec_value(spec, self.method, p.param))
        return True

    def items(self, document: object) -> list[object] | None:
        """The items of a page of this walk (None: no array where the catalog says, or an {argument} of
        the items path is not set)."""
        path = self._items_path
        return page_items(document, self.pagination, path) if path is not None else None

    def next_spec(self, document: object) -> RequestSpec | None:
        """The specification of the page after the one `document` answered, or None when it was the last."""
        p = self.pagination
        if p.kind == "ids":
            return self._next_ids(document)
        items = self.items(document)
        if not items:
            return None
        self._counted += len(items)
        more = read_path(document, p.more) if p.more is not None else None
        if p.more is not None and not more:
            return None
        if p.kind == "page":
            current = _int(spec_value(self.spec, self.method, p.param))
            page = p.first if current is None else max(current, p.first)  # page=0 of a list from 1 is 1
            following = _page_from_url(more, p.param)
            if self._short(items):
                return None
            total = _int(read_path(document, p.total)) if p.total is not None else None
            if total is not None and self._from_start and self._counted >= total:
                return None
            nxt = following if following is not None and following > page else page + 1
            self.spec = with_value(self.spec, self.method, p.param, nxt)
            return self.spec
        if p.kind == "offset":
            offset = _int(spec_value(self.spec, self.method, p.param)) or 0
            total = _int(read_path(document, p.total)) if p.total is not None else None
            if total is not None and offset + len(items) >= total:
                return None
            if total is None and self._short(items):  # a total, when given, says it better
                return None
            self.spec = with_value(self.spec, self.method, p.param, offset + len(items))
            return self.spec
        # cursor: the last item's field, like `before=<the oldest post id on this page>`
        last = items[-1]
        cursor = last.get(p.cursor_field) if isinstance(last, Mapping) else None
        if cursor is None or isinstance(cursor, bool | dict | list):
            return None
        self.spec = with_value(self.spec, self.method, p.param, cursor)
        return self.spec

    def _short(self, items: Sequence[object]) -> bool:
        """A page shorter than the page size in force is the last one."""
        p = self.pagination
        if p.limit_param is None and p.limit is None:
            return False
        asked = _int(spec_value(self.spec, self.method, p.limit_param)) if p.limit_param else None
        size = asked or p.limit
        return size is not None and len(items) < size

    def _next_ids(self, document: object) -> RequestSpec | None:
        p = self.pagination
        if self._stream is None:
            stream = read_path(document, p.ids or "$")
            if not isinstance(stream, list):
                return None
            self._stream = stream
        for item in self.items(document) or ():
            if isinstance(item, Mapping) and "id" in item:
                self._fetched.add(item["id"])
        remaining = [i for i in self._stream if i not in self._fetched]
        if not remaining:
            return None
        chunk = remaining[: p.chunk]
        # The chunk counts as fetched even if the server leaves one out (deleted meanwhile): no endless walk.
        self._fetched.update(chunk)
        then = self._then_method()
        if then is None:
            return None
        carried = {k: v for k, v in self.first_spec.arguments.items() if then.param(k) is not None}
        carried[p.param] = [str(i) for i in chunk]
        self.spec = replace(self.first_spec, method_id=then.id, arguments=carried, params=(), title="")
        return self.spec

    def _then_method(self) -> Method | None:
        catalogs = self._catalogs if self._catalogs is not None else _bundled()
        catalog = catalogs.get(self.method.api)
        return catalog.method(self.pagination.then or "") if catalog is not None else None


def _page_from_url(more: object, param: str) -> int | None:
    """The page number a "more" URL names (`/latest?page=2`), when it is a URL that names one."""
    if not isinstance(more, str):
        return None
    for name, value in parse_qsl(urlsplit(more).query):
        if name == param:
            return _int(value)
    return None


def next_page_spec(
    spec: RequestSpec,
    method: Method,
    response_json: object,
    *,
    catalogs: Mapping[Api, Catalog] | None = None,
) -> RequestSpec | None:
    """The specification of the page after the one `response_json` answered for `spec`, or None.

    One step with nothing remembered; a walk over many pages uses a Pager (a topic's later pages need
    the post ids of its first).
    """
    if method.pagination is None:
        return None
    return Pager(spec, method, catalogs).next_spec(response_json)
