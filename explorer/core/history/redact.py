"""Everything history stores, masked before it is written: keys never reach the database file."""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, quote_plus, unquote, unquote_plus, urlsplit, urlunsplit

from explorer.core.history import codec
from explorer.core.history.matching import arguments_key, masked_spec_json
from explorer.core.http.masking import mask_url, request_secrets
from explorer.core.prepared import SECRET_PLACEHOLDER

if TYPE_CHECKING:
    from explorer.core.http.result import ExecutionResult
    from explorer.core.lifecycle.send import Exchange

# A secret straddling the body cap is scrubbed whole before the cut: read this much past the cap.
_SECRET_SLACK = 4096


@dataclass(frozen=True, slots=True)
class RedactedExchange:
    """One exchange as history stores it: every text masked, the body scrubbed and cut to the cap."""

    created_at: float
    api: str | None
    method_id: str | None
    verb: str
    url: str
    status: int | None
    reason: str
    http_version: str
    duration_ms: float
    size: int
    wire_size: int
    profile: str | None
    error: str | None
    cancelled: bool
    content_type: str
    request_key: str
    # The digest of the specification's arguments (matching.arguments_key); None without a specification.
    arguments_key: str | None
    request_json: str
    spec_json: str | None
    # Response headers, headers sent on the wire, redirects, final URL and method, notes (one JSON object).
    response_json: str
    body: bytes
    body_truncated: bool


def redact_exchange(
    exchange: Exchange, *, profile: str | None = None, body_cap_bytes: int = 5 * 2**20
) -> RedactedExchange:
    """`exchange` masked for storage.

    Secret-named values go by name (`PreparedRequest.masked`, `ExecutionResult.masked`,
    `RequestSpec.as_json`); on top, every secret value the request carried is scrubbed wherever it
    appears — a server that echoes a key in its body, a header, a redirect or an error message does not get
    it stored. The body is scrubbed as bytes, so a binary body is kept as it came apart from the keys.
    """
    result = exchange.result
    request = exchange.request
    # The headers of the last hop as sent may hold a value the prepared request did not (an auth header
    # the client added), so they count as secrets too.
    secrets = tuple(request_secrets(replace(request, headers=request.headers + result.sent_headers)))
    shown = result.masked()
    masked_request = request.masked()
    spec = exchange.spec
    url = _scrub(masked_request.full_url(), secrets)
    response = {
        "headers": [list(pair) for pair in _scrub_pairs(shown.headers, secrets)],
        "sent_headers": [list(pair) for pair in _scrub_pairs(shown.sent_headers, secrets)],
        "redirects": [[code, location] for code, location in shown.redirects],
        "final_url": shown.final_url,
        "final_method": shown.final_method,
        "notes": list(shown.notes),
    }
    body, truncated = _stored_body(result, secrets, body_cap_bytes)
    spec_data = _scrub_json(masked_spec_json(spec), secrets) if spec is not None else None
    return RedactedExchange(
        created_at=exchange.started_at or time.time(),
        api=request.api,
        method_id=request.method_id,
        verb=request.method,
        url=url,
        status=result.status,
        reason=_scrub(result.reason, secrets),
        http_version=result.http_version,
        duration_ms=result.elapsed_s * 1000,
        size=result.size,
        wire_size=result.wire_size,
        profile=profile if profile is not None else (spec.profile if spec is not None else None),
        error=_scrub(shown.error, secrets) if shown.error else None,
        cancelled=result.cancelled,
        content_type=result.content_type,
        request_key=request_key(
            request.api, request.method_id, request.method, spec.url if spec is not None else request.url
        ),
        arguments_key=arguments_key(spec_data),
        request_json=codec.dumps(_scrub_json(codec.request_to_json(masked_request), secrets)),
        spec_json=codec.dumps(spec_data) if spec_data is not None else None,
        response_json=codec.dumps(_scrub_json(response, secrets)),
        body=body,
        body_truncated=truncated,
    )


