"""Executor behaviour against httpx.MockTransport: bodies, redirects, errors, cancellation, large bodies."""

from __future__ import annotations

import asyncio
import json
import socket
import ssl
from email import message_from_bytes
from email.policy import HTTP
from pathlib import Path

import httpx
import pytest

from explorer.core.http import ExecutionResult, Executor, execute_sync
from explorer.core.prepared import Body, FilePart, PreparedRequest

BASE = "https://forum.example.com"
CREDS = (("Api-Key", "k" * 64), ("Api-Username", "system"))


def send(handler, request: PreparedRequest, **kw) -> ExecutionResult:
    executor_kw = {k: v for k, v in kw.items() if k != "on_progress"}

    async def run() -> ExecutionResult:
        executor = Executor(transport=httpx.MockTransport(handler), **executor_kw)
        try:
            return await executor.execute(request, on_progress=kw.get("on_progress"))
        finally:
            await executor.aclose()

    return asyncio.run(run())


def test_get_with_query_headers_and_json_answer() -> None:
    seen: list[httpx.Request] = []

    def handler(req: httpx.Request) -> httpx.Response:
        seen.append(req)
        return httpx.Response(200, json={"users": [1, 2]}, headers={"X-Runtime": "0.01"})

    req = PreparedRequest(
        "GET", f"{BASE}/admin/users/list/active.json", query=(("page", "2"),), headers=CREDS
    )
    result = send(handler, req)

    assert seen[0].url == httpx.URL(f"{BASE}/admin/users/list/active.json?page=2")
    assert seen[0].headers["Api-Key"] == "k" * 64 and seen[0].headers["Api-Username"] == "system"
    assert result.ok and result.status == 200 and result.reason == "OK"
    assert result.is_json and result.content_type == "application/json"
    assert result.json() == {"users": [1, 2]}
    assert result.size == len(result.body) and result.header("x-runtime") == "0.01"
    assert result.final_url == f"{BASE}/admin/users/list/active.json?page=2"
    assert result.body_path is None and result.error is None and not result.cancelled
    assert dict(result.sent_headers)["user-agent"].startswith("forum-api-explorer/")


@pytest.mark.parametrize(
    ("body", "expected_type", "expected_content"),
    [
        (
            Body("json", json_value={"title": "Héllo", "raw": "x"}),
            "application/json",
            json.dumps({"title": "Héllo", "raw": "x"}, ensure_ascii=False).encode(),
        ),
        (
            Body("form", fields=(("tags[]", "a"), ("tags[]", "b c"), ("title", "t"))),
            "application/x-www-form-urlencoded",
            b"tags%5B%5D=a&tags%5B%5D=b+c&title=t",
        ),
        (Body("raw", raw="<xml/>", content_type="application/xml"), "application/xml", b"<xml/>"),
    ],
)
def test_bodies_are_encoded_with_their_content_type(body: Body, expected_type: str, expected_content: bytes):
    seen: list[httpx.Request] = []

    def handler(req: httpx.Request) -> httpx.Response:
        seen.append(req)
        return httpx.Response(200)

    send(handler, PreparedRequest("POST", f"{BASE}/posts.json", body=body))
    assert seen[0].headers["content-type"] == expected_type
    assert seen[0].content == expected_content


def test_explicit_content_type_header_wins_for_non_multipart() -> None:
    seen: list[httpx.Request] = []

    def handler(req: httpx.Request) -> httpx.Response:
        seen.append(req)
        return httpx.Response(200)

    req = PreparedRequest(
        "PUT",
        f"{BASE}/x",
        headers=(("Content-Type", "application/vnd.api+json"),),
        body=Body("json", json_value=[1]),
    )
    send(handler, req)
    assert seen[0].headers.get_list("content-type") == ["application/vnd.api+json"]


def _parts(req: httpx.Request) -> list:
    raw = b"Content-Type: " + req.headers["content-type"].encode() + b"\r\n\r\n" + req.content
    message = message_from_bytes(raw, policy=HTTP)
    assert message.is_multipart()
    return list(message.iter_parts())


