"""Journey: "You are not permitted to view the requested resource": query-string keys, bad credentials."""

from __future__ import annotations

import json
import re
import stat
from dataclasses import replace
from pathlib import Path

import pytest
from journeys_kit import ADMIN, apply_fix, body_json, build, cli_json, codes, finding, send

from explorer.cli import lint as lint_cli
from explorer.cli import request as request_cli
from explorer.core.catalog.model import Api
from explorer.core.curl import import_curl
from explorer.core.explain import explain_result
from explorer.core.http import ExecutionResult
from explorer.core.lint import lint_request
from explorer.core.paths import AppPaths
from explorer.core.profiles import FileSecretStore, Profile, ProfileStore
from explorer.core.settings import Settings, save_settings
from explorer.sandbox import demo
from explorer.sandbox.demo import DemoCredentials


def _old_style_curl(base: str) -> str:
    # What forum threads from before April 2020 tell people to run.
    return f"curl '{base}/latest.json?api_key={demo.DISCOURSE_ADMIN_KEY}&api_username=system'"


def _topic_ids(result: ExecutionResult) -> set[int]:
    return {t["id"] for t in body_json(result)["topic_list"]["topics"]}


def test_lint_cli_says_why_query_string_keys_stopped_working(
    reading_sandbox: DemoCredentials, capsys: pytest.CaptureFixture[str]
) -> None:
    status = lint_cli.main(["--json", "--", _old_style_curl(reading_sandbox.url)])
    printed = cli_json(capsys.readouterr().out)
    assert status == 1  # an error finding
    query_auth = next(f for f in printed if f["code"] == "discourse-query-auth")
    assert query_auth["severity"] == "error"
    assert "6 April 2020" in query_auth["message"]
    assert "anonymous" in query_auth["message"]  # what a GET quietly turns into
    assert query_auth["fix"] == "Move credentials to headers"


def test_query_string_keys_get_the_anonymous_view_and_the_fix_restores_the_admin_view(
    reading_sandbox: DemoCredentials,
) -> None:
    imported = import_curl(_old_style_curl(reading_sandbox.url))
    assert imported.match is not None and imported.match.method_id == "listLatestTopics"

    as_pasted = send(imported.request)
    # No error: the server simply ignored the key. That silence is what confuses people.
    assert as_pasted.status == 200
    assert as_pasted.header("X-Discourse-Username") is None

    fixed = apply_fix(imported.request, imported.findings, "discourse-query-auth")
    assert not [k for k, _ in fixed.query if k.startswith("api_")]
    assert fixed.header("Api-Key") == demo.DISCOURSE_ADMIN_KEY
    assert fixed.header("Api-Username") == "system"
    assert "discourse-query-auth" not in codes(lint_request(fixed))

    as_admin = send(fixed)
    assert as_admin.status == 200
    assert as_admin.header("X-Discourse-Username") == "system"
    # The admin sees topics of the private category that the anonymous answer left out.
    hidden = _topic_ids(as_admin) - _topic_ids(as_pasted)
    assert hidden, "the fixed request should see topics the anonymous view hides"


def test_query_string_keys_on_a_login_only_endpoint_answer_not_logged_in(
    reading_sandbox: DemoCredentials,
) -> None:
    imported = import_curl(
        f"curl '{reading_sandbox.url}/session/current.json"
        f"?api_key={demo.DISCOURSE_ADMIN_KEY}&api_username=system'"
    )
    result = send(imported.request)
    assert result.status in (403, 404)
    fixed = send(apply_fix(imported.request, imported.findings, "discourse-query-auth"))
    assert fixed.status == 200
    assert body_json(fixed)["current_user"]["username"] == "system"


