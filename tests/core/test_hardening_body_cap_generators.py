"""A body cut at the size cap (or by a decoding error) leaves no async generator of httpx or httpcore for
the garbage collector to close: under qasync, which installs no asyncgen hooks, each one left was closed
outside the event loop and Python printed "async generator ignored GeneratorExit"."""

from __future__ import annotations

import asyncio
import gc
import sys
from collections.abc import Iterator

import pytest

from explorer.core.http import Executor
from explorer.core.prepared import PreparedRequest
from tests.core.hardening_support import RawServer, gzip_bomb, head

MIB = 2**20
BOMB = gzip_bomb(16)
FRAME = b"10000\r\n" + b"x" * 0x10000 + b"\r\n"  # one 64 KiB chunk


async def answer(method: str, target: str, headers: dict[str, str], writer: asyncio.StreamWriter) -> None:
    if target == "/bomb":
        writer.write(head(content_encoding="gzip", content_length=str(len(BOMB))) + BOMB)
        return
    if target == "/broken-gzip":
        writer.write(head(content_encoding="gzip", transfer_encoding="chunked"))
        writer.write(b"1000\r\n" + b"\x1f\x8b" + b"not gzip" * 511 + b"\r\n")
    elif target == "/unknown-encoding":
        # An encoding the app does not decode itself: httpx's own decoder reads it (aiter_bytes).
        writer.write(head(content_encoding="x-unknown", transfer_encoding="chunked"))
    else:
        writer.write(head(content_type="text/plain", transfer_encoding="chunked"))
    for _ in range(200):  # bounded: 12.5 MiB at most, though the client hangs up after 1 MiB
        writer.write(FRAME)
        await writer.drain()


@pytest.fixture(scope="module")
def server() -> Iterator[RawServer]:
    with RawServer(answer).running() as running:
        yield running


async def _send_without_asyncgen_hooks(url: str) -> tuple[int | None, bool, str | None]:
    # What qasync's loop does: no firstiter/finalizer, so an unfinished async generator is closed by
    # the garbage collector, outside the loop.
    sys.set_asyncgen_hooks(firstiter=None, finalizer=None)
    executor = Executor(timeout_s=20, max_body_bytes=MIB)
    try:
        result = await executor.execute(PreparedRequest("GET", url))
    finally:
        await executor.aclose()
    return result.status, result.truncated, result.error


@pytest.mark.parametrize(
    ("path", "truncated", "error"),
    [
        ("/endless", True, None),
        ("/bomb", True, None),
        ("/unknown-encoding", True, None),
        ("/broken-gzip", False, "could not be decoded"),
    ],
)
def test_a_body_stopped_early_leaves_no_generator_to_the_garbage_collector(
    server: RawServer, path: str, truncated: bool, error: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    unraisable: list[str] = []
    monkeypatch.setattr(
        sys, "unraisablehook", lambda u: unraisable.append(f"{u.exc_value!r} in {u.object!r}")
    )
    status, was_truncated, message = asyncio.run(_send_without_asyncgen_hooks(server.origin + path))
    gc.collect()
    assert unraisable == []  # "async generator ignored GeneratorExit" is reported here
    assert was_truncated is truncated
    if error is None:
        assert status == 200 and message is None
    else:
        assert message is not None and error in message, message
