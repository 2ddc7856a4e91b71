"""Read a typed URL or an imported request as a catalog method's form when it fits one exactly."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from urllib.parse import urlsplit

from explorer.core.builder import build_request
from explorer.core.catalog.model import Api, Catalog, Method
from explorer.core.curl.match import MethodMatch, match_request
from explorer.core.lifecycle.freeform import spec_from_request, split_url
from explorer.core.lifecycle.spec import ArgumentValue, Pair, RequestSpec
from explorer.core.prepared import PreparedRequest

# Headers the builder adds by itself; an imported copy of them is not kept as an extra header.
_BUILDER_HEADERS = {("accept", "application/json")}


def spec_for_request(
    request: PreparedRequest,
    catalogs: Mapping[Api, Catalog],
    *,
    profile: str | None = None,
    base_url: str | None = None,
) -> RequestSpec:
    """The specification for a request from outside (cURL, a pasted URL): a catalog method's form when the
    request is exactly what that form would build, otherwise a free-form request that sends it as it is."""
    match = match_request(request.method, request.url, catalogs)
    if match is not None:
        spec = _as_method_spec(request, match, profile, base_url)
        if spec is not None:
            return spec
    return spec_from_request(request, profile=profile, base_url=base_url)


def spec_for_url(
    verb: str,
    url: str,
    catalogs: Mapping[Api, Catalog],
    *,
    base_url: str | None,
    current: RequestSpec,
) -> RequestSpec:
    """What the editor shows after the user typed `url` in the URL bar (keeping headers, body, profile)."""
    address, query = split_url(url)
    absolute = (
        address
        if urlsplit(address).netloc
        else (base_url or "http://localhost").rstrip("/")
        + (address if address.startswith("/") else "/" + address)
    )
    request = PreparedRequest(method=verb.upper(), url=absolute, query=tuple(query))
    match = match_request(verb, absolute, catalogs)
    if match is not None:
        spec = _as_method_spec(request, match, current.profile, base_url)
        if spec is not None:
            return replace(spec, headers=current.headers, body=current.body, fixes=current.fixes)
    relative = url.strip()
    if base_url and relative.startswith(base_url.rstrip("/") + "/"):
        relative = relative[len(base_url.rstrip("/")) :]
    address, _ = split_url(relative)
    return replace(
        current,
        method_id=None,
        arguments={},
        verb=verb.upper(),
        url=address,
        params=tuple(Pair(k, v) for k, v in query),
    )


def _as_method_spec(
    request: PreparedRequest, match: MethodMatch, profile: str | None, base_url: str | None
) -> RequestSpec | None:
    method = match.method
    parts = urlsplit(request.url)
    site = f"{parts.scheme}://{parts.netloc}{match.prefix}"
    arguments: dict[str, ArgumentValue] = dict(match.path_params)
    extra: list[tuple[str, str]] = []
    if not _read_pairs(method, "query", request.query, arguments, extra):
        return None
    body = request.body
    if body is not None:
        if body.kind == "json" and isinstance(body.json_value, dict):
            for name, value in body.json_value.items():
                param = method.param(name)
                if param is None or param.location != "body":
                    return None
                arguments[name] = _argument(value)
        elif body.kind == "form":
            if not _read_pairs(method, "body", body.fields, arguments, None):
                return None
        else:
            return None
    headers = tuple(Pair(k, v) for k, v in request.headers if (k.lower(), v.lower()) not in _BUILDER_HEADERS)
    spec = RequestSpec(
        api=method.api.value,
        method_id=method.id,
        arguments=arguments,
        params=tuple(Pair(k, v) for k, v in extra),
        headers=headers,
        profile=profile,
        # Another site than the profile's is kept, so the form sends where the request was going.
        url="" if base_url and site.rstrip("/") == base_url.rstrip("/") else site,
    )
    return spec if _rebuilds_same(spec, method, request, match) else None


def _argument(value: object) -> ArgumentValue:
    if isinstance(value, list):
        return [str(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return json.dumps(value)


def _read_pairs(
    method: Method,
    location: str,
    pairs: tuple[tuple[str, str], ...],
    arguments: dict[str, ArgumentValue],
    extra: list[tuple[str, str]] | None,
) -> bool:
    """Put each pair into `arguments` under its parameter; a pair that is no parameter there goes to `extra`
    (query pairs the form does not know, such as a legacy api_key), or makes the match fail (`extra` None)."""
    for name, value in pairs:
        if method.api is Api.DISQUS and name == "api_version":
            continue  # the builder always adds it
        param = method.param(name) or method.param(name.removesuffix("[]"))
        if param is None or param.location != location:
            if extra is None:
                return False
            extra.append((name, value))
            continue
        if param.array or param.name.endswith("[]"):
            previous = arguments.get(param.name)
            arguments[param.name] = [*previous, value] if isinstance(previous, list) else [value]
        elif param.name in arguments:
            return False
        else:
            arguments[param.name] = value
    return True


def _rebuilds_same(spec: RequestSpec, method: Method, request: PreparedRequest, match: MethodMatch) -> bool:
    """True when the form would send exactly `request` (so showing the form loses nothing)."""
    parts = urlsplit(request.url)
    base = f"{parts.scheme}://{parts.netloc}{match.prefix}"
    extra = [(p.name, p.value) for p in spec.headers]
    built = build_request(method, dict(spec.arguments), base_url=base, extra_headers=extra)
    if built.request is None:
        return False
    rebuilt = replace(built.request, query=(*built.request.query, *((p.name, p.value) for p in spec.params)))
    same_body = (rebuilt.body is None) == (request.body is None)
    if same_body and rebuilt.body is not None and request.body is not None:
        same_body = rebuilt.body.text() == request.body.text() or (
            rebuilt.body.kind == request.body.kind == "json"
            and rebuilt.body.json_value == request.body.json_value
        )
    return (
        rebuilt.url.rstrip("/") == request.url.rstrip("/")
        and _without_version(rebuilt.query) == _without_version(request.query)
        and same_body
    )


def _without_version(pairs: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    return sorted(p for p in pairs if p[0] != "api_version")
