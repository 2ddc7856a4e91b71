"""Diagnoses of Disqus 1.1 answers: the {succeeded, code, message} envelope, redirects and crashes."""

from __future__ import annotations

import json
from typing import Any

from explorer.core.explain.model import Diagnosis, header_value, looks_html


def explain_disqus(
    status: int,
    headers: tuple[tuple[str, str], ...],
    body: bytes,
    data: Any,
    content_type: str,
    url: str,
    error: str | None,
) -> Diagnosis:
    sentry = header_value(headers, "x-sentry-id")
    if status in (301, 302, 307, 308):
        location = header_value(headers, "location") or ""
        return Diagnosis(
            "disqus-redirect",
            "warning",
            "Redirected — probably the trailing slash",
            "Disqus 1.1 method URLs end in a slash (/api/get_forum_list/); without it the server redirects, "
            "and a POST loses its body on the way.",
            fixes=("Add the trailing slash to the path.",),
            details=(("Location", location),),
        )
    if not isinstance(data, dict) or "succeeded" not in data:
        if looks_html(content_type, body):
            return Diagnosis(
                "html-instead-of-json",
                "warning",
                "HTML where JSON was expected",
                "An HTML page answered instead of the API.",
                causes=(
                    "A proxy, CDN or maintenance page in front of the API answered (often a 502 or 503).",
                    "A wrong base URL or path: /api/{method}/ with the trailing slash.",
                ),
                fixes=("Check the base URL and the path; retry later if a proxy reported an outage.",),
                details=(("status", str(status)),),
            )
        if status >= 500:
            return Diagnosis(
                "disqus-server-error",
                "error",
                f"Disqus server error ({status})",
                "The server crashed on this call. Old Disqus clients saw this for invalid values rather "
                "than a clean error envelope.",
                causes=("An argument with an empty or malformed value.",),
                fixes=("Leave out empty arguments and check the values' formats, then retry.",),
                details=(("X-Sentry-ID (reference)", sentry),) if sentry else (),
            )
        return Diagnosis(
            "disqus-not-json",
            "error",
            "No valid JSON returned",
            "Every Disqus 1.1 answer should be a JSON envelope {succeeded, code, message}; this one is not.",
            details=(("status", str(status)),),
        )
    succeeded = data.get("succeeded") is True
    code = str(data.get("code", ""))
    message = data.get("message")
    details: tuple[tuple[str, str], ...] = (("succeeded", json.dumps(data.get("succeeded"))), ("code", code))
    if sentry:
        details += (("X-Sentry-ID (reference)", sentry),)
    if succeeded and (code in ("ok", "")):
        kind = type(message).__name__ if message is not None else "null"
        summary = f"The call succeeded; the payload is in \u201cmessage\u201d ({_describe(message)})."
        if message is None:
            summary = (
                "The call succeeded, but \u201cmessage\u201d is null: nothing matched (e.g. an unknown URL)."
            )
        return Diagnosis("disqus-ok", "ok", "Succeeded", summary, details=details + (("message type", kind),))
    text = message if isinstance(message, str) else json.dumps(message)
    causes: tuple[str, ...]
    fixes: tuple[str, ...]
    if "could not be converted" in text and "key" in text.lower():
        causes = (
            "The key is wrong, truncated, or belongs to another account or forum.",
            "The method needs a different kind of key (user vs forum vs partner).",
        )
        fixes = ("Check the keys in the profile; get the forum key with get_forum_api_key.",)
    elif code in ("bad-key", "bad-credentials"):
        causes = ("A key or the username/password was not accepted.",)
        fixes = ("Check the profile's keys.",)
    elif code == "input-invalid":
        causes = ("An argument is missing or has a value the server cannot convert (the message names it).",)
        fixes = ("Correct the argument named in the message; dates use YYYY-MM-DDTHH:MM in UTC.",)
    else:
        causes = ("The server refused the call; the message says why.",)
        fixes = ("Read the message; check the method's required arguments and key.",)
    return Diagnosis(
        f"disqus-{code or 'error'}",
        "error",
        f"Failed: {code or 'error'}",
        text,
        causes=causes,
        fixes=fixes,
        details=details + (("HTTP status", str(status)),),
    )


def _describe(message: Any) -> str:
    if isinstance(message, list):
        return f"a list of {len(message)}"
    if isinstance(message, dict):
        return f"an object with {len(message)} keys"
    if isinstance(message, str):
        return "a string"
    return type(message).__name__


# Rails names some attributes differently from the API parameter (a post's `raw` is its "Body").
