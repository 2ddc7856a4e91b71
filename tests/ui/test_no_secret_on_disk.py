"""Keys sent through the window and the CLI to a server that echoes them: no file the app writes holds one.

Every auth kind of both APIs, a free-form request with a typed key header and a key in its JSON body, a
request saved to drafts and history; afterwards every file under the config, data and cache folders is
read byte by byte.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from explorer.cli import request as request_command
from explorer.core.lifecycle import BodySpec, Pair, RequestSpec
from explorer.core.paths import AppPaths
from tests.cli.test_cli_never_prints_secrets import DISQUS_KEY, HEX_KEY, SECRETS, WORDY, echo_url  # noqa: F401
from tests.ui.conftest import signal_future
from tests.ui.echo_profiles import save_echo_profiles


def _forms(secret: str) -> tuple[bytes, ...]:
    """The ways a key can be written into a file: as it is, percent-encoded, JSON-escaped."""
    return (
        secret.encode(),
        quote(secret, safe="").encode(),
        json.dumps(secret).encode()[1:-1],
        secret.encode("utf-16-le"),
    )


def _scan(home: AppPaths) -> dict[str, str]:
    found: dict[str, str] = {}
    for folder in (home.config, home.data, home.cache):
        for path in folder.rglob("*") if folder.exists() else ():
            if not path.is_file():
                continue
            data = path.read_bytes()
            for secret in SECRETS:
                if any(form in data for form in _forms(secret)):
                    found[str(path)] = secret[:6] + "…"
    return found


def _send(qloop: Any, window: Any) -> Any:
    async def run() -> Any:
        done = signal_future(window.response_shown)
        assert window.send(), window.editor.problem.text()
        return (await asyncio.wait_for(done, 20))[0]

    return qloop.run_until_complete(run())


def test_no_key_reaches_any_file_the_window_or_the_cli_writes(
    qtbot: Any,
    qloop: Any,
    make_window: Any,
    home: AppPaths,
    echo_url: str,  # noqa: F811 - the fixture imported above
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window()
    window.editor.confirm_send = lambda findings: True  # the linter rightly warns about some of these
    profiles = save_echo_profiles(window, echo_url)
    for profile, method in profiles:
        window.choose_profile(profile.id)
        assert window.browser.select_method(method)
        assert _send(qloop, window).status == 401  # the echo server answered, repeating every key
    # A free-form request with a typed key header and a key inside its JSON body, in a tab of its own.
    window.request_tabs.new_tab(
        RequestSpec(
            verb="POST",
            url=f"{echo_url}/anything",
            headers=(Pair("Api-Key", WORDY),),
            body=BodySpec("json", json.dumps({"auth": {"api_key": HEX_KEY}, "raw": "hello"})),
        )
    )
    assert _send(qloop, window).status == 401
    window.services.history.flush()
    window.close()  # writes the window state and the drafts of every tab

    # The command line, with the same home: catalog methods of both APIs and a free-form request.
    monkeypatch.setenv("EXPLORER_HOME", str(home.config.parent))
    for argv in (
        ["discourse", "listLatestTopics", "--base-url", echo_url, "--auth", f"api_key={HEX_KEY}"],
        ["disqus", "get_forum_list", "--base-url", echo_url, "--auth", f"user_api_key={DISQUS_KEY}"],
        ["--url", f"{echo_url}/free", "-H", f"User-Api-Key: {WORDY}", "-d", json.dumps({"api_key": HEX_KEY})],
    ):
        assert request_command.main(argv) == 1  # a 401: the request was sent and recorded

    written = [p for p in home.data.rglob("*") if p.is_file()]
    assert any(p.name.startswith("history") for p in written), written  # history really was written
    assert any(p.name == "drafts.json" for p in written), written
    assert _scan(home) == {}


def test_the_scan_finds_a_key_in_any_of_its_written_forms(tmp_path: Path) -> None:
    home = AppPaths.under(tmp_path)
    for index, form in enumerate(_forms(HEX_KEY)):
        target = home.cache / f"sub{index}" / "file.bin"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"before " + form + b" after")
    assert len(_scan(home)) == len(_forms(HEX_KEY))
