"""Insomnia imports: format 4 JSON resources and format 5 YAML, references, environments, auth, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.core.imports import ImportFailure, import_file, import_text
from explorer.core.prepared import SECRET_PLACEHOLDER
from tests.core.import_support import FIXTURES, spec_at


def test_v4_tree_order_and_references(catalogs) -> None:
    result = import_file(FIXTURES / "insomnia_v4.json", catalogs)
    assert (result.name, result.source) == ("Forum workspace", "Insomnia export (format 4)")
    # Sorted by metaSortKey within each parent: Latest (-20), the Users folder (-10), Login form (5).
    assert [path for path, _ in result.items] == [
        "Latest",
        "Users/Get user",
        "Users/Create user",
        "Login form",
    ]
    get_user = spec_at(result, "Users/Get user")
    # {{ _.site.user }} is {{site.user}}, a dotted name from the nested environment.
    assert (get_user.method_id, dict(get_user.arguments)) == ("getUser", {"username": "{{site.user}}"})
    assert [(p.name, p.value, p.enabled) for p in get_user.params] == [
        ("api_key", SECRET_PLACEHOLDER, True),
        ("api_username", SECRET_PLACEHOLDER, False),
    ]
    assert get_user.headers == ()  # its own auth is "none", over the folder's bearer
    # The sub-environment's base_url wins over the base one; the api_key is the profile's.
    assert result.variables["site.user"] == "system"
    assert "api_key" not in result.variables and "base_url" not in result.variables
    assert any("(the file set it to http://localhost:4200)" in line for line in result.summary)


def test_v4_bodies_auth_and_secrets(catalogs) -> None:
    result = import_file(FIXTURES / "insomnia_v4.json", catalogs)
    create = spec_at(result, "Users/Create user")
    assert [(h.name, h.value) for h in create.headers] == [
        ("Authorization", SECRET_PLACEHOLDER)
    ]  # folder bearer
    assert create.body.kind == "json"
    assert json.loads(create.body.text) == {
        "name": "Sam",
        "password": "{{password}}",
        "username": "{{site.user}}",
    }
    login = spec_at(result, "Login form")
    assert login.url == "https://other.example.net/session"  # another site stays absolute
    assert [(h.name, h.value) for h in login.headers] == [("X-Api-Key", SECRET_PLACEHOLDER)]
    assert [(f.name, f.value) for f in login.body.fields] == [("login", "sam"), ("password", "{{password}}")]
    assert result.variables["password"] == ""
    assert "4 keys were left out; set them in your profile." in result.summary
    assert (
        "2 other secret values were left out (passwords and the like): fill in {{password}} before sending."
        in result.summary
    )


def test_v5_yaml(catalogs) -> None:
    result = import_file(FIXTURES / "insomnia_v5.yaml", catalogs)
    assert (result.name, result.source) == ("Forum in YAML", "Insomnia export (format 5)")
    assert [path for path, _ in result.items] == [
        "Posts/Get a post",
        "Posts/Create a post",
        "Categories with query auth",
    ]
    get = spec_at(result, "Posts/Get a post")
    assert (get.method_id, dict(get.arguments)) == ("getPost", {"id": "12"})  # the path parameter's value
    assert {(h.name, h.value) for h in get.headers} == {
        ("Api-Key", SECRET_PLACEHOLDER),
        ("Api-Username", SECRET_PLACEHOLDER),
    }
    create = spec_at(result, "Posts/Create a post")
    assert (create.method_id, dict(create.arguments)) == (
        "createTopicPostPM",
        {"topic_id": 3, "raw": "A reply that is long enough"},
    )
    categories = spec_at(result, "Categories with query auth")
    assert [(p.name, p.value) for p in categories.params] == [
        ("api_key", SECRET_PLACEHOLDER),
        ("api_username", SECRET_PLACEHOLDER),
    ]
    assert result.findings == {"discourse-query-auth": 1}
    assert result.variables == {}  # base_url is the site; token is a secret nothing refers to
    fixed = result.with_all_fixes()
    assert fixed.findings == {}
    assert dict(fixed.items)["Categories with query auth"].params == ()


def test_v5_other_documents_and_versions(catalogs) -> None:
    with pytest.raises(ImportFailure, match="is a spec export, which holds no requests"):
        import_text("type: spec.insomnia.rest/5.0\nname: x\n", catalogs, yaml_first=True)
    with pytest.raises(ImportFailure, match=r"Insomnia collection version 6\.0 is not supported \(5\.0 is\)"):
        import_text(
            "type: collection.insomnia.rest/6.0\nname: x\ncollection: []\n", catalogs, yaml_first=True
        )


def test_v4_format_and_empty_exports(catalogs) -> None:
    with pytest.raises(ImportFailure, match=r"Insomnia export format 9 is not supported"):
        import_text(json.dumps({"_type": "export", "__export_format": 9, "resources": []}), catalogs)
    with pytest.raises(ImportFailure, match="holds no requests"):
        import_text(json.dumps({"_type": "export", "__export_format": 4, "resources": []}), catalogs)


def test_bad_yaml_names_line_and_column(catalogs, tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("type: collection.insomnia.rest/5.0\nname: [unclosed\ncollection: []\n")
    with pytest.raises(
        ImportFailure, match=r"broken\.yaml: neither JSON nor valid YAML: .* at line \d+, column \d+"
    ):
        import_file(path, catalogs)


def test_requests_of_other_protocols_are_left_out_and_said(catalogs) -> None:
    v4 = {
        "_type": "export",
        "__export_format": 4,
        "resources": [
            {"_id": "wrk_1", "_type": "workspace", "name": "w"},
            {
                "_id": "req_1",
                "_type": "request",
                "parentId": "wrk_1",
                "name": "r",
                "method": "GET",
                "url": "/latest.json",
            },
            {"_id": "greq_1", "_type": "grpc_request", "parentId": "wrk_1", "name": "g"},
            {"_id": "ws-req_1", "_type": "websocket_request", "parentId": "wrk_1", "name": "w"},
        ],
    }
    result = import_text(json.dumps(v4), catalogs)
    assert [path for path, _ in result.items] == ["r"]
    assert "2 WebSocket and gRPC request(s) left out: only HTTP requests are imported." in result.summary
    v5 = (
        "type: collection.insomnia.rest/5.0\nname: x\ncollection:\n"
        "  - {name: live, url: 'wss://h/ws', meta: {id: ws-req_1}}\n"
        "  - {name: r, url: /latest.json, method: GET, meta: {id: req_1}}\n"
    )
    result = import_text(v5, catalogs)
    assert [path for path, _ in result.items] == ["r"]
    assert "live: a WebSocket or gRPC request, left out." in result.summary
