"""Disqus 1.1 rules of the linter: api_version, trailing slash, keys in URLs, the needed key, legacy."""

from __future__ import annotations

import pytest

from explorer.core.catalog.model import Api, Method
from explorer.core.lint import lint_request
from explorer.core.lint.disqus import needed_keys
from explorer.core.lint.model import Severity
from explorer.core.prepared import Body, PreparedRequest

BASE = "https://disqus.com/api"
USER_KEY = "u" * 64
FORUM_KEY = "f" * 64


def method(name: str, verb: str, auth: str) -> Method:
    return Method(api=Api.DISQUS, id=name, verb=verb, path=f"/api/{name}/", group="g", summary="", auth=auth)


CREATE_POST = method("create_post", "POST", "forum")
GET_FORUM_LIST = method("get_forum_list", "GET", "user")


def good_get() -> PreparedRequest:
    return PreparedRequest(
        "GET",
        f"{BASE}/get_forum_list/",
        query=(("user_api_key", USER_KEY), ("api_version", "1.1")),
        api="disqus",
    )


def good_post() -> PreparedRequest:
    return PreparedRequest(
        "POST",
        f"{BASE}/create_post/",
        body=Body(
            "form",
            fields=(
                ("forum_api_key", FORUM_KEY),
                ("thread_id", "1"),
                ("message", "hi"),
                ("api_version", "1.1"),
            ),
        ),
        api="disqus",
    )


def findings(request: PreparedRequest, m: Method | None = None) -> dict[str, object]:
    return {f.code: f for f in lint_request(request, m)}


def test_a_well_formed_get_only_gets_the_informational_findings() -> None:
    found = findings(good_get(), GET_FORUM_LIST)
    assert set(found) == {"disqus-keys-in-url", "disqus-legacy-api"}
    assert all(f.severity is Severity.INFO for f in found.values())


def test_a_well_formed_post_only_gets_the_legacy_note() -> None:
    assert set(findings(good_post(), CREATE_POST)) == {"disqus-legacy-api"}


def test_legacy_note_mentions_the_successor() -> None:
    legacy = findings(good_post(), CREATE_POST)["disqus-legacy-api"]
    assert "3.0" in legacy.message and legacy.fix is None


def test_missing_api_version_on_get_is_fixed_in_the_query() -> None:
    request = PreparedRequest("GET", f"{BASE}/get_forum_list/", query=(("user_api_key", USER_KEY),))
    finding = findings(request)["disqus-missing-api-version"]
    assert finding.severity is Severity.WARNING
    assert "1.0" in finding.message
    fixed = finding.fix.apply(request)
    assert fixed.query == (("user_api_key", USER_KEY), ("api_version", "1.1"))
    assert "disqus-missing-api-version" not in findings(fixed)


def test_missing_api_version_on_post_is_fixed_in_the_form_body() -> None:
    request = PreparedRequest(
        "POST",
        f"{BASE}/update_thread/",
        body=Body("form", fields=(("forum_api_key", FORUM_KEY), ("thread_id", "3"))),
    )
    fixed = findings(request)["disqus-missing-api-version"].fix.apply(request)
    assert fixed.query == ()
    assert fixed.body.fields[-1] == ("api_version", "1.1")
    assert "disqus-missing-api-version" not in findings(fixed)


def test_a_post_without_any_body_gets_a_form_body_with_the_version() -> None:
    request = PreparedRequest("POST", f"{BASE}/get_user_name/")
    fixed = findings(request)["disqus-missing-api-version"].fix.apply(request)
    assert fixed.body == Body("form", fields=(("api_version", "1.1"),))


def test_api_version_in_the_query_of_a_post_is_accepted() -> None:
    request = PreparedRequest(
        "POST",
        f"{BASE}/create_post/",
        query=(("api_version", "1.1"),),
        body=Body("form", fields=(("forum_api_key", FORUM_KEY),)),
    )
    assert "disqus-missing-api-version" not in findings(request)


def test_a_wrong_api_version_is_replaced() -> None:
    request = PreparedRequest("GET", f"{BASE}/get_forum_list/", query=(("api_version", "1.0"),))
    finding = findings(request)["disqus-missing-api-version"]
    assert "'1.0'" in finding.message
    fixed = finding.fix.apply(request)
    assert fixed.query == (("api_version", "1.1"),)


