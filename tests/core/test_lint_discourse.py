"""Discourse rules of the linter: query credentials, allowed routes, header spelling, missing username."""

from __future__ import annotations

import pytest

from explorer.core.lint import detect_api, has_errors, lint_request
from explorer.core.lint.model import Severity
from explorer.core.prepared import Body, PreparedRequest

SITE = "https://forum.example.org"
KEY = "0f" * 32


def codes(request: PreparedRequest) -> list[str]:
    return [f.code for f in lint_request(request)]


def only(request: PreparedRequest, code: str):
    matches = [f for f in lint_request(request) if f.code == code]
    assert len(matches) == 1, [f.code for f in lint_request(request)]
    return matches[0]


def test_clean_header_auth_has_no_findings() -> None:
    request = PreparedRequest(
        "POST",
        f"{SITE}/posts.json",
        headers=(("Api-Key", KEY), ("Api-Username", "system")),
        body=Body("json", {"raw": "Hello there", "topic_id": 5}),
    )
    assert lint_request(request) == []


@pytest.mark.parametrize(
    "name", ["api_key", "api_username", "api_user_id", "api_user_external_id", "user_api_key"]
)
def test_each_credential_parameter_in_query_is_an_error(name: str) -> None:
    request = PreparedRequest("GET", f"{SITE}/latest.json", query=((name, "v1"),))
    finding = only(request, "discourse-query-auth")
    assert finding.severity is Severity.ERROR
    assert name in finding.message
    assert "6 April 2020" in finding.message
    assert has_errors(lint_request(request))


def test_get_message_explains_the_anonymous_view_and_write_message_bad_csrf() -> None:
    get = PreparedRequest("GET", f"{SITE}/latest.json", query=(("api_key", KEY), ("api_username", "system")))
    assert "anonymous" in only(get, "discourse-query-auth").message
    put = PreparedRequest(
        "PUT", f"{SITE}/t/12.json", query=(("api_key", KEY),), body=Body("json", {"title": "x"})
    )
    message = only(put, "discourse-query-auth").message
    assert "BAD CSRF" in message and "403" in message


def test_query_auth_fix_moves_every_credential_to_its_header() -> None:
    request = PreparedRequest(
        "GET",
        f"{SITE}/latest.json",
        query=(
            ("page", "2"),
            ("api_key", KEY),
            ("api_username", "system"),
            ("api_user_id", "1"),
            ("api_user_external_id", "ext-9"),
            ("user_api_key", "abc"),
        ),
    )
    finding = only(request, "discourse-query-auth")
    assert finding.fix is not None and finding.fix.title == "Move credentials to headers"
    fixed = finding.fix.apply(request)
    assert fixed.query == (("page", "2"),)
    assert fixed.headers == (
        ("Api-Key", KEY),
        ("Api-Username", "system"),
        ("Api-User-Id", "1"),
        ("Api-User-External-Id", "ext-9"),
        ("User-Api-Key", "abc"),
    )
    assert "discourse-query-auth" not in codes(fixed)


def test_credentials_in_form_body_are_found_and_moved() -> None:
    request = PreparedRequest(
        "POST",
        f"{SITE}/posts.json",
        body=Body("form", fields=(("raw", "hi"), ("api_key", KEY), ("api_username", "bot"))),
    )
    finding = only(request, "discourse-query-auth")
    assert "the body" in finding.message
    fixed = finding.fix.apply(request)
    assert fixed.body.fields == (("raw", "hi"),)
    assert fixed.header("Api-Key") == KEY and fixed.header("Api-Username") == "bot"
    assert codes(fixed) == []


