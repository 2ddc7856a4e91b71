"""Credentials never cross origins on real loopback sockets: every credential of both APIs, every redirect
status, another port, and https → http on the same host."""

from __future__ import annotations

import asyncio
import datetime
import ipaddress
import ssl
from pathlib import Path

import pytest

from explorer.core.building.discourse_auth import ACTING_USER_HEADERS, ADMIN_KEY_HEADERS, USER_API_HEADERS
from explorer.core.building.disqus_wire import KEY_NAMES
from explorer.core.http import Executor
from explorer.core.prepared import Body, PreparedRequest
from tests.core.hardening_support import RawServer, head

STATUSES = (301, 302, 303, 307, 308)
# Values long enough to be recognised anywhere they surface; one per credential name.
DISCOURSE_HEADERS = {
    header: f"{name.replace('_', '')}{index:02d}" + "c0ffee42" * 5
    for index, (name, header) in enumerate(
        [*ADMIN_KEY_HEADERS.items(), *ACTING_USER_HEADERS.items(), *USER_API_HEADERS.items()]
    )
}
OTHER_HEADERS = {"Authorization": "Bearer " + "b3a7e5" * 8, "Cookie": "_t=" + "5e55" * 10}
DISQUS_KEYS = {name: f"{name.replace('_', '')}" + "d15c0" * 8 for name in KEY_NAMES}
ALL_SECRETS = [*DISCOURSE_HEADERS.values(), *OTHER_HEADERS.values(), *DISQUS_KEYS.values()]


def redirect_to(location: str, status: int):
    async def answer(method: str, target: str, headers: dict[str, str], writer: asyncio.StreamWriter) -> None:
        if target.startswith("/start"):
            writer.write(head(f"{status} Moved", location=location, content_length="0"))
        else:
            writer.write(head(content_type="application/json", content_length="2") + b"{}")

    return answer


def seen_text(server: RawServer) -> str:
    return "\n".join(
        f"{method} {target} {headers!r} {body.decode('latin-1')}"
        for method, target, headers, body in server.requests
    )


REQUESTS = {
    "discourse-headers-get": PreparedRequest(
        "GET", "/start", headers=tuple({**DISCOURSE_HEADERS, **OTHER_HEADERS}.items())
    ),
    "discourse-headers-post-json": PreparedRequest(
        "POST",
        "/start",
        headers=tuple(DISCOURSE_HEADERS.items()),
        body=Body("json", json_value={"title": "hello", "raw": "a post body"}),
    ),
    "disqus-keys-in-a-post-form": PreparedRequest(
        "POST", "/start", body=Body("form", fields=(*DISQUS_KEYS.items(), ("message", "hi")))
    ),
    "disqus-keys-in-json": PreparedRequest(
        "PUT", "/start", body=Body("json", json_value={**DISQUS_KEYS, "message": "hi"})
    ),
}


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("kind", sorted(REQUESTS))
def test_no_credential_reaches_another_origin(kind: str, status: int) -> None:
    with RawServer(redirect_to("/", 200)).running() as far:
        with RawServer(redirect_to(far.origin + "/landing", status)).running() as near:
            request = REQUESTS[kind]
            request = PreparedRequest(request.method, near.origin + request.url, headers=request.headers,
                                      body=request.body)  # fmt: skip
            result = Executor(follow_redirects=True, timeout_s=10).execute_sync(request)
        assert result.error is None
        assert all(secret not in seen_text(far) for secret in ALL_SECRETS), seen_text(far)
        if far.requests:
            assert any("not forwarded" in n or "without the body" in n for n in result.notes) or not (
                request.headers
            )
        else:
            assert any("would resend the credentials in the body" in n for n in result.notes)


@pytest.mark.parametrize("status", STATUSES)
def test_a_same_origin_redirect_keeps_the_headers(status: int) -> None:
    with RawServer(redirect_to("/landing", status)).running() as near:
        request = PreparedRequest("GET", near.origin + "/start", headers=tuple(DISCOURSE_HEADERS.items()))
        result = Executor(follow_redirects=True, timeout_s=10).execute_sync(request)
    assert result.status == 200
    last = near.requests[-1][2]
    assert last["api-key"] == DISCOURSE_HEADERS["Api-Key"]


def _self_signed(tmp_path: Path) -> tuple[Path, Path]:
    crypto = pytest.importorskip("cryptography")
    del crypto
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


class TlsServer(RawServer):
    """RawServer behind TLS with a self-signed certificate for 127.0.0.1."""

    context: ssl.SSLContext | None = None

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.port}"


@pytest.fixture
def tls_context(tmp_path: Path) -> ssl.SSLContext:
    cert, key = _self_signed(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


def _running_tls(server: RawServer, context: ssl.SSLContext):
    import contextlib
    import threading

    @contextlib.contextmanager
    def running():
        loop = asyncio.new_event_loop()
        box: list[asyncio.Server] = []

        async def start() -> None:
            box.append(await asyncio.start_server(server._serve, "127.0.0.1", 0, ssl=context))
            server.port = box[0].sockets[0].getsockname()[1]

        thread = threading.Thread(target=loop.run_forever, daemon=True)
        thread.start()
        asyncio.run_coroutine_threadsafe(start(), loop).result(10)
        try:
            yield server
        finally:

            async def stop() -> None:
                box[0].close()

            asyncio.run_coroutine_threadsafe(stop(), loop).result(10)
            loop.call_soon_threadsafe(loop.stop)
            thread.join(10)
            loop.close()

    return running()


@pytest.mark.parametrize("status", STATUSES)
def test_https_to_http_on_the_same_host_drops_every_credential(
    tls_context: ssl.SSLContext, status: int
) -> None:
    with RawServer(redirect_to("/", 200)).running() as plain:
        secure = TlsServer(redirect_to(f"http://127.0.0.1:{plain.port}/landing", status))
        with _running_tls(secure, tls_context):
            request = PreparedRequest(
                "GET", secure.origin + "/start", headers=tuple({**DISCOURSE_HEADERS, **OTHER_HEADERS}.items())
            )
            result = Executor(follow_redirects=True, timeout_s=10, verify=False).execute_sync(request)
    assert result.error is None and result.status == 200, result.error
    assert secure.requests[0][2]["api-key"] == DISCOURSE_HEADERS["Api-Key"]  # sent over TLS as asked
    assert all(secret not in seen_text(plain) for secret in ALL_SECRETS)
    assert any("credential headers not forwarded" in note for note in result.notes)


def test_an_untrusted_certificate_is_a_plain_error(tls_context: ssl.SSLContext) -> None:
    secure = TlsServer(redirect_to("/", 200))
    with _running_tls(secure, tls_context):
        result = Executor(timeout_s=10).execute_sync(
            PreparedRequest("GET", secure.origin + "/x", headers=tuple(DISCOURSE_HEADERS.items()))
        )
    assert result.status is None
    assert "certificate" in result.error and "could not be verified" in result.error
    assert secure.requests == []  # nothing, credentials included, was sent
