"""Network faults in the window and the command line: each one a plain message, the window stays responsive.

Servers are on 127.0.0.1 (an unresolvable name is refused by a patched resolver); each request is bounded
by a one-second timeout or the response size limit.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer

from explorer.cli import request as request_command
from explorer.core.lifecycle import RequestSpec
from explorer.core.paths import AppPaths
from explorer.core.settings import Settings, save_settings
from tests.core.hardening_support import (
    RawServer,
    free_port,
    gzip_bomb,
    head,
    reset_mid_body,
    stall_mid_body,
)
from tests.core.test_hardening_redirects import _running_tls, _self_signed
from tests.ui.conftest import _private_qsettings, home, make_window, qloop, signal_future  # noqa: F401

pytestmark = [pytest.mark.gui, pytest.mark.timeout(120, method="thread")]

BOMB = gzip_bomb(64)


async def routes(method: str, target: str, headers: dict[str, str], writer: asyncio.StreamWriter) -> None:
    path = target.split("?", 1)[0]
    if path == "/stall":
        await stall_mid_body(writer, "application/json", b'{"a": ')
    elif path == "/reset":
        await reset_mid_body(writer, b"r" * 500)
    elif path == "/bad-json":
        writer.write(head(content_type="application/json", content_length="5") + b'{"a":')
    elif path == "/html":
        body = b"<!DOCTYPE html><html><body>Down for maintenance</body></html>"
        writer.write(head(content_type="text/html", content_length=str(len(body))) + body)
    elif path == "/bomb":
        writer.write(
            head(content_type="text/plain", content_encoding="gzip", content_length=str(len(BOMB))) + BOMB
        )
    elif path == "/endless":
        writer.write(head(content_type="text/plain", transfer_encoding="chunked"))
        frame = b"10000\r\n" + b"e" * 65536 + b"\r\n"
        for _ in range(4096):
            writer.write(frame)
            await writer.drain()
    else:
        writer.write(head(content_length="2") + b"ok")


@pytest.fixture(scope="module")
def server() -> Iterator[RawServer]:
    with RawServer(routes, max_requests=200).running() as running:
        yield running


@pytest.fixture
def no_invalid_names(monkeypatch: pytest.MonkeyPatch) -> None:
    real = socket.getaddrinfo

    def resolver(host: Any, *args: Any, **kwargs: Any) -> Any:
        if str(host).endswith(".invalid"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolver)


@contextlib.contextmanager
def _ok_over_tls(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A server answering "ok" over TLS with a self-signed certificate: its origin and that certificate."""
    cert, key = _self_signed(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)

    async def ok(method: str, target: str, headers: dict[str, str], writer: asyncio.StreamWriter) -> None:
        writer.write(head(content_length="2") + b"ok")

    tls = RawServer(ok)
    with _running_tls(tls, context):
        yield f"https://127.0.0.1:{tls.port}", cert


@pytest.fixture
def tls_origin(tmp_path: Path) -> Iterator[str]:
    with _ok_over_tls(tmp_path) as (origin, _cert):
        yield origin


@pytest.fixture
def silent_origin() -> Iterator[str]:
    async def nothing(
        method: str, target: str, headers: dict[str, str], writer: asyncio.StreamWriter
    ) -> None:
        return None

    with RawServer(nothing).running() as silent:
        yield f"https://127.0.0.1:{silent.port}"


def _faults(server: RawServer, tls: str, silent: str) -> dict[str, tuple[str, str]]:
    """name -> (URL, words the message must hold)."""
    return {
        "refused": (f"http://127.0.0.1:{free_port()}/x", "Connection refused"),
        "unresolvable": ("http://forum.example.invalid/x", "DNS lookup failed"),
        "read timeout mid-body": (server.origin + "/stall", "timeout"),
        "reset mid-body": (server.origin + "/reset", "connection"),
        "untrusted certificate": (tls + "/x", "could not be verified"),
        "https to a plain port": (silent + "/x", "TLS handshake"),
        "invalid JSON": (server.origin + "/bad-json", "not valid JSON"),
        "HTML with 200": (server.origin + "/html", "HTML"),
        "decompression bomb": (server.origin + "/bomb", "Body truncated at 1 MB"),
        "endless body": (server.origin + "/endless", "Body truncated at 1 MB"),
    }