def request_key(api: str | None, method_id: str | None, verb: str, url: str) -> str:
    """What makes two requests "the same request" for `responses_for`: the catalog method, or the verb and
    the URL without its query (as the specification holds it: a path stays a path)."""
    if api and method_id:
        return f"method {api}:{method_id}"
    parts = urlsplit(mask_url(url.strip()))
    return f"url {verb.upper()} {urlunsplit((parts.scheme, parts.netloc, parts.path, '', ''))}"


def scrub_bytes(data: bytes, secrets: Sequence[str], charset: str | None = None) -> bytes:
    """`data` with every secret replaced, as it would be written in the body: as is, percent-encoded,
    JSON-escaped (with or without escaped slashes), in UTF-8 and in the body's own charset."""
    if not secrets or not data:
        return data
    placeholder = SECRET_PLACEHOLDER.encode()
    for secret in secrets:
        escaped = json.dumps(secret)[1:-1]
        # PHP's json_encode (and others) also escape "/" as "\/".
        forms = {
            secret,
            quote(secret, safe=""),
            quote_plus(secret, safe=""),
            escaped,
            escaped.replace("/", "\\/"),
        }
        for form in sorted(forms, key=len, reverse=True):
            for encoding in dict.fromkeys(("utf-8", charset or "utf-8")):
                try:
                    needle = form.encode(encoding)
                except (LookupError, UnicodeEncodeError):
                    continue
                if needle:
                    data = data.replace(needle, placeholder)
    return data


def _stored_body(result: ExecutionResult, secrets: Sequence[str], cap: int) -> tuple[bytes, bool]:
    """The body scrubbed and cut to `cap` bytes; True when something was cut off."""
    if result.status is None:
        return b"", False
    if result.body_path is not None:
        try:
            with result.body_path.open("rb") as handle:
                raw = handle.read(cap + _SECRET_SLACK)
        except OSError:
            return b"", result.size > 0  # the caller discarded its file before history could read it
    else:
        raw = result.body[: cap + _SECRET_SLACK]
    scrubbed = scrub_bytes(raw, secrets, _charset(result))
    kept = scrubbed[:cap]
    return kept, len(kept) < len(scrubbed) or result.size > len(raw)


def _charset(result: ExecutionResult) -> str | None:
    for part in (result.header("content-type") or "").split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"')
    return None


@functools.lru_cache(maxsize=64)
def _text_forms(secrets: tuple[str, ...]) -> tuple[str, ...]:
    """The spellings masking.scrub replaces, in its order, computed once per set of secrets (an entry has
    hundreds of strings to scrub)."""
    return tuple(
        form
        for secret in secrets
        for form in dict.fromkeys((secret, quote(secret, safe=""), quote_plus(secret, safe="")))
    )


def _scrub(text: str, secrets: tuple[str, ...]) -> str:
    """masking.scrub, faster for many short strings."""
    for form in _text_forms(secrets):
        if form in text:
            text = text.replace(form, SECRET_PLACEHOLDER)
    return text


def _scrub_json(value: Any, secrets: tuple[str, ...]) -> Any:
    """Every string in a JSON-ready value scrubbed (keys included); the structure is kept."""
    if isinstance(value, str):
        return _scrub(value, secrets)
    if isinstance(value, dict):
        return {_scrub(str(k), secrets): _scrub_json(v, secrets) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub_json(v, secrets) for v in value]
    return value


def _scrub_pairs(pairs: tuple[tuple[str, str], ...], secrets: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(k, _scrub_header(v, secrets)) for k, v in pairs]


def _scrub_header(value: str, secrets: tuple[str, ...]) -> str:
    """A header value scrubbed; when a key still shows once percent-decoded (a server that encodes only
    some characters, `tok%2Ben/x`), the decoded value is kept instead, scrubbed."""
    value = _scrub(value, secrets)
    for decode in (unquote, unquote_plus):
        decoded = decode(value)
        if decoded != value and any(secret in decoded for secret in secrets):
            return _scrub(decoded, secrets)
    return value
