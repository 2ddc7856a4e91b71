"""ASGI middleware that injects the failure modes switched on in FaultSettings (placeholder)."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from explorer.sandbox.config import FaultSettings


class FaultMiddleware:
    def __init__(self, app: ASGIApp, settings: FaultSettings, seed: int = 1) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)
