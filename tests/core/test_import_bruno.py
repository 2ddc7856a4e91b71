"""Bruno imports: the .bru text format, a collection folder, the JSON export, and the official collection."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.core.imports import ImportFailure, import_file, import_text
from explorer.core.imports.bru import parse_bru
from explorer.core.prepared import SECRET_PLACEHOLDER
from tests.core.import_support import FIXTURES, spec_at


def test_bru_blocks_rows_text_and_lists() -> None:
    text = (
        "meta {\n  name: Get: a topic\n  seq: 3\n}\n\n"
        "get {\n  url: https://h.example/t/1.json?x=1\n}\n\n"
        "headers {\n  Accept: application/json\n  ~X-Off: 1\n}\n\n"
        'body:json {\n  {\n    "a": {\n      "b": 1\n    }\n  }\n}\n\n'
        "vars:secret [\n  apiKey,\n  ~other\n]\n"
    )
    bru = parse_bru(text, "t.bru")
    assert bru.value("meta", "name") == "Get: a topic"  # only the first colon separates
    assert bru.value("get", "url") == "https://h.example/t/1.json?x=1"
    assert [(r.key, r.value, r.enabled) for r in bru.rows["headers"]] == [
        ("Accept", "application/json", True),
        ("X-Off", "1", False),
    ]
    assert json.loads(bru.texts["body:json"]) == {"a": {"b": 1}}
    assert [(r.key, r.enabled) for r in bru.rows["vars:secret"]] == [("apiKey", True), ("other", False)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("meta {\n  name: x\n", r"t\.bru: line 1: the block 'meta' is never closed"),
        ("meta {\n  name x\n}\n", r"t\.bru: line 2: expected `name: value` in 'meta'"),
        ("meta {\n}\nstray text\n", r"t\.bru: line 3: expected a block such as `meta \{`"),
        ("body:json {\n  {}\n", r"t\.bru: line 1: the block 'body:json' is never closed"),
        ("vars:secret [\n  a\n", r"t\.bru: line 1: the list 'vars:secret' is never closed"),
    ],
)
def test_bru_syntax_errors_name_the_line(text: str, message: str) -> None:
    with pytest.raises(ImportFailure, match=message):
        parse_bru(text, "t.bru")


def test_folder_order_auth_and_environment(catalogs) -> None:
    result = import_file(FIXTURES / "bruno_folder", catalogs)
    assert result.name == "Forum folder"
    assert [path for path, _ in result.items] == [
        "Topics/Create topic",
        "Topics/Reply",
        "Topics/Upload",
        "List latest topics",
    ]
    # The environment gives the variables; its secret list and baseUrl (the profile's site) are left out.
    assert result.variables == {"per_page": "10", "username": "system"}
    create = spec_at(result, "Topics/Create topic")
    assert create.method_id == "createTopicPostPM"
    assert create.arguments == {
        "title": "Hello from a .bru file",
        "raw": "Body text that is long enough",
        "category": "{{category}}",
    }
    assert create.variables == {"category": "5"}
    assert [(h.name, h.value, h.enabled) for h in create.headers] == [
        ("Api-Username", SECRET_PLACEHOLDER, True),
        ("Authorization", SECRET_PLACEHOLDER, True),
        ("X-Debug", "1", False),
    ]
    latest = spec_at(result, "List latest topics")
    assert (latest.method_id, dict(latest.arguments)) == ("listLatestTopics", {"order": "created"})
    assert [(p.name, p.enabled) for p in latest.params] == [("ascending", False)]
    assert [(h.name, h.value) for h in latest.headers] == [("Api-Key", SECRET_PLACEHOLDER)]  # collection.bru
    reply = spec_at(result, "Topics/Reply")
    assert [(f.name, f.value, f.enabled) for f in reply.body.fields] == [
        ("topic_id", "{{topic_id}}", True),
        ("raw", "A reply long enough to post", True),
        ("api_key", SECRET_PLACEHOLDER, False),
    ]
    upload = spec_at(result, "Topics/Upload")
    assert [(f.name, f.value, f.is_file) for f in upload.body.fields] == [
        ("type", "composer", False),
        ("file", "/home/sam/picture.png", True),
    ]
    assert "Variables come from the environment “Local”; not imported: “Production”." in result.summary
    assert "3 keys were left out; set them in your profile." in result.summary


def test_folder_with_a_broken_file_imports_nothing(catalogs, tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "bruno.json").write_text('{"version": "1", "name": "c", "type": "collection"}')
    (folder / "a.bru").write_text("meta {\n  name: a\n}\n\nget {\n  url: /x\n}\n")
    (folder / "b.bru").write_text("meta {\n  name: b\n}\n\nget {\n  url /y\n}\n")
    with pytest.raises(ImportFailure, match=r"c/b\.bru: line 6: expected `name: value` in 'get'"):
        import_file(folder, catalogs)


def test_a_folder_that_is_no_collection(catalogs, tmp_path: Path) -> None:
    with pytest.raises(ImportFailure, match="not a Bruno collection"):
        import_file(tmp_path, catalogs)


def test_single_bru_file(catalogs) -> None:
    result = import_file(FIXTURES / "bruno_folder" / "List latest.bru", catalogs)
    assert [path for path, _ in result.items] == ["List latest topics"]
    assert result.items[0][1].method_id == "listLatestTopics"


def test_json_export(catalogs) -> None:
    result = import_file(FIXTURES / "bruno_collection.json", catalogs)
    assert result.source == "Bruno collection"
    assert [path for path, _ in result.items] == ["Topics/Get a topic", "Topics/Update a topic", "Search"]
    get = spec_at(result, "Topics/Get a topic")
    # An empty path value is an empty field of the method's form (required, so the form says so).
    assert (get.method_id, dict(get.arguments)) == ("getTopic", {"id": ""})
    assert "1 request leaves path parameters empty (id): fill them in before sending." in result.summary
    assert [(h.name, h.value) for h in get.headers] == [("Authorization", SECRET_PLACEHOLDER)]
    update = spec_at(result, "Topics/Update a topic")
    assert update.url == "/t/-/7.json"
    assert {(h.name, h.value) for h in update.headers} == {
        ("Accept", "application/json"),
        ("Api-Key", SECRET_PLACEHOLDER),
        ("Api-Username", SECRET_PLACEHOLDER),
    }
    search = spec_at(result, "Search")
    assert [(p.name, p.value) for p in search.params] == [("api_key", SECRET_PLACEHOLDER)]
    assert result.findings == {"discourse-query-auth": 1}
    assert result.variables == {"category": "5"}
    assert "4 keys were left out; set them in your profile." in result.summary


def test_json_export_unknown_version(catalogs) -> None:
    with pytest.raises(ImportFailure, match=r"Bruno collection version '2' is not supported"):
        import_text(json.dumps({"name": "x", "version": "2", "items": []}), catalogs)


def test_official_collection_imports_and_lints(catalogs, shared_dir) -> None:
    path = shared_dir / "reference" / "discourse" / "collections" / "bruno-collection.json"
    if not path.is_file():
        pytest.skip(f"{path} is not in ../shared")
    result = import_file(path, catalogs)
    assert len(result.items) == 93
    assert result.matched > len(result.items) // 2
    assert any(line.startswith("{{baseUrl}} is the profile's site") for line in result.summary)
    assert all(path.count("/") == 1 for path, _ in result.items)  # one folder per tag
    # Its empty Api-Key/Api-Username headers become the profile's, so no request goes out with blank keys.
    for _, spec in result.items:
        for header in spec.headers:
            if header.name in ("Api-Key", "Api-Username"):
                assert header.value == SECRET_PLACEHOLDER
    assert result.with_all_fixes().findings.get("discourse-query-auth", 0) == 0
