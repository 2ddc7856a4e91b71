"""Damaged collection files found by tests/fuzz/test_fuzz_imports.py: each is imported or refused with a
message (ImportFailure), never another exception."""

from __future__ import annotations

import json

import pytest

from explorer.core.curl.to_request import bundled_catalogs
from explorer.core.imports import import_text

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
KEY = "abc123def456" * 4


def postman(*urls: object) -> str:
    items = [{"name": f"r{i}", "request": {"method": "GET", "url": url}} for i, url in enumerate(urls)]
    return json.dumps({"info": {"name": "x", "schema": SCHEMA}, "item": items})


@pytest.mark.parametrize(
    "url",
    ["http://[::1", "[::1/latest.json", "http://[::1/t/:id.json", f"https://[::1/posts.json?api_key={KEY}"],
)
def test_an_address_no_url_parser_reads_is_left_out_with_a_note(url: str) -> None:
    result = import_text(postman(url, "https://forum.example.org/latest.json"), bundled_catalogs())
    assert [title for title, _ in result.items] == ["r1"]
    [note] = [line for line in result.summary if "left out" in line]
    assert "r0: the address cannot be read as a URL (Invalid IPv6 URL)" in note
    assert KEY not in "\n".join(result.summary)


def test_a_host_list_holding_a_number_is_read_like_any_other_value() -> None:
    url = {"host": [10, 0, 0, "example"], "path": ["latest.json"], "protocol": "https"}
    result = import_text(postman(url), bundled_catalogs())
    [(_, spec)] = result.items
    assert spec.url == "https://10.0.0.example" and spec.method_id == "listLatestTopics"


def test_an_insomnia_resource_type_that_is_not_text_is_not_a_crash() -> None:
    resources = [
        {"_id": "wrk_1", "_type": "workspace", "name": "W"},
        {
            "_id": "req_1",
            "parentId": "wrk_1",
            "_type": "request",
            "method": "GET",
            "url": "https://h.example/x",
        },
        {"_id": "odd", "parentId": "wrk_1", "_type": ["request"]},
    ]
    text = json.dumps({"_type": "export", "__export_format": 4, "resources": resources})
    result = import_text(text, bundled_catalogs())
    assert len(result.items) == 1
