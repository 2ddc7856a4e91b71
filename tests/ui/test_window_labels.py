"""Labels never widen the window and notes go away; tooltips wrap; the 429 countdown and sizes agree."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QFontMetrics, QHelpEvent, Qt, QTextDocumentFragment
from PySide6.QtWidgets import QApplication, QToolTip, QWidget

from explorer.ui import tooltips
from explorer.ui.body.json_view import JsonTreeView

MAX_WIDTH = 600  # px: wider tooltips are read as one line across the screen
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


def test_the_429_countdown_is_the_one_place_the_wait_is_shown(qtbot: Any) -> None:
    from explorer.core.explain import Diagnosis
    from explorer.ui.widgets.explain_view import ExplainView

    now = [100.0]
    view = ExplainView()
    qtbot.addWidget(view)
    view.clock = lambda: now[0]  # a controlled clock: the test decides how much time has passed
    summary = "Too many requests; the server asks you to wait 11 seconds before trying again."
    view.show_diagnosis(Diagnosis("discourse-rate-limit", "warning", "Rate limited (429)", summary,
                                  wait_seconds=11))
    assert "11" not in view.text.toPlainText()  # no second, frozen copy of the number
    assert view.countdown.text().startswith("Wait 11 s")
    now[0] += 0.4  # 10.6 s left: still "11", never a number below what is left
    view._timer.timeout.emit()
    assert view.remaining_seconds() == 11 and view.countdown.text().startswith("Wait 11 s")
    now[0] += 0.6  # exactly 10 s left
    view._timer.timeout.emit()
    assert view.remaining_seconds() == 10 and view.countdown.text().startswith("Wait 10 s")
    assert 0 < view._timer.interval() <= 1000  # re-armed for the next whole second
    now[0] += 9.9
    view._timer.timeout.emit()
    assert view.countdown.text().startswith("Wait 1 s")  # not "retry now" while 0.1 s remain
    now[0] += 0.1
    view._timer.timeout.emit()
    assert view.countdown.text() == "You can retry now." and not view._timer.isActive()


@pytest.fixture
def wrapped_tooltips(qapp: Any) -> Iterator[None]:
    """The tooltip wrapper, installed as run_window installs it, and removed again for the other tests."""
    wrapper = tooltips.install(qapp)
    yield
    qapp.removeEventFilter(wrapper)
    wrapper.setParent(None)


def _shown_tooltip_width(widget: QWidget, pos: QPoint) -> tuple[str, int]:
    """Hover `widget` at `pos`: the tooltip text Qt shows and the width of its label."""
    QToolTip.hideText()
    QApplication.sendEvent(widget, QHelpEvent(QEvent.Type.ToolTip, pos, widget.mapToGlobal(pos)))
    tips = [w for w in QApplication.topLevelWidgets() if w.objectName() == "qtooltip_label" and w.isVisible()]
    text, width = QToolTip.text(), max((label.width() for label in tips), default=0)
    QToolTip.hideText()
    return text, width


# The offscreen platform cannot raise the tooltip's window; that is not what these tests are about.
TOOLTIP_WINDOW = pytest.mark.qt_log_ignore("does not support raise")


def _line_width(text: str) -> int:
    metrics = QFontMetrics(QToolTip.font())
    return max(metrics.horizontalAdvance(line) for line in text.splitlines())


@TOOLTIP_WINDOW
def test_no_tooltip_in_the_window_is_one_long_line(make_window: Any, wrapped_tooltips: None) -> None:
    window = make_window()
    assert window.open_first_method("disqus:get_forum_posts")  # "exclude" has a long description
    tipped = [w for w in window.findChildren(QWidget) if w.toolTip()]
    assert any("Leave out comments" in w.toolTip() for w in tipped)
    for widget in tipped:
        tip = widget.toolTip()
        # Plain text is not wrapped by Qt below 75 % of the screen: only short lines may stay plain.
        assert Qt.mightBeRichText(tip) or _line_width(tip) <= MAX_WIDTH, (type(widget).__name__, tip)
        if widget.isVisible():
            shown, width = _shown_tooltip_width(widget, QPoint(1, 1))
            assert shown == tip and width <= MAX_WIDTH, (type(widget).__name__, tip, width)


@TOOLTIP_WINDOW
def test_item_view_tooltips_are_wrapped_when_shown(
    make_window: Any, wrapped_tooltips: None, tmp_path: Path
) -> None:
    window = make_window()
    path = tmp_path / "long.json"
    path.write_text(json.dumps({"text": "word " * 120}), encoding="utf-8")
    window.response.show_file(path)
    tree = window.response.body_view.json_view.tree
    value = tree.model().index(0, 1, tree.model().index(0, 0))
    assert _line_width(value.data(Qt.ItemDataRole.ToolTipRole)) > MAX_WIDTH  # one line, as the model gives it
    shown, width = _shown_tooltip_width(tree.viewport(), tree.visualRect(value).center())
    assert Qt.mightBeRichText(shown) and "word word" in shown
    assert width <= MAX_WIDTH


def test_the_same_size_is_written_the_same_way_everywhere(qtbot: Any) -> None:
    from explorer.core.http.result import ExecutionResult
    from explorer.core.prepared import PreparedRequest
    from explorer.ui.widgets.response_pane import ResponsePane

    pane = ResponsePane()
    qtbot.addWidget(pane)
    body = b'{"pad": "' + b"x" * 401 + b'"}'
    request = PreparedRequest("GET", "https://forum.example.org/latest.json")
    headers = (("Content-Type", "application/json"),)
    result = ExecutionResult(request, 200, "OK", headers=headers, body=body, size=len(body), elapsed_s=0.25)
    pane.show_result(result)
    assert len(body) == 412
    assert pane.size_badge.text() == "412 B"
    assert pane.body_view.info.text() == "application/json · 412 B"  # not "412 bytes" beside "412 B"
