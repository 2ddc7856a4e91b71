"""Journey: '["BAD CSRF"]' on a write: keys in the URL or body, or misspelt headers, and the one-click fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from journeys_kit import ADMIN, apply_fix, body_json, build, codes, finding, send

from explorer.cli import request as request_cli
from explorer.core.curl import import_curl
from explorer.core.explain import explain_result
from explorer.core.http import ExecutionResult
from explorer.core.lint import lint_request
from explorer.sandbox import demo
from explorer.sandbox.demo import DemoCredentials

KEY = demo.DISCOURSE_ADMIN_KEY


def _assert_bad_csrf(result: ExecutionResult) -> None:
    """The real server's answer: 403, text/plain, the JSON-looking body ["BAD CSRF"]."""
    assert result.status == 403
    assert result.content_type == "text/plain"
    assert result.text() == '["BAD CSRF"]'
    diagnosis = explain_result(result)
    assert diagnosis.code == "discourse-bad-csrf"
    assert "did not see an API key" in diagnosis.title
    assert "CSRF" in diagnosis.title and "browser" in diagnosis.summary
    assert any("Api-Key" in fix and "header" in fix for fix in diagnosis.fixes)


def _stream(base: str, topic_id: int) -> list[int]:
    topic = send(build("discourse", "getTopic", {"id": topic_id}, base_url=base, credentials=ADMIN))
    return body_json(topic)["post_stream"]["stream"]


def test_new_post_with_keys_in_the_url(journey_sandbox: DemoCredentials) -> None:
    base = journey_sandbox.url
    raw = "Posting from a script that still puts the key in the URL."
    imported = import_curl(
        f"curl -X POST '{base}/posts.json?api_key={KEY}&api_username=system' "
        f"--data-urlencode 'raw={raw}' -d topic_id=3"
    )
    assert imported.match is not None and imported.match.method_id == "createTopicPostPM"
    warning = finding(imported.findings, "discourse-query-auth")
    assert "BAD CSRF" in warning.message  # the linter predicts the answer before anything is sent

    before = _stream(base, 3)
    _assert_bad_csrf(send(imported.request))
    assert _stream(base, 3) == before  # nothing was written

    fixed = apply_fix(imported.request, imported.findings, "discourse-query-auth")
    created = send(fixed)
    assert created.status == 200, created.text()[:300]
    post = body_json(created)
    assert post["topic_id"] == 3 and post["raw"] == raw
    assert _stream(base, 3) == [*before, post["id"]]


def test_topic_rename_with_keys_in_the_form_body(journey_sandbox: DemoCredentials) -> None:
    # The Python thread: requests.put(url, data={"api_key": ..., "api_username": ..., "title": ...}).
    base = journey_sandbox.url
    title = "Renamed by a bot that learnt about headers"
    imported = import_curl(
        f"curl -X PUT {base}/t/-/4.json -d api_key={KEY} -d api_username=system "
        f"--data-urlencode 'title={title}'"
    )
    assert imported.match is not None and imported.match.method_id == "updateTopic"
    assert "the body" in finding(imported.findings, "discourse-query-auth").message

    _assert_bad_csrf(send(imported.request))
    fixed = apply_fix(imported.request, imported.findings, "discourse-query-auth")
    assert fixed.body is not None and dict(fixed.body.fields) == {"title": title}
    assert send(fixed).status == 200
    shown = send(build("discourse", "getTopic", {"id": 4}, base_url=base, credentials=ADMIN))
    assert body_json(shown)["title"] == title


def test_post_edit_with_keys_in_a_json_body(journey_sandbox: DemoCredentials) -> None:
    # The PHP thread: a PUT whose JSON body carries the key next to the post.
    base = journey_sandbox.url
    raw = "Edited through a PUT whose key finally travels as a header."
    payload = {"api_key": KEY, "api_username": "system", "post": {"raw": raw}}
    imported = import_curl(
        f"curl -X PUT {base}/posts/5.json -H 'Content-Type: application/json' -d '{json.dumps(payload)}'"
    )
    _assert_bad_csrf(send(imported.request))

    fixed = apply_fix(imported.request, imported.findings, "discourse-query-auth")
    assert fixed.body is not None and fixed.body.json_value == {"post": {"raw": raw}}
    assert send(fixed).status == 200
    shown = send(build("discourse", "getPost", {"id": 5}, base_url=base, credentials=ADMIN))
    assert body_json(shown)["raw"] == raw
    assert raw in body_json(shown)["cooked"]


def test_underscored_headers_on_a_write(journey_sandbox: DemoCredentials) -> None:
    base = journey_sandbox.url
    imported = import_curl(
        f"curl -X PUT {base}/t/6/status.json -H 'Api_Key: {KEY}' -H 'Api_Username: system' "
        "-d status=closed -d enabled=true"
    )
    assert "discourse-header-name" in codes(imported.findings)
    _assert_bad_csrf(send(imported.request))

    fixed = apply_fix(imported.request, imported.findings, "discourse-header-name")
    assert "discourse-header-name" not in codes(lint_request(fixed))
    assert send(fixed).status == 200
    shown = send(build("discourse", "getTopic", {"id": 6}, base_url=base, credentials=ADMIN))
    assert body_json(shown)["closed"] is True


def test_request_cli_without_credentials_explains_bad_csrf_then_works_with_them(
    journey_sandbox: DemoCredentials, app_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = journey_sandbox.url
    raw = "A reply sent from the command line, with headers this time."
    argv = ["discourse", "createTopicPostPM", "topic_id=2", f"raw={raw}", "--base-url", base]

    assert request_cli.main(argv) == 1
    err = capsys.readouterr().err
    assert "HTTP 403" in err
    assert "BAD CSRF" in err and "did not see an API key" in err

    before = _stream(base, 2)
    auth = ["--auth", f"api_key={KEY}", "api_username=system", "--json"]
    assert request_cli.main(argv + auth) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["status"] == 200
    created = json.loads(printed["body"])
    assert created["raw"] == raw
    assert _stream(base, 2) == [*before, created["id"]]


def test_upload_with_keys_as_multipart_fields(journey_sandbox: DemoCredentials, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("bulk import log\n", encoding="utf-8")
    imported = import_curl(
        f"curl {journey_sandbox.url}/uploads.json -F api_key={KEY} -F api_username=system "
        "-F upload_type=composer -F file=@notes.txt",
        base_dir=tmp_path,
    )
    assert imported.match is not None and imported.match.method_id == "createUpload"
    _assert_bad_csrf(send(imported.request))

    fixed = apply_fix(imported.request, imported.findings, "discourse-query-auth")
    assert fixed.body is not None and fixed.body.kind == "multipart"
    assert [name for name, _ in fixed.body.fields] == ["upload_type"]
    assert [part.filename for part in fixed.body.files] == ["notes.txt"]
    result = send(fixed)
    assert result.status == 200
    assert body_json(result)["original_filename"] == "notes.txt"
