"""ASGI middleware injecting the failure modes switched on in FaultSettings, to rehearse error handling."""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Awaitable, Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from explorer.sandbox.config import FaultSettings
from explorer.sandbox.demo import DISQUS_PREFIX

Sleep = Callable[[float], Awaitable[None]]

RETRY_AFTER_S = 10
SLOW_BODY_CHUNKS = 10
# uvicorn reports a response that ends early; for the truncated-body fault that is the point, not an error.
_TRUNCATION_LOG = "ASGI callable returned without completing response"

_PROXY_PAGE = (
    "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n"
    "<body><h1>502 Bad Gateway</h1>\n"
    "<p>The proxy in front of this site got no valid answer from the application server.</p>\n"
    "<hr><address>sandbox-proxy (fault rehearsal: HTML error page)</address></body></html>\n"
)


class _QuietTruncation(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return _TRUNCATION_LOG not in record.getMessage()


_QUIET_TRUNCATION = _QuietTruncation()  # one instance, so adding it again is a no-op


class FaultMiddleware:
    """Wraps the sandbox and, per request, applies the faults switched on in `settings`.

    Order: added latency; then an HTML proxy page, a 429 or a 500 *instead of* the answer (first that
    applies); then the body faults (slow, truncated) on whatever answer goes out. `settings` may be replaced
    while the server runs (a plain attribute swap, so a settings page can flip switches live).
    The 500s are drawn from a generator seeded with `seed`, so a run's sequence of failures repeats.
    """

    def __init__(
        self, app: ASGIApp, settings: FaultSettings, seed: int = 1, sleep: Sleep = asyncio.sleep
    ) -> None:
        self.app = app
        self.settings = settings
        self._rng = random.Random(seed)
        self._sleep = sleep
        logging.getLogger("uvicorn.error").addFilter(_QUIET_TRUNCATION)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        settings = self.settings
        if scope["type"] != "http" or not settings.any:
            await self.app(scope, receive, send)
            return
        if settings.latency_ms:
            await self._sleep(settings.latency_ms / 1000)
        if settings.slow_body_ms or settings.truncated_body:
            send = _BodyFault(send, settings, self._sleep)
        disqus = _is_disqus(scope)
        if settings.html_error_page:
            await _respond(
                send, 502, "text/html; charset=utf-8", _PROXY_PAGE.encode(), {"server": "sandbox-proxy"}
            )
        elif settings.rate_limit_storm:
            await _too_many_requests(scope, send, disqus)
        elif settings.error_rate and self._rng.random() < settings.error_rate:
            await self._server_error(send, disqus)
        else:
            await self.app(scope, receive, send)
        if isinstance(send, _BodyFault):
            await send.flush()

    async def _server_error(self, send: Send, disqus: bool) -> None:
        if disqus:
            # Disqus reported crashes as HTTP 500 with a reference id in X-Sentry-ID.
            sentry_id = f"{self._rng.getrandbits(128):032x}"
            body = {
                "succeeded": False,
                "code": "server-error",
                "message": f"Internal server error (fault rehearsal). Reference id: {sentry_id}",
            }
            await _respond(send, 500, "application/json", _dumps(body), {"x-sentry-id": sentry_id})
        else:
            # Rails' generic JSON error page body.
            await _respond(
                send, 500, "application/json", _dumps({"status": 500, "error": "Internal Server Error"})
            )


class _BodyFault:
    """A `send` that holds the whole answer back, then lets it out slowly or cuts it short."""

    def __init__(self, send: Send, settings: FaultSettings, sleep: Sleep) -> None:
        self._send = send
        self._settings = settings
        self._sleep = sleep
        self._start: Message | None = None
        self._body = bytearray()

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self._start = message
        elif message["type"] == "http.response.body":
            self._body += message.get("body", b"")
        else:
            await self._send(message)

    async def flush(self) -> None:
        if self._start is None:
            return
        body = bytes(self._body)
        headers = [(k, v) for k, v in self._start.get("headers", []) if k.lower() != b"content-length"]
        # The declared length is always the full body's, which is what makes a cut-off body detectable.
        headers.append((b"content-length", str(len(body)).encode()))
        await self._send({**self._start, "headers": headers})
        if self._settings.truncated_body and body:
            body = body[: len(body) // 2]
        chunks = _split(body, SLOW_BODY_CHUNKS if self._settings.slow_body_ms else 1)
        pause = self._settings.slow_body_ms / 1000 / max(len(chunks), 1)
        for chunk in chunks:
            if self._settings.slow_body_ms:
                await self._sleep(pause)
            await self._send({"type": "http.response.body", "body": chunk, "more_body": True})
        if not self._settings.truncated_body:
            await self._send({"type": "http.response.body", "body": b"", "more_body": False})
        # Truncated: return without finishing; uvicorn then closes the connection mid-body.


def _split(body: bytes, parts: int) -> list[bytes]:
    if not body:
        return []
    size = max(1, -(-len(body) // parts))
    return [body[i : i + size] for i in range(0, len(body), size)]


def _is_disqus(scope: Scope) -> bool:
    path: str = scope.get("path", "")
    return path == DISQUS_PREFIX or path.startswith(DISQUS_PREFIX + "/")


async def _too_many_requests(scope: Scope, send: Send, disqus: bool) -> None:
    headers = {"retry-after": str(RETRY_AFTER_S)}
    if disqus:
        # API 1.1 documented no rate limiting; this envelope is the sandbox's own.
        body = {
            "succeeded": False,
            "code": "rate-limited",
            "message": f"Too many requests (fault rehearsal). Retry after {RETRY_AFTER_S} seconds.",
        }
    else:
        body = {
            "errors": [
                f"You\u2019ve performed this action too many times. Please wait {RETRY_AFTER_S} seconds "
                "before trying again."
            ],
            "error_type": "rate_limit",
            "extras": {"wait_seconds": RETRY_AFTER_S, "time_left": f"{RETRY_AFTER_S} seconds"},
        }
        # The error-code header comes with the admin-key limiter, i.e. when an Api-Key was sent.
        if any(name.lower() == b"api-key" for name, _ in scope.get("headers", [])):
            headers["discourse-rate-limit-error-code"] = "admin_api_key_rate_limit"
    await _respond(send, 429, "application/json; charset=utf-8", _dumps(body), headers)


def _dumps(body: object) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


async def _respond(
    send: Send, status: int, content_type: str, body: bytes, headers: dict[str, str] | None = None
) -> None:
    raw = [(b"content-type", content_type.encode()), (b"content-length", str(len(body)).encode())]
    raw += [(k.encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
