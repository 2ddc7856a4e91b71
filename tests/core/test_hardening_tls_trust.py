"""A profile's "trust this certificate": off by default, the one certificate only, its own site only."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.cli import request as request_command
from explorer.core.catalog.model import Api
from explorer.core.http import Executor
from explorer.core.paths import AppPaths
from explorer.core.prepared import PreparedRequest
from explorer.core.profiles import FileSecretStore, Profile, ProfileStore, ProfileValidationError
from explorer.core.settings import Settings, save_settings
from tests.core.hardening_support import RawServer, head
from tests.core.test_hardening_redirects import _running_tls, _self_signed

KEY = "7a11" * 16


async def ok(method: str, target: str, headers: dict[str, str], writer: asyncio.StreamWriter) -> None:
    writer.write(head(content_type="application/json", content_length="11") + b'{"ok": true}'[:11])


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, str, RawServer]]:
    cert, key = _self_signed(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = RawServer(ok)
    with _running_tls(server, context):
        yield f"https://127.0.0.1:{server.port}", cert.read_text(), server


def _get(origin: str) -> PreparedRequest:
    return PreparedRequest("GET", origin + "/latest.json", headers=(("Api-Key", KEY),))


def test_off_by_default(site: tuple[str, str, RawServer]) -> None:
    origin, _, server = site
    result = Executor(timeout_s=5).execute_sync(_get(origin))
    assert result.status is None and "could not be verified" in result.error
    assert "trust it for this profile only" in result.error
    assert server.requests == []  # refused before anything, the key included, was sent


def test_the_trusted_certificate_is_accepted_for_its_site(site: tuple[str, str, RawServer]) -> None:
    origin, pem, server = site
    executor = Executor(timeout_s=5)
    executor.trust_certificate(origin + "/forum", pem)
    result = executor.execute_sync(_get(origin))
    assert result.status == 200 and result.error is None
    assert server.requests[0][2]["api-key"] == KEY


def test_another_certificate_or_another_site_is_still_refused(
    site: tuple[str, str, RawServer], tmp_path: Path
) -> None:
    origin, pem, _ = site
    (tmp_path / "other").mkdir()
    other_cert, _ = _self_signed(tmp_path / "other")
    executor = Executor(timeout_s=5)
    executor.trust_certificate(origin, other_cert.read_text())
    assert "could not be verified" in executor.execute_sync(_get(origin)).error
    executor = Executor(timeout_s=5)
    executor.trust_certificate("https://127.0.0.1:1", pem)  # the same host, another port: another site
    assert "could not be verified" in executor.execute_sync(_get(origin)).error


def test_the_profile_keeps_it_and_refuses_junk(site: tuple[str, str, RawServer]) -> None:
    _, pem, _ = site
    profile = Profile("self-signed", Api.DISCOURSE, "https://127.0.0.1:8443", trusted_certificate=pem)
    assert Profile.from_json(profile.to_json()).trusted_certificate == pem
    assert "trusted_certificate" not in Profile("plain", Api.DISCOURSE, "https://h.example").to_json()
    with pytest.raises(ProfileValidationError, match="trusted_certificate"):
        Profile("bad", Api.DISCOURSE, "https://h.example", trusted_certificate="not a certificate")


def test_the_command_line_uses_the_profiles_certificate(
    site: tuple[str, str, RawServer], app_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    origin, pem, _ = site
    paths = AppPaths.under(app_home)
    save_settings(paths, Settings(secret_storage="file", request_timeout_s=5))
    store = ProfileStore(paths, FileSecretStore(paths.fallback_secrets_file))
    store.save(Profile("trusting", Api.DISCOURSE, origin, trusted_certificate=pem), {})
    store.save(Profile("plain", Api.DISCOURSE, origin), {})
    assert request_command.main(["--url", "/latest.json", "--profile", "trusting", "--no-history"]) == 0
    assert "HTTP 200" in capsys.readouterr().err
    assert request_command.main(["--url", "/latest.json", "--profile", "plain", "--no-history"]) == 1
    assert "could not be verified" in capsys.readouterr().err
