"""Executor on real 127.0.0.1 sockets: cancel mid-body, cross-origin redirects, big bodies, timeouts."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from explorer.core.http import Executor
from explorer.core.prepared import PreparedRequest

Handler = Callable[[str, str, dict[str, str], asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


class LoopbackServer:
    """A tiny HTTP/1.1 server on an ephemeral port; each route writes its own answer and closes."""

    def __init__(self, routes: dict[str, Handler]) -> None:
        self.routes = routes
        self.port = 0
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self._server: asyncio.Server | None = None

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def __aenter__(self) -> LoopbackServer:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()
            return
        lines = head.decode("latin-1").split("\r\n")
        method, target, _ = lines[0].split(" ", 2)
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        self.requests.append((method, target, headers))
        path = target.split("?", 1)[0]
        try:
            await self.routes[path](method, target, headers, reader, writer)
        finally:
            writer.close()


def answer(status: str, body: bytes, extra: str = "") -> bytes:
    head = f"HTTP/1.1 {status}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n{extra}\r\n"
    return head.encode() + body


async def echo_headers(method, target, headers, reader, writer) -> None:
    writer.write(answer("200 OK", json.dumps(headers).encode(), "Content-Type: application/json\r\n"))
    await writer.drain()


def test_cancel_in_the_middle_of_a_slow_body_closes_the_connection() -> None:
    async def scenario() -> None:
        client_gone = asyncio.Event()

        async def slow(method, target, headers, reader, writer) -> None:
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\nContent-Type: text/plain\r\n\r\n")
            writer.write(b"first bytes")
            await writer.drain()
            # The client never sends more, so this returns only once it has closed the socket.
            await reader.read()
            client_gone.set()

        async with LoopbackServer({"/slow": slow, "/echo": echo_headers}) as server:
            executor = Executor(timeout_s=60)
            first_bytes = asyncio.Event()
            task = asyncio.create_task(
                executor.execute(
                    PreparedRequest("GET", f"{server.origin}/slow"),
                    on_progress=lambda done, total: first_bytes.set(),
                )
            )
            await first_bytes.wait()
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            await asyncio.wait_for(client_gone.wait(), 10)
            # The same executor still works after the cancel.
            after = await executor.execute(PreparedRequest("GET", f"{server.origin}/echo"))
            assert after.status == 200 and after.is_json
            await executor.aclose()

    asyncio.run(scenario())


def test_redirect_to_another_origin_does_not_carry_api_key() -> None:
    async def scenario() -> None:
        async with LoopbackServer({"/echo": echo_headers}) as other:

            async def start(method, target, headers, reader, writer) -> None:
                destination = f"{other.origin}/echo" if target.endswith("away") else "/echo"
                writer.write(answer("302 Found", b"", f"Location: {destination}\r\n"))
                await writer.drain()

            async with LoopbackServer({"/start": start, "/echo": echo_headers}) as home:
                executor = Executor(follow_redirects=True)
                creds = (("Api-Key", "secret-key"), ("Api-Username", "system"))
                away = await executor.execute(
                    PreparedRequest("GET", f"{home.origin}/start?away", headers=creds)
                )
                near = await executor.execute(
                    PreparedRequest("GET", f"{home.origin}/start?near", headers=creds)
                )
                await executor.aclose()

        assert away.status == 200 and away.redirects == ((302, f"{other.origin}/echo"),)
        received = away.json()
        assert "api-key" not in received and "api-username" not in received
        assert other.requests[0][2].get("api-key") is None
        assert near.status == 200 and near.json()["api-key"] == "secret-key"

    asyncio.run(scenario())


def test_large_body_above_the_cap_streams_to_a_file(tmp_path: Path) -> None:
    payload = (b"0123456789abcdef" * 4096) * 48  # 3 MiB

    async def big(method, target, headers, reader, writer) -> None:
        writer.write(f"HTTP/1.1 200 OK\r\nContent-Length: {len(payload)}\r\n\r\n".encode())
        for start in range(0, len(payload), 256 * 1024):
            writer.write(payload[start : start + 256 * 1024])
            await writer.drain()

    async def scenario():
        async with LoopbackServer({"/big": big}) as server:
            executor = Executor(large_body_cap_bytes=2**20, temp_dir=tmp_path)
            progress: list[tuple[int, int | None]] = []
            result = await executor.execute(
                PreparedRequest("GET", f"{server.origin}/big"),
                on_progress=lambda d, t: progress.append((d, t)),
            )
            await executor.aclose()
            return result, progress

    result, progress = asyncio.run(scenario())
    assert result.status == 200 and result.error is None
    assert result.body == b"" and result.body_path is not None and result.body_path.parent == tmp_path
    assert result.size == len(payload) and result.body_path.read_bytes() == payload
    assert progress[-1] == (len(payload), len(payload)) and len(progress) > 1


def test_read_timeout_message_names_host_and_timeout() -> None:
    async def silent(method, target, headers, reader, writer) -> None:
        await reader.read()  # accept, then say nothing until the client gives up

    async def scenario():
        async with LoopbackServer({"/silent": silent}) as server:
            executor = Executor(timeout_s=0.3)
            result = await executor.execute(PreparedRequest("GET", f"{server.origin}/silent"))
            await executor.aclose()
            return server, result

    server, result = asyncio.run(scenario())
    assert result.status is None and result.error is not None
    assert f"127.0.0.1:{server.port}" in result.error and "0.3 s" in result.error


def test_connection_refused_is_reported_plainly() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # The port is closed again, so nothing listens there.
    result = Executor().execute_sync(PreparedRequest("GET", f"http://127.0.0.1:{port}/session/current.json"))
    assert result.error == (
        f"Connection refused by 127.0.0.1:{port}: nothing is listening on that port. Is the server running?"
    )
