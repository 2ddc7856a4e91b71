"""SandboxServer lifecycle and the `explorer sandbox` command over real loopback sockets."""

from __future__ import annotations

import json
import os
import pickle
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from explorer.cli import sandbox as sandbox_cli
from explorer.sandbox.demo import DISCOURSE_ADMIN_KEY, DISQUS_FORUM_API_KEY, DISQUS_PREFIX, DemoCredentials
from explorer.sandbox.persistence import StateFileError, load_state, save_state
from explorer.sandbox.server import SandboxError, SandboxServer

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_start_returns_credentials_and_accepts_connections() -> None:
    server = SandboxServer()
    credentials = server.start()
    try:
        assert credentials.url == server.url
        assert credentials.url.startswith("http://127.0.0.1:")
        assert server.port > 0
        assert credentials.disqus_base_url == server.url + DISQUS_PREFIX
        # The server answers at once: start() only returns after uvicorn accepts connections.
        response = httpx.get(credentials.url + "/latest.json")
        assert response.status_code < 500
    finally:
        server.stop()
    assert not server.running
    with pytest.raises(httpx.ConnectError):
        httpx.get(credentials.url + "/latest.json")


def test_context_manager_starts_and_stops() -> None:
    with SandboxServer() as server:
        assert server.running
        url = server.url
        assert httpx.get(url + DISQUS_PREFIX + "/api/get_forum_list/").status_code < 500
    assert not server.running
    with pytest.raises(httpx.ConnectError):
        httpx.get(url + "/latest.json")


def test_two_servers_run_side_by_side_on_different_ports() -> None:
    with SandboxServer() as first, SandboxServer() as second:
        assert first.port != second.port
        assert httpx.get(first.url + "/latest.json").status_code < 500
        assert httpx.get(second.url + "/latest.json").status_code < 500


def test_url_before_start_is_an_error() -> None:
    with pytest.raises(SandboxError, match="not been started"):
        _ = SandboxServer().url


def test_non_loopback_host_is_refused() -> None:
    with pytest.raises(SandboxError, match="loopback"):
        SandboxServer(host="0.0.0.0")


def test_non_loopback_host_allowed_explicitly_warns(capsys: pytest.CaptureFixture[str]) -> None:
    SandboxServer(host="0.0.0.0", allow_remote=True)  # constructed, never started
    assert "warning" in capsys.readouterr().err


def test_taken_port_fails_with_a_clear_message() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(SandboxError, match=f"127.0.0.1:{port}"):
            SandboxServer(port=port).start()


def test_cli_ready_json_prints_one_line_and_exits_cleanly_on_sigint() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "explorer", "sandbox", "--ready-json", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO_ROOT,  # `-m explorer` works from the checkout even when the package is not installed
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # blocks until the server is ready
        data = json.loads(line)
        assert data["url"].startswith("http://127.0.0.1:")
        assert data["disqus"]["forum_api_key"] == DISQUS_FORUM_API_KEY
        assert set(data["discourse"]) >= {
            "admin_key",
            "admin_username",
            "single_user_key",
            "single_user_username",
            "read_only_key",
            "user_api_key",
            "moderator_username",
            "regular_username",
        }
        assert httpx.get(data["url"] + "/latest.json").status_code < 500
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert out == ""  # exactly one JSON line
    assert "Traceback" not in err


