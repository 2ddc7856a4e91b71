"""Send a PreparedRequest with httpx: deadlines, cancellation, manual redirects and large-body streaming."""

from __future__ import annotations

import asyncio
import contextlib
import http.cookiejar
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypedDict, Unpack

import httpx

from explorer import __version__
from explorer.core.building.discourse_auth import CREDENTIAL_HEADER_NAMES
from explorer.core.http.bodies import body_has_secrets, encode_body
from explorer.core.http.decoding import decoded_chunks
from explorer.core.http.errors import describe_deadline, describe_error, describe_timeout, describe_tls_stall
from explorer.core.http.masking import mask_url, request_secrets, scrub
from explorer.core.http.result import ExecutionResult
from explorer.core.http.sink import BodySink
from explorer.core.http.trust import context_for, origin_key
from explorer.core.logmask import SecretMemory
from explorer.core.prepared import PreparedRequest

ProgressCallback = Callable[[int, int | None], None]


class ExecutorKeywords(TypedDict, total=False):
    """Executor's keyword arguments, for the one-shot senders that pass them on."""

    timeout_s: float
    follow_redirects: bool
    max_redirects: int
    verify: bool
    large_body_cap_bytes: int
    max_body_bytes: int
    temp_dir: Path | None
    transport: httpx.AsyncBaseTransport | None

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Headers that carry credentials: never forwarded when a redirect leads to another origin.
CREDENTIAL_HEADERS = frozenset(
    {name.lower() for name in CREDENTIAL_HEADER_NAMES} | {"authorization", "cookie", "proxy-authorization"}
)
_BODY_HEADERS = frozenset({"content-type", "content-length", "transfer-encoding"})
USER_AGENT = f"forum-api-explorer/{__version__}"


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    default = {"http": 80, "https": 443}.get(url.scheme)
    return (url.scheme, url.host, url.port or default)


class _Phase:
    """Whether a TLS handshake is under way (httpcore trace events), to tell a TLS stall from a dead host."""

    def __init__(self) -> None:
        self.in_tls_handshake = False

    async def trace(self, name: str, info: object) -> None:
        # Set once TCP was accepted and the TLS handshake began; cleared when it completes. A handshake cut
        # by a timeout reports "failed", so that event leaves the flag set.
        if name == "connection.start_tls.started":
            self.in_tls_handshake = True
        elif name in ("connection.start_tls.complete", "connection.connect_tcp.started"):
            self.in_tls_handshake = False


@dataclass
class _Hop:
    """One request on the wire; redirects produce further hops."""

    method: str
    url: httpx.URL
    headers: list[tuple[str, str]]
    content: bytes | None


def _rejecting_cookie_jar() -> http.cookiejar.CookieJar:
    # An explorer must show what the credentials alone do: a session cookie kept from an earlier answer
    # would silently change who the next request acts as. Set-Cookie stays visible in the headers.
    return http.cookiejar.CookieJar(policy=http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))


