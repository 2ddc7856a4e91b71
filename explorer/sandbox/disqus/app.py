"""Starlette application for the Disqus 1.1 side (placeholder until the handlers land)."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from explorer.sandbox.config import SandboxConfig


def create_app(config: SandboxConfig) -> Starlette:
    async def not_yet(request: Request) -> JSONResponse:
        return JSONResponse({"succeeded": False, "code": "not-found", "message": "Unknown method."}, 404)

    return Starlette(routes=[Route("/{rest:path}", not_yet, methods=["GET", "POST"])])
