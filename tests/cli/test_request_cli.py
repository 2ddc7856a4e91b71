"""`explorer request`: building, dry runs, JSON shape, masking, argument errors and profiles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.cli import request
from explorer.core.paths import AppPaths
from explorer.core.profiles import FileSecretStore, Profile, ProfileStore
from explorer.core.settings import Settings, save_settings

KEY = "ab" * 32


def dry_json(capsys, *argv: str) -> tuple[int, dict, str]:
    code = request.main([*argv, "--dry-run", "--json"])
    captured = capsys.readouterr()
    return code, json.loads(captured.out) if captured.out else {}, captured.err


def test_dry_run_json_shape_and_masking(capsys, app_home) -> None:
    code, data, err = dry_json(
        capsys,
        "discourse",
        "createTopicPostPM",
        "title=A topic title that is long enough",
        "raw=Some body text for the first post",
        "--base-url",
        "https://forum.example.org/community",
        "--auth",
        f"api_key={KEY}",
        "api_username=system",
    )
    assert code == 0, err
    assert set(data) == {"method", "url", "headers", "body", "lint"}
    assert data["method"] == "POST"
    assert data["url"] == "https://forum.example.org/community/posts.json"
    assert data["headers"]["Api-Key"] == "<redacted>"
    assert data["headers"]["Api-Username"] == "system"
    assert data["headers"]["Content-Type"] == "application/json"
    assert json.loads(data["body"]) == {
        "title": "A topic title that is long enough",
        "raw": "Some body text for the first post",
    }
    assert data["lint"] == []
    assert KEY not in json.dumps(data) and KEY not in err


def test_dry_run_url_carries_the_query_and_path_values(capsys, app_home) -> None:
    code, data, _ = dry_json(
        capsys, "disqus", "get_thread_posts", "thread_id=77", "limit=5", "--auth", f"user_api_key={KEY}"
    )
    assert code == 0
    assert data["method"] == "GET"
    assert data["url"].startswith("https://disqus.com/api/get_thread_posts/?")
    assert "thread_id=77" in data["url"] and "limit=5" in data["url"] and "api_version=1.1" in data["url"]
    assert "user_api_key=<redacted>" in data["url"] and KEY not in data["url"]
    assert data["body"] is None
    assert {f["code"] for f in data["lint"]} == {"disqus-keys-in-url", "disqus-legacy-api"}


def test_lint_findings_go_to_stderr_and_errors_exit_one(capsys, app_home) -> None:
    code, data, err = dry_json(
        capsys,
        "disqus",
        "create_post",
        "thread_id=1",
        "message=hello",
        "author_name=Ann",
        "author_email=ann@example.org",
        "--auth",
        f"user_api_key={KEY}",
    )
    assert code == 1
    assert data["lint"][0]["code"] == "disqus-wrong-key"
    assert "error: disqus-wrong-key:" in err


def test_human_dry_run_prints_a_masked_curl_command(capsys, app_home) -> None:
    code = request.main(
        [
            "discourse",
            "getTopic",
            "id=5",
            "--base-url",
            "http://forum.example.org",
            "--auth",
            f"api_key={KEY}",
            "--dry-run",
        ]
    )
    captured = capsys.readouterr()
    assert code == 0
    assert captured.out.startswith("curl http://forum.example.org/t/5.json")
    assert "Api-Key: <redacted>" in captured.out and KEY not in captured.out
    assert "warning: insecure-transport:" in captured.err
    assert "warning: discourse-missing-username:" in captured.err


def test_repeated_names_make_an_array(capsys, app_home) -> None:
    code, data, err = dry_json(
        capsys,
        "discourse",
        "getSpecificPostsFromTopic",
        "id=9",
        "post_ids[]=1",
        "post_ids[]=2",
        "--base-url",
        "https://f.example.org",
    )
    assert code == 0, err
    assert data["url"] == "https://f.example.org/t/9/posts.json?post_ids%5B%5D=1&post_ids%5B%5D=2"


def test_arguments_after_auth_are_still_method_arguments(capsys, app_home) -> None:
    code, data, _ = dry_json(
        capsys,
        "discourse",
        "getTopic",
        "--base-url",
        "https://f.example.org",
        "--auth",
        f"api_key={KEY}",
        "id=12",
    )
    assert code == 0
    assert data["url"] == "https://f.example.org/t/12.json"
    assert data["headers"]["Api-Key"] == "<redacted>"


@pytest.mark.parametrize(
    ("argv", "messages"),
    [
        (["reddit", "x"], ["API: unknown API 'reddit'"]),
        (
            ["discourse", "getTopc", "--base-url", "https://f.example.org"],
            ["no method 'getTopc'", "getTopic"],
        ),
        (
            ["discourse", "getTopic", "id", "--base-url", "https://f.example.org"],
            ["'id': expected name=value"],
        ),
        (["discourse", "getTopic", "--base-url", "ftp://x"], ["base_url:", "id:"]),
        (["discourse", "getTopic", "id=1", "nope=2", "--base-url", "https://f.example.org"], ["nope:"]),
        (["disqus", "get_forum_posts", "forum_id=1", "limit=many"], ["limit:"]),
        (["disqus", "get_forum_posts", "forum_id=1", "filter=new,bogus"], ["filter:"]),
        (
            ["discourse", "getTopic", "id=1", "--base-url", "https://f.example.org", "--auth", "api_key"],
            ["--auth 'api_key'"],
        ),
        # A malformed --auth word does not hide the other bad fields: all are named in one run.
        (["discourse", "getTopic", "--auth", "api_key"], ["--auth 'api_key'", "base_url:", "id:"]),
        (["discourse", "getTopic", "id=1", "--base-url", "http://[::1"], ["base_url: is not a valid URL"]),
        (
            ["discourse", "getTopic", "id=1", "--base-url", "https://f.example.org", "--auth", "apikey=K"],
            ["apikey: unknown argument for getTopic (given after --auth, but not a credential: api_key,"],
        ),
        (
            [
                "discourse",
                "getTopic",
                "id=1",
                "--base-url",
                "https://f.example.org",
                "--auth",
                "api_key=a\nb",
            ],
            ["auth: api_key contains a line break"],
        ),
        # Bytes that are not UTF-8 arrive from the shell as lone surrogates.
        (
            ["discourse", "getTopic", "id=1\udcff", "--base-url", "https://f.example.org"],
            ["id: byte 0xff at line 1, column 2 is not UTF-8 text"],
        ),
    ],
)
def test_invalid_arguments_exit_two_naming_each_field(argv, messages, capsys, app_home) -> None:
    assert request.main([*argv, "--dry-run"]) == 2
    captured = capsys.readouterr()
    for message in messages:
        assert message in captured.err
    assert captured.out == ""
    assert "Traceback" not in captured.err


def test_usage_errors_exit_two(capsys) -> None:
    assert request.main([]) == 2
    assert "usage: explorer request" in capsys.readouterr().err


def _save_profile(home: Path, api: str, base_url: str, fields: dict, secrets: dict) -> None:
    paths = AppPaths.under(home)
    save_settings(paths, Settings(secret_storage="file"))
    store = ProfileStore(paths, FileSecretStore(paths.fallback_secrets_file))
    kind = "api_key" if api == "discourse" else "keys"
    store.save(Profile(name="My Forum", api=api, base_url=base_url, auth_kind=kind, fields=fields), secrets)


def test_profile_supplies_base_url_and_credentials(capsys, app_home: Path) -> None:
    _save_profile(
        app_home, "discourse", "https://forum.example.org/sub", {"api_username": "bot"}, {"api_key": KEY}
    )
    code, data, err = dry_json(capsys, "discourse", "getTopic", "id=3", "--profile", "my forum")
    assert code == 0, err
    assert data["url"] == "https://forum.example.org/sub/t/3.json"
    assert data["headers"]["Api-Key"] == "<redacted>"
    assert data["headers"]["Api-Username"] == "bot"


def test_base_url_and_auth_override_the_profile(capsys, app_home: Path) -> None:
    _save_profile(
        app_home, "discourse", "https://forum.example.org", {"api_username": "bot"}, {"api_key": KEY}
    )
    code, data, _ = dry_json(
        capsys,
        "discourse",
        "getTopic",
        "id=3",
        "--profile",
        "My Forum",
        "--base-url",
        "https://other.example.org",
        "--auth",
        "api_username=alice",
    )
    assert code == 0
    assert data["url"] == "https://other.example.org/t/3.json"
    assert data["headers"]["Api-Username"] == "alice"


def test_profile_problems_exit_two(capsys, app_home: Path) -> None:
    _save_profile(
        app_home, "discourse", "https://forum.example.org", {"api_username": "bot"}, {"api_key": KEY}
    )
    assert request.main(["disqus", "get_forum_list", "--profile", "My Forum", "--dry-run"]) == 2
    assert "is for discourse, not disqus" in capsys.readouterr().err
    assert request.main(["discourse", "getTopic", "id=1", "--profile", "Elsewhere", "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert "no profile called 'Elsewhere'" in err
    assert "base_url" not in err  # the missing base URL is the profile's fault, already reported


def test_damaged_profiles_file_is_reported_not_raised(capsys, app_home: Path) -> None:
    paths = AppPaths.under(app_home)
    paths.profiles_file.parent.mkdir(parents=True, exist_ok=True)
    paths.profiles_file.write_text("{ not json")
    save_settings(paths, Settings(secret_storage="file"))
    assert request.main(["discourse", "getTopic", "id=1", "--profile", "x", "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert "--profile:" in err and "line 1" in err


def test_a_skipped_profile_is_explained_when_its_name_is_asked_for(capsys, app_home: Path) -> None:
    paths = AppPaths.under(app_home)
    save_settings(paths, Settings(secret_storage="file"))
    entry = {"id": "p1", "name": "Broken", "api": "discourse", "base_url": "forum.example.org"}
    paths.profiles_file.write_text(json.dumps({"schema_version": 1, "profiles": [entry]}))
    assert request.main(["discourse", "getTopic", "id=1", "--profile", "Broken", "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert "no profile called 'Broken'" in err
    assert "profile #1 ('Broken') was skipped: base_url:" in err and "must start with http://" in err


def test_a_damaged_settings_file_is_a_note_not_a_silent_reset(capsys, app_home: Path) -> None:
    _save_profile(
        app_home, "discourse", "https://forum.example.org", {"api_username": "bot"}, {"api_key": KEY}
    )
    paths = AppPaths.under(app_home)
    paths.settings_file.write_text('{"secret_storage": "file",')
    code, data, err = dry_json(capsys, "discourse", "getTopic", "id=1", "--profile", "My Forum")
    assert code == 0, err
    assert "note: " in err and "settings.json is damaged at line 1" in err and "kept as" in err
    assert data["url"] == "https://forum.example.org/t/1.json"


@pytest.mark.parametrize("kind", ["group-readable", "directory"])
def test_a_refused_secrets_file_is_a_message_not_a_traceback(capsys, app_home: Path, kind: str) -> None:
    _save_profile(
        app_home, "discourse", "https://forum.example.org", {"api_username": "bot"}, {"api_key": KEY}
    )
    secrets = AppPaths.under(app_home).fallback_secrets_file
    if kind == "directory":
        secrets.unlink()
        secrets.mkdir()
        secrets.chmod(0o700)
    else:
        secrets.chmod(0o640)
    assert request.main(["discourse", "getTopic", "id=1", "--profile", "My Forum", "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert "--profile:" in err and "Traceback" not in err
    assert ("is a directory" if kind == "directory" else "mode 0640") in err


@pytest.mark.parametrize("which", ["settings", "profiles", "secrets"])
@pytest.mark.parametrize("text", ["[" * 100_000 + "]" * 100_000, '{"a": ' + "9" * 5_000 + "}"])
def test_damaged_json_past_the_parser_limits_is_a_message(
    capsys, app_home: Path, which: str, text: str
) -> None:
    _save_profile(
        app_home, "discourse", "https://forum.example.org", {"api_username": "bot"}, {"api_key": KEY}
    )
    paths = AppPaths.under(app_home)
    target = {
        "settings": paths.settings_file,
        "profiles": paths.profiles_file,
        "secrets": paths.fallback_secrets_file,
    }[which]
    target.write_text(text)
    code = request.main(["discourse", "getTopic", "id=1", "--profile", "My Forum", "--dry-run", "--json"])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "damaged" in err
    # A damaged settings file is set aside with a note and the defaults (keyring or session) are used.
    assert code == (0 if which == "settings" else 2)
