"""Imports as a whole: pasted cURL, malformed and oversized files, a written collection that sends right."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from explorer.core.catalog.model import Api
from explorer.core.collections.folder import Collection
from explorer.core.collections.variables import VariableScopes
from explorer.core.imports import (
    MAX_FILE_BYTES,
    ImportFailure,
    import_curl_text,
    import_file,
    import_text,
    write_import,
)
from explorer.core.lifecycle import Target, prepare
from explorer.core.prepared import SECRET_PLACEHOLDER
from tests.core.import_support import FIXTURES


def test_pasted_curl_commands(catalogs) -> None:
    result = import_curl_text((FIXTURES / "curl_commands.txt").read_text(), catalogs)
    assert result.source == "cURL"
    specs = [spec for _, spec in result.items]
    assert [s.method_id for s in specs] == ["listLatestTopics", "createTopicPostPM"]
    assert [(p.name, p.value) for p in specs[0].params] == [
        ("api_key", SECRET_PLACEHOLDER),
        ("api_username", SECRET_PLACEHOLDER),
    ]
    assert specs[0].url == "https://forum.example.org"  # a literal site stays where the command sent it
    assert (
        "1 of 2 requests pass api_key and api_username in the query string, "
        "where Discourse ignores credentials." in result.summary
    )
    assert "2 keys were left out; set them in your profile." in result.summary


def test_base_url_puts_literal_addresses_on_the_profile_site(catalogs) -> None:
    result = import_curl_text(
        (FIXTURES / "curl_commands.txt").read_text(), catalogs, base_url="https://forum.example.org/"
    )
    assert [spec.url for _, spec in result.items] == ["", ""]
    assert (
        "Addresses under https://forum.example.org go to the site of the profile you use." in result.summary
    )


def test_bad_curl_is_an_import_failure(catalogs) -> None:
    with pytest.raises(ImportFailure, match="cURL"):
        import_curl_text("curl 'https://unterminated", catalogs)
    with pytest.raises(ImportFailure, match="empty"):
        import_curl_text("   \n", catalogs)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", r"x\.json: the file is empty"),
        (b'{"info": ', r"x\.json: not valid JSON: Expecting value at line 1, column 10"),
        (b"[1, 2, 3]", r"x\.json: not a collection this app can import \(expected a Postman collection"),
        (b'{"hello": "world"}', r"not a collection this app can import"),
        (b"\xff\xfe\x00garbage", r"x\.json: byte 0 is not UTF-8 text"),
        (b"just some words", r"x\.json: not a collection this app can import"),
    ],
)
def test_malformed_files(catalogs, tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(content)
    with pytest.raises(ImportFailure, match=message):
        import_file(path, catalogs)


def test_missing_file(catalogs, tmp_path: Path) -> None:
    with pytest.raises(ImportFailure, match="does not exist"):
        import_file(tmp_path / "nope.json", catalogs)


def test_too_big_file_is_refused_before_reading(catalogs, tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:  # sparse: the size is there without writing 50 MB
        handle.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(
        ImportFailure, match=r"huge\.json is 50\.0 MB, more than the 50 MB a collection can be"
    ):
        import_file(path, catalogs)


def test_pasted_json_text(catalogs) -> None:
    text = (FIXTURES / "postman_v20.json").read_text()
    assert len(import_text(text, catalogs).items) == 2


def test_written_collection_opens_and_sends_with_the_profile_keys(catalogs, tmp_path: Path) -> None:
    result = import_file(FIXTURES / "postman_v21.json", catalogs)
    collection = write_import(result, tmp_path / "forum", profile="Sandbox — Discourse")
    opened = Collection.open(collection.directory)
    items = [item for item in opened.items() if not item.is_folder]
    assert [item.error for item in items] == [None] * 5
    assert [item.spec.title for item in items if item.spec] == [spec.title for _, spec in result.items]
    target = Target(
        api=Api.DISCOURSE, base_url="https://forum.test", credentials={"api_key": "k1", "api_username": "sam"}
    )
    scopes = VariableScopes(collection=opened.variables)
    for fixed in (False, True):
        source = result.with_all_fixes() if fixed else result
        latest = dict(source.items)["Latest (legacy query auth)"]
        prepared = prepare(latest, catalogs, target, variables=scopes)
        assert prepared.ok, prepared.errors
        request = prepared.request
        assert request is not None
        # The placeholders mean "the profile's": its keys go as headers, never in the query string.
        assert request.header("Api-Key") == "k1" and request.header("Api-Username") == "sam"
        assert not any(name in ("api_key", "api_username") for name, _ in request.query)
    read = dict(result.items)["Topics/Read a topic"]
    prepared = prepare(read, catalogs, target, variables=scopes)
    assert prepared.request is not None and prepared.request.url == "https://forum.test/t/42.json"


def test_nothing_is_written_when_the_folder_is_taken(catalogs, tmp_path: Path) -> None:
    from explorer.core.collections.disk import CollectionError

    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "mine.txt").write_text("keep")
    result = import_file(FIXTURES / "postman_v20.json", catalogs)
    with pytest.raises(CollectionError, match="not empty"):
        write_import(result, taken)
    assert os.listdir(taken) == ["mine.txt"]
    assert sorted(os.listdir(tmp_path)) == ["taken"]


def test_a_postman_environment_is_named(catalogs) -> None:
    environment = '{"name": "Local", "values": [], "_postman_variable_scope": "environment"}'
    with pytest.raises(ImportFailure, match="this is a Postman environment, not a collection"):
        import_text(environment, catalogs)


def test_findings_per_item(catalogs) -> None:
    result = import_file(FIXTURES / "postman_v21.json", catalogs)
    assert len(result.item_findings) == len(result.items)
    by_path = dict(zip((path for path, _ in result.items), result.item_findings, strict=True))
    assert by_path["Latest (legacy query auth)"] == ("discourse-query-auth",)
    assert by_path["Sign up"] == ()
