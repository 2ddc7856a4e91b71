"""Fuzz: any collection.json and any request files open as a collection or a CollectionError; a damaged
request file is an item with an error, never an exception."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import event, given
from hypothesis import strategies as st

from explorer.core.collections.folder import Collection, CollectionError
from explorer.core.lifecycle import RequestSpec
from tests.fuzz.conftest import FUZZ

SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10)
ANY_JSON = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=10,
)
TEXT = st.text(max_size=10)


def often(right: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    """`right` 9 times in 10, any JSON in its place otherwise, so most files get past the first check."""
    return st.integers(0, 9).flatmap(lambda n: ANY_JSON if n == 0 else right)


PAIRS = often(
    st.lists(
        often(
            st.fixed_dictionaries(
                {"name": TEXT}, optional={"value": often(TEXT), "enabled": SCALARS, "is_file": SCALARS}
            )
        ),
        max_size=3,
    )
)
# Request files shaped like RequestSpec.dumps() with any value in any field, plain JSON, and text that is
# not JSON at all (past the parsers' limits too).
REQUEST_FIELDS = st.fixed_dictionaries(
    {"schema_version": often(st.just(1))},
    optional={
        "api": often(st.sampled_from(["discourse", "disqus"])),
        "method": often(st.sampled_from(["getTopic", "listLatestTopics", "nope"])),
        "verb": often(st.sampled_from(["GET", "POST", "get", "FETCH"])),
        "arguments": often(st.dictionaries(TEXT, SCALARS | st.lists(SCALARS, max_size=2), max_size=3)),
        "url": often(
            TEXT | st.sampled_from(["/t/{{topic_id}}.json", "https://forum.example.org/latest.json"])
        ),
        "params": PAIRS,
        "headers": PAIRS,
        "body": often(
            st.fixed_dictionaries(
                {"kind": often(st.sampled_from(["none", "json", "form", "multipart", "raw", "text"]))},
                optional={
                    "text": often(TEXT | st.sampled_from(['{"api_key": "abc123def456"}', "[[[", "{{x}}"])),
                    "content_type": often(st.none() | TEXT),
                    "fields": PAIRS,
                },
            )
        ),
        "profile": often(st.none() | TEXT),
        "fixes": often(st.lists(TEXT, max_size=2)),
        "title": often(TEXT),
        "variables": often(st.dictionaries(TEXT, often(TEXT), max_size=3)),
        "captures": often(
            st.lists(
                often(st.fixed_dictionaries({"name": often(TEXT), "path": often(TEXT | st.just("$.id"))})),
                max_size=2,
            )
        ),
    },
).map(lambda d: json.dumps(d, allow_nan=True))
HOSTILE = st.sampled_from(
    [
        "[" * 100_000,
        '{"a":' * 50_000,
        "1" * 5000,
        '{"schema_version": 1, "url": ' + "9" * 5000 + "}",
        "\ufeff{}",
        "",
        "\x00",
        '{"schema_version": 1e999}',
        "NaN",
        json.dumps(
            {
                "schema_version": 1,
                "verb": "POST",
                "url": "/x",
                "body": {"kind": "json", "text": "[" * 100_000},
            }
        ),
        json.dumps({"schema_version": 1, "arguments": {"a": [[[]] * 3] * 3}}),
    ]
)
OTHER_TEXT = st.one_of(ANY_JSON.map(json.dumps), st.text(max_size=100), HOSTILE)
FILE_TEXT = st.integers(0, 3).flatmap(lambda n: OTHER_TEXT if n == 0 else REQUEST_FIELDS)
FILE_BYTES = FILE_TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")) | st.binary(max_size=100)
VALID_SETTINGS = st.fixed_dictionaries(
    {"schema_version": often(st.just(1))},
    optional={
        "name": often(TEXT),
        "profile": often(st.none() | TEXT),
        "variables": often(
            st.dictionaries(
                st.from_regex(r"[A-Za-z_][A-Za-z0-9_.-]{0,8}", fullmatch=True)
                | st.sampled_from(["api_key", "topic_id", "1st", "a b"]),
                often(TEXT),
                max_size=3,
            )
        ),
    },
).map(json.dumps)
DAMAGED_SETTINGS = st.one_of(
    ANY_JSON.map(json.dumps),
    HOSTILE,
    st.text(max_size=60),
).map(lambda t: t.encode("utf-8", "surrogatepass")) | st.binary(max_size=60)
SETTINGS = st.integers(0, 3).flatmap(
    lambda n: DAMAGED_SETTINGS if n == 0 else VALID_SETTINGS.map(lambda t: t.encode())
)
FILE_NAMES = st.sampled_from(
    [
        "a.json",
        "b.JSON",
        "Folder/c.json",
        "Folder/Sub/d.json",
        "e.txt",
        ".f.json",
        "g.json.tmp",
        "10 h.json",
        "2 i.json",
    ]
)


def _write(root: Path, files: dict[str, bytes], settings: bytes | None) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    if settings is not None:
        (root / "collection.json").write_bytes(settings)


@FUZZ
@given(st.dictionaries(FILE_NAMES, FILE_BYTES, max_size=5), st.none() | SETTINGS)
def test_any_collection_folder(files: dict[str, bytes], settings: bytes | None) -> None:
    with tempfile.TemporaryDirectory() as root:
        _write(Path(root), files, settings)
        try:
            collection = Collection.open(Path(root))
        except CollectionError as exc:
            assert str(exc)
            event("collection.json refused with a message")
            return
        items = collection.items()
        collection.fingerprint()
        names = {str(item.relative) for item in items}
        assert not any(name.startswith(".") or name.endswith(".tmp") for name in names)
        for item in items:
            if item.is_folder:
                continue
            assert (item.spec is None) != (item.error is None), item
            if item.spec is not None:
                RequestSpec.loads(item.spec.dumps())  # what was read can be written back
                collection.save_request(f"saved/{item.relative}", item.spec)
                event("request read")
            else:
                assert item.error
                event("damaged request shown with its error")


@FUZZ
@given(FILE_BYTES)
def test_any_request_file(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as root:
        (Path(root) / "request.json").write_bytes(content)
        collection = Collection.open(Path(root))
        [item] = collection.items()
        assert (item.spec is None) != (item.error is None)
        event("request read" if item.spec is not None else "damaged request shown with its error")
        assert collection.item("request").relative == item.relative
