"""Response size cap: a gzip bomb and an endless body stop at max_body_bytes, the part received is kept."""

from __future__ import annotations

import asyncio
import functools
import gzip
from pathlib import Path

import psutil
import pytest

from explorer.core.http import Executor
from explorer.core.http.decoding import STEP_BYTES, BoundedDecoder
from explorer.core.prepared import PreparedRequest
from explorer.core.settings import Settings, settings_from_dict
from tests.core.hardening_support import RawServer, gzip_bomb, head

MIB = 2**20


@functools.cache
def bomb() -> bytes:
    return gzip_bomb(1024)


async def send_bomb(method: str, target: str, headers: dict[str, str], writer: asyncio.StreamWriter) -> None:
    payload = bomb()
    writer.write(
        head(
            content_type="application/octet-stream", content_encoding="gzip", content_length=str(len(payload))
        )
    )
    writer.write(payload)


async def endless(method: str, target: str, headers: dict[str, str], writer: asyncio.StreamWriter) -> None:
    writer.write(head(content_type="text/plain", transfer_encoding="chunked"))
    chunk = b"x" * 65536
    frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    # Bounded: 4 GiB at most, though the client hangs up long before.
    for _ in range(65536):
        writer.write(frame)
        await writer.drain()


def get(url: str) -> PreparedRequest:
    return PreparedRequest(method="GET", url=url)


def test_gzip_bomb_stops_at_the_cap_with_bounded_memory(tmp_path: Path) -> None:
    bomb()  # built before measuring
    process = psutil.Process()
    before = process.memory_info().rss
    peak = [before]

    def sample(done: int, total: int | None) -> None:
        peak[0] = max(peak[0], process.memory_info().rss)

    executor = Executor(
        max_body_bytes=64 * MIB, large_body_cap_bytes=4 * MIB, temp_dir=tmp_path, timeout_s=60
    )
    with RawServer(send_bomb).running() as server:
        result = executor.execute_sync(get(server.origin + "/bomb"), on_progress=sample)
    try:
        assert result.error is None and result.status == 200
        assert result.truncated
        assert result.size == 64 * MIB
        assert result.body_path is not None and result.body_path.stat().st_size == 64 * MIB
        assert any("Body truncated at 64 MB" in note for note in result.notes)
        # The wire carried a small part of the megabyte, not all of it inflated.
        assert result.wire_size < len(bomb())
        assert peak[0] - before < 150 * MIB
    finally:
        result.discard_body_file()


def test_endless_chunked_body_stops_at_the_cap_not_the_deadline(tmp_path: Path) -> None:
    executor = Executor(max_body_bytes=8 * MIB, large_body_cap_bytes=2 * MIB, temp_dir=tmp_path, timeout_s=30)
    with RawServer(endless).running() as server:
        result = executor.execute_sync(get(server.origin + "/endless"))
    try:
        assert result.error is None, result.error
        assert result.truncated and result.size == 8 * MIB
        assert result.read_body()[:4] == b"xxxx"
        assert any("truncated at 8 MB" in note and "part received is kept" in note for note in result.notes)
    finally:
        result.discard_body_file()


def test_a_body_exactly_at_the_cap_is_not_truncated() -> None:
    payload = b"y" * 4096

    async def exact(method: str, target: str, headers: dict[str, str], writer: asyncio.StreamWriter) -> None:
        writer.write(head(content_type="text/plain", content_length=str(len(payload))) + payload)

    executor = Executor(max_body_bytes=4096)
    with RawServer(exact).running() as server:
        result = executor.execute_sync(get(server.origin + "/"))
    assert result.body == payload and not result.truncated and result.notes == ()


def test_small_gzip_and_concatenated_members_decode_fully() -> None:
    payload = gzip.compress(b'{"a": 1}') + gzip.compress(b' {"b": 2}')

    async def members(
        method: str, target: str, headers: dict[str, str], writer: asyncio.StreamWriter
    ) -> None:
        writer.write(
            head(content_type="application/json", content_encoding="gzip", content_length=str(len(payload)))
        )
        writer.write(payload)

    with RawServer(members).running() as server:
        result = Executor().execute_sync(get(server.origin + "/"))
    assert result.body == b'{"a": 1} {"b": 2}' and not result.truncated


def test_decoder_never_yields_more_than_one_step() -> None:
    decoder = BoundedDecoder(["gzip"])
    pieces = list(decoder.feed(gzip_bomb(8)))
    assert sum(map(len, pieces)) == 8 * MIB
    assert max(map(len, pieces)) <= STEP_BYTES


def test_corrupt_gzip_is_a_plain_error() -> None:
    async def broken(method: str, target: str, headers: dict[str, str], writer: asyncio.StreamWriter) -> None:
        writer.write(
            head(content_type="text/plain", content_encoding="gzip", content_length="9") + b"not gzip!"
        )

    with RawServer(broken).running() as server:
        result = Executor().execute_sync(get(server.origin + "/"))
    assert result.error is not None and "could not be decoded" in result.error


def test_the_cap_is_a_setting() -> None:
    assert Settings().max_body_mb == 512
    assert Settings().executor_options()["max_body_bytes"] == 512 * MIB
    chosen, warnings = settings_from_dict({"max_body_mb": 20})
    assert chosen.max_body_bytes == 20 * MIB and warnings == []
    _, warnings = settings_from_dict({"max_body_mb": 0})
    assert warnings and "max_body_mb" in warnings[0]


@pytest.mark.parametrize("bad", ["nope", -1, True])
def test_bad_cap_values_fall_back(bad: object) -> None:
    chosen, warnings = settings_from_dict({"max_body_mb": bad})
    assert chosen.max_body_mb == 512 and warnings
