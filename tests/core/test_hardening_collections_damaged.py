"""Request files nested too deeply to parse are damaged items, not a crash; a JSON body nested that deeply
is saved as text (found by tests/fuzz/test_fuzz_collections.py)."""

from __future__ import annotations

import json
from pathlib import Path

from explorer.core.collections.folder import Collection
from explorer.core.lifecycle import RequestSpec
from explorer.core.lifecycle.spec import BodySpec

KEY = "5ec2e7" * 8


def test_a_request_file_nested_too_deeply_is_an_item_with_an_error(tmp_path: Path) -> None:
    collection = Collection.create(tmp_path / "c", "Deep")
    (collection.directory / "deep.json").write_text("[" * 100_000)
    (collection.directory / "fine.json").write_text(RequestSpec(verb="GET", url="/latest.json").dumps())
    deep, fine = collection.items()
    assert deep.spec is None and deep.error is not None and "nested too deeply" in deep.error
    assert fine.spec is not None and fine.error is None


def test_a_json_body_nested_too_deeply_is_saved_as_text_with_keys_masked(tmp_path: Path) -> None:
    collection = Collection.create(tmp_path / "c", "Deep")
    for text in ["[" * 100_000, "[" * 100_000 + "]" * 100_000, json.dumps({"api_key": KEY}) + "[" * 5_000]:
        spec = RequestSpec(verb="POST", url="/posts.json", body=BodySpec(kind="json", text=text))
        saved = collection.save_request("deep", spec)
        assert KEY not in saved.path.read_text()
        [item] = collection.items()
        assert item.spec is not None and item.spec.body.kind == "json"
