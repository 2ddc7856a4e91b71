"""Journey: a newcomer with no forum and no key presses Send, browses methods and copies a request as cURL."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from journeys_kit import ADMIN, CATALOGS, body_json, build, cli_json, method, send

from explorer.cli import methods as methods_cli
from explorer.cli import request as request_cli
from explorer.core.catalog.model import Api
from explorer.core.curl import import_curl, to_curl
from explorer.core.explain import explain_result
from explorer.core.lint import has_errors
from explorer.core.paths import AppPaths
from explorer.core.prepared import SECRET_PLACEHOLDER
from explorer.core.profiles import MemorySecretStore, ProfileStore, install_sandbox_profiles
from explorer.sandbox import demo
from explorer.sandbox.demo import DemoCredentials


def test_sandbox_profiles_answer_the_first_send_without_any_setup(
    reading_sandbox: DemoCredentials, tmp_path: Path
) -> None:
    store = ProfileStore(AppPaths.under(tmp_path), MemorySecretStore())
    discourse, disqus = install_sandbox_profiles(store, reading_sandbox)

    latest = build(
        "discourse",
        "listLatestTopics",
        method("discourse", "listLatestTopics").example,
        base_url=discourse.base_url,
        credentials=store.credentials(discourse),
    )
    result = send(latest)
    assert result.status == 200
    topics = body_json(result)["topic_list"]["topics"]
    assert len(topics) == 30  # a full first page of the seeded forum
    # The profile's key and username reached the server: it says whom we act as and which action ran.
    assert result.header("X-Discourse-Username") == demo.ADMIN_USERNAME
    assert result.header("X-Discourse-Route") == "list/latest"
    assert explain_result(result).code == "ok"

    forums = build(
        "disqus", "get_forum_list", base_url=disqus.base_url, credentials=store.credentials(disqus)
    )
    envelope = body_json(send(forums))
    assert envelope["succeeded"] is True
    assert demo.DISQUS_FORUM_ID in [forum["id"] for forum in envelope["message"]]


def test_every_area_has_methods_that_say_what_they_do_and_return() -> None:
    for api, catalog in CATALOGS.items():
        for group in catalog.groups:
            in_group = catalog.methods_in(group.id)
            assert in_group, f"{api.value} area {group.id} is empty"
            for m in in_group:
                assert m.summary.strip(), m.key
                assert m.response.strip(), f"{m.key} does not say what it returns"


def test_methods_cli_lists_areas_that_a_browser_can_show(capsys: pytest.CaptureFixture[str]) -> None:
    assert methods_cli.main(["--api", "discourse", "--json"]) == 0
    listed = cli_json(capsys.readouterr().out)
    by_id = {m["id"]: m for m in listed}
    assert by_id["listLatestTopics"]["verb"] == "GET"
    assert by_id["listLatestTopics"]["path"] == "/latest.json"
    assert "page" in [p["name"] for p in by_id["listLatestTopics"]["params"]]
    assert by_id["getCurrentSession"]["documented"] is False
    assert len(listed) == len(CATALOGS[Api.DISCOURSE].methods)


def test_request_cli_sends_to_the_sandbox_and_prints_the_answer(
    reading_sandbox: DemoCredentials, app_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [
        "discourse",
        "listLatestTopics",
        "page=1",
        "--base-url",
        reading_sandbox.discourse_base_url,
        "--auth",
        f"api_key={ADMIN['api_key']}",
        f"api_username={ADMIN['api_username']}",
        "--json",
    ]
    assert request_cli.main(argv) == 0
    out = capsys.readouterr()
    printed = cli_json(out.out)
    assert printed["status"] == 200
    assert printed["headers"]["x-discourse-route"] == "list/latest"
    second_page = json.loads(printed["body"])["topic_list"]
    assert second_page["topics"]
    # The printed request never shows the key, even though it was sent.
    assert ADMIN["api_key"] not in out.out + out.err
    assert printed["request"]["headers"]["Api-Key"] == SECRET_PLACEHOLDER


def test_copied_curl_is_masked_and_imports_back_to_the_same_answer(reading_sandbox: DemoCredentials) -> None:
    request = build(
        "discourse", "listLatestTopics", {"page": 1}, base_url=reading_sandbox.url, credentials=ADMIN
    )
    shown = to_curl(request)
    assert ADMIN["api_key"] not in shown and SECRET_PLACEHOLDER in shown

    revealed = import_curl(to_curl(request, reveal_secrets=True))
    assert revealed.match is not None and revealed.match.method_id == "listLatestTopics"
    assert not has_errors(list(revealed.findings))
    assert body_json(send(revealed.request)) == body_json(send(request))


@pytest.mark.skipif(shutil.which("curl") is None, reason="the curl program is not installed")
def test_copied_curl_runs_in_a_terminal_against_the_sandbox(reading_sandbox: DemoCredentials) -> None:
    request = build("discourse", "getTopic", {"id": 1}, base_url=reading_sandbox.url, credentials=ADMIN)
    command = to_curl(request, reveal_secrets=True) + " --silent --show-error"
    terminal = subprocess.run(["sh", "-c", command], capture_output=True, text=True, timeout=30, check=False)
    assert terminal.returncode == 0, terminal.stderr
    from_terminal = json.loads(terminal.stdout)
    assert from_terminal["id"] == 1
    assert from_terminal["title"] == body_json(send(request))["title"]


def _between(text: str, start: str, end: str) -> str:
    i = text.index(start)
    return text[i : text.index(end, i) + len(end)]


def test_the_seed_documents_example_curl_creates_a_category_in_the_sandbox(
    shared_dir: Path, journey_sandbox: DemoCredentials
) -> None:
    # The API introduction's example: a multipart POST with header credentials and an empty URL.
    seed = (shared_dir / "seeds" / "discourse-api-seed.txt").read_text(encoding="utf-8")
    command = _between(seed, 'curl -X POST ""', 'text_color=f0fcfd"')
    imported = import_curl(command, base_url=journey_sandbox.url + "/categories.json")
    assert imported.match is not None and imported.match.method_id == "createCategory"
    assert not has_errors(list(imported.findings))

    # The reader swaps in the sandbox's demo key and user, as they would their own.
    request = replace(
        imported.request,
        headers=tuple(
            (k, {"api-key": ADMIN["api_key"], "api-username": ADMIN["api_username"]}.get(k.lower(), v))
            for k, v in imported.request.headers
        ),
    )
    result = send(request)
    assert result.status == 200, result.text()[:300]
    name = dict(request.body.fields)["name"] if request.body else ""
    assert body_json(result)["category"]["name"] == name
    listed = send(build("discourse", "listCategories", base_url=journey_sandbox.url, credentials=ADMIN))
    assert name in [c["name"] for c in body_json(listed)["category_list"]["categories"]]


@pytest.mark.skipif(shutil.which("curl") is None, reason="the curl program is not installed")
@pytest.mark.parametrize("encoding", ["json", "form"])
def test_a_copied_write_runs_in_a_terminal_and_changes_the_forum(
    journey_sandbox: DemoCredentials, encoding: str
) -> None:
    raw = f"Posted by pasting the explorer's cURL ({encoding} body) into a terminal."
    request = build(
        "discourse",
        "createTopicPostPM",
        {"topic_id": 9, "raw": raw},
        base_url=journey_sandbox.url,
        credentials=ADMIN,
        body_encoding=encoding,
    )
    command = to_curl(request, reveal_secrets=True) + " --silent --show-error"
    terminal = subprocess.run(["sh", "-c", command], capture_output=True, text=True, timeout=30, check=False)
    assert terminal.returncode == 0, terminal.stderr
    created = json.loads(terminal.stdout)
    assert created["raw"] == raw and created["topic_id"] == 9
    topic = body_json(
        send(build("discourse", "getTopic", {"id": 9}, base_url=journey_sandbox.url, credentials=ADMIN))
    )
    assert topic["post_stream"]["stream"][-1] == created["id"]
