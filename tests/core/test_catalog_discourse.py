"""The bundled Discourse catalog: counts, structure, promised endpoints, corrections, own words."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from explorer.core.builder import build_request
from explorer.core.catalog.loader import load_bundled_catalogs, load_catalog
from explorer.core.catalog.model import Api, Catalog, Method
from explorer.core.paths import resources_dir

CATALOG_PATH = resources_dir() / "catalogs" / "discourse.json"
AUTH_LEVELS = {"none", "optional", "user", "admin"}
# Shorter runs are common phrases ("the numeric id of the topic"); 60 characters in a row means copied text.
COPY_WINDOW = 60

# Undocumented endpoints the product promises, as (verb, path).
REQUIRED_UNDOCUMENTED = [
    ("GET", "/session/current.json"),
    ("GET", "/session/scopes.json"),
    ("GET", "/new.json"),
    ("GET", "/admin/api/keys"),
    ("POST", "/admin/api/keys"),
    ("PUT", "/admin/users/{id}/trust_level"),
    ("POST", "/admin/users/sync_sso"),
    ("PUT", "/admin/site_settings/{name}"),
    ("PUT", "/t/{id}.json"),
    ("POST", "/t/{id}/change-owner.json"),
    ("PUT", "/polls/vote"),
    ("DELETE", "/polls/vote"),
    ("GET", "/polls/voters.json"),
    ("PUT", "/polls/toggle_status"),
    ("PUT", "/t/{id}/remove_bookmarks.json"),
    ("POST", "/bookmarks.json"),
    ("POST", "/category/{id}/notifications.json"),
    ("GET", "/topics/created-by/{username}.json"),
    ("POST", "/admin/backups/{filename}/restore"),
]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(CATALOG_PATH)


def _by_endpoint(catalog: Catalog, verb: str, path: str) -> Method | None:
    return next((m for m in catalog.methods if m.verb == verb and m.path == path), None)


def _placeholders(path: str) -> list[str]:
    return re.findall(r"\{([^}]+)\}", path)


def test_counts(catalog: Catalog) -> None:
    assert catalog.api is Api.DISCOURSE
    documented = [m for m in catalog.methods if m.documented]
    undocumented = [m for m in catalog.methods if not m.documented]
    assert len(documented) == 93
    assert len(undocumented) >= 20


def test_ids_and_endpoints_are_unique(catalog: Catalog) -> None:
    ids = [m.id for m in catalog.methods]
    assert len(ids) == len(set(ids))
    endpoints = [(m.verb, m.path) for m in catalog.methods]
    duplicates = sorted({e for e in endpoints if endpoints.count(e) > 1})
    assert not duplicates


def test_path_placeholders_match_path_params(catalog: Catalog) -> None:
    for method in catalog.methods:
        placeholders = _placeholders(method.path)
        path_params = [p.name for p in method.params_in("path")]
        assert sorted(placeholders) == sorted(path_params), method.id
        assert all(p.required for p in method.params_in("path")), method.id


def test_groups_and_tags(catalog: Catalog) -> None:
    group_ids = {g.id for g in catalog.groups}
    for method in catalog.methods:
        assert method.group in group_ids
        assert method.tags and method.tags[0] == method.group, method.id
    # Every declared group holds something.
    assert all(catalog.methods_in(g.id) for g in catalog.groups)


@pytest.mark.parametrize(("verb", "path"), REQUIRED_UNDOCUMENTED)
def test_required_undocumented_endpoint_present(catalog: Catalog, verb: str, path: str) -> None:
    method = _by_endpoint(catalog, verb, path)
    assert method is not None, f"{verb} {path} missing"
    assert method.documented is False
    assert any(note.startswith("Undocumented") for note in method.notes)


def test_undocumented_endpoints_have_proper_params(catalog: Catalog) -> None:
    trust = _by_endpoint(catalog, "PUT", "/admin/users/{id}/trust_level")
    assert trust is not None
    level = trust.param("level")
    assert level is not None and level.required and level.enum == ("0", "1", "2", "3", "4")
    owner = _by_endpoint(catalog, "POST", "/t/{id}/change-owner.json")
    assert owner is not None
    post_ids = owner.param("post_ids")
    assert post_ids is not None and post_ids.array and post_ids.type == "integer" and post_ids.required
    vote = _by_endpoint(catalog, "PUT", "/polls/vote")
    assert vote is not None
    assert [p.name for p in vote.params if p.required] == ["post_id", "poll_name", "options"]
    assert vote.param("options").array  # type: ignore[union-attr]
    sync = _by_endpoint(catalog, "POST", "/admin/users/sync_sso")
    assert sync is not None and {p.name for p in sync.params if p.required} == {"sso", "sig"}
    setting = _by_endpoint(catalog, "PUT", "/admin/site_settings/{name}")
    assert setting is not None
    value = setting.param("value")
    assert value is not None and value.name_from == "name"


def test_corrections_present_and_marked(catalog: Catalog) -> None:
    posts = catalog.method("getSpecificPostsFromTopic")
    assert posts is not None and posts.verb == "GET" and posts.path == "/t/{id}/posts.json"
    post_ids = posts.param("post_ids[]")
    assert post_ids is not None
    assert (post_ids.location, post_ids.array, post_ids.type) == ("query", True, "integer")
    assert post_ids.required
    assert post_ids.correction and posts.corrections
    assert posts.body_encoding is None  # nothing is left in a body
    latest = catalog.method("listLatestTopics")
    assert latest is not None
    page = latest.param("page")
    assert page is not None and page.location == "query" and page.type == "integer" and page.correction
    assert any("page" in c for c in latest.corrections)


def test_every_correction_is_explained_at_method_level(catalog: Catalog) -> None:
    for method in catalog.methods:
        if any(p.correction for p in method.params):
            assert method.corrections, method.id


def test_auth_headers_are_not_parameters(catalog: Catalog) -> None:
    for method in catalog.methods:
        names = {p.name.lower() for p in method.params}
        assert not names & {"api-key", "api-username", "api_key", "api_username"}, method.id


def test_auth_levels(catalog: Catalog) -> None:
    for method in catalog.methods:
        assert method.auth in AUTH_LEVELS, method.id
        if method.path.startswith("/admin/"):
            assert method.auth == "admin", method.id
    assert catalog.method("listLatestTopics").auth == "optional"  # type: ignore[union-attr]
    assert catalog.method("createTopicPostPM").auth == "user"  # type: ignore[union-attr]


def test_body_encodings(catalog: Catalog) -> None:
    for method in catalog.methods:
        has_body = bool(method.params_in("body"))
        assert (method.body_encoding is not None) == has_body, method.id
    upload = catalog.method("createUpload")
    assert upload is not None and upload.body_encoding == "multipart"
    file_param = upload.param("file")
    assert file_param is not None and file_param.type == "file" and file_param.is_upload
    assert upload.param("upload_type").enum  # type: ignore[union-attr]
    uploads = [m.id for m in catalog.methods if any(p.is_upload for p in m.params)]
    assert uploads == ["createUpload"]


def test_formats_and_nested_objects(catalog: Catalog) -> None:
    events = catalog.method("listEvents")
    assert events is not None and events.param("before").format == "date-time"  # type: ignore[union-attr]
    assert events.param("limit").maximum == 200  # type: ignore[union-attr]
    group = catalog.method("createGroup").param("group")  # type: ignore[union-attr]
    assert group is not None and group.type == "object" and group.required
    parts = catalog.method("completeMultipart").param("parts")  # type: ignore[union-attr]
    assert parts is not None and parts.array and parts.type == "object"


def test_prose_is_present_and_short(catalog: Catalog) -> None:
    for method in catalog.methods:
        assert method.summary and "\n" not in method.summary and len(method.summary) <= 70, method.id
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", method.description) if s]
        assert 1 <= len(sentences) <= 4, method.id
        assert method.response, method.id
        for param in method.params:
            assert param.description, f"{method.id}.{param.name}"


def test_examples_name_real_params_and_build(catalog: Catalog) -> None:
    """Each method's example arguments are accepted by the request builder as they stand."""
    for method in catalog.methods:
        names = {p.name for p in method.params}
        assert set(method.example) <= names, method.id
        required = {p.name for p in method.params if p.required and not p.is_upload}
        assert required <= set(method.example), method.id
        result = build_request(
            method,
            method.example,
            base_url="https://forum.example.com",
            credentials={"api_key": "0" * 64, "api_username": "system"},
        )
        assert result.ok, (method.id, result.errors)


