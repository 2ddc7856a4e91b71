"""Drafts file: tabs round trip, unsaved marks, damaged files set aside, and never a secret on disk."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest

from explorer.core.drafts import (
    Drafts,
    DraftsError,
    DraftTab,
    load_drafts,
    same_spec,
    save_drafts,
    set_aside_drafts,
)
from explorer.core.lifecycle import BodySpec, Pair, RequestSpec
from explorer.core.paths import AppPaths

SECRET = "drafts-s3cret-6f1e0c9a4b"


def _tabs() -> Drafts:
    method = RequestSpec(api="discourse", method_id="getTopic", arguments={"id": "42"})
    free = RequestSpec(
        api="discourse",
        verb="POST",
        url="/posts.json",
        params=(Pair("page", "2"),),
        headers=(Pair("Api-Key", SECRET), Pair("X-Trace", "on")),
        body=BodySpec("json", '{"raw": "Hello there"}'),
    )
    return Drafts((DraftTab(method, method), DraftTab(free, None, "/tmp/post.json")), active=1)


def test_drafts_round_trip_through_the_file(tmp_path: Path) -> None:
    path = AppPaths.under(tmp_path).drafts_file
    drafts = _tabs()
    save_drafts(path, drafts)
    again = load_drafts(path)
    assert again is not None
    assert again.active == 1
    assert [t.spec.label() for t in again.tabs] == ["getTopic", "POST /posts.json"]
    assert again.tabs[0].spec == drafts.tabs[0].spec
    assert again.tabs[1].file == "/tmp/post.json"
    assert again.tabs[1].spec.body.text == '{"raw": "Hello there"}'
    if os.name != "nt":
        assert path.stat().st_mode & 0o077 == 0  # owner-only


def test_no_secret_reaches_the_drafts_file(tmp_path: Path) -> None:
    path = tmp_path / "drafts.json"
    save_drafts(path, _tabs())
    text = path.read_text(encoding="utf-8")
    assert SECRET not in text
    assert "X-Trace" in text  # ordinary headers are kept


def test_unsaved_compares_as_stored() -> None:
    typed = RequestSpec(verb="GET", url="/latest.json", headers=(Pair("Api-Key", SECRET),))
    stored = RequestSpec.loads(typed.dumps())  # the secret became the placeholder
    assert same_spec(typed, stored)
    assert not DraftTab(typed, stored).unsaved
    assert DraftTab(typed, None).unsaved
    edited = RequestSpec(verb="GET", url="/latest.json?page=2", headers=typed.headers)
    assert DraftTab(edited, stored).unsaved
    # The profile is chosen for the whole window: using another one leaves the tab saved.
    assert not DraftTab(replace(stored, profile="Live forum"), stored).unsaved


def test_a_missing_file_is_no_drafts(tmp_path: Path) -> None:
    assert load_drafts(tmp_path / "drafts.json") is None


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("{not json", "line 1"),
        ("[]", "JSON object"),
        ('{"schema_version": 7, "tabs": []}', "schema_version"),
        ('{"schema_version": 1, "tabs": {}}', "tabs"),
        ('{"schema_version": 1, "tabs": [{"spec": {"schema_version": 1, "verb": "FETCH"}}]}', "tabs.0."),
        ('{"schema_version": 1, "tabs": [], "active": "x"}', "active"),
    ],
)
def test_a_damaged_file_is_reported_with_its_name(tmp_path: Path, text: str, named: str) -> None:
    path = tmp_path / "drafts.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DraftsError) as info:
        load_drafts(path)
    message = str(info.value).replace("[", ".").replace("]", ".")
    assert str(path) in message and named in message


def test_an_active_index_out_of_range_brings_the_first_tab_forward() -> None:
    data = _tabs().as_json()
    data["active"] = 9
    assert Drafts.from_json(json.loads(json.dumps(data))).active == 0


def test_a_damaged_file_is_set_aside_not_deleted(tmp_path: Path) -> None:
    path = tmp_path / "drafts.json"
    path.write_text("{oops", encoding="utf-8")
    first = set_aside_drafts(path)
    path.write_text("{again", encoding="utf-8")
    second = set_aside_drafts(path)
    assert not path.exists()
    assert first != second
    assert first.name.startswith("drafts.json.broken-") and first.read_text() == "{oops"
    assert second.read_text() == "{again"


def test_a_number_typed_as_text_in_a_file_is_the_same_request_as_the_forms_number() -> None:
    from explorer.core.drafts import same_spec

    def actions(**arguments: object) -> RequestSpec:
        return RequestSpec(api="discourse", method_id="listUserActions", arguments=arguments)  # type: ignore[arg-type]

    assert same_spec(actions(offset="0", x="true"), actions(offset=0, x=True))
    assert not same_spec(actions(offset="0"), actions(offset=1))
