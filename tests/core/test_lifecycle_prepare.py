"""Preparing specifications: catalog and free-form requests, fixes by code, credentials, profile guards."""

from __future__ import annotations

import json

import pytest

from explorer.core.builder import build_request
from explorer.core.catalog.loader import load_bundled_catalogs
from explorer.core.catalog.model import Api
from explorer.core.lifecycle import (
    BodySpec,
    Pair,
    RequestSpec,
    Target,
    prepare,
    spec_for_request,
    spec_for_url,
)
from explorer.core.lifecycle.target import target_for_profile
from explorer.core.prepared import SECRET_PLACEHOLDER, Body, PreparedRequest
from explorer.core.profiles import Profile

CATALOGS = load_bundled_catalogs()
BASE = "https://forum.example"
ADMIN = Target(Api.DISCOURSE, BASE, {"api_key": "k-admin", "api_username": "system"}, profile_name="Forum")


def test_a_catalog_spec_prepares_exactly_what_the_builder_builds() -> None:
    spec = RequestSpec(api="discourse", method_id="getTopic", arguments={"id": "12"})
    prepared = prepare(spec, CATALOGS, ADMIN)
    method = CATALOGS[Api.DISCOURSE].method("getTopic")
    assert method is not None
    direct = build_request(method, {"id": "12"}, base_url=BASE, credentials=ADMIN.credentials).request
    assert prepared.ok and prepared.request == direct
    assert ("Api-Key", "profile Forum") in prepared.credential_sources


def test_field_errors_come_back_per_field_and_nothing_is_prepared() -> None:
    spec = RequestSpec(api="discourse", method_id="listLatestTopics", arguments={"page": "abc"})
    prepared = prepare(spec, CATALOGS, ADMIN)
    assert prepared.request is None and not prepared.ok
    assert "page" in prepared.errors


def test_an_unknown_method_is_an_error_not_a_crash() -> None:
    prepared = prepare(RequestSpec(api="discourse", method_id="noSuchThing"), CATALOGS, ADMIN)
    assert "noSuchThing" in prepared.errors["method"]
    prepared = prepare(RequestSpec(api="gopher", method_id="x"), CATALOGS, ADMIN)
    assert "gopher" in prepared.errors["method"]


def test_fixes_are_stored_as_codes_and_applied_by_looking_the_finding_up() -> None:
    spec = RequestSpec(
        verb="GET", url="/latest.json", params=(Pair("api_key", "k"), Pair("api_username", "s"))
    )
    before = prepare(spec, CATALOGS, Target(Api.DISCOURSE, BASE))
    assert "discourse-query-auth" in [f.code for f in before.findings]
    after = prepare(spec.with_fix("discourse-query-auth"), CATALOGS, Target(Api.DISCOURSE, BASE))
    assert after.request is not None
    assert "discourse-query-auth" not in [f.code for f in after.findings]
    assert after.request.header("Api-Key") == "k" and not after.request.query
    assert json.loads(spec.with_fix("discourse-query-auth").dumps())["fixes"] == ["discourse-query-auth"]


def test_free_form_paths_join_the_profile_base_url_and_get_its_credentials() -> None:
    spec = RequestSpec(
        verb="GET", url="/site/statistics.json?x=1", params=(Pair("y", "2"), Pair("z", "3", False))
    )
    prepared = prepare(spec, CATALOGS, ADMIN)
    assert prepared.request is not None
    assert prepared.request.url == f"{BASE}/site/statistics.json"
    assert prepared.request.query == (("x", "1"), ("y", "2"))
    assert prepared.request.header("Api-Key") == "k-admin"


def test_a_credential_the_request_sets_itself_wins_over_the_profile() -> None:
    spec = RequestSpec(verb="GET", url="/latest.json", headers=(Pair("Api-Key", "from-curl"),))
    prepared = prepare(spec, CATALOGS, ADMIN)
    assert prepared.request is not None
    assert [v for k, v in prepared.request.headers if k == "Api-Key"] == ["from-curl"]
    assert ("Api-Key", "request") in prepared.credential_sources


def test_a_placeholder_from_a_saved_file_means_take_it_from_the_profile() -> None:
    spec = RequestSpec.loads(
        RequestSpec(verb="GET", url="/latest.json", headers=(Pair("Api-Key", "typed"),)).dumps()
    )
    assert spec.headers[0].value == SECRET_PLACEHOLDER
    prepared = prepare(spec, CATALOGS, ADMIN)
    assert prepared.request is not None and prepared.request.header("Api-Key") == "k-admin"


@pytest.mark.parametrize(
    ("url", "named"),
    [("", "empty"), ("ftp://x/y", "http"), ("/latest.json", "profile"), ("https://u:p@h/x", "credentials")],
)
def test_bad_free_form_urls_are_field_errors(url: str, named: str) -> None:
    prepared = prepare(RequestSpec(verb="GET", url=url), CATALOGS, None)
    assert named in prepared.errors["url"]


