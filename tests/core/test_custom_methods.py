"""Custom methods: a free-form request becomes a method, the store keeps it, prepare() builds it."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from explorer.core.catalog import Api, load_bundled_catalogs
from explorer.core.catalog.custom import (
    CUSTOM_GROUP,
    CustomCatalogError,
    CustomMethodError,
    CustomMethodStore,
    merge_custom,
)
from explorer.core.lifecycle import BodySpec, Pair, RequestSpec, Target, prepare
from explorer.core.lifecycle.to_method import CustomMethodDraft, free_form_equivalent, method_from_free_form
from explorer.core.paths import AppPaths

BASE = "https://forum.example.com/community"
SECRET = "custom-key-9d2f7a1c"


def _draft(spec: RequestSpec, *, placeholders: bool = True, description: str = "") -> CustomMethodDraft:
    return method_from_free_form(
        spec,
        api=Api.DISCOURSE,
        method_id="myMethod",
        base_url=BASE,
        description=description,
        placeholders=placeholders,
    )


def test_a_free_form_request_becomes_a_method_with_placeholders_and_string_params() -> None:
    spec = RequestSpec(
        api="discourse",
        verb="PUT",
        url=f"{BASE}/t/123/posts/45.json?api_key={SECRET}&track=1",
        params=(Pair("print", "true"), Pair("off", "x", enabled=False)),
        headers=(Pair("Api-Key", SECRET), Pair("Api-Username", "system"), Pair("X-Requested-With", "x")),
        body=BodySpec("json", json.dumps({"title": "New title", "pinned": True, "tags": ["a", "b"]})),
    )
    draft = _draft(spec, description="  Renames a topic  ")
    method = draft.method
    assert (method.verb, method.path) == ("PUT", "/t/{t_id}/posts/{posts_id}.json")
    assert method.group == CUSTOM_GROUP.id and method.description == "Renames a topic"
    where = {p.name: (p.location, p.type, p.array) for p in method.params}
    assert where == {
        "t_id": ("path", "string", False),
        "posts_id": ("path", "string", False),
        "track": ("query", "string", False),
        "print": ("query", "string", False),
        "title": ("body", "string", False),
        "pinned": ("body", "string", False),
        "tags": ("body", "string", True),
    }
    assert method.body_encoding == "json"
    assert draft.arguments == {
        "t_id": "123",
        "posts_id": "45",
        "track": "1",
        "print": "true",
        "title": "New title",
        "pinned": "true",
        "tags": ["a", "b"],
    }
    # Credentials are the profile's business: never a parameter, never an example.
    assert SECRET not in json.dumps(method.example) and "api_key" not in where
    assert any("X-Requested-With" in note for note in draft.notes)
    assert not any("Api-Key" in note for note in draft.notes)


def test_placeholders_are_optional_and_typed_braces_are_kept() -> None:
    plain = _draft(RequestSpec(verb="GET", url="/t/123.json"), placeholders=False).method
    assert plain.path == "/t/123.json" and plain.params == ()
    typed = _draft(RequestSpec(verb="GET", url="/u/{username}/summary.json")).method
    assert typed.path == "/u/{username}/summary.json"
    assert [(p.name, p.location, p.required) for p in typed.params] == [("username", "path", True)]


def test_a_url_on_another_site_keeps_its_path_and_says_so() -> None:
    draft = _draft(RequestSpec(verb="GET", url="https://other.example.org/latest.json"))
    assert draft.method.path == "/latest.json"
    assert any("not under the profile's base URL" in note for note in draft.notes)


def test_form_bodies_and_disqus_keys() -> None:
    spec = RequestSpec(
        api="disqus",
        verb="POST",
        url="https://disqus.com/api/thread_vote/",
        body=BodySpec(
            "form",
            fields=(
                Pair("thread_id", "77"),
                Pair("vote", "1"),
                Pair("forum_api_key", SECRET),
                Pair("api_version", "1.1"),
            ),
        ),
    )
    draft = method_from_free_form(
        spec, api=Api.DISQUS, method_id="voteThread", base_url="https://disqus.com"
    )
    method = draft.method
    assert method.path == "/api/thread_vote/" and method.body_encoding == "form"
    assert [p.name for p in method.params] == ["thread_id", "vote"]
    assert method.auth == "forum"


@pytest.mark.parametrize(
    ("spec", "field"),
    [
        (RequestSpec(verb="HEAD", url="/x"), "verb"),
        (RequestSpec(verb="GET", url=""), "url"),
        (RequestSpec(api="discourse", method_id="getTopic"), "url"),
    ],
)
def test_what_cannot_be_a_method_is_refused(spec: RequestSpec, field: str) -> None:
    with pytest.raises(CustomMethodError) as info:
        _draft(spec)
    assert info.value.field == field


def test_the_store_adds_renames_describes_and_deletes(tmp_path: Path) -> None:
    path = AppPaths.under(tmp_path).custom_methods_file
    store = CustomMethodStore(path)
    bundled = {m.id for m in load_bundled_catalogs()[Api.DISCOURSE].methods}
    method = _draft(RequestSpec(verb="GET", url="/t/5.json?print=true")).method
    store.add(method, bundled)
    assert CustomMethodStore(path).methods() == (method,)  # read back equal from a fresh store

    with pytest.raises(CustomMethodError, match="already a method"):
        store.add(method, bundled)
    with pytest.raises(CustomMethodError, match="already a method"):
        store.add(replace(method, id="getTopic"), bundled)
    with pytest.raises(CustomMethodError, match="use a letter"):
        store.add(replace(method, id="has space"), bundled)

    # Saved again from another request, under the same name: replaced in place when asked to.
    other = _draft(RequestSpec(verb="POST", url="/t/5/bookmark.json")).method
    store.add(replace(other, id="second"))
    with pytest.raises(CustomMethodError, match="already a method"):
        store.add(other)
    store.add(other, bundled, replace=True)
    assert [(m.id, m.verb) for m in CustomMethodStore(path).methods()] == [
        ("myMethod", "POST"),
        ("second", "POST"),
    ]
    with pytest.raises(CustomMethodError, match="already a method"):
        store.add(replace(other, id="getTopic"), bundled, replace=True)  # a bundled id is never replaced
    store.add(method, bundled, replace=True)
    store.delete(Api.DISCOURSE, "second")

    renamed = store.update(Api.DISCOURSE, "myMethod", new_id="topicPrint", description="Prints a topic")
    assert renamed.id == "topicPrint" and renamed.summary == "topicPrint"
    assert renamed.description == "Prints a topic"
    again = CustomMethodStore(path)
    assert [m.id for m in again.methods()] == ["topicPrint"]
    assert again.get(Api.DISCOURSE, "topicPrint") is not None
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["schema_version"] == 1 and data["methods"][0]["api"] == "discourse"

    again.delete(Api.DISCOURSE, "topicPrint")
    assert CustomMethodStore(path).methods() == ()
    with pytest.raises(CustomMethodError):
        again.delete(Api.DISCOURSE, "topicPrint")


@pytest.mark.parametrize(
    "text",
    [
        "{broken",
        '{"schema_version": 1}',
        '{"schema_version": 2, "methods": []}',
        '{"schema_version": 1, "methods": [{"api": "discourse", "id": "x", "verb": "GET", "path": "no-slash",'
        ' "group": "custom"}]}',
    ],
)
def test_a_damaged_file_is_set_aside_and_the_store_carries_on(tmp_path: Path, text: str) -> None:
    path = tmp_path / "custom-methods.json"
    path.write_text(text, encoding="utf-8")
    store = CustomMethodStore(path)
    with pytest.raises(CustomCatalogError, match="custom methods file"):
        store.methods()
    kept = store.set_aside_broken()
    assert kept.read_text(encoding="utf-8") == text and kept.name.startswith("custom-methods.json.broken-")
    assert store.methods() == ()
    store.add(_draft(RequestSpec(verb="GET", url="/latest.json")).method)
    assert path.is_file()


def test_merged_methods_are_prepared_like_bundled_ones(tmp_path: Path) -> None:
    bundled = load_bundled_catalogs()
    draft = _draft(RequestSpec(verb="GET", url="/t/123.json?print=true"))
    catalogs = merge_custom(bundled, [draft.method])
    catalog = catalogs[Api.DISCOURSE]
    assert catalog.groups[-1] == CUSTOM_GROUP
    assert catalog.methods_in("custom") == (draft.method,)
    assert catalogs[Api.DISQUS] is bundled[Api.DISQUS]  # no custom Disqus method: untouched

    target = Target(api=Api.DISCOURSE, base_url=BASE, credentials={"api_key": SECRET, "api_username": "me"})
    spec = RequestSpec(api="discourse", method_id="myMethod", arguments={"t_id": "9", "print": "true"})
    prepared = prepare(spec, catalogs, target)
    assert prepared.ok, prepared.errors
    assert prepared.request is not None
    assert prepared.request.full_url() == f"{BASE}/t/9.json?print=true"
    assert dict(prepared.request.headers)["Api-Key"] == SECRET  # the profile's key travels as a header

    missing = prepare(RequestSpec(api="discourse", method_id="myMethod"), catalogs, target)
    assert "t_id" in missing.errors
    # A bundled method that later takes the same id wins: the custom one is left out of the merge.
    clash = merge_custom(bundled, [replace(draft.method, id="getTopic")])
    assert [m for m in clash[Api.DISCOURSE].methods if m.id == "getTopic"][0].group != "custom"


def test_a_deleted_methods_requests_become_the_same_free_form_request() -> None:
    bundled = load_bundled_catalogs()
    method = _draft(RequestSpec(verb="GET", url="/t/123.json?print=true")).method
    catalogs = merge_custom(bundled, [method])
    target = Target(api=Api.DISCOURSE, base_url=BASE, credentials={"api_key": SECRET, "api_username": "me"})
    spec = RequestSpec(
        api="discourse", method_id="myMethod", arguments={"t_id": "9", "print": "true"}, title="Mine"
    )
    free = free_form_equivalent(spec, catalogs, target)
    assert free.is_free_form and (free.verb, free.url, free.title) == ("GET", "/t/9.json", "Mine")
    assert [(p.name, p.value) for p in free.params] == [("print", "true")]
    assert SECRET not in free.dumps() and not any(h.name == "Api-Key" for h in free.headers)
    # Sent again through the same profile, it is the very request the method made.
    before = prepare(spec, catalogs, target).request
    after = prepare(free, bundled, target).request
    assert before is not None and after is not None
    assert (after.method, after.full_url()) == (before.method, before.full_url())
    assert dict(after.headers)["Api-Key"] == SECRET

    unfinished = free_form_equivalent(RequestSpec(api="discourse", method_id="myMethod"), catalogs, target)
    assert (unfinished.verb, unfinished.url) == ("GET", "/t/{t_id}.json")
