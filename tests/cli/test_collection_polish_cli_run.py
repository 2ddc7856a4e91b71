"""`explorer run`: --var sets request-level values for a run (a key among them is never written), and the
collection's profile is a default used only for requests of its API, a missing one named clearly."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from explorer.core.collections.folder import Collection, write_new_collection
from explorer.core.lifecycle import Pair, RequestSpec
from explorer.sandbox import demo
from explorer.sandbox.demo import DemoCredentials
from tests.cli.cli_support import run_command, save_admin_profile
from tests.cli.test_run_collection import save_profile

READ = RequestSpec(api="discourse", method_id="getTopic", arguments={"id": "{{topic_id}}"})
FORUMS = RequestSpec(api="disqus", method_id="get_forum_list")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    return run_command(capsys, "run", *argv)


def test_var_fills_every_request_of_a_folder_and_a_single_file(
    sandbox_server: DemoCredentials, tmp_path: Path, app_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    save_profile(app_home, "Sandbox", sandbox_server.url, topic_id="987654")  # the profile's: not found
    collection = write_new_collection(tmp_path / "c", "c", {}, [("Read", READ)], profile="Sandbox")
    code, out, err = run(capsys, str(collection.directory), "--var", "topic_id=1", "--no-history")
    assert code == 0, out + err
    assert out.startswith("PASS  200")

    file = next(collection.directory.glob("*Read.json"))
    code, out, err = run(capsys, str(file), "--var", "topic_id=1", "--json", "--no-history")
    assert code == 0, out + err
    assert json.loads(out)["status"] == 200

    # Repeated: the last one wins. The file's own variables still come first.
    code, out, _ = run(capsys, str(collection.directory), "--var", "topic_id=1", "--var", "topic_id=987654")
    assert code == 1 and "FAIL  404" in out
    collection.save_request(file.stem, replace(READ, variables={"topic_id": "1"}))
    code, out, err = run(capsys, str(collection.directory), "--var", "topic_id=987654", "--no-history")
    assert code == 0, out + err


def test_a_key_given_with_var_is_sent_but_never_written(
    sandbox_server: DemoCredentials, tmp_path: Path, app_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A free-form request to an admin-only path: it passes only with the key --var gives it.
    admin = RequestSpec(
        verb="GET",
        url=sandbox_server.url + "/admin/users/list/active.json",
        headers=(Pair("Api-Key", "{{api_key}}"), Pair("Api-Username", "{{who}}")),
    )
    collection = write_new_collection(tmp_path / "c", "c", {}, [("Admin list", admin)])
    before = {p: p.read_bytes() for p in collection.directory.rglob("*") if p.is_file()}
    key = demo.DISCOURSE_ADMIN_KEY
    code, out, err = run(
        capsys, str(collection.directory), "--var", f"api_key={key}", "--var", f"who={demo.ADMIN_USERNAME}"
    )
    assert code == 0, out + err
    assert key not in out + err
    after = {p: p.read_bytes() for p in collection.directory.rglob("*") if p.is_file()}
    assert after == before
    written = [p for p in app_home.rglob("*") if p.is_file()]
    assert written, "the run was recorded in the history"
    assert not [p for p in written if key.encode() in p.read_bytes()]


def test_var_words_that_are_not_name_value_are_refused_without_echoing_them(
    tmp_path: Path, app_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    collection = write_new_collection(tmp_path / "c", "c", {}, [("Read", READ)])
    code, _, err = run(capsys, str(collection.directory), "--var", "s3cr3t-looking-value")
    assert code == 2 and "NAME=VALUE" in err and "s3cr3t-looking-value" not in err
    code, _, err = run(capsys, str(collection.directory), "--var", "9lives=x")
    assert code == 2 and "'9lives': not a variable name" in err


def test_the_collections_profile_serves_only_requests_of_its_api(
    sandbox_server: DemoCredentials, tmp_path: Path, app_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    save_profile(app_home, "Sandbox", sandbox_server.url)  # a Discourse profile
    collection = write_new_collection(
        tmp_path / "c",
        "c",
        {"topic_id": "1"},
        [("Read", READ), ("Forums", FORUMS)],
        profile="Sandbox",
    )
    code, out, err = run(
        capsys, str(collection.directory), "--json", "--no-history", "--base-url", sandbox_server.url
    )
    steps = [json.loads(line) for line in out.strip().splitlines()]
    assert [s["label"] for s in steps] == ["01 Read", "02 Forums"]
    # The Disqus request is not refused for the Discourse profile: it goes as one naming no profile.
    assert steps[1]["sent"] and "is for discourse" not in (steps[1]["error"] or ""), steps[1]
    assert steps[0]["status"] == 200, err

    file = next(collection.directory.glob("*Forums.json"))
    code, out, err = run(capsys, str(file), "--base-url", sandbox_server.disqus_base_url, "--no-history")
    assert "is for discourse" not in err


def test_a_collection_profile_that_does_not_exist_is_named_clearly(
    tmp_path: Path, app_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    collection = write_new_collection(
        tmp_path / "c", "c", {"topic_id": "1"}, [("Read", READ)], profile="Gone"
    )
    code, out, _ = run(capsys, str(collection.directory), "--no-history")
    assert code == 1
    assert "collection.json names the profile 'Gone': no profile called 'Gone'" in out
    code, _, err = run(capsys, str(next(collection.directory.glob("*Read.json"))), "--no-history")
    assert code == 2 and "collection.json names the profile 'Gone'" in err
    Collection.open(collection.directory)  # nothing was changed or damaged


def test_a_production_write_not_confirmed_says_how_to_send_it(
    fresh_sandbox: DemoCredentials, tmp_path: Path, app_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    save_admin_profile(app_home, "Live forum", fresh_sandbox.url, production=True)
    create = RequestSpec(
        api="discourse",
        method_id="createTopicPostPM",
        arguments={
            "title": "Sent only with --yes from the command line",
            "raw": "A first post, long enough for the forum.",
        },
    )
    collection = write_new_collection(tmp_path / "c", "c", {}, [("Create", create)], profile="Live forum")
    code, out, _ = run(capsys, str(collection.directory), "--no-history")
    assert code == 1 and "FAIL    -" in out and "(pass --yes to send it)" in out
    code, out, err = run(capsys, str(collection.directory), "--no-history", "--yes")
    assert code == 0 and out.startswith("PASS  200"), out + err