class Executor:
    """Sends requests; one instance per window or CLI run, closed with `aclose()`.

    `execute` never raises for HTTP or network failures: they come back as an ExecutionResult with a
    plain-language `error`. Cancelling the awaiting task propagates asyncio.CancelledError, closes the
    connection mid-transfer, and leaves the executor usable.
    """

    def __init__(
        self,
        *,
        timeout_s: float = 30.0,
        follow_redirects: bool = False,
        max_redirects: int = 10,
        verify: bool = True,
        large_body_cap_bytes: int = 64 * 2**20,
        max_body_bytes: int = 512 * 2**20,
        temp_dir: Path | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        secret_memory: SecretMemory | None = None,
    ) -> None:
        self.timeout_s = timeout_s
        # Told the keys of each request, for the log formatter that masks crash reports (the window's).
        self.secret_memory = secret_memory
        self.follow_redirects = follow_redirects
        self.max_redirects = max_redirects
        self.verify = verify
        self.large_body_cap_bytes = large_body_cap_bytes
        # The decoded body is cut here: a gzip bomb or an endless body stops at this size, not the deadline.
        self.max_body_bytes = max_body_bytes
        self.temp_dir = temp_dir
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._client_loop: asyncio.AbstractEventLoop | None = None
        # Sites whose profile trusts one more certificate (origin_key -> PEM), and a client for each PEM.
        self.trusted_certificates: dict[str, str] = {}
        self._trusting: dict[str, tuple[asyncio.AbstractEventLoop, httpx.AsyncClient]] = {}

    # -- client lifecycle -------------------------------------------------------------------------

    def _timeout(self, total_s: float) -> httpx.Timeout:
        return httpx.Timeout(total_s, connect=min(total_s, 10.0))

    def trust_certificate(self, site_url: str, pem: str | None) -> None:
        """Accept `pem` (a profile's trusted certificate) for `site_url`'s origin; None forgets it."""
        key = origin_key(site_url)
        if pem is None:
            self.trusted_certificates.pop(key, None)
        else:
            self.trusted_certificates[key] = pem

    def _client_for(self, url: httpx.URL) -> httpx.AsyncClient:
        pem = self.trusted_certificates.get(origin_key(url)) if self.verify else None
        if pem is None or url.scheme != "https":
            return self._get_client()
        loop = asyncio.get_running_loop()
        held = self._trusting.get(pem)
        if held is None or held[0] is not loop:
            held = self._trusting[pem] = (loop, self._new_client(context_for(pem)))
        return held[1]

    def _new_client(self, verify: bool | ssl.SSLContext) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            follow_redirects=False,
            verify=verify,
            transport=self._transport,
            cookies=_rejecting_cookie_jar(),
            headers={"User-Agent": USER_AGENT},
            timeout=self._timeout(self.timeout_s),
        )

    def _get_client(self) -> httpx.AsyncClient:
        loop = asyncio.get_running_loop()
        if self._client is None or self._client_loop is not loop:
            # A client's pooled connections belong to the loop that opened them; a new loop (another
            # asyncio.run from the CLI) needs a new client.
            self._client = self._new_client(self.verify)
            self._client_loop = loop
        return self._client

    async def _rebuild_client(self) -> None:
        # WORKAROUND(httpcore#1093): a cancel during connection set-up under pool contention can leak pool
        # slots, which later surface as PoolTimeout; a fresh pool is the reliable way out.
        old, self._client = self._client, None
        if old is not None and self._transport is None:
            with contextlib.suppress(Exception):
                await old.aclose()

    async def aclose(self) -> None:
        client, self._client = self._client, None
        trusting, self._trusting = self._trusting, {}
        for other in [client, *(held for _, held in trusting.values())]:
            if other is not None:
                await other.aclose()

    # -- sending ----------------------------------------------------------------------------------

    def execute_sync(
        self,
        request: PreparedRequest,
        *,
        on_progress: ProgressCallback | None = None,
        timeout_s: float | None = None,
    ) -> ExecutionResult:
        """Run `execute` on a private event loop (for the CLI); the connection pool is closed after."""

        async def run() -> ExecutionResult:
            try:
                return await self.execute(request, on_progress=on_progress, timeout_s=timeout_s)
            finally:
                await self.aclose()

        return asyncio.run(run())

    async def execute(
        self,
        request: PreparedRequest,
        *,
        on_progress: ProgressCallback | None = None,
        timeout_s: float | None = None,
    ) -> ExecutionResult:
        """Send `request` and collect the whole response; `timeout_s` overrides the default deadline."""
        total_s = timeout_s if timeout_s is not None else self.timeout_s
        secrets = request_secrets(request)
        # A crash report written while this request is in flight masks its keys, whatever their shape.
        if self.secret_memory is not None:
            self.secret_memory.remember(secrets)
        try:
            result = await self._execute(request, on_progress, total_s, retry_pool=True)
        except httpx.PoolTimeout:
            # Raised only before anything was sent, so retrying once on a fresh pool is safe.
            await self._rebuild_client()
            result = await self._execute(request, on_progress, total_s, retry_pool=False)
        return _without_secrets_in_messages(result, secrets)

    async def _execute(
        self,
        request: PreparedRequest,
        on_progress: ProgressCallback | None,
        total_s: float,
        *,
        retry_pool: bool,
    ) -> ExecutionResult:
        started = time.perf_counter()
        timeout = self._timeout(total_s)
        notes: list[str] = []
        redirects: list[tuple[int, str]] = []
        try:
            hop = self._first_hop(request)
        except (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError) as exc:
            return ExecutionResult.for_error(request, f"The URL {request.url!r} cannot be sent: {exc}.")
        response: httpx.Response | None = None
        sink = BodySink(cap=self.large_body_cap_bytes, temp_dir=self.temp_dir)
        keep_file = False
        # The first hop's site decides the client: a profile's trusted certificate applies to its own site.
        client = self._client_for(hop.url)
        phase = _Phase()
        try:
            async with asyncio.timeout(total_s):
                while True:
                    wire = client.build_request(
                        hop.method,
                        hop.url,
                        headers=hop.headers,
                        content=hop.content,
                        timeout=timeout,
                        extensions={"trace": phase.trace},
                    )
                    response = await client.send(wire, stream=True)
                    next_hop = self._next_hop(hop, response, request, redirects, notes)
                    if next_hop is None:
                        break
                    await response.aclose()
                    response, hop = None, next_hop
                total = _content_length(response)
                truncated = False
                async with contextlib.aclosing(decoded_chunks(response)) as chunks:
                    async for chunk in chunks:
                        room = self.max_body_bytes - sink.size
                        if len(chunk) > room:
                            # Stop reading: closing the stream below drops the connection, so the rest is
                            # never downloaded or inflated.
                            sink.add(chunk[:room])
                            truncated = True
                            break
                        sink.add(chunk)
                        if on_progress is not None:
                            on_progress(response.num_bytes_downloaded, total)
            body, path = sink.finish()
            keep_file = True
            if truncated:
                notes.append(
                    f"Body truncated at {_megabytes(self.max_body_bytes)}: the response was larger (after "
                    "decompression) than the response size limit (max_body_mb in the settings). The part "
                    "received is kept."
                )
            if path is not None:
                notes.append(f"The body ({sink.size} bytes) is above the memory cap; it was saved to {path}.")
            return self._result(
                request,
                response,
                hop,
                started,
                body=body,
                path=path,
                size=sink.size,
                redirects=redirects,
                notes=notes,
                truncated=truncated,
            )
        except TimeoutError:
            message = describe_deadline(hop.url, total_s)
            if phase.in_tls_handshake:
                message = describe_tls_stall(hop.url, total_s)
            return self._failed(request, response, hop, started, message, sink, redirects, notes)
        except httpx.TimeoutException as exc:
            if isinstance(exc, httpx.PoolTimeout) and retry_pool and not redirects:
                raise  # nothing has been sent yet: execute() retries on a fresh pool
            if isinstance(exc, httpx.PoolTimeout):
                await self._rebuild_client()
            message = describe_timeout(exc, hop.url, timeout)
            if isinstance(exc, httpx.ConnectTimeout) and phase.in_tls_handshake:
                message = describe_tls_stall(hop.url, timeout.connect or total_s)
            return self._failed(request, response, hop, started, message, sink, redirects, notes)
        except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError, OSError) as exc:
            message = describe_error(exc, hop.url)
            return self._failed(request, response, hop, started, message, sink, redirects, notes)
        finally:
            if not keep_file:
                sink.discard()
            if response is not None:
                # Closing an unfinished stream drops the connection, which is what stops a cancelled request
                # on the server side too.
                await response.aclose()

    # -- redirects ----------------------------------------------------------------------------------

    def _first_hop(self, request: PreparedRequest) -> _Hop:
        content, content_type = encode_body(request.body)
        headers = list(request.headers)
        if content is not None:
            has_type = any(k.lower() == "content-type" for k, _ in headers)
            multipart = request.body is not None and request.body.kind == "multipart"
            if multipart:
                # Our boundary must be the one in the header, whatever the user typed.
                headers = [(k, v) for k, v in headers if k.lower() != "content-type"]
            if multipart or not has_type:
                headers.append(("Content-Type", content_type or "application/octet-stream"))
        url = httpx.URL(request.full_url())
        if url.scheme not in ("http", "https") or not url.host:
            raise ValueError("only http:// and https:// URLs with a host name can be sent")
        return _Hop(request.method.upper(), url, headers, content)

    def _next_hop(
        self,
        hop: _Hop,
        response: httpx.Response,
        request: PreparedRequest,
        redirects: list[tuple[int, str]],
        notes: list[str],
    ) -> _Hop | None:
        """The request to send after a redirect, or None to stop and show this response."""
        location = response.headers.get("location")
        if response.status_code not in REDIRECT_STATUSES or not location:
            return None
        if not self.follow_redirects:
            notes.append(f"Redirect to {mask_url(location)} not followed (following redirects is off).")
            return None
        if len(redirects) >= self.max_redirects:
            notes.append(f"Stopped after {self.max_redirects} redirects.")
            return None
        try:
            target = hop.url.join(location)
        except httpx.InvalidURL:
            notes.append(f"Redirect target {mask_url(location)!r} is not a valid URL; not followed.")
            return None
        if target.scheme not in ("http", "https") or not target.host:
            notes.append(
                f"The server redirected to a non-HTTP URL ({mask_url(location)}); not followed. "
                "Only http:// and https:// redirects are followed."
            )
            return None
        method, content = hop.method, hop.content
        headers = [(k, v) for k, v in hop.headers if k.lower() != "host"]
        status = response.status_code
        if (status == 303 and method != "HEAD") or (status in (301, 302) and method == "POST"):
            if content is not None:
                notes.append(f"{method} answered {status}: the next request is a GET without the body.")
            method, content = "GET", None
            headers = [(k, v) for k, v in headers if k.lower() not in _BODY_HEADERS]
        if _origin(target) != _origin(hop.url):
            if content is not None and body_has_secrets(request.body):
                notes.append(
                    f"Redirect to another origin ({target.host}) not followed: it would resend the "
                    "credentials in the body."
                )
                return None
            dropped = sorted({k for k, _ in headers if k.lower() in CREDENTIAL_HEADERS})
            if dropped:
                headers = [(k, v) for k, v in headers if k.lower() not in CREDENTIAL_HEADERS]
                notes.append(
                    f"Redirected to another origin ({target.scheme}://{target.netloc.decode()}): "
                    f"credential headers not forwarded ({', '.join(dropped)})."
                )
        redirects.append((status, str(target)))
        return _Hop(method, target, headers, content)

    # -- results ------------------------------------------------------------------------------------

    def _result(
        self,
        request: PreparedRequest,
        response: httpx.Response,
        hop: _Hop,
        started: float,
        *,
        body: bytes,
        path: Path | None,
        size: int,
        redirects: list[tuple[int, str]],
        notes: list[str],
        error: str | None = None,
        truncated: bool = False,
    ) -> ExecutionResult:
        return ExecutionResult(
            request=request,
            status=response.status_code,
            reason=response.reason_phrase,
            http_version=response.http_version,
            headers=tuple(response.headers.multi_items()),
            body=body,
            body_path=path,
            size=size,
            wire_size=response.num_bytes_downloaded,
            elapsed_s=time.perf_counter() - started,
            error=error,
            redirects=tuple(redirects),
            final_url=str(hop.url),
            final_method=hop.method,
            sent_headers=tuple(response.request.headers.multi_items()),
            notes=tuple(notes),
            truncated=truncated,
        )

    def _failed(
        self,
        request: PreparedRequest,
        response: httpx.Response | None,
        hop: _Hop,
        started: float,
        message: str,
        sink: BodySink,
        redirects: list[tuple[int, str]],
        notes: list[str],
    ) -> ExecutionResult:
        if response is None:
            result = ExecutionResult.for_error(request, message, time.perf_counter() - started)
            return _replace_hop(result, hop, redirects, notes)
        # The status line and headers arrived but the body broke off: keep what came (in memory only).
        partial = b"".join(sink.chunks)
        return self._result(
            request,
            response,
            hop,
            started,
            body=partial,
            path=None,
            size=len(partial),
            redirects=redirects,
            notes=notes,
            error=message,
        )


