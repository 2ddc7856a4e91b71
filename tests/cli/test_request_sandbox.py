"""`explorer request` end to end: real requests to the offline sandbox on 127.0.0.1."""

from __future__ import annotations

import json

import pytest

from explorer.cli import request
from explorer.sandbox import demo
from explorer.sandbox.server import SandboxServer
from tests.cli.cli_support import admin_options


@pytest.fixture(scope="module")
def sandbox_url():
    with SandboxServer() as server:
        yield server.url


admin = admin_options


def test_get_prints_the_body_and_exits_zero(sandbox_url, capsys, app_home) -> None:
    assert request.main(["discourse", "listLatestTopics", *admin(sandbox_url)]) == 0
    captured = capsys.readouterr()
    assert "topic_list" in json.loads(captured.out)
    assert captured.err.startswith("HTTP 200")


def test_json_output_of_an_error_status_exits_one(sandbox_url, capsys, app_home) -> None:
    assert request.main(["discourse", "getTopic", "id=987654", *admin(sandbox_url), "--json"]) == 1
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["status"] == 404
    assert json.loads(data["body"])["error_type"] == "not_found"
    assert data["request"]["url"] == f"{sandbox_url}/t/987654.json"
    assert data["request"]["headers"]["Api-Key"] == "<redacted>"
    assert demo.DISCOURSE_ADMIN_KEY not in captured.out + captured.err
    assert data["error"] is None and data["lint"] == []


def test_missing_username_is_linted_and_refused_by_the_server(sandbox_url, capsys, app_home) -> None:
    argv = [
        "discourse",
        "listLatestTopics",
        "--base-url",
        sandbox_url,
        "--auth",
        f"api_key={demo.DISCOURSE_ADMIN_KEY}",
    ]
    code = request.main(argv)
    captured = capsys.readouterr()
    assert "warning: discourse-missing-username" in captured.err
    assert code == 1  # the all-users demo key needs Api-Username: the sandbox answers 403
    assert "HTTP 403" in captured.err


def test_disqus_get_through_the_sandbox(sandbox_url, capsys, app_home) -> None:
    argv = ["disqus", "get_forum_list", "--base-url", sandbox_url + demo.DISQUS_PREFIX, "--json"]
    assert request.main([*argv, "--auth", f"user_api_key={demo.DISQUS_USER_API_KEY}"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["status"] == 200
    assert json.loads(data["body"])["succeeded"] is True
    assert "user_api_key=<redacted>" in data["request"]["url"]


def test_unreachable_server_exits_one_with_a_message(capsys, app_home) -> None:
    # Port 9 (discard) on loopback: nothing listens there in a test environment.
    code = request.main(["discourse", "listLatestTopics", "--base-url", "http://127.0.0.1:9"])
    captured = capsys.readouterr()
    assert code == 1
    assert "explorer request:" in captured.err and "Traceback" not in captured.err
