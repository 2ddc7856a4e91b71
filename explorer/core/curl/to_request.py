"""Turn a parsed curl command into a PreparedRequest, match it to a catalog method and lint it."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit, urlunsplit

from explorer.core.building.encoding import base_url_problem
from explorer.core.catalog.loader import CatalogError, load_catalog
from explorer.core.catalog.model import Api, Catalog
from explorer.core.curl.body import request_body
from explorer.core.curl.match import MethodMatch, match_request
from explorer.core.curl.parse import ParsedCurl, parse_command
from explorer.core.curl.tokens import CurlError
from explorer.core.http.masking import mask_text
from explorer.core.lint import Finding, lint_request
from explorer.core.paths import resources_dir
from explorer.core.prepared import SECRET_PLACEHOLDER, Body, PreparedRequest
from explorer.core.text import character_name, position, undecodable, url_characters_problem


@dataclass(frozen=True, slots=True)
class ImportedCurl:
    """The request a curl command describes, the curl options that are not part of it, and what we found.

    `match` is the catalog method whose verb and path fit (None when nothing fits); `findings` are
    the linter's findings for the request.
    """

    request: PreparedRequest
    follow_redirects: bool = False
    insecure: bool = False
    http10: bool = False
    notes: tuple[str, ...] = ()
    match: MethodMatch | None = None
    findings: tuple[Finding, ...] = ()


def bundled_catalogs() -> dict[Api, Catalog]:
    """The shipped catalogs that load; a missing or broken one is left out (matching just finds less)."""
    found = {}
    for api in Api:
        try:
            found[api] = load_catalog(resources_dir() / "catalogs" / f"{api.value}.json")
        except CatalogError:
            continue
    return found


def import_curl(
    text: str,
    *,
    base_url: str | None = None,
    base_dir: Path | None = None,
    catalogs: Mapping[Api, Catalog] | None = None,
) -> ImportedCurl:
    """Import one curl command line; raises CurlError naming the problem and its position.

    `base_url` resolves an empty or relative URL (`curl -X POST "" …` as in some documentation).
    `base_dir` allows `-d @file` and `-F name=@file` to read files relative to it; without it such
    arguments are refused, because a pasted command's files are usually not on this machine.
    `catalogs` defaults to the bundled ones.
    """
    if not text.strip():
        raise CurlError("The cURL text is empty.")
    problem = undecodable(text)
    if problem is not None:
        raise CurlError(f"The cURL text cannot be read: {problem}.")
    if base_url:
        problem = base_url_problem(base_url)
        if problem is not None:
            raise CurlError(f"Base URL: {problem}.")
    parsed = parse_command(text)
    notes = list(parsed.notes)
    url, query, url_user = _url(parsed, base_url, notes)
    headers = _headers(parsed, url_user)
    body, headers, extra_query = request_body(parsed, headers, base_dir, notes)
    method = _method(parsed, body is not None or bool(extra_query))
    query += extra_query
    if any(SECRET_PLACEHOLDER in v for _, v in (*headers, *query)) or _body_has_placeholder(body):
        notes.append(f"The command contains {SECRET_PLACEHOLDER} placeholders: fill in the real secrets.")
    request = PreparedRequest(method=method, url=url, query=tuple(query), headers=tuple(headers), body=body)
    known = bundled_catalogs() if catalogs is None else catalogs
    match = match_request(method, url, known) if url else None
    if match is not None:
        request = replace(request, api=match.api.value, method_id=match.method_id)
    findings = lint_request(request, match.method if match else None, catalog=known.get(Api.DISQUS))
    return ImportedCurl(
        request=request,
        follow_redirects=parsed.location,
        insecure=parsed.insecure,
        http10=parsed.http10,
        notes=tuple(notes),
        match=match,
        findings=tuple(findings),
    )


def _body_has_placeholder(body: Body | None) -> bool:
    """True when an exported command's masked secret (a form field, a JSON value, raw text) is still there."""
    if body is None:
        return False
    if body.kind == "json":
        return SECRET_PLACEHOLDER in json.dumps(body.json_value, ensure_ascii=False)
    # Fields are decoded already, so a placeholder written as %3Credacted%3E is found as well.
    texts = [value for _, value in body.fields] if body.kind in ("form", "multipart") else [unquote(body.raw)]
    return any(SECRET_PLACEHOLDER in text for text in texts)


def _method(parsed: ParsedCurl, has_data: bool) -> str:
    if parsed.method:
        if not _TOKEN.fullmatch(parsed.method):
            bad = next((c for c in parsed.method if not _TOKEN.fullmatch(c)), " ")
            raise CurlError(
                f"The method given with -X contains {character_name(bad)}: a method is one word of letters "
                "(GET, POST, PUT, …)."
            )
        return parsed.method
    if parsed.head:
        return "HEAD"
    if parsed.get:
        return "GET"
    return "POST" if has_data else "GET"