def test_multipart_keeps_field_order_and_is_multipart_even_without_files() -> None:
    seen: list[httpx.Request] = []

    def handler(req: httpx.Request) -> httpx.Response:
        seen.append(req)
        return httpx.Response(200)

    no_files = Body("multipart", fields=(("type", "composer"), ("synchronous", "true")))
    with_file = Body(
        "multipart",
        fields=(("type", "composer"),),
        files=(FilePart("file", 'a "b".png', b"\x89PNG\r\n", "image/png"),),
    )
    # A typed multipart Content-Type without a boundary must not survive: the server could not split parts.
    header = (("Content-Type", "multipart/form-data"),)
    send(handler, PreparedRequest("POST", f"{BASE}/uploads.json", headers=header, body=no_files))
    send(handler, PreparedRequest("POST", f"{BASE}/uploads.json", body=with_file))

    first = _parts(seen[0])
    assert [(p.get_param("name", header="content-disposition"), p.get_content()) for p in first] == [
        ("type", "composer"),
        ("synchronous", "true"),
    ]
    assert len(seen[0].headers.get_list("content-type")) == 1
    second = _parts(seen[1])
    assert second[1].get_filename() == "a %22b%22.png"
    assert second[1].get_content_type() == "image/png"
    assert second[1].get_payload(decode=True) == b"\x89PNG\r\n"


def test_get_and_delete_may_carry_a_body() -> None:
    seen: list[httpx.Request] = []

    def handler(req: httpx.Request) -> httpx.Response:
        seen.append(req)
        return httpx.Response(200)

    send(
        handler, PreparedRequest("DELETE", f"{BASE}/t/1.json", body=Body("json", json_value={"force": True}))
    )
    assert seen[0].method == "DELETE" and json.loads(seen[0].content) == {"force": True}


# -- redirects -------------------------------------------------------------------------------------------


def redirecting(location: str, status: int = 302):
    seen: list[httpx.Request] = []

    def handler(req: httpx.Request) -> httpx.Response:
        seen.append(req)
        if len(seen) == 1:
            return httpx.Response(status, headers={"Location": location})
        return httpx.Response(200, json={"ok": True})

    return handler, seen


def test_redirects_are_not_followed_by_default() -> None:
    handler, seen = redirecting("/login")
    result = send(handler, PreparedRequest("GET", f"{BASE}/admin.json", headers=CREDS))
    assert result.status == 302 and len(seen) == 1 and result.redirects == ()
    assert any("not followed" in note for note in result.notes)


def test_same_origin_redirect_keeps_credentials() -> None:
    handler, seen = redirecting("/latest.json?page=1")
    result = send(handler, PreparedRequest("GET", f"{BASE}/latest", headers=CREDS), follow_redirects=True)
    assert result.status == 200 and result.redirects == ((302, f"{BASE}/latest.json?page=1"),)
    assert seen[1].headers["Api-Key"] == "k" * 64
    assert result.final_url == f"{BASE}/latest.json?page=1"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example.net/steal",  # another host
        "https://forum.example.com:8443/x",  # same host, another port
        "http://forum.example.com/x",  # downgraded scheme
    ],
)
def test_cross_origin_redirect_strips_every_credential_header(target: str) -> None:
    handler, seen = redirecting(target)
    headers = (
        *CREDS,
        ("Api-User-Id", "1"),
        ("Api-User-External-Id", "e1"),
        ("User-Api-Key", "u" * 32),
        ("User-Api-Client-Id", "c"),
        ("Authorization", "Basic eDp5"),
        ("Cookie", "_t=abc"),
        ("X-Custom", "kept"),
    )
    result = send(handler, PreparedRequest("GET", f"{BASE}/start", headers=headers), follow_redirects=True)
    assert result.status == 200
    forwarded = {k.lower() for k in seen[1].headers}
    assert forwarded.isdisjoint(
        {
            "api-key",
            "api-username",
            "api-user-id",
            "api-user-external-id",
            "user-api-key",
            "user-api-client-id",
            "authorization",
            "cookie",
        }
    )
    assert seen[1].headers["X-Custom"] == "kept"
    assert any("credential headers not forwarded" in note for note in result.notes)