def test_file_is_stable_json(catalog: Catalog) -> None:
    text = CATALOG_PATH.read_text(encoding="utf-8")
    data = json.loads(text)
    assert text == json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# --- own words: nothing copied from the spec ---------------------------------------------------------------


def _spec_texts(node: Any) -> list[str]:
    out: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("description", "summary") and isinstance(value, str):
                out.append(value)
            else:
                out.extend(_spec_texts(value))
    elif isinstance(node, list):
        for item in node:
            out.extend(_spec_texts(item))
    return out


def _catalog_texts(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [t for value in node.values() for t in _catalog_texts(value)]
    if isinstance(node, list):
        return [t for item in node for t in _catalog_texts(item)]
    return []


def _normal(text: str) -> str:
    return " ".join(text.split()).lower()


def copied_runs(ours: list[str], theirs: list[str], window: int = COPY_WINDOW) -> list[str]:
    """Every `window`-character run of `ours` that also appears in `theirs` (whitespace and case folded)."""
    grams = set()
    for text in theirs:
        norm = _normal(text)
        grams.update(norm[i : i + window] for i in range(len(norm) - window + 1))
    hits = []
    for text in ours:
        norm = _normal(text)
        runs = (norm[i : i + window] for i in range(len(norm) - window + 1))
        hits.extend(run for run in runs if run in grams)
    return hits


def test_copy_detector_finds_a_planted_copy() -> None:
    theirs = ["Use this endpoint to fetch all of the things that are currently defined on the server."]
    assert copied_runs(["We wrote this ourselves, about things and servers."], theirs) == []
    planted = "Intro. use this endpoint to fetch all of the things that are currently defined on the server!"
    assert copied_runs([planted], theirs)


def test_no_text_copied_from_the_spec(shared_dir: Path) -> None:
    spec = json.loads((shared_dir / "reference/discourse/openapi.json").read_text(encoding="utf-8"))
    ours = _catalog_texts(json.loads(CATALOG_PATH.read_text(encoding="utf-8")))
    theirs = _spec_texts(spec)
    assert len(theirs) > 100  # the spec really was read
    hits = copied_runs(ours, theirs)
    assert not hits, "text copied from the spec:\n  " + "\n  ".join(sorted(set(hits))[:20])
    spec_descriptions = {_normal(t) for t in theirs if len(t) > 20}
    for text in ours:
        assert _normal(text) not in spec_descriptions


def test_bundled_catalogs_include_this_one(catalog: Catalog) -> None:
    bundled = load_bundled_catalogs()[Api.DISCOURSE]
    assert [m.id for m in bundled.methods] == [m.id for m in catalog.methods]
