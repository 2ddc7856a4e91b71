"""Fix all keeps what the file said about a form: unticked fields stay off, an unchosen file stays empty."""

from __future__ import annotations

import json

from explorer.core.catalog.loader import load_bundled_catalogs
from explorer.core.imports import import_text
from explorer.core.lifecycle.spec import Pair

CREDENTIALS = [
    {"key": "api_key", "value": "{{api_key}}", "type": "text"},
    {"key": "api_username", "value": "{{api_username}}", "type": "text"},
]


def _collection(name: str, verb: str, url: str, formdata: list[dict[str, object]]) -> str:
    request = {"method": verb, "url": url, "body": {"mode": "formdata", "formdata": formdata}}
    return json.dumps(
        {
            "info": {
                "name": "F",
                "schema": "https://schema.getpostman.com/json/collection/v2.0.0/collection.json",
            },
            "item": [{"name": name, "request": request}],
        }
    )


def test_unticked_fields_survive_when_fix_all_moves_every_ticked_one() -> None:
    off = [
        {"key": "suspend_until", "value": "3017-11-14", "type": "text", "disabled": True},
        {"key": "reason", "value": "because", "type": "text", "disabled": True},
    ]
    text = _collection("suspend", "PUT", "{{base_url}}/admin/users/2/suspend", CREDENTIALS + off)
    result = import_text(text, load_bundled_catalogs()).with_all_fixes()
    [(_, spec)] = result.items
    assert spec.body.kind == "form"
    assert spec.body.fields == (
        Pair("suspend_until", "3017-11-14", enabled=False),
        Pair("reason", "because", enabled=False),
    )


def test_a_file_the_export_left_unchosen_stays_empty() -> None:
    fields = [
        {"key": "type", "value": "avatar", "type": "text"},
        {"key": "files[]", "type": "file", "src": None},
    ]
    text = _collection("upload", "POST", "{{base_url}}/uploads.json?x=1", CREDENTIALS + fields)
    result = import_text(text, load_bundled_catalogs())
    for imported in (result, result.with_all_fixes()):
        [(_, spec)] = imported.items
        files = [f for f in spec.body.fields if f.is_file]
        assert [(f.name, f.value) for f in files] == [("files[]", "")], spec.body