def test_post_answered_302_becomes_get_without_body() -> None:
    handler, seen = redirecting("/t/5.json", status=302)
    req = PreparedRequest("POST", f"{BASE}/posts", headers=CREDS, body=Body("json", json_value={"raw": "x"}))
    result = send(handler, req, follow_redirects=True)
    assert seen[1].method == "GET" and seen[1].content == b"" and "content-type" not in seen[1].headers
    assert result.final_method == "GET"
    assert any("GET without the body" in note for note in result.notes)


def test_307_keeps_method_and_body() -> None:
    handler, seen = redirecting("/posts.json", status=307)
    req = PreparedRequest("POST", f"{BASE}/posts", body=Body("json", json_value={"raw": "x"}))
    send(handler, req, follow_redirects=True)
    assert seen[1].method == "POST" and json.loads(seen[1].content) == {"raw": "x"}


def test_cross_origin_307_with_keys_in_the_body_is_not_followed() -> None:
    handler, seen = redirecting("https://other.example.org/api/posts/create/", status=307)
    body = Body("form", fields=(("forum_api_key", "secret"), ("message", "hi")))
    result = send(
        handler, PreparedRequest("POST", f"{BASE}/api/posts/create", body=body), follow_redirects=True
    )
    assert len(seen) == 1 and result.status == 307
    assert any("resend the credentials in the body" in note for note in result.notes)


def test_redirect_loop_stops_at_the_limit() -> None:
    calls: list[str] = []

    def handler(req: httpx.Request) -> httpx.Response:
        calls.append(str(req.url))
        return httpx.Response(302, headers={"Location": f"/r{len(calls)}"})

    result = send(handler, PreparedRequest("GET", f"{BASE}/r0"), follow_redirects=True, max_redirects=3)
    assert len(calls) == 4 and len(result.redirects) == 3 and result.status == 302
    assert any("Stopped after 3 redirects" in note for note in result.notes)


# -- errors --------------------------------------------------------------------------------------------


def raising(exc: BaseException):
    def handler(req: httpx.Request) -> httpx.Response:
        raise exc

    return handler


def _chained(outer: Exception, inner: BaseException) -> Exception:
    outer.__cause__ = inner
    return outer


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (
            _chained(httpx.ConnectError("x"), socket.gaierror(-2, "Name or service not known")),
            "Could not find the host 'forum.example.com' (DNS lookup failed)",
        ),
        (
            _chained(httpx.ConnectError("x"), ConnectionRefusedError(111, "refused")),
            "Connection refused by forum.example.com",
        ),
        (
            _chained(httpx.ConnectError("x"), ssl.SSLCertVerificationError(1, "certificate verify failed")),
            "TLS certificate of forum.example.com could not be verified",
        ),
        (
            _chained(httpx.ConnectError("x"), ssl.SSLError(1, "wrong version number")),
            "TLS handshake with forum.example.com failed",
        ),
        (httpx.ConnectTimeout("x"), "connecting to forum.example.com after 7 s (connect timeout)"),
        (httpx.ReadTimeout("x"), "forum.example.com sent nothing for 7 s (read timeout)"),
        (httpx.RemoteProtocolError("Server disconnected"), "forum.example.com broke the HTTP protocol"),
    ],
)
def test_network_errors_become_plain_messages(exc: Exception, expected: str) -> None:
    result = send(raising(exc), PreparedRequest("GET", f"{BASE}/x.json"), timeout_s=7)
    assert result.status is None and not result.ok
    assert result.error is not None and expected in result.error


def test_total_deadline_names_host_and_seconds() -> None:
    async def handler(req: httpx.Request) -> httpx.Response:
        await asyncio.Event().wait()  # never answers; only the deadline ends this
        raise AssertionError("unreachable")

    result = send(handler, PreparedRequest("GET", "http://forum.example.com:8080/slow"), timeout_s=0.05)
    assert result.error is not None
    assert "forum.example.com:8080" in result.error and "0.05 s (total timeout)" in result.error


