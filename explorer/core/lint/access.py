"""Read and edit a request's parameters wherever they travel: query string, form, multipart or JSON body."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from urllib.parse import urlsplit, urlunsplit

from explorer.core.prepared import Body, PreparedRequest

LOOPBACK_HOSTS = frozenset({"localhost", "::1", "[::1]"})


@dataclass(frozen=True, slots=True)
class RequestParam:
    """One name/value pair found in the request; `location` is "query" or "body"."""

    location: str
    name: str
    value: str


def params(request: PreparedRequest) -> list[RequestParam]:
    """Every query pair, then every body field (form, multipart text fields, top-level JSON keys)."""
    found = [RequestParam("query", k, v) for k, v in request.query]
    body = request.body
    if body is None:
        return found
    if body.kind in ("form", "multipart"):
        found += [RequestParam("body", k, v) for k, v in body.fields]
    elif body.kind == "json" and isinstance(body.json_value, dict):
        found += [RequestParam("body", str(k), _text(v)) for k, v in body.json_value.items()]
    return found


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def param_value(request: PreparedRequest, name: str) -> str | None:
    """The first value of parameter `name` in the query or the body, or None."""
    return next((p.value for p in params(request) if p.name == name), None)


def remove_params(request: PreparedRequest, doomed: Callable[[str], bool]) -> PreparedRequest:
    """A copy without the query pairs and body fields whose name satisfies `doomed`."""
    query = tuple((k, v) for k, v in request.query if not doomed(k))
    body = request.body
    if body is not None:
        if body.kind in ("form", "multipart"):
            body = replace(body, fields=tuple((k, v) for k, v in body.fields if not doomed(k)))
        elif body.kind == "json" and isinstance(body.json_value, dict):
            body = replace(body, json_value={k: v for k, v in body.json_value.items() if not doomed(str(k))})
    return replace(request, query=query, body=body)


def set_param(request: PreparedRequest, name: str, value: str, *, in_body: bool) -> PreparedRequest:
    """A copy where `name` has `value`: replaced where it already is, else added to the body or query.

    With `in_body` a missing body becomes a form body (what Disqus 1.1 POSTs use); a raw body cannot
    take fields, so the pair goes to the query instead.
    """
    if any(p.name == name for p in params(request)):
        query = tuple((k, value if k == name else v) for k, v in request.query)
        body = request.body
        if body is not None and body.kind in ("form", "multipart"):
            body = replace(body, fields=tuple((k, value if k == name else v) for k, v in body.fields))
        elif body is not None and body.kind == "json" and isinstance(body.json_value, dict):
            updated = {k: value if k == name else v for k, v in body.json_value.items()}
            body = replace(body, json_value=updated)
        return replace(request, query=query, body=body)
    body = request.body
    if in_body and body is None:
        return replace(request, body=Body(kind="form", fields=((name, value),)))
    if in_body and body is not None and body.kind in ("form", "multipart"):
        return replace(request, body=replace(body, fields=(*body.fields, (name, value))))
    if in_body and body is not None and body.kind == "json" and isinstance(body.json_value, dict):
        return replace(request, body=replace(body, json_value={**body.json_value, name: value}))
    return replace(request, query=(*request.query, (name, value)))


def add_headers(request: PreparedRequest, pairs: Iterable[tuple[str, str]]) -> PreparedRequest:
    """A copy with `pairs` appended, skipping names (case-insensitive) the request already has."""
    headers = list(request.headers)
    present = {k.lower() for k, _ in headers}
    for name, value in pairs:
        if name.lower() not in present:
            headers.append((name, value))
            present.add(name.lower())
    return replace(request, headers=tuple(headers))


def url_path(request: PreparedRequest) -> str:
    return urlsplit(request.url).path


def url_host(request: PreparedRequest) -> str:
    return (urlsplit(request.url).hostname or "").lower()


def is_loopback(host: str) -> bool:
    """True for this machine: localhost, 127.0.0.0/8, ::1 (and `*.localhost`, which resolves locally)."""
    host = host.lower().strip("[]")
    if host in LOOPBACK_HOSTS or host.endswith(".localhost"):
        return True
    try:
        # An address, not a prefix test: `127.example.com` is somebody else's machine.
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def with_path(request: PreparedRequest, path: str) -> PreparedRequest:
    parts = urlsplit(request.url)
    return replace(request, url=urlunsplit((parts.scheme, parts.netloc, path, parts.query, parts.fragment)))


def with_scheme(request: PreparedRequest, scheme: str) -> PreparedRequest:
    parts = urlsplit(request.url)
    return replace(request, url=urlunsplit((scheme, parts.netloc, parts.path, parts.query, parts.fragment)))