def test_wrong_key_is_a_403_invalid_access_that_explain_breaks_into_causes(
    reading_sandbox: DemoCredentials,
) -> None:
    wrong = {"api_key": "0" * 64, "api_username": "system"}
    request = build("discourse", "getCurrentSession", base_url=reading_sandbox.url, credentials=wrong)
    result = send(request)
    assert result.status == 403
    data = body_json(result)
    assert data["error_type"] == "invalid_access"
    assert data["errors"] == [
        "You are not permitted to view the requested resource. The API username or key is invalid."
    ]

    diagnosis = explain_result(result)
    assert diagnosis.code == "discourse-invalid-access"
    causes = " ".join(diagnosis.causes).lower()
    for cause in ("wrong", "revoked", "single-user", "scope", "ip address", "underscore"):
        assert cause in causes, f"Explain does not mention {cause!r}: {diagnosis.causes}"

    # Putting the right key in the profile makes the same request work.
    right = send(build("discourse", "getCurrentSession", base_url=reading_sandbox.url, credentials=ADMIN))
    assert right.status == 200


def test_single_user_key_with_another_username_is_refused(reading_sandbox: DemoCredentials) -> None:
    someone_else = {"api_key": demo.DISCOURSE_SINGLE_USER_KEY, "api_username": "system"}
    result = send(
        build("discourse", "getCurrentSession", base_url=reading_sandbox.url, credentials=someone_else)
    )
    assert result.status == 403
    assert explain_result(result).code == "discourse-invalid-access"

    own = {"api_key": demo.DISCOURSE_SINGLE_USER_KEY, "api_username": demo.MODERATOR_USERNAME}
    result = send(build("discourse", "getCurrentSession", base_url=reading_sandbox.url, credentials=own))
    assert result.status == 200
    assert body_json(result)["current_user"]["username"] == demo.MODERATOR_USERNAME


def test_read_only_key_cannot_write(reading_sandbox: DemoCredentials) -> None:
    read_only = {"api_key": demo.DISCOURSE_READ_ONLY_KEY, "api_username": "system"}
    values = {"topic_id": 1, "raw": "A reply that a read-only key may not post."}
    result = send(
        build("discourse", "createTopicPostPM", values, base_url=reading_sandbox.url, credentials=read_only)
    )
    assert result.status == 403
    diagnosis = explain_result(result)
    assert diagnosis.code == "discourse-invalid-access"
    assert any("scope" in c for c in diagnosis.causes)
    # The same key still reads.
    read = send(
        build("discourse", "getTopic", {"id": 1}, base_url=reading_sandbox.url, credentials=read_only)
    )
    assert read.status == 200


def test_admin_route_with_a_non_admin_answers_404_and_explain_says_why(
    reading_sandbox: DemoCredentials,
) -> None:
    regular = {"api_key": demo.DISCOURSE_ADMIN_KEY, "api_username": demo.REGULAR_USERNAME}
    result = send(build("discourse", "getBackups", base_url=reading_sandbox.url, credentials=regular))
    assert result.status == 404
    diagnosis = explain_result(result)
    assert diagnosis.code == "discourse-admin-404"
    assert "admin" in diagnosis.summary.lower()

    as_admin = send(build("discourse", "getBackups", base_url=reading_sandbox.url, credentials=ADMIN))
    assert as_admin.status == 200
    assert isinstance(body_json(as_admin), list) and body_json(as_admin)


def test_underscored_header_names_are_flagged_and_renamed(reading_sandbox: DemoCredentials) -> None:
    imported = import_curl(
        f"curl {reading_sandbox.url}/session/current.json "
        f"-H 'api_key: {demo.DISCOURSE_ADMIN_KEY}' -H 'api_username: system'"
    )
    flagged = [f for f in imported.findings if f.code == "discourse-header-name"]
    assert {f.subject for f in flagged} == {"api_key", "api_username"}
    assert all(f.severity.value == "error" for f in flagged)

    # Over loopback nothing drops the headers, but the server looks them up by their real names only.
    as_pasted = send(imported.request)
    assert as_pasted.header("X-Discourse-Username") is None

    fixed = apply_fix(imported.request, imported.findings, "discourse-header-name")
    assert [k for k, _ in fixed.headers] == ["Api-Key", "Api-Username"]
    assert "discourse-header-name" not in codes(lint_request(fixed))
    result = send(fixed)
    assert result.status == 200
    assert result.header("X-Discourse-Username") == "system"


