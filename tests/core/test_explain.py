"""The Explain tab's diagnoses: Discourse error bodies, rate limits, HTML pages and Disqus envelopes."""

from __future__ import annotations

import json

from explorer.core.explain import explain

JSON = (("Content-Type", "application/json; charset=utf-8"),)


def _json(value: object) -> bytes:
    return json.dumps(value).encode()


def test_bad_csrf_text_plain_is_explained_as_missing_api_headers() -> None:
    d = explain(
        403,
        (("Content-Type", "text/plain"),),
        b'["BAD CSRF"]',
        api="discourse",
        verb="POST",
        url="http://forum/posts.json",
    )
    assert d.code == "discourse-bad-csrf"
    assert d.severity == "error"
    assert any("Api-Key" in fix for fix in d.fixes)
    assert any("query parameter" in cause for cause in d.causes)


def test_invalid_key_lists_key_causes_and_keeps_the_server_fields() -> None:
    body = _json(
        {
            "errors": [
                "You are not permitted to view the requested resource. The API username or key is invalid."
            ],
            "error_type": "invalid_access",
        }
    )
    d = explain(403, JSON, body, api="discourse", url="http://forum/latest.json")
    assert d.code == "discourse-invalid-access"
    assert ("error_type", "invalid_access") in d.details
    assert any("revoked" in c for c in d.causes)
    assert any("underscores" in c for c in d.causes)


def test_guardian_refusal_blames_permissions_not_the_key() -> None:
    body = _json(
        {"errors": ["You are not permitted to view the requested resource."], "error_type": "invalid_access"}
    )
    d = explain(403, JSON, body, api="discourse")
    assert d.code == "discourse-invalid-access"
    assert not any("revoked" in c for c in d.causes)
    assert any("trust level" in c for c in d.causes)


def test_not_logged_in() -> None:
    body = _json({"errors": ["You need to be logged in to do that."], "error_type": "not_logged_in"})
    assert explain(403, JSON, body, api="discourse").code == "discourse-not-logged-in"


def test_json_rate_limit_reads_wait_seconds_from_extras() -> None:
    body = _json(
        {
            "errors": ["You\u2019ve performed this action too many times."],
            "error_type": "rate_limit",
            "extras": {"wait_seconds": 17, "time_left": "17 seconds"},
        }
    )
    headers = JSON + (("Discourse-Rate-Limit-Error-Code", "admin_api_key_rate_limit"),)
    d = explain(429, headers, body, api="discourse")
    assert d.code == "discourse-rate-limit"
    assert d.wait_seconds == 17
    assert any("60 requests a minute" in c for c in d.causes)


def test_text_plain_rate_limit_uses_retry_after() -> None:
    headers = (
        ("Content-Type", "text/plain"),
        ("Retry-After", "9"),
        ("Discourse-Rate-Limit-Error-Code", "ip_10_secs_limit"),
    )
    d = explain(429, headers, b"Slow down, too many requests from this IP address.", api="discourse")
    assert d.wait_seconds == 9
    assert any("per-IP" in c for c in d.causes)


def test_admin_route_404_means_not_an_admin_key() -> None:
    d = explain(
        404,
        JSON,
        _json({"errors": ["not found"], "error_type": "not_found"}),
        api="discourse",
        url="http://forum/admin/users/list/active.json",
    )
    assert d.code == "discourse-admin-404"
    # The same 404 elsewhere is an ordinary not-found.
    other = explain(
        404,
        JSON,
        _json({"errors": ["x"], "error_type": "not_found"}),
        api="discourse",
        url="http://forum/t/99.json",
    )
    assert other.code == "discourse-not-found"


def test_anonymous_404_on_session_current_means_credentials_not_recognised() -> None:
    not_found = _json({"errors": ["The requested URL could not be found."], "error_type": "not_found"})
    d = explain(404, JSON, not_found, api="discourse", url="http://forum/session/current.json")
    assert d.code == "discourse-not-recognised"
    assert d.severity == "error"
    assert not any("wrong id" in c.lower() for c in d.causes)
    assert any("Api-Key" in fix for fix in d.fixes)
    # A forum in a subfolder is the same case; another 404 is still an ordinary not-found.
    sub = explain(404, JSON, not_found, api="discourse", url="http://host/forum/session/current.json")
    assert sub.code == "discourse-not-recognised"
    other = explain(404, JSON, not_found, api="discourse", url="http://forum/t/1.json")
    assert other.code == "discourse-not-found"


def test_html_login_page_where_json_was_expected() -> None:
    page = b"<!DOCTYPE html><html><body><form action='/login'>Log in with your password</form></body></html>"
    d = explain(200, (("Content-Type", "text/html"),), page, api="discourse", url="http://forum/latest.json")
    assert d.code == "html-login-page"
    plain = explain(
        200, (("Content-Type", "text/html"),), b"<html><body>Welcome</body></html>", api="discourse"
    )
    assert plain.code == "html-instead-of-json"


