"""Imported titles written as paths ("/users/<username>/preferences") become readable, distinct names."""

from __future__ import annotations

import json
from pathlib import Path

from explorer.core.catalog.loader import load_bundled_catalogs
from explorer.core.collections.folder import Collection
from explorer.core.imports import import_text, write_import


def _postman(*names: str) -> str:
    items = [{"name": n, "request": {"method": "GET", "url": "{{base_url}}/latest.json"}} for n in names]
    return json.dumps(
        {
            "info": {
                "name": "N",
                "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
            },
            "item": items,
        }
    )


def test_path_like_titles_read_as_words_and_stay_distinct(tmp_path: Path) -> None:
    text = _postman(
        "/users/<username>/preferences/email",
        "admin/users/{id}/suspend",
        "/directory_items",
        "users/:id/posts",
        "groups",
        "Groups",
        "a?",
        "a*",
    )
    result = import_text(text, load_bundled_catalogs())
    assert [path for path, _ in result.items] == [
        "users › {username} › preferences › email",
        "admin › users › {id} › suspend",
        "directory_items",
        "users › {id} › posts",
        "groups",
        "Groups (2)",
        "a-",
        "a- (2)",
    ]
    # The request keeps the title the file gave it; only the file name changes.
    assert result.items[0][1].title == "/users/<username>/preferences/email"
    collection = write_import(result, tmp_path / "c")
    names = [str(item.relative) for item in Collection.open(collection.directory).requests()]
    assert names[0] == "01 users › {username} › preferences › email.json"
    assert len(set(names)) == len(names) == 8