def test_credentials_in_json_and_multipart_bodies_are_moved() -> None:
    json_req = PreparedRequest("PUT", f"{SITE}/t/5.json", body=Body("json", {"title": "t", "api_user_id": 7}))
    fixed = only(json_req, "discourse-query-auth").fix.apply(json_req)
    assert fixed.body.json_value == {"title": "t"}
    assert fixed.header("Api-User-Id") == "7"
    multi = PreparedRequest(
        "POST",
        f"{SITE}/uploads.json",
        body=Body("multipart", fields=(("type", "composer"), ("user_api_key", "k"))),
    )
    fixed = only(multi, "discourse-query-auth").fix.apply(multi)
    assert fixed.body.fields == (("type", "composer"),)
    assert fixed.header("User-Api-Key") == "k"


def test_fix_keeps_an_existing_header_rather_than_duplicating_it() -> None:
    request = PreparedRequest(
        "GET",
        f"{SITE}/latest.json",
        query=(("api_key", "stale"),),
        headers=(("Api-Key", KEY), ("Api-Username", "a")),
    )
    fixed = only(request, "discourse-query-auth").fix.apply(request)
    assert fixed.headers == (("Api-Key", KEY), ("Api-Username", "a"))


@pytest.mark.parametrize(
    ("verb", "path"),
    [
        ("GET", "/latest.rss"),
        ("GET", "/c/support/7.rss"),
        ("GET", "/u/alice/bookmarks.ics"),
        ("POST", "/admin/email/handle_mail"),
        ("POST", "/forum/admin/email/handle_mail.json"),  # a site in a subfolder
    ],
)
def test_allowed_routes_only_get_an_info(verb: str, path: str) -> None:
    request = PreparedRequest(verb, f"{SITE}{path}", query=(("api_key", KEY), ("api_username", "system")))
    finding = only(request, "discourse-query-auth-allowed")
    assert finding.severity is Severity.INFO
    assert finding.fix is None
    assert "discourse-query-auth" not in codes(request)


@pytest.mark.parametrize(
    ("verb", "path"),
    [("POST", "/latest.rss"), ("GET", "/u/alice/activity.ics"), ("GET", "/admin/email/handle_mail")],
)
def test_allow_list_depends_on_verb_and_route(verb: str, path: str) -> None:
    request = PreparedRequest(verb, f"{SITE}{path}", query=(("api_key", KEY),))
    assert "discourse-query-auth" in codes(request)
    assert "discourse-query-auth-allowed" not in codes(request)


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        ("api_key", "Api-Key"),
        ("Api_Username", "Api-Username"),
        ("API_USER_ID", "Api-User-Id"),
        ("api_user_external_id", "Api-User-External-Id"),
        ("user_api_key", "User-Api-Key"),
        ("User_Api_Client_Id", "User-Api-Client-Id"),
    ],
)
def test_underscored_credential_headers_are_errors_with_a_rename_fix(spelling: str, canonical: str) -> None:
    request = PreparedRequest("GET", f"{SITE}/latest.json", headers=((spelling, "value"), ("Accept", "*/*")))
    finding = only(request, "discourse-header-name")
    assert finding.severity is Severity.ERROR
    assert spelling in finding.message and "nginx" in finding.message
    assert finding.fix.title == f"Rename to {canonical}"
    fixed = finding.fix.apply(request)
    assert fixed.headers == ((canonical, "value"), ("Accept", "*/*"))
    assert "discourse-header-name" not in codes(fixed)


def test_hyphenated_headers_in_any_case_are_fine() -> None:
    request = PreparedRequest("GET", f"{SITE}/latest.json", headers=(("API-KEY", KEY), ("api-username", "x")))
    assert codes(request) == []


def test_api_key_without_a_user_selector_is_a_warning() -> None:
    request = PreparedRequest("GET", f"{SITE}/latest.json", headers=(("Api-Key", KEY),))
    finding = only(request, "discourse-missing-username")
    assert finding.severity is Severity.WARNING
    assert "Api-Username" in finding.message
    assert not has_errors(lint_request(request))


@pytest.mark.parametrize("selector", ["Api-Username", "Api-User-Id", "Api-User-External-Id", "api_username"])
def test_any_user_selector_satisfies_the_username_rule(selector: str) -> None:
    request = PreparedRequest("GET", f"{SITE}/latest.json", headers=(("Api-Key", KEY), (selector, "1")))
    assert "discourse-missing-username" not in codes(request)