def _url(
    parsed: ParsedCurl, base_url: str | None, notes: list[str]
) -> tuple[str, list[tuple[str, str]], str | None]:
    """(URL without query or user info, query pairs, `user:password` from the URL or None)."""
    assert parsed.url is not None
    raw = parsed.url.text.strip()
    if base_url and (not raw or raw.startswith(("/", "?"))):
        raw = urljoin(base_url.rstrip("/") + "/", raw.lstrip("/")) if raw else base_url
    elif not raw:
        notes.append("The command's URL is empty: enter the site's address before sending.")
        return "", [], None
    elif "://" not in raw and not raw.startswith("/"):
        raw = "http://" + raw  # what curl itself assumes
        notes.append(f"The URL has no scheme; curl assumes http://, so it was read as {mask_text(raw)}.")
    where = position(parsed.text, parsed.url.start)
    problem = url_characters_problem(raw)
    if problem is not None:
        raise CurlError(f"The URL at {where} {problem}.")
    try:
        parts = urlsplit(raw)
        parts.port  # noqa: B018 - urlsplit checks the port only when it is read
    except ValueError as exc:
        raise CurlError(f"The URL {mask_text(raw)!r} at {where} is malformed ({exc}).") from exc
    if parts.scheme and parts.scheme.lower() not in ("http", "https"):
        raise CurlError(
            f"Unsupported URL scheme {parts.scheme!r} at {where}: only http and https can be sent."
        )
    if parts.scheme and not parts.netloc:
        raise CurlError(f"The URL {mask_text(raw)!r} at {where} has no host.")
    query = parse_qsl(parts.query, keep_blank_values=True)
    netloc, user = parts.netloc, None
    if "@" in netloc:
        # curl sends `user:password@` as Basic auth; as a header it is masked like any other secret,
        # whereas left in the URL it would be shown and exported in plain text.
        userinfo, _, netloc = netloc.rpartition("@")
        user = unquote(userinfo)
        if parsed.user is None:
            notes.append("The user name and password in the URL are sent as an Authorization header.")
    return urlunsplit((parts.scheme, netloc, parts.path, "", "")), query, user


def _headers(parsed: ParsedCurl, url_user: str | None) -> list[tuple[str, str]]:
    headers: list[tuple[str, str]] = []
    for raw, start in parsed.headers:
        # The position is worked out only for a message: counting lines from the start for every header
        # made 100,000 -H options take a minute.
        def where(start: int = start) -> str:
            return position(parsed.text, start)

        if raw.startswith("@"):
            raise CurlError(
                f"-H {_first_word(raw)} at {where()} reads headers from a file; paste the headers instead."
            )
        colon, semi = raw.find(":"), raw.find(";")
        if colon > 0 and (semi < 0 or colon < semi):
            name, value = raw[:colon].strip(), raw[colon + 1 :].strip()
            if not value:
                # curl's `-H "Name:"` removes a header curl would add itself; nothing to send.
                continue
        elif semi > 0 and not raw[semi + 1 :].strip():
            name, value = raw[:semi].strip(), ""  # `-H "Name;"` sends the header with an empty value
        else:
            # Only the first word is quoted: `Api-Key SECRET` without its colon is a key after a space.
            raise CurlError(
                f"-H {_first_word(raw)!r} at {where()} is not a header: expected 'Name: value'."
            )
        if not name or any(c in name for c in " \t"):
            raise CurlError(f"-H {_first_word(raw)!r} at {where()} has an invalid header name.")
        bad = _HEADER_CONTROL.search(name + value)
        if bad is not None:
            # A CR or LF would start a header (or a request) of its own on the wire.
            raise CurlError(
                f"-H {_first_word(name)!r} at {where()} contains {character_name(bad[0])}, which a header "
                "cannot hold."
            )
        headers.append((name, value))
    present = {k.lower() for k, _ in headers}
    for name, value in parsed.extra_headers:
        if name.lower() not in present:
            headers.append((name, value))
            present.add(name.lower())
    credentials = parsed.user if parsed.user is not None else url_user  # -u wins, as in curl
    if credentials is not None and "authorization" not in present:
        user = credentials if ":" in credentials else credentials + ":"
        token = base64.b64encode(user.encode("utf-8")).decode("ascii")
        headers.append(("Authorization", f"Basic {token}"))
    if parsed.bearer is not None and "authorization" not in present:
        headers.append(("Authorization", f"Bearer {parsed.bearer}"))
    return headers


# An HTTP method: one RFC 9110 token.
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
# What a header line cannot hold (a tab inside a value is allowed).
_HEADER_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f]")


def _first_word(raw: str, limit: int = 40) -> str:
    """The first word of what the user typed, masked and cut short, with … when more followed."""
    words = raw.split(None, 1)
    first = mask_text(words[0] if words else "")
    if len(first) > limit:
        first = first[:limit]
    return first + (" …" if len(words) > 1 or len(first) < len(words[0] if words else "") else "")
