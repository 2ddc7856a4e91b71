"""Parsing bodies: engines by size, exact number text, deep nesting, positioned errors."""

from __future__ import annotations

import json
import mmap
from pathlib import Path

import pytest

from explorer.core.jsontree import parse as parse_module
from explorer.core.jsontree.nodes import Node, kind_of, number_text
from explorer.core.jsontree.parse import ExactNumber, JsonParseError, parse_document, parse_iterative

DEEP = 10_000


def test_small_bodies_keep_exact_number_text() -> None:
    doc = parse_document(b'{"a": 1.50, "b": 1e3, "c": -0, "d": 123456789012345678901234567890}')
    assert doc.engine == "json" and doc.exact_numbers
    texts = [number_text(doc.root[k]) for k in "abcd"]
    assert texts == ["1.50", "1e3", "-0", "123456789012345678901234567890"]
    assert all(kind_of(doc.root[k]) == "number" for k in "abcd")


def test_large_bodies_use_lazy_simdjson(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse_module, "EXACT_NUMBERS_LIMIT", 10)
    doc = parse_document(b'{"posts": [{"id": 1}, {"id": 2}], "n": 2.5}')
    assert doc.engine == "simdjson" and not doc.exact_numbers
    assert kind_of(doc.root) == "object" and not isinstance(doc.root, dict)  # a lazy proxy
    assert doc.root["posts"][1]["id"] == 2


def test_integers_beyond_64_bits_fall_back_to_exact_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse_module, "EXACT_NUMBERS_LIMIT", 10)
    doc = parse_document(b'{"big": 18446744073709551616123}')
    assert doc.exact_numbers and doc.root["big"] == ExactNumber("18446744073709551616123")


@pytest.mark.parametrize("limit", [10, 1 << 20])
def test_depth_10000_parses_without_recursion(monkeypatch: pytest.MonkeyPatch, limit: int) -> None:
    monkeypatch.setattr(parse_module, "EXACT_NUMBERS_LIMIT", limit)
    doc = parse_document(b"[" * DEEP + b'{"leaf": 1.0}' + b"]" * DEEP)
    assert doc.engine == "iterative"
    node = Node(doc.root)
    for _ in range(DEEP):
        node = node.fetch()[0]
    assert node.kind == "object" and len(node.path()) == DEEP
    assert number_text(node.fetch()[0].value) == "1.0"


def test_mmap_and_bom_are_accepted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "body.json"
    path.write_bytes(b'\xef\xbb\xbf{"x": [1, 2, 3]}')
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
        assert parse_document(mapped).root == {"x": ["1", "2", "3"]}
        monkeypatch.setattr(parse_module, "EXACT_NUMBERS_LIMIT", 4)
        doc = parse_document(mapped)
        assert doc.engine == "simdjson" and len(doc.root["x"]) == 3


@pytest.mark.parametrize(
    ("body", "line", "column"),
    [(b'{"a": 1,,}', 1, 9), (b'[1,\n  2,\n  ]', 3, 3), (b"", 1, 1)],
)
def test_errors_name_line_and_column(body: bytes, line: int, column: int) -> None:
    with pytest.raises(JsonParseError) as info:
        parse_document(body)
    assert (info.value.line, info.value.column) == (line, column)


def test_large_invalid_body_reports_simdjson_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse_module, "EXACT_NUMBERS_LIMIT", 4)
    with pytest.raises(JsonParseError, match="invalid JSON"):
        parse_document(b'{"a": [1, 2}')


def test_non_utf8_body_is_a_clear_error() -> None:
    with pytest.raises(JsonParseError, match="UTF-8"):
        parse_document(b'["\xff"]')


@pytest.mark.parametrize(
    "text",
    ['{"a": [1, 2.50, {"b": []}], "c": "x\\ny", "d": null, "e": true}', "[]", '"s"', " 7 ", '{"k": {}}'],
)
def test_iterative_parser_agrees_with_json_module(text: str) -> None:
    expected = json.loads(text, parse_float=str, parse_int=str)
    assert parse_iterative(text) == expected


@pytest.mark.parametrize("text", ["[1,]", '{"a" 1}', "[1] 2", "[", '{"a":1,}', "{1: 2}", "nul", "[1 2]"])
def test_iterative_parser_rejects_invalid_json(text: str) -> None:
    with pytest.raises(JsonParseError):
        parse_iterative(text)