def test_user_api_key_needs_no_username() -> None:
    request = PreparedRequest("GET", f"{SITE}/latest.json", headers=(("User-Api-Key", "k" * 32),))
    assert codes(request) == []


@pytest.mark.parametrize("host", ["forum.example.org", "10.0.0.5", "192.168.1.10", "127.example.org"])
def test_credentials_over_plain_http_warn_with_an_https_fix(host: str) -> None:
    request = PreparedRequest(
        "GET", f"http://{host}/latest.json", headers=(("Api-Key", KEY), ("Api-Username", "system"))
    )
    finding = only(request, "insecure-transport")
    assert finding.severity is Severity.WARNING
    assert host in finding.message
    fixed = finding.fix.apply(request)
    assert fixed.url == f"https://{host}/latest.json"
    assert "insecure-transport" not in codes(fixed)


@pytest.mark.parametrize("host", ["127.0.0.1:8080", "localhost:3000", "[::1]:9000", "127.5.5.5"])
def test_loopback_http_is_fine(host: str) -> None:
    request = PreparedRequest(
        "GET", f"http://{host}/latest.json", headers=(("Api-Key", KEY), ("Api-Username", "a"))
    )
    assert "insecure-transport" not in codes(request)


def test_plain_http_without_credentials_is_fine() -> None:
    assert codes(PreparedRequest("GET", "http://forum.example.org/latest.json")) == []


def test_query_credentials_over_http_get_both_findings_errors_first() -> None:
    request = PreparedRequest("GET", "http://forum.example.org/latest.json", query=(("api_key", KEY),))
    assert codes(request) == ["discourse-query-auth", "insecure-transport"]


def test_api_detection() -> None:
    assert detect_api(PreparedRequest("GET", "https://disqus.com/api/get_forum_list/")) == "disqus"
    assert detect_api(PreparedRequest("GET", "http://127.0.0.1:9/disqus/api/get_thread_list/")) == "disqus"
    assert detect_api(PreparedRequest("GET", f"{SITE}/admin/api/web_hooks.json")) == "discourse"
    assert detect_api(PreparedRequest("GET", f"{SITE}/admin/api/keys")) == "discourse"
    assert detect_api(PreparedRequest("GET", f"{SITE}/latest.json")) == "discourse"
    assert (
        detect_api(PreparedRequest("GET", "https://x.example/api/get_forum_list/", api="discourse"))
        == "discourse"
    )


def test_forcing_the_api_changes_the_rules() -> None:
    request = PreparedRequest("GET", f"{SITE}/latest.json", query=(("api_key", KEY),))
    assert "discourse-query-auth" not in [f.code for f in lint_request(request, api="disqus")]


def test_query_auth_fix_takes_the_client_id_along_with_the_user_api_key() -> None:
    request = PreparedRequest(
        "GET",
        f"{SITE}/notifications.json",
        query=(("user_api_key", "k1"), ("user_api_client_id", "my-app"), ("page", "1")),
    )
    fixed = only(request, "discourse-query-auth").fix.apply(request)
    assert fixed.query == (("page", "1"),)
    assert fixed.headers == (("User-Api-Key", "k1"), ("User-Api-Client-Id", "my-app"))
    assert codes(fixed) == []


def test_a_client_id_alone_is_not_moved_by_the_fix() -> None:
    # Only an admin key is moved here; the client id is left where the user put it.
    request = PreparedRequest(
        "GET",
        f"{SITE}/latest.json",
        query=(("api_key", KEY), ("api_username", "system"), ("user_api_client_id", "c")),
    )
    fixed = only(request, "discourse-query-auth").fix.apply(request)
    assert fixed.query == (("user_api_client_id", "c"),)
    assert fixed.header("User-Api-Client-Id") is None
