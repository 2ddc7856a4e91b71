"""A Postman request to {{base_url}}/admin/groups.json is sent to the profile's site at /admin/groups.json,
never to the importer's stand-in host (the official Discourse collection has this request)."""

from __future__ import annotations

import json

import pytest

from explorer.core.catalog.loader import load_bundled_catalogs
from explorer.core.catalog.model import Api
from explorer.core.imports import import_file, import_text
from explorer.core.lifecycle import Target, prepare

POSTMAN = {
    "info": {
        "name": "Admin",
        "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
    },
    "item": [
        {
            "name": "groups",
            "request": {"method": "GET", "url": "{{base_url}}/admin/groups.json"},
        }
    ],
}


def test_an_admin_path_goes_to_the_profile_site() -> None:
    catalogs = load_bundled_catalogs()
    result = import_text(json.dumps(POSTMAN), catalogs)
    [(_, spec)] = result.items
    target = Target(
        api=Api.DISCOURSE, base_url="https://forum.test", credentials={"api_key": "k", "api_username": "sam"}
    )
    prepared = prepare(spec, catalogs, target)
    assert prepared.request is not None, prepared.errors
    assert prepared.request.url == "https://forum.test/admin/groups.json"


@pytest.mark.parametrize("name", ["discourse.postman_collection.json", "bruno-collection.json"])
@pytest.mark.parametrize("fixed", [False, True])
def test_official_collections_keep_no_stand_in_host(shared_dir, name: str, fixed: bool) -> None:
    path = shared_dir / "reference" / "discourse" / "collections" / name
    if not path.is_file():
        pytest.skip(f"{path} is not in ../shared")
    catalogs = load_bundled_catalogs()
    result = import_file(path, catalogs)
    if fixed:
        result = result.with_all_fixes()
    for title, spec in result.items:
        assert "invalid" not in spec.dumps(), title
        # Both collections put every request on the site variable: a path on the profile's site.
        assert spec.url == "" or spec.url.startswith("/"), (title, spec.url)
