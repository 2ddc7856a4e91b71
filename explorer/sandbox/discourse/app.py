"""The Discourse half of the sandbox: one ASGI app whose dispatcher applies auth, limits and headers."""

from __future__ import annotations

import inspect
import json
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from explorer.sandbox.config import SandboxConfig
from explorer.sandbox.discourse import errors
from explorer.sandbox.discourse.auth import resolve
from explorer.sandbox.discourse.ratelimit import Limiters
from explorer.sandbox.discourse.routes import all_routes
from explorer.sandbox.discourse.routing import Ctx, Router, RouteSpec, merge_params
from explorer.sandbox.discourse.store import Store

logger = logging.getLogger(__name__)

_CACHE_SIZE = 256  # rendered GET answers kept between writes; bounded so memory stays flat
_SAFE = ("GET", "HEAD")
# Ruby's JSON parser, which Rails uses for request bodies, refuses more than 100 nested arrays or objects.
MAX_JSON_NESTING = 100


class Dispatcher:
    """Routes a request, then runs in the real server's order: auth, limits, constraints, CSRF, login."""

    def __init__(self, store: Store, router: Router, limiters: Limiters) -> None:
        self.store = store
        self.router = router
        self.limiters = limiters
        self._cache: OrderedDict[tuple[Any, ...], Response] = OrderedDict()
        self._cache_version = -1

    async def handle(self, request: Request) -> Response:
        try:
            return await self._handle(request)
        except Exception:  # a sandbox bug must not kill the connection: answer 500 and log it
            logger.exception("sandbox handler failed for %s %s", request.method, request.url.path)
            return errors.json_response({"errors": ["The sandbox failed on this request (a bug)."]}, 500)

    async def _handle(self, request: Request) -> Response:
        verb = request.method
        path: str = request.scope["path"]
        root: str = request.scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root) :] or "/"
        match = self.router.match(verb, path)
        if match is None:
            return errors.not_found().response()
        route, path_params, fmt = match
        try:
            params = await self._params(request, path_params)
            response = await self._run(request, route, params, path_params, fmt)
        except errors.ApiError as exc:
            response = exc.response()
            if exc.text and exc.status == 429:
                return response  # the per-IP limiter answers before any controller is chosen
        response.headers["X-Discourse-Route"] = route.action.replace("#", "/")
        return response

    async def _params(self, request: Request, path_params: dict[str, str]) -> dict[str, Any]:
        params: dict[str, Any] = {}
        merge_params(params, list(request.query_params.multi_items()))
        if request.method not in _SAFE:
            content_type = request.headers.get("content-type", "")
            if "application/json" in content_type:
                raw = await request.body()
                if raw.strip():
                    body = _parse_json(raw)
                    if isinstance(body, dict):
                        params.update(body)
            elif "form" in content_type:
                # Starlette's parser refuses some bodies (a multipart without a boundary): the caller's fault.
                try:
                    form = await request.form()
                except HTTPException as exc:
                    raise errors.ApiError(
                        400,
                        {
                            "errors": [f"The form body cannot be read: {exc.detail}"],
                            "error_type": "invalid_parameters",
                        },
                    ) from None
                merge_params(params, list(form.multi_items()))
        params.update(path_params)
        return params

    async def _run(
        self,
        request: Request,
        route: RouteSpec,
        params: dict[str, Any],
        path_params: dict[str, str],
        fmt: str,
    ) -> Response:
        verb = request.method
        admin_route = route.access in ("admin", "staff")
        try:
            identity = resolve(
                self.store, request.headers, verb, route.action, params if route.param_auth else None
            )
        except errors.ApiError:
            if admin_route:
                raise errors.not_found() from None  # the admin route constraint swallows auth failures
            raise
        if identity.via == "api_key":
            wait = self.limiters.admin_hit()
            if wait is not None:
                raise errors.rate_limited(wait, "admin_api_key_rate_limit")
        elif identity.via == "user_api_key" and (over := self.limiters.user_api_hit(identity.key_id)):
            raise errors.rate_limited(*over)
        if identity.via != "api_key":
            # Admin-key requests have their per-IP hits rolled back; everyone else counts per address.
            over = self.limiters.ip_hit(_client_address(request))
            if over is not None:
                raise errors.ip_rate_limited(*over)
        user = identity.user
        if route.access == "admin" and not (user and user.admin):
            raise errors.not_found()
        if route.access == "staff" and not (user and user.staff):
            raise errors.not_found()
        if verb not in _SAFE and identity.via == "anonymous":
            raise errors.bad_csrf()
        if route.access in ("login", "staff_action") and user is None:
            raise errors.not_logged_in()
        if route.access == "staff_action" and not (user and user.staff):
            raise errors.invalid_access()
        cache_key = None
        if route.cache and verb in _SAFE:
            if self._cache_version != self.store.version:
                self._cache.clear()
                self._cache_version = self.store.version
            cache_key = (route.action, request.url.path, request.url.query, user.id if user else None)
            cached = self._cache.get(cache_key)
            if cached is not None:
                self._cache.move_to_end(cache_key)
                return _with_user(_copy(cached), user)
        ctx = Ctx(
            request=request,
            store=self.store,
            identity=identity,
            params=params,
            path=path_params,
            fmt=fmt,
            verb=verb,
        )
        result = route.handler(ctx)
        if inspect.isawaitable(result):
            result = await result
        if result is None:
            response = errors.empty_response()
        else:
            response = result if isinstance(result, Response) else errors.json_response(result)
        if (
            cache_key is not None
            and response.status_code == 200
            and self._cache_version == self.store.version
        ):
            self._cache[cache_key] = response
            if len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
            response = _copy(response)
        return _with_user(response, user)


