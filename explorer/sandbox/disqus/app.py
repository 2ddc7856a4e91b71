"""Starlette application for the Disqus 1.1 side: routing, verbs, trailing slash, api_version, envelope."""

from __future__ import annotations

import logging
import re

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from explorer.sandbox.config import SandboxConfig
from explorer.sandbox.disqus.access import Call
from explorer.sandbox.disqus.envelope import (
    INPUT_INVALID,
    METHOD_NOT_ALLOWED,
    NOT_FOUND,
    SERVER_ERROR,
    SLASH_REQUIRED,
    Args,
    DisqusError,
    fail,
    ok,
)
from explorer.sandbox.disqus.handlers import METHODS
from explorer.sandbox.disqus.state import DisqusState

logger = logging.getLogger(__name__)

_METHOD_PATH = re.compile(r"^/api/(?P<name>[A-Za-z0-9_]+)(?P<slash>/?)$")
# Teaching aid, not something real Disqus sent: tells a reader which API version answered.
VERSION_HEADER = "X-Sandbox-Api-Version"
ALL_VERBS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def create_app(config: SandboxConfig) -> Starlette:
    """A fresh Disqus 1.1 imitation whose data comes from `config.seed`."""
    state = DisqusState(config.seed)

    async def endpoint(request: Request) -> Response:
        try:
            return await _dispatch(request, state)
        except DisqusError as error:
            return fail(error)
        except Exception:  # a sandbox bug: answer with the envelope like every other reply, and log it
            logger.exception("disqus sandbox failed for %s %s", request.method, request.url.path)
            return fail(DisqusError("The sandbox failed on this request (a bug).", SERVER_ERROR, 500))

    app = Starlette(routes=[Route("/{path:path}", endpoint, methods=ALL_VERBS)])
    app.state.disqus_state = state  # reachable for saving and loading (explorer.sandbox.persistence)
    return app


async def _dispatch(request: Request, state: DisqusState) -> Response:
    match = _METHOD_PATH.match("/" + request.path_params["path"])
    if match is None:
        raise DisqusError(
            "Not an API 1.1 address: methods live at /api/<method_name>/ "
            f"(for example /api/get_forum_list/). Methods: {', '.join(METHODS)}",
            NOT_FOUND,
            404,
        )
    name = match["name"]
    if name not in METHODS:
        raise DisqusError(
            f"There is no API method named {name!r}. Methods: {', '.join(METHODS)}", NOT_FOUND, 404
        )
    verb, handler, new_in_1_1 = METHODS[name]
    if not match["slash"]:
        if request.method in ("GET", "HEAD"):
            # What Django's APPEND_SLASH did on the real server.
            # Django's permanent redirect: an empty text/html body.
            location = str(request.url.replace(path=request.url.path + "/"))
            return Response(b"", 301, headers={"Location": location}, media_type="text/html; charset=utf-8")
        raise DisqusError(
            f"The address must end with a slash: /api/{name}/. The server would answer 301 with the slashed "
            f"address, and following a redirect turns a {request.method} into a GET without the body, so the "
            "form fields would be lost. Add the trailing slash.",
            SLASH_REQUIRED,
        )
    if request.method != verb and not (verb == "GET" and request.method == "HEAD"):
        raise _wrong_verb(name, verb, request.method)
    args = await _arguments(request, verb)
    api_version = args.get("api_version") or "1.0"
    if api_version not in ("1.0", "1.1"):
        raise DisqusError(f"api_version {api_version} is not supported: use 1.1")
    if api_version == "1.0" and new_in_1_1:
        raise DisqusError(
            f"{name} does not exist in API 1.0. The request was handled as 1.0 because api_version was "
            f"{'1.0' if args.get('api_version') else 'missing (1.0 is the documented default)'}. "
            "Send api_version=1.1.",
            NOT_FOUND,
            404,
        )
    headers = {VERSION_HEADER: api_version}
    try:
        message = handler(Call(state, args, api_version))
    except DisqusError as error:
        return fail(error, headers)
    return ok(message, headers)


def _wrong_verb(name: str, verb: str, used: str) -> DisqusError:
    where = "as form fields in a POST body" if verb == "POST" else "in the query string of a GET"
    allow = "GET, HEAD" if verb == "GET" else verb
    return DisqusError(
        f"{name} is a {verb} method; this request used {used}. Send the arguments {where}.",
        METHOD_NOT_ALLOWED,
        405,
        {"Allow": allow},
    )


async def _arguments(request: Request, verb: str) -> Args:
    values = dict(request.query_params)
    if verb == "POST":
        content_type = request.headers.get("content-type", "")
        if content_type.startswith("application/json"):
            raise DisqusError(
                "The body is JSON, but API 1.1 reads form fields (application/x-www-form-urlencoded).",
                INPUT_INVALID,
            )
        # Arguments are form fields; some clients put api_version in the query string, which also counts.
        try:
            form = await request.form()
        except Exception as exc:  # noqa: BLE001 - any unreadable body is the client's error, never a 500
            detail = getattr(exc, "detail", None) or str(exc) or type(exc).__name__
            raise DisqusError(f"The body could not be read as form fields: {detail}") from None
        values.update({k: v for k, v in form.items() if isinstance(v, str)})
    return Args(values)