def test_invalid_json_in_the_body_is_an_error_with_line_and_column() -> None:
    for spec in (
        RequestSpec(verb="POST", url=f"{BASE}/posts.json", body=BodySpec("json", '{"raw": "x",\n  oops}')),
        RequestSpec(api="discourse", method_id="createTopicPostPM", body=BodySpec("json", "{nope")),
    ):
        prepared = prepare(spec, CATALOGS, ADMIN)
        assert prepared.request is None
        assert "invalid JSON at line" in prepared.errors["body"]


def test_a_valid_json_body_replaces_the_generated_one() -> None:
    spec = RequestSpec(
        api="discourse",
        method_id="createTopicPostPM",
        arguments={},
        body=BodySpec("json", '{"raw": "typed"}'),
    )
    prepared = prepare(spec, CATALOGS, ADMIN)
    assert prepared.request is not None and prepared.request.body is not None
    assert prepared.request.body.raw == '{"raw": "typed"}'


def test_read_only_profiles_refuse_writes_and_production_ones_ask() -> None:
    write = RequestSpec(
        api="discourse", method_id="createTopicPostPM", arguments={"raw": "x" * 30, "title": "t" * 20}
    )
    read = RequestSpec(api="discourse", method_id="listLatestTopics")
    read_only = Target(Api.DISCOURSE, BASE, profile_name="Live", read_only=True)
    production = Target(Api.DISCOURSE, BASE, profile_name="Live", production=True)
    assert prepare(write, CATALOGS, read_only).refusal is not None
    assert not prepare(write, CATALOGS, read_only).ok
    assert prepare(read, CATALOGS, read_only).refusal is None
    question = prepare(write, CATALOGS, production).confirmation
    assert question is not None and BASE in question
    assert prepare(read, CATALOGS, production).confirmation is None


def test_a_profile_becomes_a_target_with_credentials_and_argument_defaults() -> None:
    disqus = Profile("D", Api.DISQUS, "https://disqus.com", "keys", {"forum_id": "1234"})
    target = target_for_profile(disqus, {"user_api_key": "u-s3cret", "forum_id": "1234"})
    assert dict(target.credentials) == {"user_api_key": "u-s3cret"}
    assert dict(target.defaults) == {"forum_id": "1234"}
    assert "u-s3cret" not in repr(target)
    spec = RequestSpec(api="disqus", method_id="get_thread_list")
    prepared = prepare(spec, CATALOGS, target)
    assert prepared.request is not None and ("forum_id", "1234") in prepared.request.query


def test_an_imported_request_that_the_form_would_build_becomes_the_form() -> None:
    request = PreparedRequest(
        "POST",
        f"{BASE}/posts.json",
        headers=(("Api-Key", "abc"), ("Accept", "application/json")),
        body=Body(kind="json", json_value={"title": "A title long enough", "raw": "Some text for the post"}),
    )
    spec = spec_for_request(request, CATALOGS)
    assert spec.method_id == "createTopicPostPM"
    assert spec.arguments == {"title": "A title long enough", "raw": "Some text for the post"}
    assert [p.name for p in spec.headers] == ["Api-Key"]


def test_an_imported_request_with_unknown_body_fields_stays_free_form_and_sends_as_it_was() -> None:
    body = Body(kind="json", json_value={"raw": "text", "mystery": 1})
    request = PreparedRequest("POST", f"{BASE}/posts.json", query=(("x", "1"),), body=body)
    spec = spec_for_request(request, CATALOGS, base_url=BASE)
    assert spec.is_free_form and spec.url == "/posts.json"
    prepared = prepare(spec, CATALOGS, Target(Api.DISCOURSE, BASE))
    assert prepared.request is not None
    assert prepared.request.full_url() == f"{BASE}/posts.json?x=1"
    assert prepared.request.body is not None and prepared.request.body.json_value == body.json_value


def test_unknown_query_pairs_of_a_matched_request_stay_beside_the_form() -> None:
    request = PreparedRequest("GET", f"{BASE}/latest.json", query=(("api_key", "legacy"), ("page", "2")))
    spec = spec_for_request(request, CATALOGS, base_url=BASE)
    assert spec.method_id == "listLatestTopics" and spec.arguments == {"page": "2"}
    assert spec.params == (Pair("api_key", "legacy"),)
    prepared = prepare(spec, CATALOGS, ADMIN)
    assert prepared.request is not None and ("api_key", "legacy") in prepared.request.query
    assert prepared.request.header("Api-Key") is None  # the request's own key wins over the profile's
    assert "discourse-query-auth" in [f.code for f in prepared.findings]


def test_typing_a_catalog_url_shows_the_form_and_other_urls_are_free_form() -> None:
    current = RequestSpec(verb="GET", url="")
    matched = spec_for_url("GET", "/t/42.json", CATALOGS, base_url=BASE, current=current)
    assert matched.method_id == "getTopic" and matched.arguments == {"id": "42"}
    other = spec_for_url("GET", f"{BASE}/custom/thing.json?a=1", CATALOGS, base_url=BASE, current=current)
    assert other.is_free_form and other.url == "/custom/thing.json"
    assert other.params == (Pair("a", "1"),)
