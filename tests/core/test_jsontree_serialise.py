"""Copy subtree as JSON: iterative serialisation with exact numbers."""

from __future__ import annotations

import json

import pytest
import simdjson

from explorer.core.jsontree.parse import parse_document
from explorer.core.jsontree.serialise import SizeLimitExceeded, iter_json, subtree_json, to_json


def test_round_trip_keeps_exact_numbers_and_unicode() -> None:
    body = '{"a": [1.50, 1e3, {"b": []}, {}], "s": "é\\n\\"", "t": true, "n": null}'
    doc = parse_document(body.encode())
    text = to_json(doc.root, indent=None)
    assert text == '{"a":[1.50,1e3,{"b":[]},{}],"s":"é\\n\\"","t":true,"n":null}'
    assert json.loads(to_json(doc.root)) == json.loads(body)
    assert to_json(doc.root).splitlines()[1] == '  "a": ['


def test_simdjson_values_serialise() -> None:
    parser = simdjson.Parser()
    root = parser.parse(b'{"x": [1, 2.5, "y", false, null]}')
    assert to_json(root["x"], indent=None) == '[1,2.5,"y",false,null]'


def test_depth_10000_subtree_serialises() -> None:
    doc = parse_document(b"[" * 10_000 + b"1" + b"]" * 10_000)
    assert to_json(doc.root, indent=None) == "[" * 10_000 + "1" + "]" * 10_000
    assert sum(1 for _ in iter_json(doc.root)) > 10_000


def test_limit_stops_early() -> None:
    with pytest.raises(SizeLimitExceeded):
        to_json(list(range(10_000)), limit=100)


def test_huge_simdjson_subtrees_are_copied_minified() -> None:
    parser = simdjson.Parser()
    root = parser.parse(b'{"ids": [' + b",".join(b"%d" % i for i in range(1000)) + b'], "t": "x"}')
    assert subtree_json(root, pretty_limit=100) == '{"ids":[' + ",".join(map(str, range(1000))) + '],"t":"x"}'
    assert subtree_json(root["ids"], pretty_limit=10**6).startswith("[\n  0,\n  1,")
    assert subtree_json({"a": 1}, pretty_limit=0) == '{\n  "a": 1\n}'