def test_admin_key_without_username_is_warned_about_and_refused(reading_sandbox: DemoCredentials) -> None:
    request = build(
        "discourse",
        "getCurrentSession",
        base_url=reading_sandbox.url,
        credentials={"api_key": demo.DISCOURSE_ADMIN_KEY},
    )
    warning = finding(lint_request(request), "discourse-missing-username")
    assert warning.severity.value == "warning"
    assert "Api-Username" in warning.message
    assert send(request).status == 403

    with_user = replace(request, headers=(*request.headers, ("Api-Username", "system")))
    assert "discourse-missing-username" not in codes(lint_request(with_user))
    assert send(with_user).status == 200


def test_user_api_key_header_authenticates_as_its_owner(reading_sandbox: DemoCredentials) -> None:
    credentials = {
        "user_api_key": demo.DISCOURSE_USER_API_KEY,
        "user_api_client_id": demo.DISCOURSE_USER_API_CLIENT_ID,
    }
    request = build("discourse", "getCurrentSession", base_url=reading_sandbox.url, credentials=credentials)
    assert request.header("User-Api-Key") == demo.DISCOURSE_USER_API_KEY
    result = send(request)
    assert result.status == 200
    assert body_json(result)["current_user"]["username"] == demo.REGULAR_USERNAME


def _save_profile(base: str, key: str, username: str) -> Path:
    """What the profile dialog does when the user keeps secrets in the owner-only file."""
    paths = AppPaths.default()  # under the test's EXPLORER_HOME
    save_settings(paths, Settings(secret_storage="file"))
    store = ProfileStore(paths, FileSecretStore(paths.fallback_secrets_file))
    profile = Profile(
        name="My forum",
        api=Api.DISCOURSE,
        base_url=base,
        auth_kind="api_key",
        fields={"api_username": username},
    )
    store.save(profile, {"api_key": key})
    return paths.config


