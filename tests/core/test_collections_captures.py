"""Captures: JSONPaths as the viewer copies them, read from parsed JSON (plain or lazy) as variable text."""

from __future__ import annotations

import pytest

from explorer.core.collections.captures import CaptureError, capture_all, capture_value, parse_path
from explorer.core.jsontree.parse import parse_document
from explorer.core.jsontree.paths import jsonpath
from explorer.core.lifecycle import Capture

DOCUMENT = {
    "topic_id": 42,
    "post_stream": {"posts": [{"id": 7, "cooked": "<p>hi</p>"}, {"id": 8}]},
    "a b": {"it's": True},
    "score": 1.5,
    "deleted_at": None,
    "tags": ["x", "y"],
}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("$.topic_id", "42"),
        ("$.post_stream.posts[0].id", "7"),
        ("$.post_stream.posts[-1].id", "8"),
        ("$.post_stream.posts[0].cooked", "<p>hi</p>"),
        ("$['a b']['it\\'s']", "true"),
        ('$["a b"]', '{"it\'s":true}'),
        ("$.score", "1.5"),
        ("$.deleted_at", "null"),
        ("$.tags", '["x","y"]'),
    ],
)
def test_values_are_read_as_text(path: str, expected: str) -> None:
    assert capture_value(DOCUMENT, path) == expected


def test_every_path_the_viewer_copies_is_read_back() -> None:
    for keys in (["topic_id"], ["post_stream", "posts", 1, "id"], ["a b", "it's"]):
        assert parse_path(jsonpath(keys)) == keys


def test_the_viewers_lazy_documents_work_too() -> None:
    big = b'{"topic_id": 42, "pad": "' + b"x" * (2 << 20) + b'", "post_stream": {"posts": [{"id": 7}]}}'
    document = parse_document(big)
    assert document.engine != "json"  # a pysimdjson proxy, not a dict
    assert capture_value(document.root, "$.post_stream.posts[0].id") == "7"
    assert capture_value(document.root, "$.post_stream") == '{"posts":[{"id":7}]}'
    small = parse_document(b'{"price": 1.50}')  # exact numbers keep their source text
    assert capture_value(small.root, "$.price") == "1.50"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("topic_id", "starts with \\$"),
        ("$.topic_id.", "cannot read the path"),
        ("$.missing", "no 'missing' at \\$"),
        ("$.post_stream.posts[5]", "has 2 item"),
        ("$.topic_id.x", "is a number, not an object"),
        ("$.tags.x", "is an array, not an object"),
        ("$.post_stream[0]", "is an object, not an array"),
    ],
)
def test_a_path_the_document_lacks_names_the_step(path: str, message: str) -> None:
    with pytest.raises(CaptureError, match=message):
        capture_value(DOCUMENT, path)


def test_capture_all_splits_values_and_errors() -> None:
    values, errors = capture_all(DOCUMENT, (Capture("topic_id", "$.topic_id"), Capture("nope", "$.nope")))
    assert values == {"topic_id": "42"}
    assert list(errors) == ["nope"]
