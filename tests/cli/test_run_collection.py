"""`explorer run FOLDER`: a collection run against the sandbox, one line (or JSON object) per request."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.core.collections.folder import Collection, write_new_collection
from explorer.core.lifecycle import Capture, Pair, RequestSpec
from explorer.sandbox import demo
from explorer.sandbox.demo import DemoCredentials
from tests.cli.cli_support import run_command, save_admin_profile


def save_profile(home: Path, name: str, base_url: str, **variables: str) -> None:
    save_admin_profile(home, name, base_url, variables=variables)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    return run_command(capsys, "run", *argv)


CREATE = RequestSpec(
    api="discourse",
    method_id="createTopicPostPM",
    arguments={
        "title": "A topic from explorer run {{run}}",
        "raw": "The first post, made by a collection run.",
    },
    captures=(Capture("topic_id", "$.topic_id"),),
)
REPLY = RequestSpec(
    api="discourse",
    method_id="createTopicPostPM",
    arguments={"topic_id": "{{topic_id}}", "raw": "A reply to topic {{topic_id}}, chained by the run."},
)
READ = RequestSpec(api="discourse", method_id="getTopic", arguments={"id": "{{topic_id}}"})
MISSING = RequestSpec(api="discourse", method_id="getTopic", arguments={"id": "987654"})


def test_a_folder_runs_in_order_with_captures_and_prints_one_line_each(
    fresh_sandbox: DemoCredentials, tmp_path: Path, app_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    save_profile(app_home, "Sandbox", fresh_sandbox.url)
    folder = tmp_path / "chain"
    write_new_collection(
        folder,
        "Chain",
        {"run": "one"},
        [("Create", CREATE), ("Reply", REPLY), ("Read", READ)],
        profile="Sandbox",
    )
    code, out, err = run(capsys, str(folder))
    assert code == 0, out + err
    lines = out.strip().splitlines()
    assert [line.split()[:2] for line in lines[:3]] == [["PASS", "200"]] * 3
    assert [line.split("s  ", 1)[1].split("  ")[0] for line in lines[:3]] == [
        "01 Create",
        "02 Reply",
        "03 Read",
    ]
    assert lines[3].startswith("3 requests: 3 passed, 0 failed")
    assert demo.DISCOURSE_ADMIN_KEY not in out + err

    # A second run needs another title: the forum refuses a duplicate (and says so).
    code, out, _ = run(capsys, str(folder), "--no-history")
    assert code == 1 and "Title has already been used" in out
    Collection.open(folder).set_variables({"run": "two"})
    code, out, err = run(capsys, str(folder), "--json", "--no-history")
    assert code == 0, out + err
    steps = [json.loads(line) for line in out.strip().splitlines()]
    assert [s["label"] for s in steps] == ["01 Create", "02 Reply", "03 Read"]
    assert [s["status"] for s in steps] == [200, 200, 200] and steps[0]["captured"] == ["topic_id"]
    assert set(steps[0]) == {
        "label",
        "status",
        "seconds",
        "lint",
        "error",
        "failed",
        "sent",
        "captured",
        "attempts",
        "notes",
        "truncated",
    }


def test_a_failed_request_exits_1_and_bail_stops_there(
    sandbox_server: DemoCredentials, tmp_path: Path, app_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    save_profile(app_home, "Sandbox", sandbox_server.url, topic_id="1")
    folder = tmp_path / "c"
    latest = RequestSpec(api="discourse", method_id="listLatestTopics")
    write_new_collection(folder, "c", {}, [("Latest", latest), ("Missing", MISSING), ("Topic", READ)])
    code, out, _ = run(capsys, str(folder), "--profile", "Sandbox", "--no-history")
    lines = out.strip().splitlines()
    assert code == 1
    assert lines[0].startswith("PASS  200") and lines[1].startswith("FAIL  404") and "Missing" in lines[1]
    assert lines[-1].startswith("3 requests: 2 passed, 1 failed")
    code, out, _ = run(capsys, str(folder), "--profile", "Sandbox", "--no-history", "--bail")
    assert code == 1 and "--bail" in out.strip().splitlines()[-1]
    assert "Topic" not in out


def test_a_sub_folder_runs_alone_and_a_file_uses_its_collections_variables(
    sandbox_server: DemoCredentials, tmp_path: Path, app_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    save_profile(app_home, "Sandbox", sandbox_server.url)
    collection = Collection.create(tmp_path / "c", "c")
    collection.set_variables({"topic_id": "1"})
    collection.set_profile("Sandbox")
    collection.save_request("Topics/Read", READ)
    collection.save_request("Other/Missing", MISSING)
    code, out, err = run(capsys, str(tmp_path / "c" / "Topics"), "--no-history")
    assert code == 0, out + err
    assert out.startswith("PASS  200") and "1 request: 1 passed" in out
    code, out, err = run(capsys, str(tmp_path / "c" / "Topics" / "Read.json"), "--json", "--no-history")
    assert code == 0, err
    assert json.loads(out)["status"] == 200


def test_unknown_variables_fail_the_step_without_sending(
    tmp_path: Path, app_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    collection = Collection.create(tmp_path / "c", "c")
    collection.save_request("Read", RequestSpec(verb="GET", url="https://127.0.0.1:9/t/{{topic_id}}.json"))
    code, out, _ = run(capsys, str(collection.directory), "--no-history")
    assert code == 1
    assert "FAIL    -         -  Read" in out and "url: unknown variable {{topic_id}}" in out


def test_unusable_folders_and_options_are_input_errors(
    tmp_path: Path, app_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty").mkdir()
    code, _, err = run(capsys, str(tmp_path / "empty"))
    assert code == 2 and "no request files" in err
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "collection.json").write_text("{", encoding="utf-8")
    code, _, err = run(capsys, str(tmp_path / "bad"))
    assert code == 2 and "collection.json is damaged at line 1" in err
    code, _, err = run(capsys, str(tmp_path / "empty"), "--dry-run")
    assert code == 2 and "one request file" in err


def test_a_run_writes_no_secret_into_the_collection(
    sandbox_server: DemoCredentials, tmp_path: Path, app_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    save_profile(app_home, "Sandbox", sandbox_server.url)
    typed = RequestSpec(
        verb="GET",
        url="/latest.json",
        headers=(Pair("Api-Key", demo.DISCOURSE_ADMIN_KEY), Pair("Api-Username", "system")),
    )
    collection = write_new_collection(tmp_path / "c", "c", {}, [("Typed key", typed)], profile="Sandbox")
    before = {p: p.read_bytes() for p in collection.directory.rglob("*") if p.is_file()}
    code, out, err = run(capsys, str(collection.directory), "--no-history")
    assert code == 0, out + err  # the placeholder means "the profile's key"
    after = {p: p.read_bytes() for p in collection.directory.rglob("*") if p.is_file()}
    assert after == before
    assert all(demo.DISCOURSE_ADMIN_KEY.encode() not in data for data in after.values())
    assert demo.DISCOURSE_ADMIN_KEY not in out + err
