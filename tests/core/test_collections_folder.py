"""Collections on disk: reading in natural order, damaged files as items, file operations, fingerprints."""

from __future__ import annotations

import json
import os
from pathlib import Path, PurePosixPath

import pytest

from explorer.core.collections.folder import Collection, CollectionError, write_new_collection
from explorer.core.collections.naming import natural_key, ordered_names, safe_name
from explorer.core.lifecycle import BodySpec, Capture, Pair, RequestSpec

LATEST = RequestSpec(api="discourse", method_id="listLatestTopics", title="Latest")
TOPIC = RequestSpec(api="discourse", method_id="getTopic", arguments={"id": "{{topic_id}}"})


def names(collection: Collection) -> list[str]:
    return [str(item.relative) for item in collection.items()]


def test_create_writes_the_collection_file_and_open_reads_it_back(tmp_path: Path) -> None:
    created = Collection.create(tmp_path / "c", "My forum")
    created.set_variables({"topic_id": "1", "site": "meta"})
    created.set_profile("Sandbox")
    data = json.loads((tmp_path / "c" / "collection.json").read_text(encoding="utf-8"))
    assert data == {
        "schema_version": 1,
        "name": "My forum",
        "variables": {"site": "meta", "topic_id": "1"},
        "profile": "Sandbox",
    }
    opened = Collection.open(tmp_path / "c")
    assert (opened.name, opened.variables, opened.profile) == ("My forum", data["variables"], "Sandbox")
    with pytest.raises(CollectionError, match="already a collection"):
        Collection.create(tmp_path / "c", "again")


def test_any_folder_opens_as_a_collection_named_after_it(tmp_path: Path) -> None:
    (tmp_path / "team").mkdir()
    (tmp_path / "team" / "latest.json").write_text(LATEST.dumps(), encoding="utf-8")
    collection = Collection.open(tmp_path / "team")
    assert collection.name == "team" and collection.variables == {}
    assert [i.spec for i in collection.requests()] == [LATEST]
    with pytest.raises(CollectionError, match="no such folder"):
        Collection.open(tmp_path / "missing")


def test_items_are_in_natural_order_folders_first_then_their_contents(tmp_path: Path) -> None:
    c = Collection.create(tmp_path / "c", "c")
    for relative in ("10 Last", "2 Second", "1 First", "Group/b", "Group/A", "group 2/x"):
        c.save_request(relative, LATEST)
    (c.directory / "notes.md").write_text("not a request", encoding="utf-8")
    (c.directory / ".git").mkdir()
    (c.directory / ".x.json.abc.tmp").write_text("{", encoding="utf-8")
    assert names(c) == [
        "1 First.json",
        "2 Second.json",
        "10 Last.json",
        "Group",
        "Group/A.json",
        "Group/b.json",
        "group 2",
        "group 2/x.json",
    ]
    assert [i.name for i in c.items()][:4] == ["1 First", "2 Second", "10 Last", "Group"]
    assert [i.depth for i in c.items()][3:5] == [0, 1]


def test_a_damaged_file_is_an_item_with_an_error_naming_the_problem(tmp_path: Path) -> None:
    c = Collection.create(tmp_path / "c", "c")
    c.save_request("good", LATEST)
    (c.directory / "broken.json").write_text("{not json", encoding="utf-8")
    (c.directory / "wrong.json").write_text('{"schema_version": 9}', encoding="utf-8")
    (c.directory / "binary.json").write_bytes(b"\xff\xfe")
    by_name = {i.name: i for i in c.items()}
    assert by_name["good"].spec == LATEST and by_name["good"].error is None
    assert by_name["broken"].spec is None and "not JSON" in (by_name["broken"].error or "")
    assert "schema_version" in (by_name["wrong"].error or "")
    assert "not UTF-8" in (by_name["binary"].error or "")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{oops", "damaged at line 1"),
        ("[]", "expected a JSON object"),
        ('{"schema_version": 2}', "schema_version"),
        ('{"schema_version": 1, "variables": []}', "variables"),
        ('{"schema_version": 1, "variables": {"api_key": "x"}}', "looks like a secret"),
    ],
)
def test_a_damaged_collection_file_is_refused_naming_it(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "collection.json").write_text(text, encoding="utf-8")
    with pytest.raises(CollectionError, match=message) as caught:
        Collection.open(tmp_path / "c")
    assert "collection.json" in str(caught.value)


