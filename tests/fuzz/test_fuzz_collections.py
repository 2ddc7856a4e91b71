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
PAIRS = st.lists(
    st.fixed_dictionaries(
        {}, optional={"name": SCALARS, "value": SCALARS, "enabled": SCALARS, "file": SCALARS}
    )
    | ANY_JSON,
    max_size=3,
)
# Request files shaped like RequestSpec.dumps() with any value in any field, plain JSON, and text that is
# not JSON at all (past the parsers' limits too).
REQUEST_FIELDS = st.fixed_dictionaries(
    {"schema_version": st.just(1) | SCALARS},
    optional={
        "api": st.sampled_from(["discourse", "disqus"]) | SCALARS,
        "method": st.sampled_from(["getTopic", "listLatestTopics", "nope"]) | SCALARS,
        "verb": st.sampled_from(["GET", "POST", "get", "FETCH"]) | SCALARS,
        "arguments": st.dictionaries(st.text(max_size=6), ANY_JSON, max_size=3) | ANY_JSON,
        "url": SCALARS,
        "params": PAIRS | ANY_JSON,
        "headers": PAIRS | ANY_JSON,
        "body": st.fixed_dictionaries(
            {},
            optional={
                "kind": st.sampled_from(["none", "json", "form", "multipart", "text", "raw"]) | SCALARS,
                "text": SCALARS,
                "fields": PAIRS,
            },
        )
        | ANY_JSON,
        "profile": SCALARS,
        "fixes": ANY_JSON,
        "title": SCALARS,
        "variables": st.dictionaries(st.text(max_size=6), SCALARS, max_size=3) | ANY_JSON,
        "captures": st.lists(
            st.fixed_dictionaries({}, optional={"name": SCALARS, "path": SCALARS}) | ANY_JSON, max_size=2
        )
        | ANY_JSON,
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
FILE_TEXT = st.one_of(REQUEST_FIELDS, ANY_JSON.map(json.dumps), st.text(max_size=100), HOSTILE)
FILE_BYTES = FILE_TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")) | st.binary(max_size=100)
SETTINGS = st.one_of(
    st.fixed_dictionaries(
        {"schema_version": st.just(1) | SCALARS},
        optional={
            "name": SCALARS,
            "profile": SCALARS,
            "variables": st.dictionaries(
                st.text(max_size=8) | st.sampled_from(["api_key", "topic_id"]), SCALARS, max_size=3
            )
            | ANY_JSON,
        },
    ).map(json.dumps),
    ANY_JSON.map(json.dumps),
    HOSTILE,
    st.text(max_size=60),
).map(lambda t: t.encode("utf-8", "surrogatepass")) | st.binary(max_size=60)
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
        assert collection.item("request").relative == item.relative
