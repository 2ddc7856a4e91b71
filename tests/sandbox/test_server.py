"""SandboxServer lifecycle and the `explorer sandbox` command over real loopback sockets."""

from __future__ import annotations

import signal
import socket

import httpx
import pytest
from cli_process import sandbox_process

from explorer.cli import sandbox as sandbox_cli
from explorer.sandbox.demo import DISQUS_FORUM_API_KEY, DISQUS_PREFIX, DemoCredentials
from explorer.sandbox.server import SandboxError, SandboxServer


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
    with sandbox_process("--port", "0") as run:
        data = run.ready
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
        assert httpx.get(data["url"] + "/latest.json").status_code == 200
    assert run.returncode == 0, run.stderr
    assert run.rest_of_stdout == ""  # exactly one JSON line
    assert "Traceback" not in run.stderr


def test_cli_taken_port_exits_2_naming_the_port(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert sandbox_cli.main(["--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert f"127.0.0.1:{port}" in err and "Traceback" not in err


def test_cli_refuses_remote_host_without_flag(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        sandbox_cli.main(["--host", "0.0.0.0"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "loopback" in err and "--allow-remote" in err


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


def test_cli_banner_names_the_url_and_every_demo_key() -> None:
    credentials = DemoCredentials(url="http://127.0.0.1:12345")
    banner = sandbox_cli.describe(credentials)
    assert "http://127.0.0.1:12345" in banner and "http://127.0.0.1:12345/disqus" in banner
    for section in ("discourse", "disqus"):
        for value in credentials.as_json()[section].values():  # type: ignore[union-attr]
            assert str(value) in banner
    assert "Ctrl+C" in banner


def test_cli_stop_asked_for_before_the_server_is_ready_ends_quietly(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # What Ctrl+C during seeding does: the command still builds and binds, then stops at once with 0.
    args = sandbox_cli.build_parser().parse_args(["--ready-json"])
    invocation = sandbox_cli._Invocation(args)
    invocation.request_stop(signal.SIGINT, None)
    assert invocation.run() == 0
    assert invocation.server is not None and not invocation.server.running
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""