def test_each_fault_is_explained_in_the_window(
    qtbot: Any,
    qloop: Any,  # noqa: F811
    make_window: Any,  # noqa: F811
    home: AppPaths,  # noqa: F811
    server: RawServer,
    tls_origin: str,
    silent_origin: str,
    no_invalid_names: None,
) -> None:
    save_settings(home, Settings(request_timeout_s=1, max_body_mb=1))
    window = make_window()
    window.editor.confirm_send = lambda findings: True
    for name, (url, words) in _faults(server, tls_origin, silent_origin).items():
        window.request_tabs.new_tab(RequestSpec(verb="GET", url=url))
        ticks: list[int] = []
        timer = QTimer()
        timer.timeout.connect(lambda ticks=ticks: ticks.append(1))
        timer.start(20)

        async def run() -> Any:
            done = signal_future(window.response_shown)
            assert window.send(), window.editor.problem.text()
            return (await asyncio.wait_for(done, 30))[0]

        result = qloop.run_until_complete(run())
        timer.stop()
        pane = window.response
        shown = (
            " ".join([pane.note.text(), pane.diagnosis.title, pane.diagnosis.summary])
            if pane.diagnosis
            else ""
        )
        assert words in shown, f"{name}: {shown!r}"
        assert "Traceback" not in shown and "Unexpected" not in shown
        assert ticks or result.elapsed_s < 0.05, f"{name}: the event loop stood still while waiting"


@pytest.mark.parametrize(
    "name", ["refused", "unresolvable", "reset mid-body", "untrusted certificate", "https to a plain port"]
)
def test_each_fault_is_explained_by_the_command_line(
    name: str,
    capsys: pytest.CaptureFixture[str],
    app_home: Path,
    server: RawServer,
    tls_origin: str,
    silent_origin: str,
    no_invalid_names: None,
) -> None:
    save_settings(AppPaths.under(app_home), Settings(request_timeout_s=1, max_body_mb=1))
    url, words = _faults(server, tls_origin, silent_origin)[name]
    code = request_command.main(["--url", url, "--no-history"])
    err = capsys.readouterr().err
    assert code == 1 and words in err and "Traceback" not in err


def test_a_profile_that_trusts_the_certificate_reaches_the_site_from_the_window(
    qtbot: Any,
    qloop: Any,  # noqa: F811
    make_window: Any,  # noqa: F811
    tmp_path: Path,
) -> None:
    with _ok_over_tls(tmp_path) as (origin, cert):
        window = make_window()
        window.editor.confirm_send = lambda findings: True

        def send() -> Any:
            window.request_tabs.new_tab(RequestSpec(verb="GET", url=origin + "/x"))

            async def run() -> Any:
                done = signal_future(window.response_shown)
                assert window.send(), window.editor.problem.text()
                return (await asyncio.wait_for(done, 30))[0]

            return qloop.run_until_complete(run())

        assert "could not be verified" in send().error  # off by default

        # Profiles…: a new profile for the site, Fetch certificate, read the fingerprint, tick, save.
        from explorer.ui.widgets.certificate_trust import fingerprint
        from explorer.ui.widgets.profile_dialog import ProfileDialog

        dialog = ProfileDialog(window.services, None)
        qtbot.addWidget(dialog)
        dialog.new_profile()
        dialog.name.setText("self-signed")
        dialog.base_url.setText(origin)
        assert dialog.trust.pem() is None and not dialog.trust.checkbox.isChecked()
        qloop.run_until_complete(dialog.trust.fetch())
        assert fingerprint(cert.read_text()) in dialog.trust.details.text()
        assert dialog.trust.pem() is None  # fetched, not trusted until the box is ticked
        dialog.trust.checkbox.setChecked(True)
        assert dialog.save_profile(), dialog.error.text()
        saved = window.services.profiles.get_by_name("self-signed")
        assert saved is not None and saved.trusted_certificate is not None
        window.load_profiles()
        assert send().status == 200