def _without_secrets_in_messages(result: ExecutionResult, secrets: list[str]) -> ExecutionResult:
    """The result with the request's keys (`secrets`) hidden in its notes and error: both are shown as they
    are (a status line, a tooltip), unlike headers and URLs, which the window shows through `masked()`."""
    if not secrets:
        return result
    error = scrub(result.error, secrets) if result.error else result.error
    return replace(result, error=error, notes=tuple(scrub(note, secrets) for note in result.notes))


def _replace_hop(
    result: ExecutionResult, hop: _Hop, redirects: list[tuple[int, str]], notes: list[str]
) -> ExecutionResult:
    return replace(
        result,
        final_url=str(hop.url),
        final_method=hop.method,
        redirects=tuple(redirects),
        notes=tuple(notes),
    )


def _megabytes(size: int) -> str:
    return f"{size / 2**20:g} MB"


def _content_length(response: httpx.Response) -> int | None:
    # Compared with num_bytes_downloaded, so both count wire bytes even for a compressed body.
    raw = response.headers.get("content-length", "")
    return int(raw) if raw.isdigit() else None


async def execute_once(request: PreparedRequest, **executor_kw: Unpack[ExecutorKeywords]) -> ExecutionResult:
    """Send one request with a throw-away Executor (closed afterwards)."""
    executor = Executor(**executor_kw)
    try:
        return await executor.execute(request)
    finally:
        await executor.aclose()


def execute_sync(request: PreparedRequest, **executor_kw: Unpack[ExecutorKeywords]) -> ExecutionResult:
    """Blocking one-shot send for the CLI: `asyncio.run` around a throw-away Executor."""
    return asyncio.run(execute_once(request, **executor_kw))
