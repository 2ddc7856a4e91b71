"""Turn (method, argument values, base URL, credentials) into a PreparedRequest or per-field errors."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from explorer.core.building import disqus_wire
from explorer.core.building.credentials import CredentialProblem, non_ascii_header
from explorer.core.building.discourse_auth import credential_headers
from explorer.core.building.encoding import (
    BODY_ENCODINGS,
    BaseUrlProblem,
    encode_body,
    expand_path,
    join_url,
    normalize_base_url,
    param_pairs,
    wire_text,
)
from explorer.core.building.values import ValueProblem, coerce_value, is_unset, validate_value
from explorer.core.catalog.model import Api, Method, Param
from explorer.core.prepared import Body, PreparedRequest
from explorer.core.text import undecodable, undecodable_in

__all__ = ["BuildResult", "FieldError", "build_request", "coerce_value", "validate_value"]


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem with one argument; `field` is the parameter name (or "base_url", "auth")."""

    field: str
    message: str


@dataclass(frozen=True, slots=True)
class BuildResult:
    request: PreparedRequest | None
    errors: tuple[FieldError, ...] = ()

    @property
    def ok(self) -> bool:
        return self.request is not None and not self.errors


@dataclass(slots=True)
class _Args:
    """Coerced, set arguments by location, in catalog order."""

    path: dict[str, Any]
    query: list[tuple[Param, Any]]
    body: list[tuple[Param, Any]]


def build_request(
    method: Method,
    values: Mapping[str, Any],
    *,
    base_url: str | None = None,
    credentials: Mapping[str, str] | None = None,
    body_encoding: str | None = None,
    extra_headers: Iterable[tuple[str, str]] = (),
    raw_body: str | None = None,
    raw_content_type: str | None = None,
) -> BuildResult:
    """Validate `values` against `method` and prepare the request; nothing is prepared on errors.

    `values` maps parameter names to values (text from the form or CLI, or typed Python values; see
    `explorer.core.building.values` for the conventions).  When a method has two parameters of the same
    name in different places, `"body:name"` / `"query:name"` / `"path:name"` picks one.

    `credentials` uses the APIs' own names: Discourse `api_key`, `api_username`, `api_user_id`,
    `api_user_external_id`, `user_api_key`, `user_api_client_id`; Disqus `user_api_key`,
    `forum_api_key`, `partner_api_key`.  Discourse credentials become headers; Disqus keys become
    arguments (query for GET, form body for POST) next to `api_version=1.1`.

    `body_encoding` ("json", "form", "multipart") overrides the default (JSON for Discourse, form for
    Disqus; multipart whenever a file is attached).  `raw_body` replaces the generated body with text sent
    as `raw_content_type` (guessed when omitted).  `extra_headers` are appended after the generated ones.
    The body's content type is carried by `Body.media_type()`, not by a header, so multipart boundaries
    stay the sender's business.
    """
    errors: list[FieldError] = []
    notes: list[str] = []
    is_disqus = method.api == Api.DISQUS
    if raw_body is not None and (problem := undecodable(raw_body)) is not None:
        errors.append(FieldError("body", problem))

    base = _base_url(base_url, is_disqus, errors, notes)
    if body_encoding is not None and body_encoding not in BODY_ENCODINGS:
        errors.append(FieldError("body_encoding", f"must be one of {', '.join(BODY_ENCODINGS)}"))
    headers = _extra_headers(extra_headers, errors)
    if is_disqus:
        credentials, defaults = disqus_wire.split_profile_defaults(credentials)
        values = _fill_defaults(method, values, defaults, notes)
    args = _collect_args(method, values, errors, skip_required_body=raw_body is not None)

    auth_headers: list[tuple[str, str]] = []
    key_pairs: list[tuple[str, str]] = []
    try:
        if is_disqus:
            key_pairs, key_notes = disqus_wire.key_pairs(method, credentials)
            notes += key_notes
        else:
            auth_headers = credential_headers(credentials)
    except CredentialProblem as exc:
        errors.append(FieldError("auth", str(exc)))

    text_of = disqus_wire.disqus_text if is_disqus else wire_text
    body: Body | None = None
    if not errors:
        if raw_body is not None:
            body = _raw_body(raw_body, raw_content_type, method, is_disqus)
        else:
            body = _generated_body(method, args.body, body_encoding, is_disqus, errors)
    if errors:
        return BuildResult(request=None, errors=tuple(errors))

    query: list[tuple[str, str]] = []
    for param, value in args.query:
        query += param_pairs(param, value, text_of)
    if is_disqus:
        wire_args = [*key_pairs, disqus_wire.version_pair()]
        if method.verb == "GET" or body is None and method.verb in ("DELETE", "HEAD"):
            query += wire_args
        elif body is None or body.kind in ("form", "multipart"):
            body = _with_fields(body, wire_args)
        elif body.kind == "raw":
            # The typed body replaces everything the builder would have put in it, keys included.
            notes.append("raw body: keys and api_version are not added; include them in the text")
        else:
            # A JSON body cannot carry form arguments; keep keys and version in the query instead.
            query += wire_args
            notes.append("keys and api_version moved to the query string because the body is not a form")
    else:
        headers = [("Accept", "application/json"), *auth_headers, *headers]

    request = PreparedRequest(
        method=method.verb,
        url=join_url(base, expand_path(method.path, args.path)),
        query=tuple(query),
        headers=tuple(headers),
        body=body,
        api=method.api.value,
        method_id=method.id,
        notes=tuple(notes),
    )
    return BuildResult(request=request)


