"""Plain-language explanations of network failures, naming the host and the timeout involved."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator

import httpx

from explorer.core.http.masking import mask_url


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception and everything it was raised from (httpx wraps httpcore, which wraps OSError)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _find(exc: BaseException, kind: type[BaseException]) -> BaseException | None:
    return next((e for e in _chain(exc) if isinstance(e, kind)), None)


def host_label(url: httpx.URL) -> str:
    """`host:port` as the user would type it (port shown only when it is not the scheme's default)."""
    default = {"http": 80, "https": 443}.get(url.scheme)
    if url.port is None or url.port == default:
        return url.host
    return f"{url.host}:{url.port}"


def describe_timeout(exc: httpx.TimeoutException, url: httpx.URL, timeout: httpx.Timeout) -> str:
    host = host_label(url)
    if isinstance(exc, httpx.ConnectTimeout):
        return (
            f"Timed out connecting to {host} after {timeout.connect:g} s (connect timeout): the host did not "
            "accept the connection. Check the base URL, a firewall or a VPN."
        )
    if isinstance(exc, httpx.WriteTimeout):
        return f"Timed out sending the request body to {host} after {timeout.write:g} s (write timeout)."
    if isinstance(exc, httpx.PoolTimeout):
        return (
            f"No free connection to {host} within {timeout.pool:g} s (pool timeout); "
            "the connection pool was reset, please send again."
        )
    return (
        f"{host} sent nothing for {timeout.read:g} s (read timeout). The server may be overloaded, or the "
        "request may be slow on this site; raise the timeout in the settings if that is expected."
    )


def describe_deadline(url: httpx.URL, total_s: float) -> str:
    return (
        f"The request to {host_label(url)} did not finish within {total_s:g} s (total timeout). "
        "Raise the timeout in the settings or the profile if the server is just slow."
    )


def describe_tls_stall(url: httpx.URL, waited_s: float) -> str:
    return (
        f"The TLS handshake with {host_label(url)} failed: the server accepted the connection but did not "
        f"answer the handshake within {waited_s:g} s. It probably speaks plain HTTP on this port: try "
        f"http:// instead of https://."
    )


def describe_error(exc: BaseException, url: httpx.URL) -> str:
    """One or two sentences saying what went wrong and what to check; never a traceback."""
    host = host_label(url)
    if isinstance(exc, httpx.InvalidURL | httpx.UnsupportedProtocol):
        return f"The URL {mask_url(str(url))!r} cannot be sent: {exc}. Check the profile's base URL."
    if _find(exc, socket.gaierror) is not None:
        return (
            f"Could not find the host {url.host!r} (DNS lookup failed). Check the spelling of the base URL "
            "and your network connection."
        )
    if _find(exc, ssl.SSLCertVerificationError) is not None:
        cert = _find(exc, ssl.SSLCertVerificationError)
        detail = getattr(cert, "verify_message", "") or str(cert)
        return (
            f"The TLS certificate of {host} could not be verified ({detail}). The site may use a "
            "self-signed certificate, or something is intercepting the connection. If you know the site's "
            "certificate, trust it for this profile only (Profiles… → TLS → Trust this certificate)."
        )
    if _find(exc, ssl.SSLError) is not None:
        return (
            f"The TLS handshake with {host} failed ({_find(exc, ssl.SSLError)}). "
            "The server may speak plain HTTP on this port: try http:// instead of https://."
        )
    if _find(exc, ConnectionRefusedError) is not None:
        return f"Connection refused by {host}: nothing is listening on that port. Is the server running?"
    if _find(exc, ConnectionResetError) is not None:
        return f"{host} closed the connection abruptly (connection reset)."
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"{host} broke the HTTP protocol or closed the connection early: {exc}."
    if isinstance(exc, httpx.ConnectError):
        return f"Could not connect to {host}: {exc}."
    if isinstance(exc, httpx.ReadError | httpx.WriteError):
        return f"The connection to {host} failed while transferring data: {exc}."
    if isinstance(exc, OSError):
        return f"A local error stopped the request to {host}: {exc.strerror or exc}."
    return f"The request to {host} failed: {exc}."
