"""`explorer request … --all-pages`: every page fetched from the sandbox on 127.0.0.1, printed once each."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.cli import request
from explorer.core.history import open_history
from explorer.core.paths import AppPaths
from explorer.sandbox import demo
from explorer.sandbox.config import SandboxConfig
from explorer.sandbox.server import SandboxServer
from tests.cli.cli_support import admin_options


@pytest.fixture(scope="module")
def sandbox_url() -> Iterator[str]:
    # A server of its own, with an admin budget these walks cannot spend.
    with SandboxServer(SandboxConfig(admin_rate_limit_per_minute=10_000)) as server:
        yield server.url


admin = admin_options


def all_topic_ids(url: str, capsys: pytest.CaptureFixture[str]) -> list[int]:
    assert request.main(["discourse", "listLatestTopics", "per_page=100", *admin(url), "--no-history"]) == 0
    return [t["id"] for t in json.loads(capsys.readouterr().out)["topic_list"]["topics"]]


def test_all_pages_prints_one_array_of_every_item(
    sandbox_url: str, capsys: pytest.CaptureFixture[str], app_home: Path
) -> None:
    expected = all_topic_ids(sandbox_url, capsys)
    assert (
        request.main(["discourse", "listLatestTopics", "per_page=7", "--all-pages", *admin(sandbox_url)]) == 0
    )
    captured = capsys.readouterr()
    assert [t["id"] for t in json.loads(captured.out)] == expected
    pages = -(-len(expected) // 7)
    assert f"explorer request: {pages} pages, {len(expected)} items; every page fetched" in captured.err
    assert demo.DISCOURSE_ADMIN_KEY not in captured.out + captured.err


def test_json_prints_one_item_per_line_each_once(
    sandbox_url: str, capsys: pytest.CaptureFixture[str], app_home: Path
) -> None:
    argv = ["disqus", "get_thread_list", "forum_id=1001", "limit=2", "--all-pages", "--json", "--base-url"]
    argv += [f"{sandbox_url}/disqus", "--auth", f"user_api_key={demo.DISQUS_USER_API_KEY}"]
    argv += [f"forum_api_key={demo.DISQUS_FORUM_API_KEY}"]
    assert request.main(argv) == 0
    lines = capsys.readouterr().out.splitlines()
    ids = [json.loads(line)["id"] for line in lines]
    assert len(ids) == len(set(ids)) > 2


def test_the_caps_stop_the_walk(sandbox_url: str, capsys: pytest.CaptureFixture[str], app_home: Path) -> None:
    argv = [
        "discourse",
        "listLatestTopics",
        "per_page=5",
        "--all-pages",
        "--max-pages",
        "2",
        *admin(sandbox_url),
    ]
    assert request.main(argv) == 0
    captured = capsys.readouterr()
    assert len(json.loads(captured.out)) == 10
    assert "2 pages, 10 items; stopped at the cap of 2 pages" in captured.err
    argv = ["discourse", "listLatestTopics", "--all-pages", "--max-items", "3", "--json", *admin(sandbox_url)]
    assert request.main(argv) == 0
    assert len(capsys.readouterr().out.splitlines()) == 3


def test_the_walk_is_one_history_entry_naming_its_pages(
    sandbox_url: str, capsys: pytest.CaptureFixture[str], app_home: Path
) -> None:
    argv = ["discourse", "listLatestTopics", "per_page=10", "--all-pages", "--json", *admin(sandbox_url)]
    assert request.main(argv) == 0
    count = len(capsys.readouterr().out.splitlines())
    store, _ = open_history(AppPaths.default().history_file)
    try:
        entries = store.search()
        assert len(entries) == 1
        entry = store.get(entries[0].id)
        assert entry is not None and entry.method_id == "listLatestTopics"
        assert any(
            note.startswith(f"Fetch all: {-(-count // 10)} pages, {count} items") for note in entry.notes
        )
        body = store.body(entry.id)
        assert body is not None and len(json.loads(body)) == count
    finally:
        store.close()


def test_a_method_that_does_not_page_is_an_input_error(
    sandbox_url: str, capsys: pytest.CaptureFixture[str], app_home: Path
) -> None:
    assert request.main(["discourse", "getSite", "--all-pages", *admin(sandbox_url)]) == 2
    assert "--all-pages: discourse getSite does not page" in capsys.readouterr().err
    assert (
        request.main(["discourse", "listLatestTopics", "--all-pages", "--dry-run", *admin(sandbox_url)]) == 2
    )
    assert "does not go with --dry-run" in capsys.readouterr().err


def test_a_failing_page_exits_one_with_the_diagnosis(
    sandbox_url: str, capsys: pytest.CaptureFixture[str], app_home: Path
) -> None:
    argv = ["discourse", "listTopicsCreatedBy", "username=nobody-here", "--all-pages", *admin(sandbox_url)]
    assert request.main(argv) == 1
    err = capsys.readouterr().err
    assert "0 pages, 0 items; page 1 failed" in err
