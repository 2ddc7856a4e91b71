"""Request body size limit in front of both APIs: an oversized body is refused with 413 before it is kept."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# nginx's own page for client_max_body_size, which a Discourse install's proxy answers with.
_TOO_LARGE_PAGE = (
    b"<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n"
    b"<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)


class BodyLimitMiddleware:
    """Refuses request bodies over `max_bytes` with the proxy's 413 page.

    A declared Content-Length over the limit is refused before any of the body is read. A body without one
    (chunked) is read up to the limit and then handed on, so the sandbox never holds more than `max_bytes`.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await _too_large(send)
            return
        if declared is not None or not _has_body(scope):
            await self.app(scope, receive, send)
            return
        messages: list[Message] = []
        size = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break  # the client went away; let the app see the disconnect
            size += len(message.get("body", b""))
            if size > self.max_bytes:
                await _too_large(send)
                return
            if not message.get("more_body", False):
                break
        await self.app(scope, _replay(messages, receive), send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name.lower() == b"content-length":
            text = value.decode("latin-1").strip()
            # The HTTP server has already refused a malformed length; a huge one is simply too large.
            return int(text) if text.isdigit() else None
    return None


def _has_body(scope: Scope) -> bool:
    return any(name.lower() == b"transfer-encoding" for name, _ in scope.get("headers", []))


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replay() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay


async def _too_large(send: Send) -> None:
    headers = [
        (b"content-type", b"text/html"),
        (b"content-length", str(len(_TOO_LARGE_PAGE)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": _TOO_LARGE_PAGE})