def test_rename_duplicate_move_delete_and_folders(tmp_path: Path) -> None:
    c = Collection.create(tmp_path / "c", "c")
    c.save_request("Topic", TOPIC)
    assert c.rename("Topic.json", "Read topic") == PurePosixPath("Read topic.json")
    assert c.duplicate("Read topic.json") == PurePosixPath("Read topic copy.json")
    assert c.duplicate("Read topic.json") == PurePosixPath("Read topic copy 2.json")
    assert c.create_folder("Topics") == PurePosixPath("Topics")
    assert c.move("Read topic copy.json", "Topics") == PurePosixPath("Topics/Read topic copy.json")
    assert c.duplicate("Topics") == PurePosixPath("Topics copy")
    assert c.rename("Topics copy", "Spare") == PurePosixPath("Spare")
    c.delete("Read topic copy 2.json")
    c.delete("Spare")
    assert names(c) == ["Read topic.json", "Topics", "Topics/Read topic copy.json"]
    assert c.item("Topics/Read topic copy").spec == TOPIC
    c.save_request("Topics/Read topic", TOPIC)
    with pytest.raises(CollectionError, match="already exists"):
        c.rename("Topics/Read topic copy.json", "Read topic")
    with pytest.raises(CollectionError, match="already exists"):
        c.move("Read topic.json", "Topics")
    with pytest.raises(CollectionError, match="already exists"):
        c.create_folder("Topics")
    with pytest.raises(CollectionError, match="into itself"):
        c.move("Topics", "Topics")
    with pytest.raises(CollectionError, match="no such"):
        c.delete("nothing.json")
    with pytest.raises(CollectionError, match="outside"):
        c.save_request("../escape", TOPIC)
    with pytest.raises(CollectionError, match="cannot hold"):
        c.rename("Read topic.json", "a:b")
    with pytest.raises(CollectionError, match="own file"):
        c.save_request("collection", TOPIC)


def test_a_secret_looking_collection_variable_is_refused(tmp_path: Path) -> None:
    c = Collection.create(tmp_path / "c", "c")
    for name in ("api_key", "Api-Key", "user_api_key", "forum_api_key", "authorization"):
        with pytest.raises(CollectionError, match="looks like a secret"):
            c.set_variables({name: "x"})
    with pytest.raises(CollectionError, match="not a variable name"):
        c.set_variables({"a b": "x"})
    assert json.loads((c.directory / "collection.json").read_text(encoding="utf-8"))["variables"] == {}


def test_the_fingerprint_changes_with_any_change_made_outside(tmp_path: Path) -> None:
    c = Collection.create(tmp_path / "c", "c")
    c.save_request("a", LATEST)
    first = c.fingerprint()
    assert c.fingerprint() == first
    path = c.directory / "a.json"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    second = c.fingerprint()
    assert second != first
    (c.directory / "b.json").write_text(TOPIC.dumps(), encoding="utf-8")  # a `git pull` adds a file
    third = c.fingerprint()
    assert third != second and names(c) == ["a.json", "b.json"]
    (c.directory / "collection.json").write_text(
        json.dumps({"schema_version": 1, "name": "renamed", "variables": {"x": "1"}}), encoding="utf-8"
    )
    assert c.fingerprint() != third
    c.reload()
    assert (c.name, c.variables) == ("renamed", {"x": "1"})


def test_write_new_collection_keeps_the_run_order_and_groups(tmp_path: Path) -> None:
    items = [
        ("Create topic", TOPIC),
        ("Reply", LATEST),
        ("Topics/Read it back", TOPIC),
        ("Topics/Read it back", LATEST),
        ("Another", LATEST),
    ]
    c = write_new_collection(tmp_path / "new", "Imported", {"site": "x"}, items, profile="Sandbox")
    assert c.directory == tmp_path / "new" and c.profile == "Sandbox"
    assert names(c) == [
        "01 Create topic.json",
        "02 Reply.json",
        "03 Topics",
        "03 Topics/01 Read it back.json",
        "03 Topics/02 Read it back.json",
        "04 Another.json",
    ]
    assert [i.spec for i in c.requests()] == [TOPIC, LATEST, TOPIC, LATEST, LATEST]
    assert [p.name for p in tmp_path.iterdir()] == ["new"]  # nothing left beside it


