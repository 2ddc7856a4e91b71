"""Postman imports: v2.1 and v2.0 files, folders, URLs, bodies, auth levels, variables, the official one."""

from __future__ import annotations

import json

import pytest

from explorer.core.imports import ImportFailure, import_file, import_text
from explorer.core.prepared import SECRET_PLACEHOLDER
from tests.core.import_support import FIXTURES, spec_at


def test_v21_folders_order_and_titles(catalogs) -> None:
    result = import_file(FIXTURES / "postman_v21.json", catalogs)
    assert result.name == "Forum tasks"
    assert result.source == "Postman collection v2.1"
    assert [path for path, _ in result.items] == [
        "Topics/Read a topic",
        "Topics/Replies/Reply to a topic",
        "Latest (legacy query auth)",
        "Sign up",
        "Upload an avatar",
    ]
    assert spec_at(result, "Topics/Replies/Reply to a topic").title == "Reply to a topic"


def test_v21_site_variable_path_variable_and_query(catalogs) -> None:
    result = import_file(FIXTURES / "postman_v21.json", catalogs)
    read = spec_at(result, "Topics/Read a topic")
    # {{baseUrl}} is the profile's site; `:topic_id` took its value, a reference to a collection variable.
    assert (read.api, read.method_id, read.url) == ("discourse", "getTopic", "")
    assert read.arguments == {"id": "{{topic_id}}"}
    assert [(p.name, p.value, p.enabled) for p in read.params] == [
        ("print", "true", True),
        ("track_visit", "false", False),
    ]
    assert "baseUrl" not in result.variables and result.variables["topic_id"] == "42"
    assert any(
        "{{baseUrl}} is the profile's site (the file set it to https://forum.example.org)" in line
        for line in result.summary
    )


def test_v21_auth_levels_become_profile_placeholders(catalogs) -> None:
    result = import_file(FIXTURES / "postman_v21.json", catalogs)
    read = spec_at(result, "Topics/Read a topic")
    # Collection-level apikey auth (header Api-Key) is inherited; the username comes with the profile too.
    assert {(h.name, h.value) for h in read.headers} == {
        ("Api-Key", SECRET_PLACEHOLDER),
        ("Api-Username", SECRET_PLACEHOLDER),
    }
    reply = spec_at(result, "Topics/Replies/Reply to a topic")
    assert [(h.name, h.value) for h in reply.headers] == [
        ("Authorization", SECRET_PLACEHOLDER)
    ]  # the folder's bearer
    sign_up = spec_at(result, "Sign up")
    assert sign_up.headers == ()  # noauth
    upload = spec_at(result, "Upload an avatar")
    assert [(h.name, h.value) for h in upload.headers] == [("Authorization", SECRET_PLACEHOLDER)]  # basic
    assert "api_key" not in result.variables


def test_v21_bodies(catalogs) -> None:
    result = import_file(FIXTURES / "postman_v21.json", catalogs)
    reply = spec_at(result, "Topics/Replies/Reply to a topic")
    # A raw JSON body with an unquoted reference still matches the method; the reference stays.
    assert reply.method_id == "createTopicPostPM"
    assert reply.arguments == {"topic_id": "{{topic_id}}", "raw": "Thanks for the write-up, {{name}}!"}
    sign_up = spec_at(result, "Sign up")
    assert sign_up.body.kind == "form"
    assert [(f.name, f.value, f.enabled) for f in sign_up.body.fields] == [
        ("name", "Sam", True),
        ("email", "sam@example.org", True),
        ("password", "{{password}}", True),
        ("active", "true", False),
    ]
    assert result.variables["password"] == ""
    upload = spec_at(result, "Upload an avatar")
    assert upload.body.kind == "multipart"
    assert [(f.name, f.value, f.is_file) for f in upload.body.fields] == [
        ("type", "avatar", False),
        ("file", "/home/sam/avatar.png", True),
    ]


def test_v21_summary_counts_and_notes(catalogs) -> None:
    result = import_file(FIXTURES / "postman_v21.json", catalogs)
    assert result.findings == {"discourse-query-auth": 1}
    assert (
        "1 of 5 requests pass api_key and api_username in the query string, "
        "where Discourse ignores credentials." in result.summary
    )
    assert "4 keys were left out; set them in your profile." in result.summary
    assert any(line.startswith("1 request had scripts") for line in result.summary)
    # {{name}} is used in a body but defined nowhere in the file.
    assert (
        "No value in the file for {{name}}: set them in the collection's or the profile's variables "
        "before sending." in result.summary
    )
    assert result.fixable == 1


