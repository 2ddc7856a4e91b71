"""Hostile loopback servers for the hardening tests: raw HTTP/1.1 answers written by hand on 127.0.0.1."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import threading
import zlib
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field

Writer = Callable[[str, str, dict[str, str], asyncio.StreamWriter], Awaitable[None]]


def gzip_bomb(decoded_mib: int = 1024) -> bytes:
    """One gzip member of `decoded_mib` MiB of zeros (about 1 MB for 1 GiB), built without holding it all."""
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = bytes(2**20)
    parts = [packer.compress(block) for _ in range(decoded_mib)]
    parts.append(packer.flush())
    return b"".join(parts)


def head(status: str = "200 OK", **headers: str) -> bytes:
    lines = [f"HTTP/1.1 {status}"] + [f"{k.replace('_', '-')}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def stall_mid_body(writer: asyncio.StreamWriter, content_type: str, partial: bytes) -> None:
    """Promise 100 bytes, send `partial`, then nothing: stalls until the client's read timeout hangs up."""
    writer.write(head(content_type=content_type, content_length="100") + partial)
    await writer.drain()
    await asyncio.Event().wait()


async def reset_mid_body(writer: asyncio.StreamWriter, sent: bytes) -> None:
    """Promise 100,000 bytes, send `sent`, then reset the connection (a linger of 0 turns the close into
    a reset)."""
    writer.write(head(content_type="text/plain", content_length="100000") + sent)
    await writer.drain()
    sock = writer.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


@dataclass
class RawServer:
    """An HTTP/1.1 server on an ephemeral 127.0.0.1 port, in its own thread and event loop.

    `answer(method, target, headers, writer)` writes the whole reply; every request is recorded (method,
    target, lower-cased headers, body). `max_requests` bounds what one test can make it serve.
    """

    answer: Writer
    max_requests: int = 500
    requests: list[tuple[str, str, dict[str, str], bytes]] = field(default_factory=list)
    port: int = 0

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                try:
                    raw = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
                    return
                lines = raw.decode("latin-1").split("\r\n")
                method, target, _ = lines[0].split(" ", 2)
                headers: dict[str, str] = {}
                for line in lines[1:]:
                    if ":" in line:
                        name, value = line.split(":", 1)
                        headers[name.strip().lower()] = value.strip()
                length = int(headers.get("content-length", "0") or 0)
                body = await reader.readexactly(length) if length else b""
                if len(self.requests) >= self.max_requests:
                    return
                self.requests.append((method, target, headers, body))
                await self.answer(method, target, headers, writer)
                await writer.drain()
                if headers.get("connection", "").lower() == "close":
                    return
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    @contextlib.contextmanager
    def running(self) -> Iterator[RawServer]:
        loop = asyncio.new_event_loop()
        started = threading.Event()
        server_box: list[asyncio.Server] = []

        async def start() -> None:
            server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
            self.port = server.sockets[0].getsockname()[1]
            server_box.append(server)
            started.set()

        thread = threading.Thread(target=loop.run_forever, daemon=True)
        thread.start()
        asyncio.run_coroutine_threadsafe(start(), loop).result(10)
        started.wait(10)
        try:
            yield self
        finally:

            async def stop() -> None:
                server_box[0].close()
                for task in asyncio.all_tasks():
                    if task is not asyncio.current_task():
                        task.cancel()

            asyncio.run_coroutine_threadsafe(stop(), loop).result(10)
            loop.call_soon_threadsafe(loop.stop)
            thread.join(10)
            loop.close()


def free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
