"""`explorer request --save` writes a specification without keys; `explorer run` prepares and sends it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.core.lifecycle import RequestSpec
from explorer.sandbox import demo
from explorer.sandbox.demo import DemoCredentials
from tests.cli.cli_support import run_command, save_admin_profile

# Distinctive values that must never reach a saved file.
AUTH_KEY = "5a7ed" + "AUTHKEY" * 8
HEADER_KEY = "5a7ed" + "HEADERKEY" * 6
QUERY_KEY = "5a7ed" + "QUERYKEY" * 7
BODY_KEY = "5a7ed" + "BODYKEY" * 8
SECRETS = (AUTH_KEY, HEADER_KEY, QUERY_KEY, BODY_KEY)


def save_profile(home: Path, name: str, base_url: str, **flags: bool) -> None:
    """A Discourse profile with the sandbox's admin key, kept in the owner-only secrets file."""
    save_admin_profile(home, name, base_url, **flags)


run = run_command


def test_save_then_run_round_trips_against_the_sandbox(
    sandbox_server: DemoCredentials, tmp_path: Path, capsys, app_home: Path
) -> None:
    save_profile(app_home, "Sandbox", sandbox_server.url)
    saved = tmp_path / "topic.json"
    code, out, err = run(
        capsys,
        "request",
        "discourse",
        "getTopic",
        "id=1",
        "--profile",
        "Sandbox",
        "--auth",
        f"api_key={demo.DISCOURSE_ADMIN_KEY}",
        "--save",
        str(saved),
        "--send",
        "--json",
    )
    assert code == 0, err
    sent = json.loads(out)
    text = saved.read_text(encoding="utf-8")
    assert demo.DISCOURSE_ADMIN_KEY not in text
    assert json.loads(text) == {
        "schema_version": 1,
        "api": "discourse",
        "method": "getTopic",
        "arguments": {"id": "1"},
        "headers": [],
        "body": {"kind": "none"},
        "profile": "Sandbox",
        "fixes": [],
    }
    code, out, err = run(capsys, "run", str(saved), "--json")
    assert code == 0, err
    again = json.loads(out)
    assert again["request"] == sent["request"]
    assert again["status"] == sent["status"] == 200
    assert json.loads(again["body"])["title"] == json.loads(sent["body"])["title"]
    assert again["lint"] == sent["lint"] == []


def test_save_alone_sends_nothing_and_names_the_missing_profile(
    tmp_path: Path, capsys, app_home: Path
) -> None:
    saved = tmp_path / "latest.json"
    # Port 9 on loopback answers nothing: had the request been sent, the command would exit 1.
    code, out, err = run(
        capsys,
        "request",
        "discourse",
        "listLatestTopics",
        "--base-url",
        "http://127.0.0.1:9",
        "--save",
        str(saved),
    )
    assert code == 0, err
    assert out == ""
    assert f"saved the request to {saved}" in err and "names no profile" in err
    assert RequestSpec.loads(saved.read_text(encoding="utf-8")).method_id == "listLatestTopics"


def test_no_key_reaches_the_file_however_it_was_given(tmp_path: Path, capsys, app_home: Path) -> None:
    method_file, free_file = tmp_path / "method.json", tmp_path / "free.json"
    code, out, err = run(
        capsys,
        "request",
        "discourse",
        "getTopic",
        "id=3",
        "--base-url",
        "https://forum.example.org",
        "--auth",
        f"api_key={AUTH_KEY}",
        "-H",
        f"Api-Key: {HEADER_KEY}",
        "--save",
        str(method_file),
    )
    assert code == 0, err
    code, out2, err2 = run(
        capsys,
        "request",
        "disqus",
        "--url",
        f"https://disqus.example.org/custom/?forum_api_key={QUERY_KEY}",
        "-H",
        f"Authorization: Bearer {HEADER_KEY}",
        "-d",
        f"message=hi&user_api_key={BODY_KEY}",
        "--auth",
        f"user_api_key={AUTH_KEY}",
        "--save",
        str(free_file),
    )
    assert code == 0, err2
    for text in (method_file.read_text(), free_file.read_text(), out + err + out2 + err2):
        for secret in SECRETS:
            assert secret not in text
    free = json.loads(free_file.read_text())
    assert free["params"] == [{"name": "forum_api_key", "value": "<redacted>", "enabled": True}]
    assert {"name": "Authorization", "value": "<redacted>", "enabled": True} in free["headers"]
    assert {"name": "message", "value": "hi", "enabled": True} in free["body"]["fields"]


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("missing-folder/out.json", "no folder"),
        (".", "is a folder"),
    ],
)
def test_an_unwritable_save_path_exits_two(
    target: str, message: str, tmp_path: Path, capsys, app_home: Path
) -> None:
    path = tmp_path / target
    code, out, err = run(
        capsys,
        "request",
        "discourse",
        "getTopic",
        "id=1",
        "--base-url",
        "https://f.example.org",
        "--save",
        str(path),
    )
    assert code == 2
    assert f"explorer request: --save {str(path)!r}: {message}" in err
    assert "Traceback" not in err


