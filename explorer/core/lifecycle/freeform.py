"""Free-form requests: a verb, a URL, params, headers and a body typed by hand, checked like any form."""

from __future__ import annotations

import json
import mimetypes
import re
from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from explorer.core.building.credentials import CredentialProblem, non_ascii_header
from explorer.core.building.discourse_auth import credential_headers
from explorer.core.building.encoding import BaseUrlProblem, join_url, normalize_base_url
from explorer.core.catalog.model import Api
from explorer.core.lifecycle.spec import BodySpec, Pair, RequestSpec, enabled
from explorer.core.lifecycle.target import CREDENTIAL_PLACES, Target
from explorer.core.prepared import SECRET_PLACEHOLDER, Body, FilePart, PreparedRequest
from explorer.core.text import character_name, undecodable, url_characters_problem

# An HTTP method: one RFC 9110 token (custom verbs such as PROPFIND are allowed).
_VERB = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")

def split_url(url: str) -> tuple[str, list[tuple[str, str]]]:
    """(the URL without its query, the query pairs in order); a fragment is dropped (never sent)."""
    parts = urlsplit(url.strip())
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")), pairs


def resolve_url(url: str, target: Target | None, errors: dict[str, str]) -> str:
    """An absolute URL: `url` itself when absolute, else joined to the target's base URL."""
    text = url.strip()
    if not text:
        errors["url"] = "the URL is empty"
        return ""
    parts = urlsplit(text)
    if parts.scheme and parts.netloc:
        if parts.scheme not in ("http", "https"):
            errors["url"] = f"only http and https URLs can be sent, not {parts.scheme}:"
        elif parts.username or parts.password:
            errors["url"] = "put credentials in a profile or a header, not in the URL"
        return text
    if parts.scheme or parts.netloc:
        errors["url"] = f"{text!r} is not a full URL (expected https://host/path or /path)"
        return ""
    if target is None:
        errors["url"] = "a path needs a profile to say which site it is on (or type the full URL)"
        return ""
    try:
        base = normalize_base_url(target.base_url)
    except BaseUrlProblem as exc:
        errors["base_url"] = str(exc)
        return ""
    return join_url(base, text if text.startswith("/") else "/" + text)


def body_problem(body: BodySpec) -> str | None:
    """Why the typed body cannot be sent as its kind says (invalid JSON names line and column), or None."""
    if body.kind == "json" and body.text.strip():
        try:
            json.loads(body.text)
        except json.JSONDecodeError as exc:
            return f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
    if body.kind in ("json", "raw") and (problem := undecodable(body.text)) is not None:
        return problem
    return None


def encode_body(body: BodySpec, errors: dict[str, str]) -> Body | None:
    """The Body a free-form (or overriding) BodySpec describes; problems go to errors["body"]."""
    if body.is_empty:
        return None
    problem = body_problem(body)
    if problem is not None:
        errors["body"] = problem
        return None
    if body.kind == "json":
        return Body(kind="json", json_value=json.loads(body.text), content_type=body.content_type)
    if body.kind == "raw":
        return Body(kind="raw", raw=body.text, content_type=body.content_type or "text/plain")
    fields = tuple(enabled(f for f in body.fields if not f.is_file))
    if body.kind == "form":
        return Body(kind="form", fields=fields, content_type=body.content_type)
    files: list[FilePart] = []
    for row in body.fields:
        if row.enabled and row.is_file and row.name.strip():
            part = read_file_part(row.name, row.value, errors)
            if part is not None:
                files.append(part)
    return Body(kind="multipart", fields=fields, files=tuple(files))


def read_file_part(name: str, path_text: str, errors: dict[str, str]) -> FilePart | None:
    if not path_text.strip():
        # An upload row left without a file: Path("") is the current directory, so say what is missing.
        errors["body"] = f"{name}: no file chosen"
        return None
    path = Path(path_text).expanduser()
    try:
        data = path.read_bytes()
    except OSError as exc:
        errors["body"] = f"{name}: cannot read {path_text!r}: {exc.strerror or exc}"
        return None
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return FilePart(name, path.name, data, kind, str(path.absolute()))


