"""The sandbox's ASGI app: Discourse at "/", Disqus 1.1 under DISQUS_PREFIX; body limit and faults first."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from explorer.sandbox.config import SandboxConfig
from explorer.sandbox.demo import DISQUS_PREFIX
from explorer.sandbox.discourse import create_app as create_discourse_app
from explorer.sandbox.disqus import create_app as create_disqus_app
from explorer.sandbox.faults import FaultMiddleware
from explorer.sandbox.limits import BodyLimitMiddleware


def create_app(config: SandboxConfig | None = None) -> ASGIApp:
    """Compose both imitated APIs into one application, wrapped in the fault-rehearsal middleware."""
    config = config or SandboxConfig()
    router = PrefixRouter(
        root=create_discourse_app(config),
        prefix=DISQUS_PREFIX,
        prefixed=create_disqus_app(config),
    )
    limited = BodyLimitMiddleware(router, config.max_body_bytes)
    return FaultMiddleware(limited, config.faults, seed=config.seed)


class PrefixRouter:
    """Send requests under `prefix` to one app and everything else to another.

    A hand-written dispatcher rather than Starlette's Mount: it costs one string comparison per request,
    which matters for the `/latest.json` throughput target.
    """

    def __init__(self, root: ASGIApp, prefix: str, prefixed: ASGIApp) -> None:
        self.root = root
        self.prefix = prefix.rstrip("/")
        self.prefixed = prefixed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(scope, receive, send)
            return
        path: str = scope.get("path", "")
        if path == self.prefix or path.startswith(self.prefix + "/"):
            # Starlette convention: keep the full path, extend root_path; routing strips it.
            scope = dict(scope)
            scope["root_path"] = scope.get("root_path", "") + self.prefix
            await self.prefixed(scope, receive, send)
        else:
            await self.root(scope, receive, send)


async def _lifespan(scope: Scope, receive: Receive, send: Send) -> None:
    # Neither side needs startup work; acknowledging lifespan keeps uvicorn quiet.
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
