"""`explorer request` and `explorer run` record to the history; `explorer history` lists, shows and removes.

Requests go over real HTTP to the project's sandbox on 127.0.0.1.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from explorer.__main__ import main as explorer
from explorer.core.history import HistoryStore
from explorer.core.paths import AppPaths
from explorer.core.settings import Settings, save_settings
from explorer.sandbox.demo import DemoCredentials


def admin(sandbox: DemoCredentials) -> list[str]:
    return [
        "--base-url",
        sandbox.url,
        "--auth",
        f"api_key={sandbox.discourse_admin_key}",
        "api_username=system",
    ]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = explorer(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def listed(capsys: pytest.CaptureFixture[str], *options: str) -> list[dict[str, object]]:
    code, out, _ = run(["history", "--json", *options], capsys)
    assert code == 0
    return [json.loads(line) for line in out.splitlines()]


@pytest.fixture
def recorded(
    sandbox_server: DemoCredentials, app_home: Path, capsys: pytest.CaptureFixture[str]
) -> list[int]:
    """Three requests sent and recorded: a list of topics, a missing topic, and one sent through `run`."""
    assert run(["request", "discourse", "listLatestTopics", *admin(sandbox_server)], capsys)[0] == 0
    assert run(["request", "discourse", "getTopic", "id=987654", *admin(sandbox_server)], capsys)[0] == 1
    saved = app_home / "site.json"
    argv = ["request", "discourse", "getSite", *admin(sandbox_server), "--save", str(saved)]
    assert run(argv, capsys)[0] == 0
    assert run(["run", str(saved), "--base-url", sandbox_server.url], capsys)[0] == 0
    return [int(str(e["id"])) for e in listed(capsys)][::-1]


def test_sent_requests_are_recorded_newest_first_and_keys_are_masked(
    recorded: list[int], sandbox_server: DemoCredentials, capsys: pytest.CaptureFixture[str], app_home: Path
) -> None:
    entries = listed(capsys)
    assert [(e["method"], e["status"]) for e in entries] == [
        ("getSite", 200),
        ("getTopic", 404),
        ("listLatestTopics", 200),
    ]
    first = entries[-1]
    assert set(first) == {"id", "time", "api", "method", "verb", "url", "status", "duration_ms", "size"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", str(first["time"]))
    assert first["api"] == "discourse" and first["verb"] == "GET"
    assert first["url"] == f"{sandbox_server.url}/latest.json"
    assert isinstance(first["duration_ms"], float) and int(str(first["size"])) > 1000
    history = AppPaths.default().history_file
    assert history == app_home / "data" / "history.sqlite3"
    for name in (history.name, history.name + "-wal"):
        file = history.with_name(name)
        assert not file.exists() or sandbox_server.discourse_admin_key.encode() not in file.read_bytes()


def test_the_list_filters_and_searches(recorded: list[int], capsys: pytest.CaptureFixture[str]) -> None:
    latest, missing, site = recorded
    ids = lambda *options: [e["id"] for e in listed(capsys, *options)]  # noqa: E731
    assert ids("--status", "4xx") == [missing]
    assert ids("--status", "2xx") == [site, latest]
    assert ids("--method", "listLatestTopics") == [latest]
    assert ids("--api", "disqus") == []
    assert ids("not_found") == [missing]  # words of the body
    assert latest in ids("topic_list") and missing not in ids("topic_list")
    assert ids("t/987654") == [missing]  # the URL
    assert ids("--limit", "1") == [site]
    code, out, _ = run(["history"], capsys)
    lines = out.splitlines()
    assert code == 0 and lines[0].split() == [
        "ID",
        "TIME",
        "STATUS",
        "VERB",
        "METHOD",
        "URL",
        "TIME",
        "TAKEN",
        "SIZE",
    ]
    assert "discourse:getTopic" in lines[2] and " 404 " in lines[2]
    assert lines[-1] == "3 of 3 entries, newest first"
    code, out, _ = run(["history", "--limit", "2"], capsys)
    assert out.splitlines()[-1] == (
        f"2 of 3 entries, newest first; --before {latest + 1} lists the next ones, --limit 3 shows all"
    )
    code, out, _ = run(["history", "--limit", "2", "--before", str(latest + 1)], capsys)
    assert out.splitlines()[-1] == f"1 before {latest + 1} of 3 entries, newest first"


def test_show_prints_one_entry_its_json_and_its_body(
    recorded: list[int], capsys: pytest.CaptureFixture[str], app_home: Path
) -> None:
    latest, missing, _ = recorded
    code, out, _ = run(["history", "show", str(missing)], capsys)
    assert code == 0
    assert "discourse getTopic" in out and "HTTP 404 Not Found" in out and "api-key: <redacted>" in out
    code, out, _ = run(["history", "show", str(missing), "--json", "--body"], capsys)
    data = json.loads(out)
    assert (
        data["id"] == missing
        and data["reason"] == "Not Found"
        and data["request"]["headers"]["api-key"] == "<redacted>"
    )
    assert data["spec"]["method"] == "getTopic" and data["spec"]["arguments"] == {"id": "987654"}
    assert json.loads(data["body"])["error_type"] == "not_found"
    code, out, _ = run(["history", "show", str(latest), "--body"], capsys)
    store = HistoryStore(AppPaths.default().history_file)
    try:
        assert out.encode() == store.body(latest) and "topic_list" in json.loads(out)
    finally:
        store.close()
    assert run(["history", "show", "999"], capsys)[:3:2] == (1, "explorer history: no entry 999\n")
    assert run(["history", "show", "abc"], capsys)[0] == 2


def test_rm_and_clear(recorded: list[int], capsys: pytest.CaptureFixture[str]) -> None:
    latest, missing, site = recorded
    code, _, err = run(["history", "rm", str(missing), "4242"], capsys)
    assert code == 1 and "removed 1 entry" in err and "no entry 4242" in err
    assert [e["id"] for e in listed(capsys)] == [site, latest]
    code, _, err = run(["history", "clear"], capsys)
    assert code == 2 and "--yes" in err
    assert len(listed(capsys)) == 2
    code, _, err = run(["history", "clear", "--yes"], capsys)
    assert code == 0 and "removed 2 entries" in err and listed(capsys) == []


def test_no_history_dry_runs_and_the_setting_record_nothing(
    sandbox_server: DemoCredentials, app_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    latest = ["request", "discourse", "listLatestTopics", *admin(sandbox_server)]
    assert run([*latest, "--no-history"], capsys)[0] == 0
    assert run([*latest, "--dry-run"], capsys)[0] == 0
    saved = tmp_path / "latest.json"
    assert run([*latest, "--save", str(saved)], capsys)[0] == 0
    assert run(["run", str(saved), "--base-url", sandbox_server.url, "--no-history"], capsys)[0] == 0
    assert not AppPaths.default().history_file.exists()
    code, out, err = run(["history"], capsys)
    assert (code, out, err) == (0, "", "nothing recorded yet\n")
    assert not AppPaths.default().history_file.exists()  # reading creates no file
    save_settings(AppPaths.default(), Settings(history_enabled=False))
    assert run(latest, capsys)[0] == 0
    assert not AppPaths.default().history_file.exists()


def test_usage_errors_exit_2(app_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["history", "--status", "7xx"], capsys)[0] == 2
    assert run(["history", "--limit", "0"], capsys)[0] == 2
    assert run(["history", "rm"], capsys)[0] == 2
    # `--` searches for a word that is also an action's name.
    assert run(["history", "--", "show"], capsys)[:2] == (0, "")


def test_pages_follow_one_another_by_id_through_equal_timestamps(
    app_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.core.history_support import exchange

    store = HistoryStore(AppPaths.default().history_file)
    # 230 requests, ten a second: many share a timestamp; every other one answered 404.
    ids = store.record_many(
        [
            (exchange(started_at=1_700_000_000.0 + n // 10, status=404 if n % 2 else 200), None)
            for n in range(230)
        ]
    )
    store.close()
    for options, expected in (((), ids), (("--status", "4xx"), ids[1::2])):
        seen: list[int] = []
        before: list[str] = []
        while True:
            page = [int(str(e["id"])) for e in listed(capsys, "--limit", "25", *before, *options)]
            seen += page
            if len(page) < 25:
                break
            before = ["--before", str(page[-1])]
        assert seen == expected[::-1]
    code, out, _ = run(["history", "--limit", "25", "--before", str(ids[30])], capsys)
    assert out.splitlines()[-1] == (
        f"25 before {ids[30]} of 230 entries, newest first; --before {ids[5]} lists the next ones"
    )
    code, _, err = run(["history", "--before", str(ids[0])], capsys)
    assert code == 0 and err.strip() == f"no entry matches before {ids[0]}"
