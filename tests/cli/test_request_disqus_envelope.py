"""`explorer request` treats a Disqus envelope saying `succeeded: false` as a failure, even with HTTP 200."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from explorer.cli import request as request_cli
from explorer.sandbox.server import SandboxServer


def _envelope_app(succeeded: bool) -> Starlette:
    async def get_user_name(request: Request) -> JSONResponse:
        if succeeded:
            return JSONResponse({"succeeded": True, "code": "ok", "message": "sandbox_owner"})
        return JSONResponse({"succeeded": False, "code": "bad-key", "message": "The key was not accepted"})

    return Starlette(routes=[Route("/api/get_user_name/", get_user_name, methods=["POST"])])


@pytest.fixture(params=[True, False], ids=["succeeded", "failed"])
def envelope_server(request: pytest.FixtureRequest, app_home) -> Iterator[tuple[bool, str]]:
    server = SandboxServer(app=_envelope_app(request.param))
    creds = server.start()
    try:
        yield request.param, creds.url
    finally:
        server.stop()


def test_exit_status_follows_the_envelope(envelope_server: tuple[bool, str], capsys) -> None:
    succeeded, url = envelope_server
    argv = ["disqus", "get_user_name", "--base-url", url, "--auth", "user_api_key=demo-user-key"]
    code = request_cli.main(argv)
    out = capsys.readouterr()
    assert code == (0 if succeeded else 1), out.err
    assert ("sandbox_owner" in out.out) is succeeded
