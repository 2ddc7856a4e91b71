"""The structural JSON diff: added, removed and changed paths with their old and new values; headers."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.core.jsontree.diff import MISSING, Change, describe, diff_headers, diff_json, preview


def test_equal_documents_have_no_changes() -> None:
    doc = {"a": [1, {"b": None}], "c": "x"}
    diff = diff_json(doc, {"c": "x", "a": [1, {"b": None}]})
    assert diff.same and diff.changes == () and diff.summary() == "No differences"


def test_added_removed_and_changed_paths_in_document_order() -> None:
    old = {"user": {"id": 1, "name": "sam", "admin": False}, "tags": ["a", "b", "c"], "gone": {"x": 1}}
    new = {"user": {"id": 1, "name": "Sam", "admin": False, "trust": 2}, "tags": ["a", "B"], "extra": None}
    diff = diff_json(old, new)
    assert describe(diff.changes) == [
        'changed $.user.name: "sam" → "Sam"',
        "added $.user.trust: 2",
        'changed $.tags[1]: "b" → "B"',
        'removed $.tags[2]: "c"',
        'removed $.gone: {"x": 1}',
        "added $.extra: null",
    ]
    assert diff.counts == {"added": 2, "removed": 2, "changed": 2}
    assert diff.summary() == "2 added, 2 removed, 2 changed"
    removed = diff.changes[3]
    assert removed == Change("removed", ("tags", 2), "c", MISSING)


def test_a_type_change_is_one_change_not_one_per_child() -> None:
    diff = diff_json({"a": {"b": 1, "c": 2}}, {"a": "flat"})
    assert diff.changes == (Change("changed", ("a",), {"b": 1, "c": 2}, "flat"),)
    assert diff_json({"a": []}, {"a": {}}).changes == (Change("changed", ("a",), [], {}),)


def test_json_types_are_told_apart() -> None:
    assert diff_json(1, True).total == 1  # equal in Python, not in JSON
    assert diff_json(0, False).total == 1
    assert diff_json(1, 1.0).same  # the same JSON number
    assert diff_json(None, MISSING).changes == (Change("removed", (), None, MISSING),)


def test_top_level_scalars_and_odd_keys() -> None:
    assert describe(diff_json("a", "b").changes) == ['changed $: "a" → "b"']
    assert describe(diff_json({"odd key": 1}, {"odd key": 2}).changes) == ["changed $['odd key']: 1 → 2"]


def test_the_limit_lists_the_first_changes_and_counts_them_all() -> None:
    diff = diff_json(list(range(100)), list(range(1, 101)), limit=10)
    assert len(diff.changes) == 10 and diff.total == 100 and diff.truncated
    assert diff.changes[0].path == (0,)


def test_deep_nesting_does_not_hit_the_recursion_limit() -> None:
    old: Any = 1
    new: Any = 2
    for _ in range(5000):
        old, new = [old], [new]
    diff = diff_json(old, new)
    assert diff.total == 1 and len(diff.changes[0].path) == 5000


def test_headers_compare_by_name_case_insensitively() -> None:
    old = [("Content-Type", "application/json"), ("X-Request-Id", "1")]
    old += [("Set-Cookie", "a"), ("set-cookie", "b")]
    new = [("content-type", "application/json"), ("X-Request-Id", "2"), ("Retry-After", "5")]
    assert describe(diff_headers(old, new).changes) == [
        'changed $[\'x-request-id\']: "1" → "2"',
        'removed $[\'set-cookie\']: "a, b"',
        "added $['retry-after']: \"5\"",
    ]


def test_preview_is_one_cut_line() -> None:
    assert preview(MISSING) == ""
    assert preview({"a": [1, 2]}) == '{"a": [1, 2]}'
    long = preview("x" * 500, width=20)
    assert len(long) == 20 and long.endswith("…")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner, max_size=4),
    max_leaves=20,
)


def _apply(old: Any, changes: tuple[Change, ...]) -> Any:
    """Rebuild the new document from the old one and the changes (arrays: removals come from the end)."""
    import copy

    doc = copy.deepcopy(old)
    for change in changes:
        if not change.path:
            doc = change.new
            continue
        *parents, last = change.path
        target = doc
        for key in parents:
            target = target[key]
        if change.kind == "removed":
            if isinstance(target, list):
                del target[last:]  # positional: every later index goes too (they are removed after it)
            else:
                del target[last]
        elif isinstance(target, list) and last == len(target):
            target.append(change.new)
        else:
            target[last] = change.new
    return doc


# No deadline: on a loaded 2-core machine one example can take longer than Hypothesis's 200 ms default.
@settings(deadline=None)
@given(json_values, json_values)
def test_applying_the_changes_to_the_old_document_gives_the_new_one(old: Any, new: Any) -> None:
    diff = diff_json(old, new)
    assert not diff.truncated
    assert _apply(old, diff.changes) == new
    assert diff_json(new, old).total == diff.total  # symmetric: what one side adds, the other removes
    if diff.same:
        assert json.dumps(old, sort_keys=True) == json.dumps(new, sort_keys=True)