def test_v20_string_urls_header_text_and_dict_auth(catalogs) -> None:
    result = import_file(FIXTURES / "postman_v20.json", catalogs)
    assert result.source == "Postman collection v2.0"
    listing = spec_at(result, "categories")
    assert listing.method_id == "listCategories"
    assert [(p.name, p.value) for p in listing.params] == [
        ("api_key", SECRET_PLACEHOLDER),
        ("api_username", SECRET_PLACEHOLDER),
    ]
    assert listing.headers == ()  # Accept: application/json is what the method's form sends anyway
    create = spec_at(result, "create category")
    assert [(h.name, h.value) for h in create.headers] == [("Authorization", SECRET_PLACEHOLDER)]
    assert result.findings == {"discourse-query-auth": 2}
    assert any("{{$guid}}" in line for line in result.summary)


def test_with_all_fixes_moves_credentials_to_headers(catalogs) -> None:
    fixed = import_file(FIXTURES / "postman_v20.json", catalogs).with_all_fixes()
    assert fixed.findings == {} and fixed.fixable == 0
    create = spec_at(fixed, "create category")
    # Without the credentials in its form body the request fits the catalog's createCategory.
    assert create.method_id == "createCategory"
    assert create.arguments == {"name": "{{$guid}}", "color": "49d9e9"}
    assert {(h.name, h.value) for h in create.headers} >= {
        ("Api-Key", SECRET_PLACEHOLDER),
        ("Api-Username", SECRET_PLACEHOLDER),
    }
    listing = spec_at(fixed, "categories")
    assert listing.params == ()
    assert fixed.summary[1] == "Fixed: move credentials to headers (2)."
    assert fixed.with_all_fixes() is fixed  # nothing left to fix


def test_unknown_version_and_v1_are_refused(catalogs) -> None:
    v3 = {
        "info": {
            "name": "x",
            "schema": "https://schema.getpostman.com/json/collection/v3.0.0/collection.json",
        },
        "item": [],
    }
    with pytest.raises(
        ImportFailure, match=r"Postman collection version 3\.0\.0 is not supported \(v2\.0 and v2\.1 are\)"
    ):
        import_text(json.dumps(v3), catalogs)
    with pytest.raises(ImportFailure, match="Postman collection v1"):
        import_text(json.dumps({"id": "1", "name": "old", "order": [], "requests": []}), catalogs)


def test_wrong_shape_names_the_place(catalogs) -> None:
    bad = {
        "info": {
            "name": "x",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "item": [{"name": "a", "request": {"method": "GET", "url": 5}}],
    }
    with pytest.raises(ImportFailure, match=r"item\[0\]\.request\.url: expected an object, found a number"):
        import_text(json.dumps(bad), catalogs)
    with pytest.raises(ImportFailure, match="info.schema"):
        import_text(json.dumps({"info": {"schema": "https://example.org/other.json"}, "item": []}), catalogs)


def test_official_collection_imports_and_lints(catalogs, shared_dir) -> None:
    path = shared_dir / "reference" / "discourse" / "collections" / "discourse.postman_collection.json"
    if not path.is_file():
        pytest.skip(f"{path} is not in ../shared")
    result = import_file(path, catalogs)
    total = len(result.items)
    assert total == 84
    in_query = next(line for line in result.summary if "in the query string" in line)
    in_body = next(line for line in result.summary if "in the body" in line)
    query_count, body_count = int(in_query.split()[0]), int(in_body.split()[0])
    # Most of the collection passes the key as a parameter (query or form body), which Discourse ignores.
    assert query_count + body_count > total // 2
    assert in_query.startswith(
        f"{query_count} of {total} requests pass api_key and api_username in the query string"
    )
    assert result.findings["discourse-query-auth"] >= query_count
    assert result.fixable >= result.findings["discourse-query-auth"]
    assert result.matched > 0
    fixed = result.with_all_fixes()
    assert "discourse-query-auth" not in fixed.findings
    assert not any("in the query string" in line for line in fixed.summary)
    for _, spec in fixed.items:
        assert not any(p.name in ("api_key", "api_username") for p in spec.params)
        assert not any(f.name in ("api_key", "api_username") for f in spec.body.fields)
