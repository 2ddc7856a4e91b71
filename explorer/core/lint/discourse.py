"""Discourse authentication rules: credentials in the query or body, misspelt headers, missing username."""

from __future__ import annotations

import re
from dataclasses import replace

from explorer.core.building.discourse_auth import (
    ACTING_USER_HEADERS,
    ADMIN_KEY_HEADERS,
    CREDENTIAL_HEADER_NAMES,
    USER_API_HEADERS,
)
from explorer.core.lint import browser
from explorer.core.lint.access import add_headers, params, remove_params, url_path
from explorer.core.lint.model import Finding, Fix, Severity
from explorer.core.prepared import PreparedRequest


def _normalise(header: str) -> str:
    return header.strip().lower().replace("_", "-")


# Parameter names Discourse reads credentials from (every credential but the User API client id), and
# the header each one belongs in.
PARAM_TO_HEADER = {
    name: header
    for name, header in {**ADMIN_KEY_HEADERS, **ACTING_USER_HEADERS, **USER_API_HEADERS}.items()
    if name != "user_api_client_id"
}
# Every credential header, keyed by its normalised spelling (lower case, '_' read as '-').
CREDENTIAL_HEADERS = {_normalise(header): header for header in CREDENTIAL_HEADER_NAMES}
USER_SELECTORS = tuple(_normalise(header) for header in ACTING_USER_HEADERS.values())

# The routes that still read credentials from parameters (a Rails route allow-list in core):
# GET RSS feeds, the GET bookmarks iCalendar feed and the mail-receiver endpoint.
_RSS = re.compile(r"\.rss$")
_BOOKMARKS_ICS = re.compile(r"/(u|users)/[^/]+/bookmarks\.ics$")
_HANDLE_MAIL = re.compile(r"/admin/email/handle_mail(\.json)?$")


def parameter_auth_allowed(request: PreparedRequest) -> bool:
    """True when the route is on Discourse's allow-list for credentials passed as parameters."""
    path = url_path(request)
    verb = request.method.upper()
    if verb == "GET":
        return bool(_RSS.search(path) or _BOOKMARKS_ICS.search(path))
    return verb == "POST" and bool(_HANDLE_MAIL.search(path))


def _move_to_headers(request: PreparedRequest) -> PreparedRequest:
    found = params(request)
    moving = set(PARAM_TO_HEADER)
    # The client id is no credential on its own (so it is not flagged), but it belongs with the User API
    # key: once the key is a header, a client id left behind in the URL would be read by nobody.
    if any(p.name == "user_api_key" for p in found):
        moving.add("user_api_client_id")
    headers = {**PARAM_TO_HEADER, "user_api_client_id": USER_API_HEADERS["user_api_client_id"]}
    moved = [(headers[p.name], p.value) for p in found if p.name in moving]
    stripped = remove_params(request, lambda name: name in moving)
    # A header the user already set wins over a parameter the server would have ignored anyway.
    return add_headers(stripped, moved)


def check_query_auth(request: PreparedRequest) -> list[Finding]:
    found = [p for p in params(request) if p.name in PARAM_TO_HEADER]
    if not found:
        return []
    names = ", ".join(dict.fromkeys(p.name for p in found))
    places = " and ".join(
        dict.fromkeys("the query string" if p.location == "query" else "the body" for p in found)
    )
    if parameter_auth_allowed(request):
        return [
            Finding(
                code="discourse-query-auth-allowed",
                severity=Severity.INFO,
                message=(
                    f"{names} in {places} works here: RSS feeds, the bookmarks calendar (.ics) and the "
                    "mail-receiver endpoint are the only routes Discourse still lets take credentials as "
                    "parameters. The key is part of the URL, though, so it lands in server logs and feed "
                    "reader settings; use a key with the narrowest scope you can."
                ),
                subject=found[0].name,
            )
        ]
    if request.method.upper() in ("GET", "HEAD"):
        consequence = (
            "the server ignores them without an error, so this GET quietly returns what an anonymous "
            "visitor sees (no private categories, messages or admin data), or 403/404 where a login is "
            "needed"
        )
    else:
        consequence = (
            f"the server ignores them, treats this {request.method.upper()} as a browser form without a CSRF "
            'token and answers 403 with the plain-text body ["BAD CSRF"]'
        )
    headers = ", ".join(dict.fromkeys(PARAM_TO_HEADER[p.name] for p in found))
    return [
        Finding(
            code="discourse-query-auth",
            severity=Severity.ERROR,
            message=(
                f"{names} in {places}: since 6 April 2020 Discourse only accepts credentials as HTTP "
                f"headers (apart from RSS, .ics and mail-receiver routes); {consequence}. "
                f"Send them as {headers} headers instead."
            ),
            fix=Fix("Move credentials to headers", _move_to_headers),
            subject=found[0].name,
        )
    ]


def _rename_headers(request: PreparedRequest) -> PreparedRequest:
    renamed = tuple(
        (CREDENTIAL_HEADERS.get(_normalise(k), k) if "_" in k else k, v) for k, v in request.headers
    )
    return replace(request, headers=renamed)


def check_header_names(request: PreparedRequest) -> list[Finding]:
    findings = []
    for name, _ in request.headers:
        canonical = CREDENTIAL_HEADERS.get(_normalise(name))
        if canonical is None or "_" not in name:
            continue
        findings.append(
            Finding(
                code="discourse-header-name",
                severity=Severity.ERROR,
                message=(
                    f"The header {name!r} is spelt with underscores. nginx, which sits in front of standard "
                    "Discourse installs, drops such headers by default (and other proxies do the same), so "
                    "the server never sees the credential: reads come back as an anonymous visitor and "
                    f'writes get 403 ["BAD CSRF"]. The header is called {canonical}.'
                ),
                fix=Fix(f"Rename to {canonical}", _rename_headers),
                subject=name,
            )
        )
    return findings


def check_missing_username(request: PreparedRequest) -> list[Finding]:
    present = {_normalise(k) for k, _ in request.headers}
    if "api-key" not in present or any(sel in present for sel in USER_SELECTORS):
        return []
    return [
        Finding(
            code="discourse-missing-username",
            severity=Severity.WARNING,
            message=(
                "Api-Key is sent without Api-Username, Api-User-Id or Api-User-External-Id. That only works "
                'with a key created for a single user; an "All users" key does not know whom to act as, '
                'and Discourse answers 403 ("The API username or key is invalid"). Add Api-Username with '
                "the user the request should act as (for example system)."
            ),
            subject="Api-Username",
        )
    ]


def check(request: PreparedRequest) -> list[Finding]:
    """Every Discourse-specific finding for `request`."""
    return [
        *check_query_auth(request),
        *check_header_names(request),
        *check_missing_username(request),
        *browser.check(request),
    ]