def test_a_saved_profile_sends_its_key_as_headers_from_the_cli(
    reading_sandbox: DemoCredentials, app_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _save_profile(reading_sandbox.url, demo.DISCOURSE_ADMIN_KEY, "system")
    # The key is kept apart from the profile, in a file only its owner may read.
    assert demo.DISCOURSE_ADMIN_KEY not in (config / "profiles.json").read_text(encoding="utf-8")
    assert stat.S_IMODE((config / "secrets.json").stat().st_mode) == 0o600

    assert request_cli.main(["discourse", "getCurrentSession", "--profile", "My forum", "--json"]) == 0
    out = capsys.readouterr()
    printed = json.loads(out.out)
    assert printed["status"] == 200
    assert json.loads(printed["body"])["current_user"]["username"] == "system"
    assert demo.DISCOURSE_ADMIN_KEY not in out.out + out.err


def test_a_profile_with_a_revoked_key_is_explained_by_the_cli(
    journey_sandbox: DemoCredentials, app_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # An administrator revokes the single-user key that a script's profile still uses.
    revoke = send(
        build("discourse", "revokeApiKey", {"id": 2}, base_url=journey_sandbox.url, credentials=ADMIN)
    )
    assert revoke.status == 200
    _save_profile(journey_sandbox.url, demo.DISCOURSE_SINGLE_USER_KEY, demo.MODERATOR_USERNAME)

    assert request_cli.main(["discourse", "getCurrentSession", "--profile", "My forum"]) == 1
    err = capsys.readouterr().err
    assert "HTTP 403" in err
    assert "Not permitted (invalid_access)" in err


def test_user_api_key_in_the_query_string_moves_to_its_header(reading_sandbox: DemoCredentials) -> None:
    imported = import_curl(
        f"curl '{reading_sandbox.url}/session/current.json?user_api_key={demo.DISCOURSE_USER_API_KEY}'"
    )
    assert send(imported.request).status in (403, 404)  # ignored: an anonymous caller
    fixed = apply_fix(imported.request, imported.findings, "discourse-query-auth")
    assert fixed.header("User-Api-Key") == demo.DISCOURSE_USER_API_KEY
    result = send(fixed)
    assert result.status == 200
    assert body_json(result)["current_user"]["username"] == demo.REGULAR_USERNAME


def test_header_key_with_the_username_left_in_the_query(reading_sandbox: DemoCredentials) -> None:
    # Half-migrated: the key moved to a header, the username stayed in the URL.
    imported = import_curl(
        f"curl '{reading_sandbox.url}/session/current.json?api_username=system' "
        f"-H 'Api-Key: {demo.DISCOURSE_ADMIN_KEY}'"
    )
    assert {"discourse-query-auth", "discourse-missing-username"} <= set(codes(imported.findings))
    refused = send(imported.request)
    assert refused.status == 403 and explain_result(refused).code == "discourse-invalid-access"

    fixed = apply_fix(imported.request, imported.findings, "discourse-query-auth")
    assert codes(lint_request(fixed)) == []
    assert body_json(send(fixed))["current_user"]["username"] == "system"


def test_get_with_dash_g_data_is_a_query_string_too(reading_sandbox: DemoCredentials) -> None:
    imported = import_curl(
        f"curl -G {reading_sandbox.url}/session/current.json "
        f"-d api_key={demo.DISCOURSE_ADMIN_KEY} -d api_username=system"
    )
    assert "the query string" in finding(imported.findings, "discourse-query-auth").message
    assert send(imported.request).status == 404  # no current user: the anonymous answer
    fixed = apply_fix(imported.request, imported.findings, "discourse-query-auth")
    assert fixed.query == () and send(fixed).status == 200


def test_rss_feeds_still_take_the_key_in_the_url(reading_sandbox: DemoCredentials) -> None:
    anonymous = send(import_curl(f"curl '{reading_sandbox.url}/latest.rss'").request)
    imported = import_curl(
        f"curl '{reading_sandbox.url}/latest.rss?api_key={demo.DISCOURSE_ADMIN_KEY}&api_username=system'"
    )
    allowed = finding(imported.findings, "discourse-query-auth-allowed")
    assert allowed.severity.value == "info" and allowed.fix is None
    assert "discourse-query-auth" not in codes(imported.findings)
    keyed = send(imported.request)
    assert keyed.status == anonymous.status == 200
    assert keyed.content_type == "application/rss+xml"
    # The feed read with the key shows what the admin may see, which the anonymous feed leaves out.
    seen_by_admin = set(re.findall(r"sandbox-topic-(\d+)", keyed.text()))
    seen_by_anyone = set(re.findall(r"sandbox-topic-(\d+)", anonymous.text()))
    assert seen_by_admin - seen_by_anyone  # a staff-only topic made it into the keyed feed


def test_a_granular_key_outside_its_scopes_and_how_to_see_them(reading_sandbox: DemoCredentials) -> None:
    granular = {"api_key": demo.DISCOURSE_GRANULAR_KEY, "api_username": "system"}
    base = reading_sandbox.url
    assert send(build("discourse", "getTopic", {"id": 1}, base_url=base, credentials=granular)).status == 200

    refused = send(build("discourse", "listGroups", base_url=base, credentials=granular))
    assert refused.status == 403
    diagnosis = explain_result(refused)
    assert diagnosis.code == "discourse-invalid-access"
    assert any("scope" in cause for cause in diagnosis.causes)

    # Any API key may ask which scopes it has: the answer explains the refusal.
    scopes = send(build("discourse", "getApiKeyScopes", base_url=base, credentials=granular))
    assert scopes.status == 200
    granted = {s["key"] for s in body_json(scopes)["scopes"]}
    assert "topics:read" in granted and not any(k.startswith("groups:") for k in granted)


def test_the_bookmarks_calendar_takes_a_user_api_key_in_the_url(reading_sandbox: DemoCredentials) -> None:
    # Calendar apps cannot send headers, so this feed is on the server's allow-list.
    url = f"{reading_sandbox.url}/u/{demo.REGULAR_USERNAME}/bookmarks.ics"
    imported = import_curl(f"curl '{url}?user_api_key={demo.DISCOURSE_USER_API_KEY}'")
    assert imported.match is not None and imported.match.method_id == "getUserBookmarksCalendar"
    assert codes(imported.findings) == ["discourse-query-auth-allowed"]
    calendar = send(imported.request)
    assert calendar.status == 200 and calendar.content_type == "text/calendar"
    assert calendar.text().startswith("BEGIN:VCALENDAR")

    anonymous = send(import_curl(f"curl '{url}'").request)
    assert anonymous.status == 403
    assert explain_result(anonymous).code == "discourse-not-logged-in"