def test_validation_errors_are_listed() -> None:
    body = _json({"action": "create_post", "errors": ["Title is too short", "Body is too short"]})
    d = explain(422, JSON, body, api="discourse", verb="POST")
    assert d.code == "discourse-validation"
    assert "Title is too short" in d.summary and "Body is too short" in d.summary
    assert ("action", "create_post") in d.details


def test_login_redirect() -> None:
    d = explain(302, (("Location", "http://forum/login"),), b"", api="discourse")
    assert d.code == "discourse-login-redirect"


def test_success_and_no_response_and_cancel() -> None:
    assert explain(200, JSON, b'{"topic_list": {}}', api="discourse").severity == "ok"
    failed = explain(None, error="Connection refused by 127.0.0.1:9")
    assert failed.code == "no-response" and "Connection refused" in failed.summary
    assert explain(None, cancelled=True).code == "cancelled"


def test_disqus_success_envelope_describes_the_payload() -> None:
    d = explain(
        200,
        JSON,
        _json({"succeeded": True, "code": "ok", "message": [{"id": "1"}, {"id": "2"}]}),
        api="disqus",
    )
    assert d.code == "disqus-ok" and "a list of 2" in d.summary
    null = explain(200, JSON, _json({"succeeded": True, "code": "ok", "message": None}), api="disqus")
    assert "null" in null.summary


def test_disqus_failed_envelope_with_bad_key() -> None:
    body = _json(
        {
            "succeeded": False,
            "code": "input-invalid",
            "message": "user_api_key BAD could not be converted to UserKey object",
        }
    )
    d = explain(400, JSON, body, api="disqus")
    assert d.code == "disqus-input-invalid"
    assert d.summary.startswith("user_api_key BAD")
    assert any("key" in c for c in d.causes)
    assert ("HTTP status", "400") in d.details


def test_disqus_envelope_is_recognised_without_the_api_hint() -> None:
    body = _json({"succeeded": False, "code": "bad-key", "message": "nope"})
    assert explain(200, JSON, body).code == "disqus-bad-key"


def test_disqus_500_mentions_the_sentry_reference_and_redirect_mentions_the_slash() -> None:
    crash = explain(500, (("X-Sentry-ID", "abc123"),), b"oops", api="disqus")
    assert crash.code == "disqus-server-error"
    assert ("X-Sentry-ID (reference)", "abc123") in crash.details
    moved = explain(301, (("Location", "/api/get_forum_list/"),), b"", api="disqus")
    assert moved.code == "disqus-redirect" and "slash" in moved.title


def test_validation_messages_are_matched_to_the_fields_they_name() -> None:
    from explorer.core.explain import field_errors

    body = _json(
        {
            "action": "create_post",
            "errors": [
                "Title is too short (minimum is 15 characters)",
                "Body is too short (minimum is 20 characters)",
                "Target recipients must be given",
                "Something unrelated happened",
            ],
        }
    )
    found = field_errors(body, ["title", "raw", "target_recipients", "target_usernames", "category"])
    assert found == {
        "title": "Title is too short (minimum is 15 characters)",
        "raw": "Body is too short (minimum is 20 characters)",
        "target_recipients": "Target recipients must be given",
    }
    assert field_errors(b"not json", ["title"]) == {}


def test_an_answer_that_broke_off_is_never_called_a_success() -> None:
    d = explain(
        200, JSON, b'{"topic_list": {"top', api="discourse", error="The server closed the connection early"
    )
    assert d.code == "incomplete-response" and d.severity == "error"
    assert "closed the connection early" in d.summary
    assert ("received", "20 B") in d.details  # written as the size badge writes it


def test_a_proxy_page_in_front_of_disqus_is_not_blamed_on_the_arguments() -> None:
    page = b"<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>"
    d = explain(502, (("Content-Type", "text/html"),), page, api="disqus")
    assert d.code == "html-instead-of-json"
    assert any("proxy" in cause for cause in d.causes)


def test_discourse_messages_that_do_not_name_their_field_are_matched_by_phrase() -> None:
    from explorer.core.explain import field_errors

    pm_fields = ["title", "raw", "target_recipients", "target_usernames", "archetype"]
    no_user = _json({"action": "create_post", "errors": ["You must choose a valid user."]})
    assert field_errors(no_user, pm_fields) == {"target_recipients": "You must choose a valid user."}
    # The older parameter when the form has only that one; nothing when it has neither.
    assert field_errors(no_user, ["title", "target_usernames"]) == {
        "target_usernames": "You must choose a valid user."
    }
    assert field_errors(no_user, ["title", "raw"]) == {}
    unknown = _json(
        {"errors": ["Title is too short (minimum is 15 characters)", "The user 'zed' could not be found."]}
    )
    assert field_errors(unknown, pm_fields) == {
        "title": "Title is too short (minimum is 15 characters)",
        "target_recipients": "The user 'zed' could not be found.",
    }
