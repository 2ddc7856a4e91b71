"""The request builder for Disqus 1.1: URL with the trailing slash, api_version, key placement, values."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from explorer.core.builder import BuildResult, build_request
from explorer.core.catalog.loader import load_catalog
from explorer.core.catalog.model import Catalog
from explorer.core.paths import resources_dir

KEYS = {"user_api_key": "USERKEY", "forum_api_key": "FORUMKEY", "partner_api_key": "PARTNERKEY"}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(resources_dir() / "catalogs" / "disqus.json")


def ok(result: BuildResult):
    assert result.errors == ()
    assert result.request is not None
    return result.request


def errors_of(result: BuildResult) -> dict[str, str]:
    assert result.request is None
    return {e.field: e.message for e in result.errors}


def test_get_puts_arguments_keys_and_version_in_the_query(catalog: Catalog):
    method = catalog.method("get_forum_posts")
    req = ok(
        build_request(
            method, {"forum_id": "1001", "limit": "10", "filter": ["new", "spam"]}, credentials=KEYS
        )
    )
    assert req.method == "GET"
    assert req.url == "https://disqus.com/api/get_forum_posts/"
    assert req.query == (
        ("forum_id", "1001"),
        ("limit", "10"),
        ("filter", "new,spam"),
        ("user_api_key", "USERKEY"),
        ("api_version", "1.1"),
    )
    assert req.body is None
    assert req.headers == ()
    assert req.full_url().startswith("https://disqus.com/api/get_forum_posts/?forum_id=1001&")


def test_post_puts_keys_and_version_in_the_form_body(catalog: Catalog):
    method = catalog.method("create_post")
    values = {
        "thread_id": 2001,
        "message": "Hi & welcome",
        "author_name": "Ada",
        "author_email": "ada@example.com",
        "created_at": "2009-03-30T15:41",
        "state": "approved",
    }
    req = ok(build_request(method, values, credentials=KEYS))
    assert req.method == "POST"
    assert req.url == "https://disqus.com/api/create_post/"
    assert req.query == ()
    assert req.body.kind == "form"
    assert req.body.media_type() == "application/x-www-form-urlencoded"
    fields = dict(req.body.fields)
    assert fields["message"] == "Hi & welcome"
    assert fields["created_at"] == "2009-03-30T15:41"
    assert fields["forum_api_key"] == "FORUMKEY"
    assert fields["partner_api_key"] == "PARTNERKEY"
    assert fields["api_version"] == "1.1"
    assert "user_api_key" not in fields
    assert dict(parse_qsl(req.body.text()))["message"] == "Hi & welcome"
    assert "user_api_key not sent: create_post does not take it" in req.notes


def test_post_without_arguments_still_has_a_form_body(catalog: Catalog):
    req = ok(build_request(catalog.method("get_user_name"), {}, credentials={"user_api_key": "U"}))
    assert req.method == "POST" and req.query == ()
    assert req.body.fields == (("user_api_key", "U"), ("api_version", "1.1"))


def test_api_version_is_always_present(catalog: Catalog):
    for method in catalog.methods:
        req = ok(build_request(method, method.example))
        pairs = req.query if method.verb == "GET" else req.body.fields
        assert ("api_version", "1.1") in pairs, method.id
        assert req.url.endswith(f"/api/{method.id}/"), method.id


def test_missing_needed_key_builds_with_a_note(catalog: Catalog):
    req = ok(build_request(catalog.method("create_post"), catalog.method("create_post").example))
    assert not any(name.endswith("_api_key") for name, _ in req.body.fields)
    assert any("needs forum_api_key" in note for note in req.notes)


def test_forum_key_accepted_where_api_1_0_used_it(catalog: Catalog):
    req = ok(build_request(catalog.method("get_thread_posts"), {"thread_id": "5"}, credentials=KEYS))
    assert [name for name, _ in req.query if name.endswith("_api_key")] == ["user_api_key", "forum_api_key"]


def test_get_thread_by_url_sends_forum_and_partner_keys(catalog: Catalog):
    req = ok(
        build_request(
            catalog.method("get_thread_by_url"), {"url": "https://b.example/x?y=1"}, credentials=KEYS
        )
    )
    assert req.query == (
        ("url", "https://b.example/x?y=1"),
        ("forum_api_key", "FORUMKEY"),
        ("partner_api_key", "PARTNERKEY"),
        ("api_version", "1.1"),
    )
    assert "url=https%3A%2F%2Fb.example%2Fx%3Fy%3D1" in req.full_url()


def test_keys_are_not_arguments(catalog: Catalog):
    errs = errors_of(
        build_request(catalog.method("get_forum_list"), {"user_api_key": "x", "api_version": "1.0"})
    )
    assert set(errs) == {"user_api_key", "api_version"}
    assert "added by the builder" in errs["api_version"]


def test_unknown_credential_name(catalog: Catalog):
    errs = errors_of(build_request(catalog.method("get_forum_list"), {}, credentials={"api_key": "x"}))
    assert errs == {
        "auth": "unknown Disqus credential api_key; expected user_api_key, forum_api_key, partner_api_key"
    }


def test_a_key_with_a_line_break_is_refused(catalog: Catalog):
    errs = errors_of(
        build_request(catalog.method("get_forum_list"), {}, credentials={"user_api_key": "a\nb"})
    )
    assert errs == {"auth": "user_api_key contains a line break or another control character"}


@pytest.mark.parametrize(
    ("base", "url"),
    [
        (None, "https://disqus.com/api/get_forum_list/"),
        ("", "https://disqus.com/api/get_forum_list/"),
        ("http://127.0.0.1:8765/disqus", "http://127.0.0.1:8765/disqus/api/get_forum_list/"),
        ("http://127.0.0.1:8765/disqus/", "http://127.0.0.1:8765/disqus/api/get_forum_list/"),
        ("http://disqus.com/api/", "http://disqus.com/api/get_forum_list/"),
    ],
)
def test_base_urls(catalog: Catalog, base, url):
    assert ok(build_request(catalog.method("get_forum_list"), {}, base_url=base)).url == url


def test_bad_base_url(catalog: Catalog):
    assert list(errors_of(build_request(catalog.method("get_forum_list"), {}, base_url="disqus.com"))) == [
        "base_url"
    ]


def test_since_must_be_minutes_in_utc(catalog: Catalog):
    method = catalog.method("get_updated_threads")
    for bad in ("2010-05-01 12:00", "2010-13-01T10:00", "2010-05-01T12:00:00"):
        errs = errors_of(build_request(method, {"forum_id": 1, "since": bad}))
        assert list(errs) == ["since"] and "YYYY-MM-DDTHH:MM" in errs["since"]
    req = ok(build_request(method, {"forum_id": 1, "since": "2010-05-01T12:00"}))
    assert ("since", "2010-05-01T12:00") in req.query
    assert "since=2010-05-01T12%3A00" in urlsplit(req.full_url()).query


def test_created_at_format(catalog: Catalog):
    method = catalog.method("create_post")
    values = {**method.example, "created_at": "30/03/2009 15:41"}
    assert "created_at" in errors_of(build_request(method, values))


def test_filter_rejects_unknown_states(catalog: Catalog):
    errs = errors_of(
        build_request(catalog.method("get_thread_posts"), {"thread_id": 1, "filter": "spam,approved"})
    )
    assert errs == {"filter": "'approved' not allowed; choose from new, spam, killed"}


def test_enum_errors_and_several_errors_at_once(catalog: Catalog):
    errs = errors_of(build_request(catalog.method("moderate_post"), {"post_id": "x", "action": "delete"}))
    assert errs == {
        "post_id": "expected a whole number, got 'x'",
        "action": "'delete' is not allowed; choose from spam, approve, kill",
    }


def test_missing_required_arguments(catalog: Catalog):
    errs = errors_of(build_request(catalog.method("create_post"), {"thread_id": 1}))
    assert errs == {"message": "required", "author_name": "required", "author_email": "required"}


def test_paging_limits(catalog: Catalog):
    method = catalog.method("get_thread_list")
    assert errors_of(build_request(method, {"forum_id": 1, "start": "-1"})) == {
        "start": "must be at least 0, got -1"
    }
    req = ok(build_request(method, {"forum_id": 1}))
    assert [name for name, _ in req.query] == [
        "forum_id",
        "api_version",
    ]  # defaults are the server's business


def test_booleans_are_sent_as_one_and_zero(catalog: Catalog):
    req = ok(build_request(catalog.method("update_thread"), {"thread_id": 1, "allow_comments": "false"}))
    assert ("allow_comments", "0") in req.body.fields
    req = ok(
        build_request(
            catalog.method("thread_by_identifier"), {"identifier": "a", "title": "t", "create_on_fail": True}
        )
    )
    assert ("create_on_fail", "1") in req.body.fields


def test_masked_hides_keys_in_query_and_body(catalog: Catalog):
    get = ok(build_request(catalog.method("get_forum_list"), {}, credentials=KEYS)).masked()
    assert dict(get.query)["user_api_key"] == "<redacted>"
    post = ok(build_request(catalog.method("update_thread"), {"thread_id": 1}, credentials=KEYS)).masked()
    assert dict(post.body.fields)["forum_api_key"] == "<redacted>"


def test_json_body_on_post_moves_keys_to_the_query(catalog: Catalog):
    req = ok(build_request(catalog.method("get_user_name"), {}, credentials=KEYS, body_encoding="json"))
    assert req.query == (("user_api_key", "USERKEY"), ("api_version", "1.1"))
    assert any("moved to the query string" in note for note in req.notes)


def test_raw_form_body_replaces_everything(catalog: Catalog):
    req = ok(
        build_request(
            catalog.method("get_user_name"),
            {},
            credentials=KEYS,
            raw_body="user_api_key=typed&api_version=1.1",
        )
    )
    assert req.body.media_type() == "application/x-www-form-urlencoded"
    assert req.body.raw == "user_api_key=typed&api_version=1.1" and req.query == ()
    assert any("raw body" in note for note in req.notes)


def test_post_as_multipart_on_request(catalog: Catalog):
    req = ok(
        build_request(
            catalog.method("moderate_post"),
            {"post_id": 1, "action": "kill"},
            credentials=KEYS,
            body_encoding="multipart",
        )
    )
    assert req.body.kind == "multipart"
    assert req.body.fields == (
        ("post_id", "1"),
        ("action", "kill"),
        ("user_api_key", "USERKEY"),
        ("api_version", "1.1"),
    )


def test_profile_forum_id_fills_an_empty_forum_id(catalog: Catalog):
    creds = {"user_api_key": "U", "forum_id": "1001"}
    req = ok(build_request(catalog.method("get_thread_list"), {}, credentials=creds))
    assert req.query[0] == ("forum_id", "1001")
    assert "forum_id 1001 taken from the profile" in req.notes
    typed = ok(build_request(catalog.method("get_thread_list"), {"forum_id": "7"}, credentials=creds))
    assert typed.query[0] == ("forum_id", "7")
    # Methods without a forum_id argument simply ignore it.
    other = ok(build_request(catalog.method("get_thread_posts"), {"thread_id": 1}, credentials=creds))
    assert "forum_id" not in dict(other.query)
