"""Fuzz: the JSON viewer's node model over any JSON: huge numbers, deep nesting, odd Unicode, same keys."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from explorer.core.jsontree.nodes import Node, cell_text, scalar_text, summary
from explorer.core.jsontree.parse import JsonParseError, parse_document
from explorer.core.jsontree.paths import jq_path, json_pointer, jsonpath
from explorer.core.jsontree.serialise import subtree_json
from tests.fuzz.conftest import FUZZ

ODD_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"])
    | st.sampled_from("\u202e\ufeff\u0000\U0001f600"),
    max_size=20,
)  # fmt: skip
# JSON is built as text, so numbers past Python's 4,300-digit conversion limit can be written at all.
NUMBER_TEXT = st.one_of(
    st.integers(min_value=-(10**300), max_value=10**300).map(str),
    st.integers(min_value=4290, max_value=6000).map(lambda n: "9" * n),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.sampled_from(["1e400", "-1e-400", "0.1e1", "-0", "123456789012345678901234567890.5e-10"]),
)
SCALAR_TEXT = st.one_of(st.sampled_from(["null", "true", "false"]), NUMBER_TEXT, ODD_TEXT.map(json.dumps))
KEYS = st.one_of(ODD_TEXT, st.sampled_from(["a", "a", "id", "é"]))  # repeated names make duplicate keys
JSON_TEXT = st.recursive(
    SCALAR_TEXT,
    lambda children: (
        st.lists(children, max_size=5).map(lambda items: "[" + ",".join(items) + "]")
        | st.lists(st.tuples(KEYS, children), max_size=5).map(
            lambda pairs: "{" + ",".join(f"{json.dumps(k)}:{v}" for k, v in pairs) + "}"
        )
    ),
    max_leaves=40,
)


def _walk(document_root: object, budget: int = 2000) -> int:
    stack = [Node(document_root)]
    seen = 0
    while stack and seen < budget:
        node = stack.pop()
        seen += 1
        summary(node.value)
        if not node.is_container:
            scalar_text(node.value)
            cell_text(node.value)
        keys = node.path() if hasattr(node, "path") else ()
        jsonpath(keys), jq_path(keys), json_pointer(keys)
        stack.extend(node.fetch())
    subtree_json(document_root, pretty_limit=10_000)
    return seen


@FUZZ
@given(JSON_TEXT)
def test_any_json_text(text: str) -> None:
    try:
        document = parse_document(text.encode("utf-8"))
    except JsonParseError as exc:
        assert str(exc)  # reported as unreadable (an integer past the digit limit), never a crash
        return
    _walk(document.root)


@FUZZ
@given(
    depth=st.sampled_from([1, 2, 199, 200, 201, 1023, 1024, 1025, 2000]), kind=st.sampled_from(["[", '{"a":'])
)
def test_deep_nesting(depth: int, kind: str) -> None:
    closing = "]" if kind == "[" else "}"
    text = kind * depth + "1" + closing * depth
    document = parse_document(text.encode())
    _walk(document.root, budget=depth + 10)


@FUZZ
@given(st.binary(max_size=300))
def test_any_bytes(data: bytes) -> None:
    try:
        document = parse_document(data)
    except JsonParseError as exc:
        assert str(exc)
        return
    _walk(document.root)
