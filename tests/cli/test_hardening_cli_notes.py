"""explorer request says what the HTTP layer noted: redirects not followed or refused, a stop after ten
redirects, a truncated body; --follow-redirects; a profile's timeout_s is the deadline."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from explorer.cli import request
from explorer.core.paths import AppPaths
from explorer.core.profiles import FileSecretStore, Profile, ProfileStore
from explorer.core.settings import Settings, save_settings
from tests.core.hardening_support import RawServer, head

KEY = "c0ffee" * 10 + "abcd"


def answer_for(other: list[str]):
    async def answer(method: str, target: str, headers: dict[str, str], writer: asyncio.StreamWriter) -> None:
        path = target.split("?", 1)[0]
        if path == "/found":
            writer.write(head("302 Found", location="/final", content_length="0"))
        elif path == "/loop":
            writer.write(head("302 Found", location="/loop", content_length="0"))
        elif path == "/post-away":
            writer.write(head("307 Temporary Redirect", location=other[0] + "/final", content_length="0"))
        elif path == "/slow":
            writer.write(head(content_type="text/plain", content_length="10") + b"x")
            await writer.drain()
            await asyncio.Event().wait()  # stalls until the client's deadline hangs up
        elif path == "/big":
            writer.write(head(content_type="text/plain", content_length=str(3 * 2**20)) + b"z" * (3 * 2**20))
        else:
            body = b'{"ok": true}'
            writer.write(head(content_type="application/json", content_length=str(len(body))) + body)

    return answer


@pytest.fixture
def servers():
    other: list[str] = []
    with RawServer(answer_for(other)).running() as far, RawServer(answer_for(other)).running() as near:
        other.append(far.origin)
        yield near, far


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = request.main([*argv, "--no-history"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_302_not_followed_says_why_and_how(capsys, app_home: Path, servers) -> None:
    near, _ = servers
    code, out, err = run(capsys, "--url", near.origin + "/found")
    assert "HTTP 302 Found" in err
    assert "not followed (following redirects is off); add --follow-redirects to follow it" in err
    code, out, err = run(capsys, "--url", near.origin + "/found", "--json")
    assert any("--follow-redirects" in note for note in json.loads(out)["notes"])


def test_follow_redirects_option(capsys, app_home: Path, servers) -> None:
    near, _ = servers
    code, out, err = run(capsys, "--url", near.origin + "/found", "--follow-redirects", "--json")
    data = json.loads(out)
    assert code == 0 and data["status"] == 200 and data["notes"] == []


def test_a_stop_after_ten_redirects_is_said(capsys, app_home: Path, servers) -> None:
    near, _ = servers
    code, out, err = run(capsys, "--url", near.origin + "/loop", "--follow-redirects")
    assert "note: Stopped after 10 redirects; the answer shown is the last redirect." in err
    assert len(near.requests) == 11


def test_a_cross_origin_307_refused_because_the_body_holds_keys(capsys, app_home: Path, servers) -> None:
    near, far = servers
    code, out, err = run(
        capsys,
        "--url",
        near.origin + "/post-away",
        "-d",
        f"api_key={KEY}&x=1",
        "--follow-redirects",
        "--json",
    )
    data = json.loads(out)
    assert data["status"] == 307
    assert any("not followed: it would resend the credentials in the body" in n for n in data["notes"])
    assert far.requests == []
    assert KEY not in out + err


def test_a_truncated_body_is_said(capsys, app_home: Path, servers) -> None:
    near, _ = servers
    paths = AppPaths.under(app_home)
    save_settings(paths, Settings(max_body_mb=1))
    code, out, err = run(capsys, "--url", near.origin + "/big", "--json")
    data = json.loads(out)
    assert data["truncated"] is True and len(data["body"]) == 2**20
    assert any("Body truncated at 1 MB" in note for note in data["notes"])


def test_the_profile_timeout_is_the_deadline(capsys, app_home: Path, servers) -> None:
    near, _ = servers
    paths = AppPaths.under(app_home)
    save_settings(paths, Settings(secret_storage="file", request_timeout_s=60))
    store = ProfileStore(paths, FileSecretStore(paths.fallback_secrets_file))
    store.save(
        Profile(name="quick", api="discourse", base_url=near.origin, auth_kind="none", timeout_s=1), {}
    )
    code, out, err = run(capsys, "--url", "/slow", "--profile", "quick")
    assert code == 1
    assert "1 s" in err and "60 s" not in err


def test_no_arguments_is_a_usage_message(capsys, app_home: Path) -> None:
    code = request.main([])
    err = capsys.readouterr().err
    assert code == 2
    assert "usage: explorer request" in err and "API, METHOD (or --url URL)" in err
    assert "name=value" not in err.split("error:", 1)[1]