def check_headers(pairs: list[tuple[str, str]], errors: dict[str, str]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for name, value in pairs:
        name = name.strip()
        if any(c in name for c in " \t:\r\n") or undecodable(name):
            errors["headers"] = f"invalid header name {name!r}"
        elif "\r" in value or "\n" in value:
            errors["headers"] = f"the value of header {name!r} contains a line break"
        elif "\x00" in name + value:
            errors["headers"] = f"header {name!r} contains a NUL character"
        elif (problem := non_ascii_header(name, value)) is not None:
            errors["headers"] = problem
        else:
            out.append((name, value))
    return out


Pairs = list[tuple[str, str]]


def credential_pairs(target: Target | None, skip: set[str], url: str) -> tuple[Pairs, Pairs]:
    """(headers, query arguments) carrying the target's credentials, leaving out names in `skip`.

    `skip` holds the `wire_key`s of header or argument names the request sets itself: the request wins.
    """
    if target is None or not target.credentials or not same_site(url, target.base_url):
        return [], []  # a profile's keys only ever go to the profile's own site
    if skip & _credential_wire_keys(target):
        return [], []  # the request brings its own credentials; adding the profile's would mix two identities
    if target.api is Api.DISCOURSE:
        headers = credential_headers(target.credentials)
        return [(k, v) for k, v in headers if wire_key(k) not in skip], []
    if target.api is Api.DISQUS:
        return [], [(k, v) for k, v in target.credentials.items() if wire_key(k) not in skip]
    return [], []


def _credential_wire_keys(target: Target) -> set[str]:
    places = CREDENTIAL_PLACES.get(target.api, {})
    return {wire_key(name) for name in places} | {wire_key(p.partition(":")[2]) for p in places.values()}


def same_site(url: str, base_url: str) -> bool:
    """True when `url` is on the site of `base_url` (same scheme, host and port)."""
    a, b = urlsplit(url), urlsplit(base_url)
    return (a.scheme, a.hostname, a.port) == (b.scheme, b.hostname, b.port)


def wire_key(name: str) -> str:
    """A header or argument name compared loosely: `Api-Key`, `api_key` and `API_KEY` are the same credential
    (Discourse once read its keys from the query as api_key, now from the Api-Key header)."""
    return name.strip().lower().replace("_", "-")


def build_free_form(
    spec: RequestSpec, target: Target | None, errors: dict[str, str]
) -> PreparedRequest | None:
    """The request a free-form specification describes, with the target's credentials added where the
    request does not set them itself; None (with `errors` filled) when it cannot be sent."""
    if not _VERB.fullmatch(spec.verb):
        # A line break or space in the verb would start another request line on the wire.
        bad = next((c for c in spec.verb if not _VERB.fullmatch(c)), "")
        why = f"it contains {character_name(bad)}" if bad else "it is empty"
        errors["method"] = f"the verb must be one word of letters (GET, POST, …); {why}"
    # Checked here, before splitting, and nowhere after: the URL parser quietly drops CR, LF and tabs.
    problem = url_characters_problem(spec.url.strip())
    if problem is not None:
        errors["url"] = f"the URL {problem}"
    url, url_query = split_url(spec.url)
    absolute = resolve_url(url, target, errors) if problem is None else ""
    # A placeholder (from a saved file) means "the profile's": it is never sent as it is.
    query = url_query + [(k, v) for k, v in enabled(spec.params) if v != SECRET_PLACEHOLDER]
    headers = check_headers([(k, v) for k, v in enabled(spec.headers) if v != SECRET_PLACEHOLDER], errors)
    body = encode_body(spec.body, errors)
    own = {wire_key(name) for name, _ in headers} | {wire_key(name) for name, _ in query}
    try:
        auth_headers, auth_query = credential_pairs(target, own, absolute)
    except CredentialProblem as exc:
        errors["auth"] = str(exc)
        auth_headers, auth_query = [], []
    if errors:
        return None
    if body is not None and body.kind != "multipart" and body.content_type is None:
        body = replace(body, content_type=_content_type_header(headers))
    return PreparedRequest(
        method=spec.verb.upper(),
        url=absolute,
        query=tuple(query + auth_query),
        headers=tuple(auth_headers + [(k, v) for k, v in headers if k.lower() != "content-type"]),
        body=body,
        api=spec.api or (target.api.value if target is not None else None),
        method_id=None,
    )


def _content_type_header(headers: list[tuple[str, str]]) -> str | None:
    return next((v for k, v in headers if k.lower() == "content-type"), None)


def spec_from_request(
    request: PreparedRequest, *, profile: str | None = None, base_url: str | None = None
) -> RequestSpec:
    """A free-form specification that sends `request` as it is (an imported cURL command, a pasted URL).

    The URL is kept relative to `base_url` when it lies under it, so switching profile moves it along.
    """
    url = request.url
    if base_url and url.startswith(base_url.rstrip("/") + "/"):
        url = url[len(base_url.rstrip("/")) :]
    headers = [Pair(k, v) for k, v in request.headers]
    body = _body_spec(request.body)
    if request.body is not None and request.body.content_type and request.body.kind != "multipart":
        headers = [h for h in headers if h.name.lower() != "content-type"]
    return RequestSpec(
        api=request.api,
        verb=request.method,
        url=url,
        params=tuple(Pair(k, v) for k, v in request.query),
        headers=tuple(headers),
        body=body,
        profile=profile,
    )


def _body_spec(body: Body | None) -> BodySpec:
    if body is None:
        return BodySpec()
    if body.kind == "json":
        return BodySpec("json", json.dumps(body.json_value, indent=2, ensure_ascii=False), body.content_type)
    if body.kind == "form":
        return BodySpec("form", "", body.content_type, tuple(Pair(k, v) for k, v in body.fields))
    if body.kind == "multipart":
        files = tuple(Pair(f.name, f.path or f.filename, True, True) for f in body.files)
        return BodySpec("multipart", "", None, tuple(Pair(k, v) for k, v in body.fields) + files)
    return BodySpec("raw", body.raw, body.content_type)
