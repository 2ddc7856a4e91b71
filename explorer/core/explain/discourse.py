"""Diagnoses of Discourse answers: error bodies, rate limits, login pages, and 422 messages per field."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from explorer.core.explain.model import Diagnosis, as_number, header_value, looks_html, parse_json

# Documented rate-limit budgets, by the code Discourse puts in Discourse-Rate-Limit-Error-Code.
_RATE_LIMIT_BUDGETS = {
    "admin_api_key_rate_limit": "Admin API keys share one budget: 60 requests a minute on a default install.",
    "user_api_key_limiter_60_secs": "Each User API key may make 20 requests a minute.",
    "user_api_key_limiter_1_day": "Each User API key may make 2,880 requests a day.",
}


def _error_details(data: Any) -> tuple[list[str], str | None, dict[str, Any]]:
    if not isinstance(data, dict):
        return [], None, {}
    errors = data.get("errors")
    messages = [str(e) for e in errors] if isinstance(errors, list) else ([str(errors)] if errors else [])
    extras = data.get("extras")
    if not isinstance(extras, dict):
        extras = {}
    error_type = data.get("error_type")
    return messages, str(error_type) if error_type else None, extras


def explain_discourse(
    status: int,
    headers: tuple[tuple[str, str], ...],
    body: bytes,
    data: Any,
    content_type: str,
    path: str,
    verb: str,
    error: str | None,
) -> Diagnosis:
    messages, error_type, extras = _error_details(data)
    details: list[tuple[str, str]] = []
    if error_type:
        details.append(("error_type", error_type))
    details += [("errors[]", m) for m in messages]
    route = header_value(headers, "x-discourse-route")
    if route:
        details.append(("X-Discourse-Route", route))
    facts = tuple(details)
    text = body[:200].decode("utf-8", "replace").strip()

    if status == 403 and "bad csrf" in text.lower():
        return Diagnosis(
            "discourse-bad-csrf",
            "error",
            "BAD CSRF — the server did not see an API key",
            "A write (POST/PUT/DELETE) arrived without usable API credentials, so Discourse treated it as a "
            "browser form without its anti-forgery token and refused it.",
            causes=(
                "The key was sent as a query parameter or form field (api_key=…), which Discourse has "
                "ignored since April 2020.",
                "The header names use underscores (api_key, api_username) — they must be Api-Key and "
                "Api-Username.",
                "No credentials at all: the profile has no key, or a proxy stripped the headers.",
            ),
            fixes=(
                "Send Api-Key and Api-Username (or User-Api-Key) as HTTP headers; choose a profile with a "
                "key, or apply the lint fix \u201cMove credentials to headers\u201d.",
            ),
            details=(("body", text),),
        )
    if status == 429:
        return _rate_limited(headers, messages, extras, facts, text)
    # Before the HTML check: Rails sends every redirect with a small text/html body.
    if status in (301, 302, 303, 307, 308):
        location = header_value(headers, "location") or ""
        if "/login" in location or "/session/sso" in location:
            return Diagnosis(
                "discourse-login-redirect",
                "error",
                "Redirected to the login page",
                "The site requires login and did not recognise you, so it sent you to its login page.",
                causes=(
                    "No API key was sent, or it was sent in a way Discourse ignores.",
                    "The site has \u201clogin required\u201d switched on.",
                ),
                fixes=("Use a profile with an API key (Api-Key + Api-Username headers).",),
                details=(("Location", location),),
            )
        return Diagnosis(
            "redirect",
            "info",
            f"Redirect ({status})",
            "The server points elsewhere; redirects are not followed unless you switch that on in Settings.",
            fixes=("Check the base URL (http vs https, www, a subfolder), or enable following redirects.",),
            details=(("Location", location),),
        )
    if looks_html(content_type, body):
        return _html_instead_of_json(status, body, path)
    if 200 <= status < 300:
        return Diagnosis("ok", "ok", f"Success ({status})", "The server accepted the request.", details=facts)
    if status == 404 and path.rstrip("/").endswith(("/session/current.json", "/session/current")):
        # There is no "current user" to find: the request reached Discourse as anonymous.
        return Diagnosis(
            "discourse-not-recognised",
            "error",
            "Not logged in: the credentials were not recognised",
            "/session/current.json answers 404 when the request is treated as anonymous — the URL is "
            "right, but the server did not accept (or did not receive) the credentials.",
            causes=(
                "No credentials were sent: the profile has no key, or a proxy stripped the headers.",
                "The API key is wrong or revoked, or Api-Username names no user.",
                "The key went in the query string or with underscores in the header names (both ignored).",
            ),
            fixes=(
                "Send Api-Key and Api-Username (or User-Api-Key) as headers with a valid key; Test "
                "connection in Profiles… checks them.",
            ),
            details=facts,
        )
    if status == 404 and (path.startswith("/admin/") or "/admin/" in path):
        return Diagnosis(
            "discourse-admin-404",
            "error",
            "404 on an /admin route: not an admin key",
            "Discourse answers 404, not 403, when a non-admin calls an /admin route — so this "
            "usually means the key is not accepted as an admin, not that the URL is wrong.",
            causes=(
                "The API key is invalid or revoked (admin routes hide that behind a 404).",
                "Api-Username names a user who is not an admin, or a single-user key belongs to a non-admin.",
                "The key's scopes do not include this admin endpoint.",
            ),
            fixes=(
                "Use an all-users admin key with Api-Username of an admin (e.g. system), or a key with the "
                "matching scope.",
            ),
            details=facts,
        )
    if error_type == "invalid_access" or (status == 403 and any("not permitted" in m for m in messages)):
        bad_key = any("key is invalid" in m for m in messages)
        causes = (
            (
                "The API key is wrong, revoked, or was never created on this site.",
                "A single-user key was sent with a different Api-Username.",
                "The key's scopes do not allow this endpoint, or the key is limited to other IP addresses.",
                "Header names with underscores are dropped by proxies (use Api-Key, not Api_Key).",
            )
            if bad_key
            else (
                "The acting user is not allowed to do this (trust level, group, category permissions).",
                "A User API key without the needed scope.",
                "The resource is private to other users.",
            )
        )
        return Diagnosis(
            "discourse-invalid-access",
            "error",
            "Not permitted (invalid_access)",
            "The server recognised the request but refused it: "
            + ("the API key or username is not accepted." if bad_key else "this user may not do this."),
            causes=causes,
            fixes=("Check the key and Api-Username in the profile (Test connection shows who you act as).",),
            details=facts,
        )
    if error_type == "not_logged_in":
        return Diagnosis(
            "discourse-not-logged-in",
            "error",
            "You need to be logged in (not_logged_in)",
            "This endpoint needs a user, and the server saw no credentials it accepts.",
            causes=("The profile has no API key, or the key went in the query string (ignored since 2020).",),
            fixes=("Use a profile with an API key sent as Api-Key/Api-Username headers.",),
            details=facts,
        )
    if status == 404:
        return Diagnosis(
            "discourse-not-found",
            "warning",
            "Not found",
            "No such resource here — or it exists but the acting user may not see it (Discourse hides "
            "private topics and categories behind 404).",
            causes=("A wrong id or slug in the path.", "A private category or topic.", "A deleted resource."),
            fixes=("Check the id, or retry with a user who can see it.",),
            details=facts,
        )
    if status == 422 or error_type == "record_invalid":
        action = data.get("action") if isinstance(data, dict) else None
        return Diagnosis(
            "discourse-validation",
            "error",
            "Rejected by validation (422)",
            "The server understood the request but refused the values: "
            + ("; ".join(messages) if messages else "see the body."),
            causes=(
                "A required field is missing or too short (titles, post length), a duplicate, or a rule "
                "of the site (e.g. a private message needs archetype and target_recipients).",
            ),
            fixes=("Correct the fields named in the messages and send again.",),
            details=facts + ((("action", str(action)),) if action else ()),
        )
    if status == 400:
        return Diagnosis(
            "discourse-bad-request",
            "error",
            "Bad request (400)",
            "; ".join(messages) or "The server could not use the parameters.",
            causes=("A parameter is missing, misspelled or has the wrong type.",),
            fixes=("Compare the arguments with the Docs tab.",),
            details=facts,
        )
    if status == 503 or error_type == "read_only":
        return Diagnosis(
            "discourse-read-only",
            "warning",
            "Site unavailable or read-only",
            "; ".join(messages) or "The site is in maintenance or read-only mode.",
            fixes=("Try again later; reads may still work.",),
            details=facts,
        )
    if status >= 500:
        return Diagnosis(
            "server-error",
            "error",
            f"Server error ({status})",
            "The server failed while handling the request; this is not caused by your credentials.",
            fixes=("Retry later; if it persists, check the site's logs (/logs for admins).",),
            details=facts,
        )
    return Diagnosis(
        "http-error",
        "warning" if status < 500 else "error",
        f"HTTP {status}",
        "; ".join(messages) or error or "The server refused the request.",
        details=facts,
    )


def _rate_limited(
    headers: tuple[tuple[str, str], ...],
    messages: list[str],
    extras: dict[str, Any],
    facts: tuple[tuple[str, str], ...],
    text: str,
) -> Diagnosis:
    # Retry-After is present on both producers; the JSON extras only on the controller-level one.
    wait = as_number(header_value(headers, "retry-after"))
    if wait is None:
        wait = as_number(extras.get("wait_seconds"))
    code = header_value(headers, "discourse-rate-limit-error-code") or ""
    budget = _RATE_LIMIT_BUDGETS.get(code)
    if not budget and code.startswith(("ip_", "id_")):
        budget = "The per-IP (or per-user) safety limiter tripped: too many requests in a few seconds."
    details = facts + ((("Discourse-Rate-Limit-Error-Code", code),) if code else ())
    if not messages and text:
        details += (("body", text),)
    return Diagnosis(
        "discourse-rate-limit",
        "warning",
        "Rate limited (429)",
        "Too many requests; the server asks you to wait"
        + (f" {wait:g} seconds" if wait is not None else "")
        + " before trying again.",
        causes=tuple(c for c in (budget, "Scripts that loop without pausing hit this first.") if c),
        fixes=("Wait for the countdown, then retry; pace bulk jobs and honour Retry-After.",),
        details=details,
        wait_seconds=wait,
    )


def _html_instead_of_json(status: int, body: bytes, path: str) -> Diagnosis:
    lowered = body[:20000].decode("utf-8", "replace").lower()
    login = any(marker in lowered for marker in ("login", "log in", "sign in", "password"))
    if login:
        return Diagnosis(
            "html-login-page",
            "error",
            "A login page where JSON was expected",
            "The server answered with its HTML login page: it did not recognise you as a logged-in user.",
            causes=(
                "The site requires login and no API key was sent (or it was sent in the query string).",
                "A single sign-on proxy in front of the forum intercepted the request.",
            ),
            fixes=(
                "Use a profile with an API key sent as headers.",
                "Make sure the path ends in .json so Discourse answers with data.",
            ),
            details=(("status", str(status)),),
        )
    return Diagnosis(
        "html-instead-of-json",
        "warning",
        "HTML where JSON was expected",
        "The answer is a web page, not data.",
        causes=(
            "The path lacks .json (Discourse serves the web page for the same URL).",
            "A proxy, CDN or maintenance page answered instead of the forum.",
        ),
        fixes=("Add .json to the path, or check the base URL.",),
        details=(("status", str(status)), ("path", path)),
    )


_ATTRIBUTE_ALIASES = {"raw": ("body",)}
# Discourse messages that do not begin with their attribute's name, and the parameters they are about,
# preferred first (the first one the form has gets the message).
_PHRASES: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"you must choose a valid user\b"), ("target_recipients", "target_usernames")),
    (re.compile(r"the user '.*' could not be found\b"), ("target_recipients", "target_usernames")),
)


def field_errors(body: bytes, param_names: Iterable[str]) -> dict[str, str]:
    """Validation messages of a Discourse 422 (`errors[]`) matched to the parameters they are about.

    Rails writes full messages that start with the humanised attribute ("Title is too short ..."), so a
    message belongs to the parameter whose humanised name begins it (the longest such name wins). The
    few that do not ("You must choose a valid user.") are matched by phrase (`_PHRASES`).
    """
    messages, _, _ = _error_details(parse_json(body))
    labels: list[tuple[str, str]] = []
    for name in param_names:
        base = name.removesuffix("[]")
        labels.append((base.replace("_", " ").lower(), name))
        labels += [(alias, name) for alias in _ATTRIBUTE_ALIASES.get(base, ())]
    labels.sort(key=lambda pair: len(pair[0]), reverse=True)
    by_base = {name.removesuffix("[]"): name for _, name in labels}
    found: dict[str, str] = {}
    for message in messages:
        lowered = message.lower()
        for label, name in labels:
            if lowered.startswith(label + " ") and name not in found:
                found[name] = message
                break
        else:
            for phrase, about in _PHRASES:
                name = next((by_base[n] for n in about if n in by_base), "")
                if name and name not in found and phrase.match(lowered):
                    found[name] = message
                    break
    return found
