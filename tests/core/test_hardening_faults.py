"""Network faults on 127.0.0.1, each a plain message naming what went wrong; the executor stays usable."""

from __future__ import annotations

import asyncio
import socket
import threading

import pytest

from explorer.core.explain import explain_result
from explorer.core.http import Executor
from explorer.core.prepared import PreparedRequest
from tests.core.hardening_support import RawServer, free_port, head, reset_mid_body, stall_mid_body

GET = "GET"
# The /hang requests the server holds, and the moment it holds 100 (the cancel-all test waits on it).
HANGING: list[str] = []
ALL_HANGING = threading.Event()


def get(url: str) -> PreparedRequest:
    return PreparedRequest(method=GET, url=url)


async def routes(method: str, target: str, headers: dict[str, str], writer: asyncio.StreamWriter) -> None:
    path = target.split("?", 1)[0]
    if path == "/stall-mid-body":
        await stall_mid_body(writer, "application/json", b'{"partial": ')
    elif path == "/reset-mid-body":
        await reset_mid_body(writer, b"a" * 1000)
    elif path == "/bad-json":
        body = b'{"topic": [1, 2,'
        writer.write(head(content_type="application/json", content_length=str(len(body))) + body)
    elif path == "/html":
        body = b"<!DOCTYPE html><html><body>Maintenance</body></html>"
        writer.write(head(content_type="text/html", content_length=str(len(body))) + body)
    elif path == "/file-redirect":
        writer.write(head("302 Found", location="file:///etc/passwd", content_length="0"))
    elif path == "/hang":
        if len(HANGING) < 100:
            HANGING.append(target)
            if len(HANGING) == 100:
                ALL_HANGING.set()
        await asyncio.Event().wait()  # never answers: the client cancels
    else:
        writer.write(head(content_type="text/plain", content_length="2") + b"ok")


@pytest.fixture(scope="module")
def server():
    with RawServer(routes, max_requests=400).running() as running:
        yield running


def test_connection_refused() -> None:
    result = Executor(timeout_s=5).execute_sync(get(f"http://127.0.0.1:{free_port()}/"))
    assert (
        result.status is None
        and "Connection refused" in result.error
        and "Is the server running?" in result.error
    )


def test_unresolvable_host(monkeypatch: pytest.MonkeyPatch) -> None:
    real = socket.getaddrinfo

    def resolver(host, *args, **kwargs):
        if str(host).endswith(".invalid"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    result = Executor(timeout_s=5).execute_sync(get("http://forum.example.invalid/latest.json"))
    assert "Could not find the host 'forum.example.invalid' (DNS lookup failed)" in result.error


def test_connect_timeout_names_host() -> None:
    # A listening socket that never accepts, its backlog filled: further connections are never completed.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    try:
        for _ in range(4):
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(("127.0.0.1", port))
            fillers.append(filler)
        result = Executor(timeout_s=1).execute_sync(get(f"http://127.0.0.1:{port}/"))
    finally:
        for filler in fillers:
            filler.close()
        listener.close()
    assert result.status is None
    assert f"127.0.0.1:{port}" in result.error
    assert "connect timeout" in result.error or "total timeout" in result.error


def test_read_timeout_mid_body_keeps_the_part_received(server: RawServer) -> None:
    result = Executor(timeout_s=1).execute_sync(get(server.origin + "/stall-mid-body"))
    assert result.status == 200 and result.body == b'{"partial": '
    assert "timeout" in result.error and f"127.0.0.1:{server.port}" in result.error
    assert explain_result(result).title == "Incomplete answer (200)"


def test_reset_mid_body(server: RawServer) -> None:
    result = Executor(timeout_s=5).execute_sync(get(server.origin + "/reset-mid-body"))
    assert result.status == 200 and result.error
    assert "closed the connection" in result.error or "connection reset" in result.error
    assert len(result.body) <= 1000


def test_json_content_type_with_invalid_json(server: RawServer) -> None:
    result = Executor().execute_sync(get(server.origin + "/bad-json"))
    assert result.status == 200 and result.error is None
    with pytest.raises(ValueError):
        result.json()
    diagnosis = explain_result(result)
    assert diagnosis.code == "invalid-json" and "not valid JSON" in diagnosis.summary


def test_html_with_200(server: RawServer) -> None:
    result = Executor().execute_sync(get(server.origin + "/html"))
    diagnosis = explain_result(result)
    assert "HTML" in diagnosis.title


def test_https_to_a_plain_http_port_says_tls_failed() -> None:
    async def silent(method: str, target: str, headers: dict[str, str], writer: asyncio.StreamWriter) -> None:
        return None  # a ClientHello never ends in a blank line: the server waits for a request head

    with RawServer(silent).running() as plain:
        result = Executor(timeout_s=1).execute_sync(get(f"https://127.0.0.1:{plain.port}/"))
    assert "TLS handshake" in result.error and "plain HTTP" in result.error and "http://" in result.error
    assert "connect timeout" not in result.error and "total timeout" not in result.error


def test_https_to_a_plain_http_server_that_answers_says_tls_failed() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]

    def answer_plain() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(4096)
            conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

    thread = threading.Thread(target=answer_plain, daemon=True)
    thread.start()
    try:
        result = Executor(timeout_s=5).execute_sync(get(f"https://127.0.0.1:{port}/"))
    finally:
        thread.join(5)
        listener.close()
    assert "TLS handshake" in result.error and "plain HTTP" in result.error


def test_redirect_to_file_url_is_named_as_such(server: RawServer) -> None:
    result = Executor(follow_redirects=True).execute_sync(get(server.origin + "/file-redirect"))
    assert result.status == 302 and result.error is None
    assert any("redirected to a non-HTTP URL (file:///etc/passwd)" in note for note in result.notes)
    assert not any("base URL" in note for note in result.notes)


def test_a_hundred_requests_in_flight_all_cancelled(server: RawServer) -> None:
    before = len(server.requests)

    async def scenario() -> bytes:
        executor = Executor(timeout_s=30)
        try:
            tasks = [
                asyncio.create_task(executor.execute(get(server.origin + f"/hang?i={i}"))) for i in range(100)
            ]
            # The server says when all 100 are on the wire (bounded: 30 s).
            assert await asyncio.to_thread(ALL_HANGING.wait, 30)
            assert len(server.requests) - before == 100
            for task in tasks:
                task.cancel()
            outcomes = await asyncio.gather(*tasks, return_exceptions=True)
            assert all(isinstance(o, asyncio.CancelledError) for o in outcomes)
            after = await executor.execute(get(server.origin + "/ok"))
            return after.body
        finally:
            await executor.aclose()

    assert asyncio.run(scenario()) == b"ok"