def _parse_json(raw: bytes) -> Any:
    """The JSON body, or the 400 Rails gives a body it cannot parse or nested deeper than it allows."""
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):  # a body nested thousands deep exhausts Python's parser first
        raise errors.ApiError(
            400, {"errors": ["The body is not valid JSON."], "error_type": "invalid_parameters"}
        ) from None
    if _depth_exceeds(body, MAX_JSON_NESTING):
        message = f"The body is not valid JSON: nesting of {MAX_JSON_NESTING + 1} is too deep."
        raise errors.ApiError(400, {"errors": [message], "error_type": "invalid_parameters"})
    return body


def _depth_exceeds(value: Any, limit: int) -> bool:
    # Iterative, so a deep body cannot exhaust the stack here either.
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def _copy(response: Response) -> Response:
    return Response(response.body, status_code=response.status_code, media_type=response.media_type)


def _with_user(response: Response, user: Any) -> Response:
    if user is not None:
        response.headers["X-Discourse-Username"] = user.username
    return response


def _client_address(request: Request) -> str:
    """The caller's address; X-Forwarded-For wins so per-IP limits can be rehearsed from loopback."""
    forwarded = request.headers.get("x-forwarded-for")
    if forwarded:
        return forwarded.split(",")[0].strip()
    return request.client.host if request.client else "127.0.0.1"


def create_app(config: SandboxConfig, clock: Callable[[], float] | None = None) -> Starlette:
    """Build the Discourse sandbox app; `clock` (seconds) drives write timestamps and rate limiters."""
    clock = clock or time.time
    store = Store(config.seed, clock)
    dispatcher = Dispatcher(store, Router(all_routes()), Limiters(config.admin_rate_limit_per_minute, clock))
    app = DiscourseApp(dispatcher)
    app.state.discourse_store = store
    return app


class DiscourseApp(Starlette):
    """A Starlette app whose HTTP requests go straight to the dispatcher.

    Skipping Starlette's router and middleware stack keeps GET /latest.json cheap; lifespan and other
    scope types still take Starlette's path.
    """

    def __init__(self, dispatcher: Dispatcher) -> None:
        super().__init__()
        self._dispatcher = dispatcher

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        scope["app"] = self
        response = await self._dispatcher.handle(Request(scope, receive))
        await response(scope, receive, send)
