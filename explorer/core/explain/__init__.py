"""Plain-language diagnosis of a response: Discourse error bodies, Disqus 1.1 envelopes, what to do next."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from explorer.core.explain.discourse import explain_discourse, field_errors
from explorer.core.explain.disqus import explain_disqus
from explorer.core.explain.model import Diagnosis, header_value, looks_html, parse_json
from explorer.core.text import format_size

if TYPE_CHECKING:  # only for annotations: importing explain does not load the HTTP layer (httpx)
    from explorer.core.http.result import ExecutionResult

__all__ = ["Diagnosis", "explain", "explain_for_display", "explain_result", "field_errors"]


def explain(
    status: int | None,
    headers: Iterable[tuple[str, str]] = (),
    body: bytes = b"",
    *,
    api: str | None = None,
    url: str = "",
    verb: str = "GET",
    error: str | None = None,
    cancelled: bool = False,
) -> Diagnosis:
    """Diagnose one response (or the lack of one). `api` is "discourse" or "disqus" when known."""
    headers = tuple(headers)
    if cancelled:
        return Diagnosis(
            "cancelled", "info", "Cancelled", "You cancelled the request before the answer arrived."
        )
    if status is None:
        return Diagnosis(
            "no-response",
            "error",
            "No response",
            error or "The request failed before any answer arrived.",
            causes=("The server is down or unreachable, the address is wrong, or the timeout is too short.",),
            fixes=("Check the profile's base URL, your network, and the timeout in Settings (Ctrl+,).",),
        )
    if error:
        # A status line arrived but the answer did not finish: whatever the body says is only part of it.
        return Diagnosis(
            "incomplete-response",
            "error",
            f"Incomplete answer ({status})",
            f"The server started answering {status}, but the body did not arrive completely: {error}",
            causes=(
                "The server or a proxy closed the connection before the end of the body.",
                "The timeout ran out while a large body was still arriving.",
                "The network connection dropped.",
            ),
            fixes=("Send again; for a large body raise the timeout in Settings (Ctrl+,).",),
            details=(("status", str(status)), ("received", format_size(len(body)))),
        )
    content_type = (header_value(headers, "content-type") or "").split(";")[0].strip().lower()
    data = parse_json(body) if not looks_html(content_type, body) else None
    path = urlsplit(url).path
    declared_json = content_type == "application/json" or content_type.endswith("+json")
    if declared_json and data is None and body.strip() and 200 <= status < 300:
        return Diagnosis(
            "invalid-json",
            "warning",
            f"Not valid JSON ({status})",
            f"The server said the answer is {content_type}, but the body is not valid JSON; it is shown as "
            "text.",
            causes=(
                "The server or a proxy sent a broken or cut-off body.",
                "The body was truncated at the response size limit (see the note above the body).",
            ),
            details=(("received", format_size(len(body))),),
        )
    if api == "disqus" or (isinstance(data, dict) and "succeeded" in data and "code" in data):
        return explain_disqus(status, headers, body, data, content_type, url, error)
    return explain_discourse(status, headers, body, data, content_type, path, verb, error)


def explain_result(result: ExecutionResult, api: str | None = None) -> Diagnosis:
    """`explain` for an ExecutionResult; `api` defaults to the one the request was built for."""
    request = result.request
    return explain(
        result.status,
        result.headers,
        result.body if result.body_path is None else result.read_body()[:1_000_000],
        api=api or request.api,
        url=result.final_url or request.full_url(),
        verb=result.final_method or request.method,
        error=result.error,
        cancelled=result.cancelled,
    )


def explain_for_display(result: ExecutionResult) -> Diagnosis:
    """`explain_result` on the masked result, with any key the server echoed hidden from every text.

    Servers repeat keys back (a Disqus bad-key message quotes it, a redirect's Location carries it), and a
    diagnosis is shown on screen and copied around, so it must never hold a secret.
    """
    from dataclasses import replace

    from explorer.core.http.masking import request_secrets, scrub

    secrets = request_secrets(result.request)
    diagnosis = explain_result(result.masked())

    def clean(text: str) -> str:
        return scrub(text, secrets)

    return replace(
        diagnosis,
        title=clean(diagnosis.title),
        summary=clean(diagnosis.summary),
        causes=tuple(clean(c) for c in diagnosis.causes),
        fixes=tuple(clean(f) for f in diagnosis.fixes),
        details=tuple((clean(k), clean(v)) for k, v in diagnosis.details),
    )