def test_invalid_url_is_an_error_not_an_exception() -> None:
    result = send(raising(AssertionError("never sent")), PreparedRequest("GET", "ftp://example.com/x"))
    assert result.error is not None and "ftp://example.com/x" in result.error


def test_body_that_breaks_off_keeps_status_and_partial_bytes() -> None:
    class Broken(httpx.AsyncByteStream):
        async def __aiter__(self):
            yield b'{"partial":'
            raise httpx.ReadError("connection lost")

    result = send(lambda req: httpx.Response(200, stream=Broken()), PreparedRequest("GET", f"{BASE}/x"))
    assert result.status == 200 and result.body == b'{"partial":' and not result.ok
    assert result.error is not None and "while transferring data" in result.error


def test_pool_timeout_rebuilds_the_client_and_retries_once() -> None:
    calls: list[int] = []

    def handler(req: httpx.Request) -> httpx.Response:
        calls.append(1)
        if len(calls) == 1:
            raise httpx.PoolTimeout("no free slot")
        return httpx.Response(204)

    async def run() -> tuple[ExecutionResult, bool]:
        executor = Executor(transport=httpx.MockTransport(handler))
        first = executor._get_client()
        result = await executor.execute(PreparedRequest("GET", f"{BASE}/x"))
        rebuilt = executor._get_client() is not first
        await executor.aclose()
        return result, rebuilt

    result, rebuilt = asyncio.run(run())
    assert result.status == 204 and len(calls) == 2 and rebuilt


def test_persistent_pool_timeout_is_reported() -> None:
    result = send(raising(httpx.PoolTimeout("busy")), PreparedRequest("GET", f"{BASE}/x"), timeout_s=3)
    assert result.error is not None and "pool timeout" in result.error


# -- cancellation, cookies, large bodies, masking, sync --------------------------------------------------


def test_cancel_propagates_and_the_executor_stays_usable() -> None:
    async def scenario() -> ExecutionResult:
        arrived = asyncio.Event()

        async def handler(req: httpx.Request) -> httpx.Response:
            if req.url.path == "/slow":
                arrived.set()
                await asyncio.Event().wait()
            return httpx.Response(200, text="fast")

        executor = Executor(transport=httpx.MockTransport(handler))
        task = asyncio.create_task(executor.execute(PreparedRequest("GET", f"{BASE}/slow")))
        await arrived.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        after = await executor.execute(PreparedRequest("GET", f"{BASE}/fast"))
        await executor.aclose()
        return after

    assert asyncio.run(scenario()).body == b"fast"


def test_cookies_from_answers_are_not_replayed() -> None:
    seen: list[httpx.Request] = []

    def handler(req: httpx.Request) -> httpx.Response:
        seen.append(req)
        return httpx.Response(200, headers={"Set-Cookie": "_forum_session=abc; path=/"})

    async def run() -> ExecutionResult:
        executor = Executor(transport=httpx.MockTransport(handler))
        await executor.execute(PreparedRequest("GET", f"{BASE}/a"))
        result = await executor.execute(PreparedRequest("GET", f"{BASE}/b"))
        await executor.aclose()
        return result

    result = asyncio.run(run())
    assert "cookie" not in seen[1].headers
    assert result.header("set-cookie") == "_forum_session=abc; path=/"


def test_body_above_the_cap_goes_to_a_file_with_progress(tmp_path: Path) -> None:
    payload = bytes(range(256)) * 40  # 10,240 bytes

    class Chunked(httpx.AsyncByteStream):
        async def __aiter__(self):
            for start in range(0, len(payload), 1000):
                yield payload[start : start + 1000]

    def handler(req: httpx.Request) -> httpx.Response:
        headers = {"Content-Length": str(len(payload)), "Content-Type": "application/octet-stream"}
        return httpx.Response(200, headers=headers, stream=Chunked())

    progress: list[tuple[int, int | None]] = []
    result = send(
        handler,
        PreparedRequest("GET", f"{BASE}/big"),
        large_body_cap_bytes=4096,
        temp_dir=tmp_path,
        on_progress=lambda done, total: progress.append((done, total)),
    )
    assert result.body == b"" and result.body_path is not None
    assert result.body_path.parent == tmp_path and result.body_path.read_bytes() == payload
    assert result.read_body() == payload and result.size == len(payload)
    assert progress[-1] == (len(payload), len(payload))
    assert [done for done, _ in progress] == sorted(done for done, _ in progress)
    result.discard_body_file()
    assert not result.body_path.exists()


