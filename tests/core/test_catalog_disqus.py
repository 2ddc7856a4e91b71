"""The bundled Disqus API 1.1 catalog: 14 methods, verbs, arguments, defaults, enums, dates and keys."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from explorer.core.catalog.loader import load_catalog
from explorer.core.catalog.model import Api, Catalog
from explorer.core.paths import resources_dir

POST_METHODS = {"get_user_name", "thread_by_identifier", "update_thread", "create_post", "moderate_post"}
ALL_METHODS = POST_METHODS | {
    "get_forum_api_key",
    "get_forum_list",
    "get_forum_posts",
    "get_num_posts",
    "get_categories_list",
    "get_thread_list",
    "get_updated_threads",
    "get_thread_posts",
    "get_thread_by_url",
}
KEY_NAMES = {"user_api_key", "forum_api_key", "partner_api_key"}
# The key each method needs, as the 1.1 reference lists it.
NEEDED_KEY = {
    "get_user_name": "user",
    "get_forum_api_key": "user",
    "get_forum_list": "user",
    "get_forum_posts": "user",
    "get_num_posts": "user",
    "get_categories_list": "user",
    "get_thread_list": "user",
    "get_updated_threads": "user",
    "get_thread_posts": "user",
    "thread_by_identifier": "forum",
    "get_thread_by_url": "forum",
    "update_thread": "forum",
    "create_post": "forum",
    "moderate_post": "user",
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(resources_dir() / "catalogs" / "disqus.json")


def test_loads_as_the_disqus_catalog(catalog: Catalog):
    assert catalog.api == Api.DISQUS
    assert catalog.version == "1.1"
    assert len(catalog.methods) == 14
    assert {m.id for m in catalog.methods} == ALL_METHODS


def test_verbs_paths_and_encodings(catalog: Catalog):
    for method in catalog.methods:
        expected = "POST" if method.id in POST_METHODS else "GET"
        assert method.verb == expected, method.id
        assert method.path == f"/api/{method.id}/", method.id
        assert method.documented
        assert method.body_encoding == ("form" if expected == "POST" else None), method.id
        # Arguments travel as GET parameters for GET and as POST fields for POST.
        location = "body" if expected == "POST" else "query"
        assert all(p.location == location for p in method.params), method.id


def test_groups_by_object_kind(catalog: Catalog):
    groups = {g.id for g in catalog.groups}
    assert {"users", "forums", "threads", "posts"} <= groups
    assert catalog.method("get_forum_list").group == "forums"
    assert catalog.method("create_post").group == "posts"
    assert catalog.method("update_thread").group == "threads"
    assert catalog.method("get_user_name").group == "users"
    assert all(catalog.methods_in(g) for g in groups)


def test_auth_keys(catalog: Catalog):
    assert {m.id: m.auth for m in catalog.methods} == NEEDED_KEY


def test_keys_and_api_version_are_not_parameters(catalog: Catalog):
    for method in catalog.methods:
        names = {p.name for p in method.params}
        assert not names & (KEY_NAMES | {"api_version"}), method.id


def test_paging_defaults(catalog: Catalog):
    for method_id in ("get_forum_posts", "get_thread_list", "get_thread_posts"):
        method = catalog.method(method_id)
        limit, start = method.param("limit"), method.param("start")
        assert (limit.type, limit.default, limit.required) == ("integer", 25, False)
        assert (start.type, start.default, start.required) == ("integer", 0, False)
        assert start.minimum == 0


def test_filter_and_exclude_are_multi_enums(catalog: Catalog):
    for method_id in ("get_forum_posts", "get_thread_posts"):
        method = catalog.method(method_id)
        for name in ("filter", "exclude"):
            param = method.param(name)
            assert param.enum == ("new", "spam", "killed")
            assert param.multi_enum and not param.array and not param.required
        assert "AND" in method.param("filter").description


def test_state_and_action_enums(catalog: Catalog):
    assert catalog.method("create_post").param("state").enum == ("approved", "unapproved", "spam", "killed")
    action = catalog.method("moderate_post").param("action")
    assert action.enum == ("spam", "approve", "kill") and action.required


def test_dates_use_the_disqus_format(catalog: Catalog):
    since = catalog.method("get_updated_threads").param("since")
    created = catalog.method("create_post").param("created_at")
    assert since.format == created.format == "disqus-datetime"
    assert since.required and not created.required
    for param in (since, created):
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", param.example)
        assert "UTC" in param.description


def test_required_arguments(catalog: Catalog):
    required = {m.id: {p.name for p in m.params if p.required} for m in catalog.methods}
    assert required["create_post"] == {"thread_id", "message", "author_name", "author_email"}
    assert required["thread_by_identifier"] == {"identifier", "title"}
    assert required["get_updated_threads"] == {"forum_id", "since"}
    assert required["get_num_posts"] == {"thread_ids"}
    assert required["update_thread"] == {"thread_id"}
    assert required["get_forum_list"] == required["get_user_name"] == set()


def test_examples_fit_the_parameters(catalog: Catalog):
    for method in catalog.methods:
        names = {p.name for p in method.params}
        assert set(method.example) <= names, method.id
        assert {p.name for p in method.params if p.required} <= set(method.example), method.id


def test_prose_is_present(catalog: Catalog):
    for method in catalog.methods:
        assert method.summary and method.description and method.response, method.id
        assert all(p.description for p in method.params), method.id


def _argument_name(entry: str) -> str:
    # Reference entries look like "limit (default 25)" or "since ('%Y-%m-%dT%H:%M', UTC)".
    return entry.split(" ", 1)[0]


def test_matches_the_compiled_reference(catalog: Catalog, shared_dir: Path):
    reference = json.loads((shared_dir / "reference/disqus/methods-v1.1-compiled.json").read_text("utf-8"))
    expected = {m["method"]: m for m in reference["methods"]}
    assert {m.id for m in catalog.methods} == set(expected)
    for method in catalog.methods:
        ref = expected[method.id]
        assert method.verb == ref["http"], method.id
        ref_required = {_argument_name(a) for a in ref["required"]} - KEY_NAMES
        ref_optional = {_argument_name(a) for a in ref["optional"]} - KEY_NAMES
        ours_required = {p.name for p in method.params if p.required}
        ours_optional = {p.name for p in method.params if not p.required}
        assert ours_required == ref_required, method.id
        assert ours_optional == ref_optional, method.id
        assert f"{method.auth}_api_key" in ref["key"], method.id


def test_seed_lists_the_same_methods_and_verbs(catalog: Catalog, shared_dir: Path):
    seed = (shared_dir / "seeds/disqus-api-1.1-seed.txt").read_text("utf-8")
    sections = re.findall(r"^(\w+) — .*?\n\nMethod: (GET|POST)", seed, flags=re.M)
    assert len(sections) == 14
    assert {name: verb for name, verb in sections} == {m.id: m.verb for m in catalog.methods}
