"""`explorer request --url`: free-form requests with -X, -H and -d, read as a catalog method when they fit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.cli import request
from explorer.core.paths import AppPaths
from explorer.core.profiles import FileSecretStore, Profile, ProfileStore
from explorer.core.settings import Settings, save_settings
from explorer.sandbox import demo
from explorer.sandbox.demo import DemoCredentials

SITE = "https://forum.example.org"
KEY = "f4ee" * 16


def dry_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict, str]:
    code = request.main([*argv, "--dry-run", "--json"])
    captured = capsys.readouterr()
    return code, json.loads(captured.out) if captured.out else {}, captured.err


def save_profile(home: Path, name: str, api: str, base_url: str, fields: dict, secrets: dict) -> None:
    paths = AppPaths.under(home)
    save_settings(paths, Settings(secret_storage="file"))
    store = ProfileStore(paths, FileSecretStore(paths.fallback_secrets_file))
    kind = "api_key" if api == "discourse" else "keys"
    store.save(Profile(name=name, api=api, base_url=base_url, auth_kind=kind, fields=fields), secrets)


def test_a_url_that_fits_a_catalog_method_is_prepared_as_that_method(capsys, app_home: Path) -> None:
    auth = ["--auth", f"api_key={KEY}", "api_username=system"]
    code, by_url, err = dry_json(capsys, "discourse", "--url", f"{SITE}/t/42.json", *auth)
    assert code == 0, err
    code, by_method, _ = dry_json(capsys, "discourse", "getTopic", "id=42", "--base-url", SITE, *auth)
    assert by_url == by_method
    assert by_url["headers"]["Accept"] == "application/json"  # the builder's header: it was the form


def test_a_subfolder_site_is_read_from_the_url(capsys, app_home: Path) -> None:
    code, data, err = dry_json(
        capsys, "discourse", "--url", f"{SITE}/community/t/7.json", "--auth", f"api_key={KEY}"
    )
    assert code == 0, err
    assert data["url"] == f"{SITE}/community/t/7.json"
    assert data["headers"]["Api-Key"] == "<redacted>"


def test_other_urls_are_sent_as_typed_with_query_words_and_headers(capsys, app_home: Path) -> None:
    code, data, err = dry_json(
        capsys, "--url", f"{SITE}/custom/thing.json?a=1", "b=2", "b=3", "-H", "X-Trace: abc"
    )
    assert code == 0, err
    assert data == {
        "method": "GET",
        "url": f"{SITE}/custom/thing.json?a=1&b=2&b=3",
        "headers": {"X-Trace": "abc"},
        "body": None,
        "lint": [],
    }


@pytest.mark.parametrize(
    ("data", "headers", "kind", "body"),
    [
        ('{"raw": "hello", "n": 1}', [], "application/json", {"raw": "hello", "n": 1}),
        ("a=1&b=two words", [], "application/x-www-form-urlencoded", "a=1&b=two+words"),
        ("just some text", [], "text/plain", "just some text"),
        # The typed Content-Type wins; the JSON text is still checked and sent as it is.
        (
            '{"x": 1}',
            ["-H", "Content-Type: application/vnd.example+json"],
            "application/vnd.example+json",
            {"x": 1},
        ),
        ("a=1", ["-H", "content-type: text/csv"], "text/csv", "a=1"),
    ],
)
def test_data_becomes_a_json_form_or_raw_body_and_post(
    data: str, headers: list[str], kind: str, body: object, capsys, app_home: Path
) -> None:
    code, shown, err = dry_json(capsys, "--url", f"{SITE}/custom/echo", "-d", data, *headers)
    assert code == 0, err
    assert shown["method"] == "POST"
    assert shown["headers"] == {"Content-Type": kind}
    assert (json.loads(shown["body"]) if isinstance(body, dict) else shown["body"]) == body


def test_data_from_a_file_and_an_explicit_verb(tmp_path: Path, capsys, app_home: Path) -> None:
    payload = tmp_path / "topic.json"
    payload.write_text('{\n  "title": "From a file"\n}\n', encoding="utf-8")
    code, shown, err = dry_json(capsys, "--url", f"{SITE}/custom/1", "-X", "put", "-d", f"@{payload}")
    assert code == 0, err
    assert shown["method"] == "PUT" and json.loads(shown["body"]) == {"title": "From a file"}


def test_a_relative_url_takes_the_profiles_site_and_keys(capsys, app_home: Path) -> None:
    save_profile(app_home, "Forum", "discourse", f"{SITE}/sub", {"api_username": "bot"}, {"api_key": KEY})
    code, shown, err = dry_json(capsys, "--url", "/custom/stats.json", "--profile", "forum")
    assert code == 0, err
    assert shown["url"] == f"{SITE}/sub/custom/stats.json"
    assert shown["headers"]["Api-Key"] == "<redacted>" and shown["headers"]["Api-Username"] == "bot"
    code, shown, err = dry_json(capsys, "--url", "custom/x", "--base-url", "https://other.example.org")
    assert code == 0, err
    assert shown["url"] == "https://other.example.org/custom/x"


def test_auth_keys_go_to_the_site_a_full_url_names(capsys, app_home: Path) -> None:
    code, shown, err = dry_json(capsys, "discourse", "--url", f"{SITE}/custom/x", "--auth", f"api_key={KEY}")
    assert code == 0, err
    assert shown["headers"]["Api-Key"] == "<redacted>"


def test_a_profiles_keys_never_go_to_another_site(capsys, app_home: Path) -> None:
    save_profile(app_home, "Forum", "discourse", SITE, {"api_username": "bot"}, {"api_key": KEY})
    for url in ("https://elsewhere.example.org/t/1.json", "https://elsewhere.example.org/custom"):
        code, shown, err = dry_json(capsys, "--url", url, "--profile", "Forum")
        assert code == 0, err
        assert shown["url"] == url
        assert "Api-Key" not in shown["headers"] and "Api-Username" not in shown["headers"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--url", "/latest.json"], "--url: a path needs --profile or --base-url"),
        (["--url", f"{SITE}/x", "--auth", f"api_key={KEY}"], "--auth: say which API the credentials are for"),
        (
            ["disqus", "--url", f"{SITE}/x", "--auth", f"api_key={KEY}"],
            "--auth api_key: not a disqus credential",
        ),
        (["--url", f"{SITE}/x", "-d", '{"a": 1,}'], "-d: invalid JSON at line 1, column 9"),
        (["--url", f"{SITE}/x", "-d", "@/no/such/file.json"], "-d: cannot read '/no/such/file.json'"),
        (["--url", f"{SITE}/x", "-X", "FETCH"], "-X: 'FETCH' is not one of GET"),
        (["discourse", "getTopic", "--url", f"{SITE}/t/1.json"], "give either METHOD or --url"),
        (["--url", "ftp://example.org/x"], "url: only http and https"),
        (["--url", f"{SITE}/x", "-H", f"Api-Key {KEY}"], "-H: expected 'Name: value'"),
        (["discourse", "getTopic", "id=1", "--base-url", SITE, "-d", "a=1"], "-X and -d go with --url"),
    ],
)
def test_bad_free_form_input_exits_two_with_one_line_each(
    argv: list[str], message: str, capsys, app_home: Path
) -> None:
    assert request.main([*argv, "--dry-run"]) == 2
    captured = capsys.readouterr()
    assert message in captured.err, captured.err
    assert captured.out == "" and "Traceback" not in captured.err
    assert KEY not in captured.err


def test_a_catalog_url_with_a_key_in_the_query_is_linted_as_imported(capsys, app_home: Path) -> None:
    code, shown, err = dry_json(capsys, "--url", f"{SITE}/latest.json?api_key={KEY}&api_username=system")
    assert code == 1  # discourse-query-auth is an error: Discourse ignores keys in the query since 2020
    assert "discourse-query-auth" in {f["code"] for f in shown["lint"]}
    assert KEY not in json.dumps(shown) + err


# -- against the sandbox ------------------------------------------------------------------------------------


def _admin(sandbox: DemoCredentials) -> list[str]:
    return ["-H", f"Api-Key: {demo.DISCOURSE_ADMIN_KEY}", "-H", f"Api-Username: {demo.ADMIN_USERNAME}"]


def test_a_free_form_get_answers_like_the_catalog_method(
    sandbox_server: DemoCredentials, capsys, app_home: Path
) -> None:
    url = f"{sandbox_server.url}/t/1.json"
    assert request.main(["--url", url, *_admin(sandbox_server), "--json"]) == 0
    by_url = json.loads(capsys.readouterr().out)
    argv = ["discourse", "getTopic", "id=1", "--base-url", sandbox_server.url, "--json"]
    assert request.main([*argv, "--auth", f"api_key={demo.DISCOURSE_ADMIN_KEY}", "api_username=system"]) == 0
    by_method = json.loads(capsys.readouterr().out)
    assert by_url["status"] == by_method["status"] == 200
    assert json.loads(by_url["body"])["title"] == json.loads(by_method["body"])["title"]
    assert by_url["request"] == by_method["request"]


def test_a_free_form_post_with_json_data_creates_a_topic(
    fresh_sandbox: DemoCredentials, capsys, app_home: Path
) -> None:
    topic = {"title": "Posted from the command line", "raw": "A body long enough for the sandbox to accept."}
    argv = [
        "--url",
        f"{fresh_sandbox.url}/posts.json",
        "-d",
        json.dumps(topic),
        *_admin(fresh_sandbox),
        "--json",
    ]
    assert request.main(argv) == 0, capsys.readouterr().err
    created = json.loads(json.loads(capsys.readouterr().out)["body"])
    assert (
        request.main(["--url", f"{fresh_sandbox.url}/t/{created['topic_id']}.json", *_admin(fresh_sandbox)])
        == 0
    )
    assert json.loads(capsys.readouterr().out)["title"] == topic["title"]


def test_a_free_form_disqus_request_failing_in_its_envelope_exits_one(
    sandbox_server: DemoCredentials, capsys, app_home: Path
) -> None:
    url = f"{sandbox_server.disqus_base_url}/api/get_user_name/"
    code = request.main(["disqus", "--url", url, "-X", "POST", "--auth", "user_api_key=not-a-valid-key"])
    captured = capsys.readouterr()
    assert code == 1
    assert "not-a-valid-key" not in captured.out + captured.err