def test_a_failed_write_leaves_the_old_file_and_exits_two(
    tmp_path: Path, capsys, app_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = tmp_path / "keep.json"
    saved.write_text("old contents", encoding="utf-8")

    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("explorer.cli.spec_file.atomic_write_bytes", full_disk)
    code, _, err = run(
        capsys,
        "request",
        "discourse",
        "getTopic",
        "id=1",
        "--base-url",
        "https://f.example.org",
        "--save",
        str(saved),
    )
    assert code == 2 and "cannot write: No space left on device" in err
    assert saved.read_text(encoding="utf-8") == "old contents"


@pytest.mark.parametrize(
    ("contents", "message"),
    [
        (None, "no such file"),
        ("{not json", "not JSON: Expecting property name enclosed in double quotes: line 1 column 2"),
        ('{"schema_version": 7}', "schema_version: expected 1, found 7"),
        ('{"schema_version": 1, "verb": "FETCH", "url": "https://x.example"}', "verb: 'FETCH' is not one of"),
        ('{"schema_version": 1, "api": "gopher", "method": "x"}', "api: unknown API 'gopher'"),
        (
            '{"schema_version": 1, "api": "discourse", "method": "nope"}',
            "method: discourse has no method 'nope'",
        ),
        ('{"schema_version": 1, "api": "disqus", "method": "get_thread_posts"}', "thread_id: "),
        ('{"schema_version": 1, "url": "/latest.json"}', "url: a path needs a profile"),
    ],
)
def test_run_names_what_is_wrong_with_the_file(
    contents: str | None, message: str, tmp_path: Path, capsys, app_home: Path
) -> None:
    path = tmp_path / "request.json"
    if contents is not None:
        path.write_text(contents, encoding="utf-8")
    code, out, err = run(capsys, "run", str(path))
    assert code == 2
    assert out == "" and len(err.strip().splitlines()) == 1
    assert err.startswith("explorer run: ") and message in err, err


def test_run_profile_overrides_the_files(
    sandbox_server: DemoCredentials, tmp_path: Path, capsys, app_home: Path
) -> None:
    save_profile(app_home, "Sandbox", sandbox_server.url)
    path = tmp_path / "request.json"
    path.write_text(
        RequestSpec(api="discourse", method_id="getSite", profile="Gone").dumps(), encoding="utf-8"
    )
    code, _, err = run(capsys, "run", str(path), "--dry-run")
    assert code == 2 and "profile: no profile called 'Gone'" in err
    code, out, err = run(capsys, "run", str(path), "--profile", "sandbox", "--dry-run")
    assert code == 0, err
    assert out.startswith(f"curl {sandbox_server.url}/site.json") and "Api-Key: <redacted>" in out
    assert demo.DISCOURSE_ADMIN_KEY not in out + err


def test_run_sends_a_free_form_file_and_exits_one_on_an_error_status(
    sandbox_server: DemoCredentials, tmp_path: Path, capsys, app_home: Path
) -> None:
    save_profile(app_home, "Sandbox", sandbox_server.url)
    path = tmp_path / "missing.json"
    path.write_text(
        RequestSpec(verb="GET", url="/t/987654.json", profile="Sandbox").dumps(), encoding="utf-8"
    )
    code, out, err = run(capsys, "run", str(path))
    assert code == 1
    assert "HTTP 404" in err and "not_found" in out


def test_read_only_profiles_refuse_and_production_ones_need_yes(
    fresh_sandbox: DemoCredentials, capsys, app_home: Path
) -> None:
    save_profile(app_home, "Locked", fresh_sandbox.url, read_only=True)
    save_profile(app_home, "Live", fresh_sandbox.url, production=True)
    post = [
        "request",
        "discourse",
        "createTopicPostPM",
        "title=A topic from the tests",
        "raw=" + "words " * 6,
    ]
    code, out, err = run(capsys, *post, "--profile", "Locked")
    assert code == 2 and "Profile Locked is read-only" in err and out == ""
    code, out, err = run(capsys, *post, "--profile", "Live")
    assert code == 2 and "changes the production site" in err and "add --yes" in err and out == ""
    code, out, err = run(capsys, *post, "--profile", "Live", "--yes", "--json")
    assert code == 0, err
    assert json.loads(out)["status"] == 200


def test_a_url_read_as_a_method_keeps_its_site_and_base_url_overrides_it(
    sandbox_server: DemoCredentials, tmp_path: Path, capsys, app_home: Path
) -> None:
    saved = tmp_path / "topic.json"
    code, _, err = run(capsys, "request", "--url", "https://forum.example.org/t/1.json", "--save", str(saved))
    assert code == 0, err
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert (data["method"], data["url"], data["arguments"]) == (
        "getTopic",
        "https://forum.example.org",
        {"id": "1"},
    )
    code, out, err = run(capsys, "run", str(saved), "--dry-run")
    assert code == 0 and out.startswith("curl https://forum.example.org/t/1.json"), err
    code, out, err = run(capsys, "run", str(saved), "--base-url", sandbox_server.url, "--json")
    assert code == 0, err
    assert json.loads(out)["request"]["url"] == f"{sandbox_server.url}/t/1.json"
