"""Labels never widen the window (long texts are elided, the full text in a tooltip); notes go away."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent
from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtWidgets import QApplication

from explorer.ui.body.json_view import JsonTreeView

LONG_FILTER = ".items[] | select(.name | test(\"" + "very-long-alternative|" * 40 + "x\")) | {id, name}"


def _open_json(window: Any, tmp_path: Path) -> JsonTreeView:
    items = [{"id": i, "name": f"very-long-alternative {i}"} for i in range(50)]
    path = tmp_path / "items.json"
    path.write_text(json.dumps({"items": items}), encoding="utf-8")
    window.response.show_file(path)
    view: JsonTreeView = window.response.body_view.json_view
    assert view.model is not None
    return view


def _min_width(window: Any) -> int:
    # A label's new size reaches the window through events posted from each nested widget up (layout
    # requests, the first show of new tabs): deliver them now, including those posted while they run.
    QApplication.processEvents()
    QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    return window.minimumSizeHint().width()


def test_a_long_filter_result_label_does_not_widen_the_window(make_window: Any, tmp_path: Path) -> None:
    window = make_window()
    view = _open_json(window, tmp_path)
    before, pane_before = _min_width(window), view.minimumSizeHint().width()
    width = window.width()
    view.filter_bar.edit.setText(LONG_FILTER)
    view.filter_bar.apply()  # a small body is filtered in-process: the result is shown now
    assert view.filter_bar.active_expression == LONG_FILTER
    assert view.status.text().endswith("→ 50 results")
    assert view.status.shown_text().endswith("…")
    tooltip = QTextDocumentFragment.fromHtml(view.status.toolTip()).toPlainText()
    assert tooltip == view.status.text()  # the whole text is a hover away
    assert _min_width(window) <= before
    assert view.minimumSizeHint().width() <= pane_before
    assert window.width() == width


def test_the_copy_note_does_not_widen_the_window_and_goes_away(
    qtbot: Any, make_window: Any, tmp_path: Path
) -> None:
    window = make_window()
    view = _open_json(window, tmp_path)
    before, pane_before = _min_width(window), view.minimumSizeHint().width()
    view.status.transient_ms = 20  # the note's lifetime, short for the test
    assert view.select_path(("items", 7, "name"))
    view.copy_jq_path()
    assert view.status.isVisible() and view.status.text() == "Copied jq path"
    assert _min_width(window) <= before
    assert view.minimumSizeHint().width() <= pane_before  # the response pane keeps its minimum too
    qtbot.waitUntil(lambda: view.status.text() == "")


def test_a_transient_note_gives_way_to_the_next_message(qtbot: Any) -> None:
    view = JsonTreeView()
    qtbot.addWidget(view)
    view.status.flash("Copied value")
    assert view.status.hide_timer.isActive()
    view.status.setText("jq . → 1 result")  # a lasting message replaces the note and outlives its timer
    assert not view.status.hide_timer.isActive()
    view.status.hide_timer.timeout.emit()
    assert view.status.text() == "jq . → 1 result"
