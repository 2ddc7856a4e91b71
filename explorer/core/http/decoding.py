"""Decode a response's Content-Encoding in bounded steps, so a compressed bomb never inflates past the cap."""

from __future__ import annotations

import contextlib
import zlib
from collections.abc import AsyncGenerator, Iterator
from typing import cast

import httpx

# The most one decompression step may produce: a 64 KiB read of gzip'd zeros inflates to about 64 MiB in
# one call without a bound, which is what made a 1 MB answer cost gigabytes of memory.
STEP_BYTES = 256 * 1024

_KNOWN = frozenset({"gzip", "x-gzip", "deflate", "identity"})


def encodings(response: httpx.Response) -> list[str]:
    """The Content-Encoding values in the order they were applied (empty for none)."""
    raw = response.headers.get("content-encoding", "")
    return [part.strip().lower() for part in raw.split(",") if part.strip()]


def can_decode(response: httpx.Response) -> bool:
    """True when every encoding is one this module decodes in bounded steps."""
    return all(name in _KNOWN for name in encodings(response))


class _Inflater:
    """One gzip or deflate layer; later gzip members (concatenated gzip) are decoded too, as curl does."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._first = True
        self._object = self._new()

    def _new(self) -> zlib._Decompress:
        if self.name in ("gzip", "x-gzip"):
            return zlib.decompressobj(zlib.MAX_WBITS | 16)
        return zlib.decompressobj()

    def feed(self, data: bytes) -> Iterator[bytes]:
        while data:
            try:
                out = self._object.decompress(data, STEP_BYTES)
            except zlib.error:
                if self.name == "deflate" and self._first:
                    # Some servers send raw deflate without the zlib header.
                    self._object = zlib.decompressobj(-zlib.MAX_WBITS)
                    self._first = False
                    continue
                raise httpx.DecodingError(f"the {self.name} body could not be decoded") from None
            self._first = False
            if out:
                yield out
            if self._object.eof:
                rest = self._object.unused_data
                if not rest or self.name == "deflate":
                    return
                self._object = self._new()
                data = rest
            else:
                data = self._object.unconsumed_tail


class BoundedDecoder:
    """Undoes the response's Content-Encoding layers chunk by chunk, never more than STEP_BYTES at a time."""

    def __init__(self, names: list[str]) -> None:
        # Decoding runs in reverse order of application.
        self._layers = [_Inflater(name) for name in reversed(names) if name != "identity"]

    def feed(self, data: bytes) -> Iterator[bytes]:
        yield from self._through(data, 0)

    def _through(self, data: bytes, index: int) -> Iterator[bytes]:
        if index == len(self._layers):
            if data:
                yield data
            return
        for piece in self._layers[index].feed(data):
            yield from self._through(piece, index + 1)


async def decoded_chunks(response: httpx.Response) -> AsyncGenerator[bytes, None]:
    """The body, decoded, in pieces of at most STEP_BYTES for gzip/deflate; other encodings (br, zstd when
    their packages are installed) fall back to httpx's own decoder, chunk by chunk.

    Close it with contextlib.aclosing: a reader that stops early (the size cap) then also closes the
    connection and lets httpx's inner stream generators end (see _finish), all inside the event loop.
    """
    decoder: BoundedDecoder | None = None
    if not can_decode(response) or response.is_stream_consumed:
        # Already read (a response built in memory, as a mock transport makes): httpx hands out its content.
        chunks = cast(AsyncGenerator[bytes, None], response.aiter_bytes())
    else:
        decoder = BoundedDecoder(encodings(response))
        chunks = cast(AsyncGenerator[bytes, None], response.aiter_raw())
    done = False
    try:
        async for chunk in chunks:
            if decoder is None:
                yield chunk
            else:
                for piece in decoder.feed(chunk):
                    yield piece
        done = True
    finally:
        if not done:
            await _finish(response, chunks)


# How many more pieces _finish reads to let httpx's generators end: the connection is closed, so what
# comes is only what was already received (a read or two); a transport that keeps producing is let go.
_FINISH_READS = 8


async def _finish(response: httpx.Response, chunks: AsyncGenerator[bytes, None]) -> None:
    """Stop reading `response` early without leaving a suspended generator to the garbage collector.

    Closing httpx's aiter_raw/aiter_bytes closes only that generator: the ones it iterates (httpx's and
    httpcore's byte streams, down to the HTTP/1.1 connection's) stay suspended until the garbage collector
    closes them. With asyncio's hooks that happens in the event loop; qasync installs none, so they are
    closed outside it, cannot await their clean-up, and Python warns "async generator ignored
    GeneratorExit". So the connection is closed first and the stream read on: the read fails at once,
    and that error ends every generator of the chain the way a network error would.
    """
    await response.aclose()
    with contextlib.suppress(Exception):  # the expected end: ReadError, or StopAsyncIteration
        for _ in range(_FINISH_READS):
            await chunks.__anext__()
    await chunks.aclose()
