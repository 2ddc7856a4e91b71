"""The comparison dialog: JSON bodies path by path, anything else in one sentence; headers by name."""

from __future__ import annotations

import json
from typing import Any

from explorer.core.history import HistoryEntry
from explorer.core.jsontree.diff import Diff
from explorer.ui.widgets.compare_dialog import CompareDialog, body_diff


def entry(entry_id: int, headers: tuple[tuple[str, str], ...] = ()) -> HistoryEntry:
    return HistoryEntry(
        id=entry_id, created_at=1_700_000_000.0 + entry_id, api="discourse", method_id="getTopic", verb="GET",
        url="https://forum.example.org/t/5.json", status=200, duration_ms=12.0, size=10, profile=None,
        pinned=False, error=None, cancelled=False, response_headers=headers,
    )


def test_bodies_that_are_not_both_json_are_described_in_a_sentence() -> None:
    assert body_diff(b"<html>", b"<html>") == "The bodies are identical."
    assert body_diff(None, b"") == "Neither response has a body."
    assert body_diff(b"", b"{}") == "Only one of the responses has a body (0 B and 2 B)."
    assert body_diff(b"<html>", b"{}").startswith("The bodies differ (6 B and 2 B)")
    diff = body_diff(b'{"a": 1}', b'{"a": 1}')
    assert isinstance(diff, Diff) and diff.same


def test_the_dialog_lists_changes_and_says_when_there_are_none(qtbot: Any) -> None:
    old = json.dumps({"a": 1, "b": [1, 2]}).encode()
    new = json.dumps({"a": 2, "b": [1, 2]}).encode()
    headers = (("Content-Type", "application/json"),)
    dialog = CompareDialog(entry(1, headers), entry(2, headers), old, new)
    qtbot.addWidget(dialog)
    assert dialog.rows("body") == [("$.a", "changed", "1", "2")]
    assert dialog.rows("headers") == [("", "No differences", "", "")]
    assert dialog.summary.text() == "Body: 1 changed.  Headers: No differences."

    text = CompareDialog(entry(1), entry(2), b"<p>one</p>", b"<p>two</p>")
    qtbot.addWidget(text)
    assert text.body_tree is None and text.rows("body") == []
    assert text.tabs.tabText(0) == "Body"
    assert text.summary.text().endswith("they are not both JSON, so they are not compared path by path.  "
                                        "Headers: No differences.")