def test_missing_slash_on_post_warns_about_the_lost_body() -> None:
    request = PreparedRequest("POST", f"{BASE}/create_post", body=good_post().body)
    finding = findings(request)["disqus-missing-trailing-slash"]
    assert finding.severity is Severity.WARNING
    assert "body" in finding.message and "301" in finding.message
    fixed = finding.fix.apply(request)
    assert fixed.url == f"{BASE}/create_post/"
    assert "disqus-missing-trailing-slash" not in findings(fixed)


def test_missing_slash_on_get_mentions_following_redirects() -> None:
    request = PreparedRequest(
        "GET", "http://127.0.0.1:8000/disqus/api/get_forum_list", query=good_get().query
    )
    finding = findings(request)["disqus-missing-trailing-slash"]
    assert "-L" in finding.message
    assert finding.fix.apply(request).url == "http://127.0.0.1:8000/disqus/api/get_forum_list/"


def test_keys_in_the_url_of_a_get_are_reported_but_not_in_a_post_body() -> None:
    found = findings(good_get())["disqus-keys-in-url"]
    assert "user_api_key" in found.message and found.fix is None
    assert "disqus-keys-in-url" not in findings(good_post())


def test_create_post_without_the_forum_key_is_an_error() -> None:
    request = PreparedRequest(
        "POST",
        f"{BASE}/create_post/",
        body=Body("form", fields=(("user_api_key", USER_KEY), ("api_version", "1.1"), ("thread_id", "1"))),
    )
    finding = findings(request, CREATE_POST)["disqus-wrong-key"]
    assert finding.severity is Severity.ERROR
    assert "forum_api_key" in finding.message and "user_api_key" in finding.message


def test_a_user_method_without_any_key_is_an_error() -> None:
    request = PreparedRequest("GET", f"{BASE}/get_forum_list/", query=(("api_version", "1.1"),))
    finding = findings(request, GET_FORUM_LIST)["disqus-wrong-key"]
    assert "no key at all" in finding.message


def test_an_empty_key_does_not_count() -> None:
    request = PreparedRequest(
        "GET", f"{BASE}/get_forum_list/", query=(("user_api_key", ""), ("api_version", "1.1"))
    )
    assert "disqus-wrong-key" in findings(request, GET_FORUM_LIST)


def test_needed_keys_reads_the_catalog_auth_field() -> None:
    assert needed_keys("forum") == ("forum_api_key",)
    assert needed_keys("user") == ("user_api_key",)
    assert needed_keys("forum|user") == ("forum_api_key", "user_api_key")
    assert needed_keys("none") == ()


def test_either_key_satisfies_a_method_that_accepts_both() -> None:
    either = method("get_thread_list", "GET", "forum|user")
    request = PreparedRequest(
        "GET", f"{BASE}/get_thread_list/", query=(("user_api_key", USER_KEY), ("api_version", "1.1"))
    )
    assert "disqus-wrong-key" not in findings(request, either)


def test_plain_http_to_disqus_with_a_key_is_insecure() -> None:
    request = PreparedRequest("GET", "http://disqus.com/api/get_forum_list/", query=good_get().query)
    finding = findings(request)["insecure-transport"]
    assert "user_api_key" in finding.message
    assert finding.fix.apply(request).url.startswith("https://disqus.com/")


@pytest.fixture
def bundled_disqus():
    from explorer.core.catalog.loader import CatalogError, load_catalog
    from explorer.core.paths import resources_dir

    try:
        return load_catalog(resources_dir() / "catalogs" / "disqus.json")
    except CatalogError as exc:
        pytest.skip(f"the Disqus catalog is not available yet: {exc}")


def test_bundled_catalog_knows_create_post_needs_the_forum_key(bundled_disqus) -> None:
    request = PreparedRequest(
        "POST",
        f"{BASE}/create_post/",
        body=Body("form", fields=(("user_api_key", USER_KEY), ("api_version", "1.1"))),
    )
    # No method passed: the linter finds create_post in the bundled catalog by the URL.
    assert "disqus-wrong-key" in {f.code for f in lint_request(request)}
    assert "disqus-wrong-key" in {f.code for f in lint_request(request, catalog=bundled_disqus)}
    assert "disqus-wrong-key" not in {f.code for f in lint_request(good_post(), catalog=bundled_disqus)}