def test_body_below_the_cap_stays_in_memory(tmp_path: Path) -> None:
    result = send(
        lambda req: httpx.Response(200, content=b"x" * 100),
        PreparedRequest("GET", f"{BASE}/small"),
        large_body_cap_bytes=100,
        temp_dir=tmp_path,
    )
    assert result.body == b"x" * 100 and result.body_path is None and list(tmp_path.iterdir()) == []


def test_masked_result_hides_secrets_in_sent_headers_and_urls() -> None:
    req = PreparedRequest(
        "GET",
        "https://disqus.com/api/3.0/x/",
        query=(("api_key", "pub-secret"), ("forum", "f")),
        headers=CREDS,
    )
    masked = send(lambda r: httpx.Response(200), req).masked()
    text = repr(masked)
    assert "k" * 64 not in text and "pub-secret" not in text
    assert dict(masked.sent_headers)["api-username"] == "system"
    assert "forum=f" in masked.final_url


def test_execute_sync_method_can_be_called_repeatedly() -> None:
    executor = Executor(transport=httpx.MockTransport(lambda r: httpx.Response(200, text=r.url.path)))
    assert executor.execute_sync(PreparedRequest("GET", f"{BASE}/one")).body == b"/one"
    assert executor.execute_sync(PreparedRequest("GET", f"{BASE}/two")).body == b"/two"


def test_module_execute_sync() -> None:
    transport = httpx.MockTransport(lambda r: httpx.Response(201))
    assert execute_sync(PreparedRequest("POST", f"{BASE}/x"), transport=transport).status == 201


def test_cancel_while_streaming_to_a_file_removes_the_file(tmp_path: Path) -> None:
    async def scenario() -> None:
        spilled = asyncio.Event()

        class Endless(httpx.AsyncByteStream):
            async def __aiter__(self):
                yield b"x" * 2048  # above the cap: the executor opens its temporary file here
                spilled.set()
                await asyncio.Event().wait()
                yield b""

        executor = Executor(
            transport=httpx.MockTransport(lambda r: httpx.Response(200, stream=Endless())),
            large_body_cap_bytes=1024,
            temp_dir=tmp_path,
        )
        task = asyncio.create_task(executor.execute(PreparedRequest("GET", f"{BASE}/endless")))
        await spilled.wait()
        assert len(list(tmp_path.iterdir())) == 1
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await executor.aclose()

    asyncio.run(scenario())
    assert list(tmp_path.iterdir()) == []


DISQUS_KEY = "Dq7" + "Secret" * 10


def test_notes_and_errors_do_not_repeat_the_keys() -> None:
    # The window shows notes and errors as they are, so they must be safe without masked().
    request = PreparedRequest(
        "GET", "https://disqus.com/api/get_forum_list", query=(("user_api_key", DISQUS_KEY),), headers=CREDS
    )
    handler, _ = redirecting(f"https://disqus.com/api/get_forum_list/?user_api_key={DISQUS_KEY}&x=1")
    result = send(handler, request)
    note = next(note for note in result.notes if "not followed" in note)
    assert DISQUS_KEY not in note and "user_api_key=%3Credacted%3E&x=1" in note
    # Only the messages: the response header itself is masked by masked(), not here.
    assert DISQUS_KEY in (result.header("Location") or "")

    def echoing_error(req: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"cannot reach {req.url} with {'k' * 64}")

    failed = send(echoing_error, request)
    assert failed.error is not None and "Could not connect" in failed.error
    assert DISQUS_KEY not in failed.error and "k" * 64 not in failed.error
