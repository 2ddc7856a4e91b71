"""A scripted session of 200 requests across profiles of both APIs and every auth kind, to servers that echo
the keys back (in bodies, headers, cookies, redirects, error pages, streamed files), with failures, exports
and a crash report; then no file under the config, data, cache and log folders, and no export, holds a key
in any of the forms it could be written in."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

from explorer.cli import request as request_command
from explorer.core.catalog.model import Api
from explorer.core.codegen import FORMATS, export_code
from explorer.core.curl import import_curl
from explorer.core.paths import AppPaths
from explorer.core.profiles import FileSecretStore, Profile, ProfileStore
from explorer.core.settings import Settings, save_settings
from tests.core.hardening_support import RawServer, free_port, head

ADMIN_KEY = "ad31" * 16
USER_KEY = "Us3rApiKey" * 4
CLIENT_ID = "client-id-2c9f1e7a6b5d"  # an application's public id, shown like a user name: not a key
DISQUS_USER = "D1squsUser" * 5
DISQUS_FORUM = "d1squs-forum-key_" + "Zq" * 8  # not key-like: only known keys mask it
DISQUS_PARTNER = "PartnerKey" * 4 + "99"
SECRETS = (ADMIN_KEY, USER_KEY, DISQUS_USER, DISQUS_FORUM, DISQUS_PARTNER)
REQUESTS = 200


def forms(secret: str) -> tuple[bytes, ...]:
    """The ways a key can end up written: as is, URL-encoded, JSON-escaped, UTF-16, base64."""
    return (
        secret.encode(),
        quote(secret, safe="").encode(),
        quote_plus(secret, safe="").encode(),
        json.dumps(secret).encode()[1:-1],
        secret.encode("utf-16-le"),
        base64.b64encode(secret.encode()),
    )


def scan(*folders: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    for folder in folders:
        for path in folder.rglob("*") if folder.exists() else ():
            if path.is_file():
                data = path.read_bytes()
                for secret in SECRETS:
                    if any(form in data for form in forms(secret)):
                        found[str(path)] = secret[:6] + "…"
    return found


async def echo(method: str, target: str, headers: dict[str, str], writer: asyncio.StreamWriter) -> None:
    """Repeat everything received; the path's last word picks how (fine, failing, odd, redirecting, big)."""
    seen = json.dumps({"method": method, "target": target, "headers": headers})
    mode = target.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    if mode == "redirect":
        writer.write(head("302 Found", location=f"/elsewhere?{target.partition('?')[2]}", content_length="0"))
        return
    status, kind = {
        "fail": ("500 Internal Server Error", "text/html"),
        "bad-json": ("200 OK", "application/json"),
    }.get(mode, ("401 Unauthorized", "application/json"))
    body = (seen if mode != "bad-json" else seen[:-3]).encode()
    if mode == "big":
        body = body * (2 * 2**20 // len(body) + 1)  # above the 1 MB memory cap: streamed to a file
        status = "200 OK"
    writer.write(
        head(
            status, content_type=kind, content_length=str(len(body)), set_cookie=f"s={ADMIN_KEY}", x_echo=seen
        )
        + body
    )


def _profiles(paths: AppPaths, origin: str) -> None:
    store = ProfileStore(paths, FileSecretStore(paths.fallback_secrets_file))
    for profile in (
        Profile("admin", Api.DISCOURSE, origin, "api_key", {"api_username": "system"}),
        Profile("user", Api.DISCOURSE, origin, "user_api_key", {}),
        Profile("disqus", Api.DISQUS, origin, "keys", {"forum_id": "12"}),
    ):
        store.save(profile, {})  # the keys come with each command (--auth): the file store holds none


COMMANDS = [
    ["discourse", "listLatestTopics", "--profile", "admin", "--auth", f"api_key={ADMIN_KEY}"],
    ["discourse", "getTopic", "id=7", "--profile", "user", "--auth", f"user_api_key={USER_KEY}",
     f"user_api_client_id={CLIENT_ID}"],
    ["disqus", "get_forum_list", "--profile", "disqus", "--auth", f"user_api_key={DISQUS_USER}",
     f"forum_api_key={DISQUS_FORUM}", f"partner_api_key={DISQUS_PARTNER}"],
    ["disqus", "--url", "/api/get_forum_list/redirect", "--profile", "disqus", "--auth",
     f"user_api_key={DISQUS_USER}", f"forum_api_key={DISQUS_FORUM}", "--follow-redirects"],
    ["--url", "/free/fail", "--profile", "admin", "-H", f"Api-Key: {ADMIN_KEY}", "-d",
     json.dumps({"auth": {"api_key": ADMIN_KEY}, "raw": "hello"})],
    ["--url", "/free/bad-json", "--profile", "admin", "-H", f"User-Api-Key: {USER_KEY}"],
    ["--url", "/free/big", "--profile", "user", "-H", f"User-Api-Key: {USER_KEY}"],
    ["--url", "/free/redirect", "--profile", "disqus", "disqus", f"forum_api_key={DISQUS_FORUM}"],
]  # fmt: skip


@pytest.mark.timeout(600)
def test_two_hundred_requests_leave_no_key_anywhere(
    app_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = AppPaths.under(app_home)
    exports = tmp_path / "exports"
    exports.mkdir()
    save_settings(paths, Settings(secret_storage="file", large_body_cap_mb=1))
    with RawServer(echo, max_requests=2 * REQUESTS + 50).running() as server:
        _profiles(paths, server.origin)
        dead = f"http://127.0.0.1:{free_port()}"
        printed: list[str] = []
        for index in range(REQUESTS):
            argv = list(COMMANDS[index % len(COMMANDS)])
            if index % 25 == 24:
                argv += ["--base-url", dead]  # connection refused: an error, recorded too
            if index % 20 == 3:
                argv += ["--save", str(exports / f"request-{index}.json"), "--send"]
            if index % 20 == 7:
                argv += ["--dry-run"]
            if index % 2:
                argv += ["--json"]
            request_command.main(argv)
            captured = capsys.readouterr()
            printed.append(captured.out + captured.err)
        assert len(server.requests) >= REQUESTS * 0.8  # most of the session reached the echo server
    # What the terminal showed, as a user redirecting it to a file would keep it.
    (exports / "terminal.txt").write_text("\n".join(printed), encoding="utf-8")

    # Code exports of a request with every key in it, in every format, without "include secrets".
    imported = import_curl(
        f"curl https://forum.example.org/posts.json -H 'Api-Key: {ADMIN_KEY}' -H 'Api-Username: system' "
        f"-H 'User-Api-Key: {USER_KEY}' -d 'raw=hi&forum_api_key={DISQUS_FORUM}'",
        catalogs={},
    )
    for fmt in FORMATS:
        (exports / f"export-{fmt.id}.txt").write_text(export_code(imported.request, fmt.id))

    # A crash report: the window's log file, given an exception that quotes keys the window sent. As the
    # window wires them, its executor remembers each request's keys and its log formatter masks them.
    from explorer.core.lifecycle import send_sync
    from explorer.core.lifecycle.executors import new_executor
    from explorer.core.logmask import SecretMemory
    from explorer.core.prepared import PreparedRequest
    from explorer.ui.app import _setup_logging

    memory = SecretMemory()
    sent = PreparedRequest(
        "GET",
        f"{dead}/x",
        query=(("forum_api_key", DISQUS_FORUM), ("partner_api_key", DISQUS_PARTNER)),
        headers=(("Api-Key", ADMIN_KEY), ("User-Api-Key", USER_KEY)),
    )
    refused = send_sync(sent, new_executor(timeout_s=5, secret_memory=memory)).result
    assert refused.error  # the port is closed: tried all the same, so its keys are remembered
    log_file = _setup_logging(paths, memory)
    assert log_file is not None
    logger = logging.getLogger("explorer")
    try:
        raise RuntimeError(
            f"boom while sending {server.origin}/x?forum_api_key={DISQUS_FORUM} with {USER_KEY}"
        )
    except RuntimeError:
        logger.exception("unexpected error with Api-Key: %s and %s", ADMIN_KEY, DISQUS_PARTNER)
    for handler in list(logger.handlers):
        if isinstance(handler, logging.FileHandler):
            handler.close()
            logger.removeHandler(handler)
    assert "unexpected error" in log_file.read_text()

    written = [p.name for p in paths.data.rglob("*") if p.is_file()]
    assert any(name.startswith("history") for name in written), written
    assert list(exports.glob("request-*.json")) and list(exports.glob("export*"))
    assert scan(paths.config, paths.data, paths.cache, log_file.parent, exports) == {}


def test_the_scan_finds_every_form(tmp_path: Path) -> None:
    for index, form in enumerate(forms(DISQUS_FORUM)):
        (tmp_path / f"f{index}").write_bytes(b"x" + form + b"y")
    assert len(scan(tmp_path)) == len(forms(DISQUS_FORUM))