def test_cli_refuses_remote_host_without_flag(capsys: pytest.CaptureFixture[str]) -> None:
    assert sandbox_cli.main(["--host", "0.0.0.0"]) == 2
    assert "loopback" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["--error-rate", "2"], "--error-rate"),
        (["--port", "70000"], "--port"),
        (["--rate-limit", "0"], "--rate-limit"),
    ],
)
def test_cli_rejects_bad_values_naming_the_flag(
    argv: list[str], named: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        sandbox_cli.main(argv)
    assert exit_info.value.code == 2
    assert named in capsys.readouterr().err


def test_cli_flags_map_to_fault_settings() -> None:
    args = sandbox_cli.build_parser().parse_args(
        [
            "--latency-ms",
            "5",
            "--error-rate",
            "0.5",
            "--rate-limit-storm",
            "--slow-body-ms",
            "7",
            "--truncate-body",
            "--html-errors",
            "--seed",
            "9",
            "--rate-limit",
            "3",
        ]
    )
    config = sandbox_cli.config_from_args(args)
    assert (config.seed, config.admin_rate_limit_per_minute) == (9, 3)
    faults = config.faults
    assert (faults.latency_ms, faults.error_rate, faults.slow_body_ms) == (5, 0.5, 7)
    assert faults.rate_limit_storm and faults.truncated_body and faults.html_error_page


# -- saving and loading state (--state FILE) ----------------------------------------------------------------

ADMIN = {"Api-Key": DISCOURSE_ADMIN_KEY, "Api-Username": "system"}


def test_state_round_trip_keeps_both_apis_data(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.state"
    with SandboxServer() as first:
        topic = httpx.post(
            first.url + "/posts.json",
            headers=ADMIN,
            json={"title": "Kept across a restart of the sandbox", "raw": "This topic is saved to a file."},
        )
        assert topic.status_code == 200, topic.text
        thread = httpx.post(
            first.url + DISQUS_PREFIX + "/api/thread_by_identifier/",
            data={
                "api_version": "1.1",
                "forum_api_key": DISQUS_FORUM_API_KEY,
                "identifier": "kept",
                "title": "K",
            },
        ).json()["message"]["thread"]
        save_state(first.app, path, seed=1)
    second = SandboxServer()
    assert load_state(second.app, path) == 1
    with second:
        shown = httpx.get(f"{second.url}/t/{topic.json()['topic_id']}.json", headers=ADMIN)
        assert shown.status_code == 200 and shown.json()["title"] == "Kept across a restart of the sandbox"
        again = httpx.post(
            second.url + DISQUS_PREFIX + "/api/thread_by_identifier/",
            data={
                "api_version": "1.1",
                "forum_api_key": DISQUS_FORUM_API_KEY,
                "identifier": "kept",
                "title": "",
            },
        ).json()["message"]
        assert again == {"thread": thread, "created": False}


def test_state_file_that_is_not_sandbox_data_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.state"
    path.write_bytes(b"this is not a state file")
    assert sandbox_cli.main(["--state", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "not a sandbox state file" in err and "Traceback" not in err


class _Hostile:
    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self):  # what a crafted file would contain: a call to run while loading
        return (os.mkdir, (str(self.target),))


def test_state_file_naming_other_code_is_not_run(tmp_path: Path) -> None:
    marker = tmp_path / "should-not-exist"
    path = tmp_path / "hostile.state"
    path.write_bytes(pickle.dumps({"format": "forum-api-explorer-sandbox-state", "x": _Hostile(marker)}))
    with pytest.raises(StateFileError, match="not sandbox data"):
        load_state(SandboxServer().app, path)
    assert not marker.exists()


def test_cli_saves_state_on_a_clean_stop_and_loads_it_next_time(tmp_path: Path) -> None:
    path = tmp_path / "cli.state"

    def run_once(action: str) -> dict[str, object]:
        process = subprocess.Popen(
            [sys.executable, "-m", "explorer", "sandbox", "--ready-json", "--state", str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO_ROOT,
        )
        try:
            assert process.stdout is not None
            url = json.loads(process.stdout.readline())["url"] + DISQUS_PREFIX + "/api/thread_by_identifier/"
            fields = {"api_version": "1.1", "forum_api_key": DISQUS_FORUM_API_KEY, "identifier": "cli-kept"}
            answer = httpx.post(url, data={**fields, "title": action}).json()["message"]
            process.send_signal(signal.SIGINT)
            _, err = process.communicate(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
        assert process.returncode == 0, err
        return answer

    assert run_once("first")["created"] is True
    assert path.is_file()
    second = run_once("second")
    assert second["created"] is False and second["thread"]["title"] == "first"


def test_cli_state_in_a_missing_folder_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        sandbox_cli.main(["--state", str(tmp_path / "nope" / "x.state")])
    assert exit_info.value.code == 2
    assert "--state" in capsys.readouterr().err


def test_cli_banner_names_the_url_and_every_demo_key() -> None:
    credentials = DemoCredentials(url="http://127.0.0.1:12345")
    banner = sandbox_cli.describe(credentials)
    assert "http://127.0.0.1:12345" in banner and "http://127.0.0.1:12345/disqus" in banner
    for section in ("discourse", "disqus"):
        for value in credentials.as_json()[section].values():  # type: ignore[union-attr]
            assert str(value) in banner
    assert "Ctrl+C" in banner