def _base_url(base_url: str | None, is_disqus: bool, errors: list[FieldError], notes: list[str]) -> str:
    text = base_url or ""
    if is_disqus:
        text, base_notes = disqus_wire.base_url_or_default(base_url)
        notes += base_notes
    try:
        return normalize_base_url(text)
    except BaseUrlProblem as exc:
        errors.append(FieldError("base_url", str(exc)))
        return ""


def _extra_headers(pairs: Iterable[tuple[str, str]], errors: list[FieldError]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for name, value in pairs:
        name, value = str(name).strip(), str(value)
        if not name or any(c in name for c in " \t:\r\n") or undecodable(name):
            errors.append(FieldError("headers", f"invalid header name {name!r}"))
        elif "\r" in value or "\n" in value:
            errors.append(FieldError("headers", f"the value of header {name!r} contains a line break"))
        elif (problem := undecodable(value)) is not None:
            errors.append(FieldError("headers", f"the value of header {name!r}: {problem}"))
        elif (problem := non_ascii_header(name, value)) is not None:
            errors.append(FieldError("headers", problem))
        else:
            out.append((name, value))
    return out


def _fill_defaults(
    method: Method, values: Mapping[str, Any], defaults: Mapping[str, str], notes: list[str]
) -> Mapping[str, Any]:
    """Profile fields (a Disqus profile's forum_id) fill arguments of the same name that were left empty."""
    filled = dict(values)
    for name, value in defaults.items():
        param = method.param(name)
        if param is not None and is_unset(filled.get(name)) and not is_unset(value):
            filled[name] = value
            notes.append(f"{name} {value} taken from the profile")
    return filled


def _lookup(param: Param, values: Mapping[str, Any]) -> Any:
    qualified = f"{param.location}:{param.name}"
    return values[qualified] if qualified in values else values.get(param.name)


def _collect_args(
    method: Method, values: Mapping[str, Any], errors: list[FieldError], *, skip_required_body: bool
) -> _Args:
    known = {p.name for p in method.params} | {f"{p.location}:{p.name}" for p in method.params}
    for name in values:
        if name in known:
            continue
        if method.api == Api.DISQUS and name in disqus_wire.RESERVED_ARGUMENTS:
            errors.append(
                FieldError(name, "added by the builder: keys come from the profile, api_version is 1.1")
            )
        else:
            errors.append(FieldError(name, f"unknown argument for {method.id}"))
    args = _Args(path={}, query=[], body=[])
    coerced: dict[str, Any] = {}
    ready: list[tuple[Param, Any]] = []
    for param in method.params:
        raw = _lookup(param, values)
        problem = undecodable_in(raw)
        if problem is not None:
            errors.append(FieldError(param.name, problem))
            continue
        if is_unset(raw):
            if param.location == "path":
                errors.append(FieldError(param.name, "path parameter is empty; a value is required"))
            elif param.required and not (skip_required_body and param.location == "body"):
                errors.append(FieldError(param.name, "required"))
            continue
        try:
            value = coerce_value(param, raw)
        except ValueProblem as exc:
            errors.append(FieldError(param.name, str(exc)))
            continue
        if is_unset(value):
            # e.g. a multi_enum of only commas: treat like an empty field.
            if param.required or param.location == "path":
                errors.append(FieldError(param.name, "required"))
            continue
        coerced.setdefault(param.name, value)
        ready.append((param, value))
    # Placed in a second pass, so a renamed parameter may come before the one that names it.
    for param, value in ready:
        wire = _wire_param(param, coerced, errors)
        if wire is None:
            continue
        if wire.location == "path":
            args.path[wire.name] = value
        elif wire.location == "query":
            args.query.append((wire, value))
        else:
            args.body.append((wire, value))
    return args


def _wire_param(param: Param, coerced: Mapping[str, Any], errors: list[FieldError]) -> Param | None:
    """The parameter as it goes on the wire: renamed when its name is the value of another parameter.

    Discourse's site-setting update, for example, expects the new value under the setting's own name.
    """
    source = getattr(param, "name_from", None)
    if source is None:
        return param
    wire_name = coerced.get(source)
    if is_unset(wire_name):
        if not any(e.field == source for e in errors):  # an empty or bad source is reported once, there
            errors.append(FieldError(param.name, f"needs {source}, whose value names this field on the wire"))
        return None
    return replace(param, name=wire_text(wire_name))


def _generated_body(
    method: Method,
    items: list[tuple[Param, Any]],
    requested: str | None,
    is_disqus: bool,
    errors: list[FieldError],
) -> Body | None:
    if not items:
        if is_disqus and method.verb == "POST":
            # Disqus POSTs still need a body for keys and api_version.
            return encode_body([], requested or "form")
        return None
    has_file = any(param.is_upload for param, _ in items)
    encoding = requested or ("multipart" if has_file else None) or _default_encoding(method, is_disqus)
    if has_file and encoding != "multipart":
        errors.append(FieldError("body_encoding", f"files can only be sent as multipart, not {encoding}"))
        return None
    text_of = disqus_wire.disqus_text if is_disqus else wire_text
    return encode_body(items, encoding, text_of)


def _default_encoding(method: Method, is_disqus: bool) -> str:
    if is_disqus:
        return "form"
    # A catalog "multipart" default only matters with a file attached; without one JSON says the same thing.
    return method.body_encoding if method.body_encoding in ("json", "form") else "json"


def _raw_body(text: str, content_type: str | None, method: Method, is_disqus: bool) -> Body:
    if not content_type:
        content_type = _sniff_content_type(text, is_disqus)
    return Body(kind="raw", raw=text, content_type=content_type)


def _sniff_content_type(text: str, is_disqus: bool) -> str:
    try:
        json.loads(text)
    except ValueError:
        return "application/x-www-form-urlencoded" if is_disqus or "=" in text else "text/plain"
    return "application/json"


def _with_fields(body: Body | None, pairs: list[tuple[str, str]]) -> Body:
    if body is None:
        return Body(kind="form", fields=tuple(pairs))
    return Body(kind=body.kind, fields=(*body.fields, *pairs), files=body.files)