def test_write_new_collection_keeps_titles_that_already_sort_and_makes_names_safe(tmp_path: Path) -> None:
    c = write_new_collection(tmp_path / "n", "n", {}, [("A: first?", LATEST), ("B/c", TOPIC)])
    assert names(c) == ["A- first-.json", "B", "B/c.json"]
    assert safe_name("  ") == "Request" and safe_name("x" * 200) == "x" * 80
    assert ordered_names(["b", "a"], [".json", ".json"]) == ["01 b.json", "02 a.json"]
    assert sorted(["10 x", "9 x", "1 x"], key=natural_key) == ["1 x", "9 x", "10 x"]


def test_write_new_collection_refuses_a_non_empty_folder_and_leaves_nothing_on_failure(
    tmp_path: Path,
) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(CollectionError, match="not empty"):
        write_new_collection(tmp_path / "full", "x", {}, [("a", LATEST)])
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["keep.txt"]
    with pytest.raises(CollectionError, match="looks like a secret"):
        write_new_collection(tmp_path / "new", "x", {"api_key": "k"}, [("a", LATEST)])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full"]
    (tmp_path / "empty").mkdir()
    assert names(write_new_collection(tmp_path / "empty", "x", {}, [("a", LATEST)])) == ["a.json"]


def test_known_secrets_saved_into_a_collection_reach_no_file(tmp_path: Path) -> None:
    secrets = [
        "5a7ed" + tag * 6 for tag in ("HEADERKEY", "QUERYKEY", "ARGKEY", "FORMKEY", "JSONKEY", "VARKEY")
    ]
    header, query, argument, form, body, variable = secrets
    specs = [
        RequestSpec(verb="GET", url="/latest.json", headers=(Pair("Api-Key", header),)),
        RequestSpec(verb="GET", url="/latest.json", params=(Pair("api_key", query),)),
        RequestSpec(api="disqus", method_id="listPosts", arguments={"forum_api_key": argument}),
        RequestSpec(
            verb="POST",
            url="/posts.json",
            body=BodySpec("form", fields=(Pair("user_api_key", form),)),
        ),
        RequestSpec(
            verb="POST",
            url="/posts.json",
            body=BodySpec("json", json.dumps({"api_key": body, "raw": "hi"})),
            variables={"api_key": variable, "topic": "1"},
            captures=(Capture("topic_id", "$.topic_id"),),
        ),
    ]
    c = write_new_collection(
        tmp_path / "imported", "x", {"topic": "1"}, [(str(i), s) for i, s in enumerate(specs)]
    )
    saved = Collection.create(tmp_path / "saved", "y")
    for index, spec in enumerate(specs):
        saved.save_request(f"Group/{index}", spec)
    saved.duplicate("Group")
    written = [p for root in (c.directory, saved.directory) for p in root.rglob("*") if p.is_file()]
    assert len(written) == 2 + 3 * len(specs)
    for path in written:
        text = path.read_text(encoding="utf-8")
        for secret in secrets:
            assert secret not in text, f"{secret} written to {path}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["imported", "saved"]


def test_find_collection_walks_up_to_the_nearest_collection_file(tmp_path: Path) -> None:
    from explorer.core.collections.folder import find_collection

    c = Collection.create(tmp_path / "c", "c")
    c.save_request("Group/Sub/Read", TOPIC)
    found = find_collection(tmp_path / "c" / "Group" / "Sub" / "Read.json")
    assert found is not None and found[0].directory == c.directory
    assert found[1] == PurePosixPath("Group/Sub/Read.json")
    found = find_collection(tmp_path / "c")
    assert found is not None and found[1] == PurePosixPath(".")
    assert find_collection(tmp_path) is None


def test_write_new_collection_numbers_every_folder_or_none(tmp_path: Path) -> None:
    # "Search" already sorts alone, but the top level needs numbers, so it is numbered too.
    items = [("Topics/Read", TOPIC), ("Topics/Create", LATEST), ("Search/Find", LATEST)]
    c = write_new_collection(tmp_path / "mixed", "m", {}, items)
    assert names(c) == [
        "01 Topics",
        "01 Topics/01 Read.json",
        "01 Topics/02 Create.json",
        "02 Search",
        "02 Search/01 Find.json",
    ]
    in_order = [("A/One", TOPIC), ("B/Two", LATEST)]
    assert names(write_new_collection(tmp_path / "plain", "p", {}, in_order)) == [
        "A",
        "A/One.json",
        "B",
        "B/Two.json",
    ]
