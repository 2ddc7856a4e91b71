"""`explorer request ... --export FORMAT`: the code is printed, the request is not sent, keys stay out."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from explorer.cli import request
from explorer.core.codegen import FORMAT_IDS
from explorer.sandbox.server import SandboxServer

KEY = "5ec2e7" + "7" * 58
DISQUS_KEY = "d15c" + "8" * 60


@pytest.fixture(scope="module")
def sandbox_url() -> Iterator[str]:
    with SandboxServer() as server:
        yield server.url


def _discourse(url: str) -> list[str]:
    return ["--base-url", url, "--auth", f"api_key={KEY}", "api_username=system"]


@pytest.mark.parametrize("fmt", FORMAT_IDS)
def test_every_format_prints_code_without_the_key(fmt: str, capsys: Any, app_home: Path) -> None:
    # Nothing listens on port 9: a send would fail and exit 1, so 0 also says nothing was sent.
    argv = [
        "discourse",
        "createTopicPostPM",
        "title=A topic from the terminal",
        "raw=Its body text",
        "--export",
        fmt,
    ]
    assert request.main([*argv, *_discourse("http://127.0.0.1:9")]) == 0
    out = capsys.readouterr()
    assert out.out.strip() and KEY not in out.out + out.err
    assert "DISCOURSE_API_KEY" in out.out
    assert "note: set DISCOURSE_API_KEY before running it" in out.err


def test_show_secrets_writes_the_key(capsys: Any, app_home: Path) -> None:
    argv = [
        "discourse",
        "listLatestTopics",
        *_discourse("http://127.0.0.1:9"),
        "--export",
        "python",
        "--show-secrets",
    ]
    assert request.main(argv) == 0
    out = capsys.readouterr()
    assert KEY in out.out and "os.environ" not in out.out and "note: set" not in out.err


def test_a_free_form_disqus_request_exports_its_query_key(capsys: Any, app_home: Path) -> None:
    argv = [
        "disqus",
        "--url",
        "http://127.0.0.1:9/disqus/api/get_forum_list/",
        "--auth",
        f"user_api_key={DISQUS_KEY}",
        "--export",
        "javascript",
    ]
    assert request.main(argv) == 0
    out = capsys.readouterr()
    assert DISQUS_KEY not in out.out and "process.env.DISQUS_USER_API_KEY" in out.out


def test_lint_findings_go_to_standard_error_and_set_the_status(capsys: Any, app_home: Path) -> None:
    # An admin key without a username: the linter warns; a key in the query string would be an error.
    argv = [
        "--url",
        "http://127.0.0.1:9/latest.json",
        "--export",
        "curl",
        f"api_key={KEY}",
        "api_username=system",
    ]
    status = request.main(["discourse", *argv])
    out = capsys.readouterr()
    assert "discourse-query-auth" in out.err and status == 1
    assert KEY not in out.out + out.err and out.out.startswith("curl ")


@pytest.mark.parametrize("other", [["--save", "x.json"], ["--json"], ["--dry-run"], ["--all-pages"]])
def test_export_does_not_go_with_saving_or_other_output(
    other: list[str], capsys: Any, app_home: Path
) -> None:
    argv = ["discourse", "listLatestTopics", *_discourse("http://127.0.0.1:9"), "--export", "curl", *other]
    assert request.main(argv) == 2
    assert "--export prints code instead of sending" in capsys.readouterr().err


def test_an_unknown_format_names_the_known_ones(capsys: Any, app_home: Path) -> None:
    assert request.main(["discourse", "listLatestTopics", "--export", "go"]) == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'go'" in err and "powershell" in err


@pytest.mark.skipif(
    shutil.which("sh") is None or shutil.which("curl") is None, reason="sh or curl is missing"
)
def test_the_printed_command_runs_with_the_key_in_the_environment(
    sandbox_url: str, capsys: Any, app_home: Path
) -> None:
    from explorer.sandbox import demo

    argv = ["discourse", "getTopic", "id=1", "--base-url", sandbox_url, "--export", "curl"]
    argv += ["--auth", f"api_key={demo.DISCOURSE_ADMIN_KEY}", f"api_username={demo.ADMIN_USERNAME}"]
    assert request.main(argv) == 0
    command = capsys.readouterr().out.strip()
    assert demo.DISCOURSE_ADMIN_KEY not in command
    done = subprocess.run(
        ["sh", "-c", command + " --silent --show-error --fail"],
        capture_output=True,
        text=True,
        env={**os.environ, "DISCOURSE_API_KEY": demo.DISCOURSE_ADMIN_KEY},
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert '"id":1' in done.stdout.replace(" ", "")
