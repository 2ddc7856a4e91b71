"""The JSON tree view: copy actions, paths, detail pane, expand/collapse, search and filter bars."""

from __future__ import annotations

import json
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from explorer.core.jsontree.parse import parse_document
from explorer.ui.body.json_view import JsonTreeView

TOPIC = {
    "post_stream": {
        "posts": [
            {"id": 11, "username": "alice", "cooked": "<p>Hello <strong>world</strong></p>", "score": 1.50},
            {"id": 12, "username": "bob", "cooked": "<p>Second</p>", "user fields": {"1": "x"}},
        ],
        "stream": list(range(1500)),
    },
    "title": "Welcome",
}
BODY = json.dumps(TOPIC).replace("1.5", "1.50").encode()


@pytest.fixture
def view(qtbot: Any) -> JsonTreeView:
    widget = JsonTreeView()
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_document(parse_document(BODY), BODY)
    return widget


def test_copy_paths_and_values_to_clipboard(view: JsonTreeView) -> None:
    clipboard = QGuiApplication.clipboard()
    assert view.select_path(("post_stream", "posts", 0, "id"))
    view.copy_jsonpath()
    assert clipboard.text() == "$.post_stream.posts[0].id"
    view.act_copy_jq.trigger()
    assert clipboard.text() == ".post_stream.posts[0].id"
    assert view.select_path(("post_stream", "posts", 0, "score"))
    view.copy_value()
    assert clipboard.text() == "1.50"  # exact number text
    assert view.select_path(("post_stream", "posts", 1, "user fields"))
    view.copy_jq_path()
    assert clipboard.text() == '.post_stream.posts[1]."user fields"'
    view.copy_subtree()
    assert json.loads(clipboard.text()) == {"1": "x"}
    assert view.status.text() == "Copied subtree as JSON"


def test_one_copy_path_button_offers_both_forms(qtbot: Any, view: JsonTreeView) -> None:
    clipboard = QGuiApplication.clipboard()
    assert view.select_path(("post_stream", "posts", 0, "id"))
    qtbot.mouseClick(view.copy_path_button, Qt.MouseButton.LeftButton)  # the button: JSONPath
    assert clipboard.text() == "$.post_stream.posts[0].id"
    menu = view.copy_path_button.menu()  # its arrow: both forms, by name
    assert [a.text() for a in menu.actions()] == ["Copy JSONPath", "Copy jq path"]
    menu.actions()[1].trigger()
    assert clipboard.text() == ".post_stream.posts[0].id"


def test_select_path_fetches_batches_and_rejects_missing(view: JsonTreeView) -> None:
    assert view.select_path(("post_stream", "stream", 1234))
    assert view.current_node().path() == ("post_stream", "stream", 1234)
    assert not view.select_path(("post_stream", "nope"))
    assert not view.select_path(("post_stream", "stream", 99999))


def test_detail_pane_renders_cooked_html(view: JsonTreeView) -> None:
    view.select_path(("post_stream", "posts", 0, "cooked"))
    assert view.detail.currentWidget() is view.detail.html
    assert view.detail.shown_text().strip() == "Hello world"
    view.select_path(("title",))
    assert view.detail.shown_text() == "Welcome"
    view.select_path(("post_stream", "posts", 1))
    assert json.loads(view.detail.shown_text())["username"] == "bob"


def test_expand_to_depth_and_collapse_all(view: JsonTreeView) -> None:
    model, tree = view.model, view.tree
    view.expand_to_depth(3)
    root = model.index(0, 0)
    post_stream = model.index(0, 0, root)
    posts = model.index(0, 0, post_stream)
    assert tree.isExpanded(root) and tree.isExpanded(post_stream) and tree.isExpanded(posts)
    assert not tree.isExpanded(model.index(0, 0, posts))  # depth 3 stops above the posts themselves
    assert tree.isExpanded(model.index(1, 0, post_stream))  # "stream", a level-2 array
    view.collapse_all()
    assert not tree.isExpanded(root) and not tree.isExpanded(post_stream)


def test_search_next_and_previous(qtbot: Any, view: JsonTreeView) -> None:
    bar = view.search_bar
    with qtbot.waitSignal(bar.finished) as done:
        bar.edit.setText("USERNAME")
        bar.start()
    assert done.args == [2]
    assert view.current_node().path() == ("post_stream", "posts", 0, "username")
    bar.next()
    assert view.current_node().path() == ("post_stream", "posts", 1, "username")
    bar.next()
    assert view.current_node().path() == ("post_stream", "posts", 0, "username")
    bar.previous()
    assert view.current_node().path() == ("post_stream", "posts", 1, "username")
    assert bar.status.text() == "2 of 2 matches"


def test_search_runs_in_slices_and_can_be_cancelled(
    qtbot: Any, view: JsonTreeView, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("explorer.ui.body.search_bar.SLICE", 100)
    bar = view.search_bar
    bar.edit.setText("149")
    bar.start()
    assert bar.search is not None and not bar.search.finished  # the rest waits for the event loop
    assert "searching" in bar.status.text()
    with qtbot.waitSignal(bar.finished):
        pass
    assert [hit.path[-1] for hit in bar.hits] == [149, 1149, *range(1490, 1500)]
    bar.edit.setText("1")
    bar.start()
    running = bar.search
    bar.cancel()
    assert running.cancelled and bar.search is None and bar.status.text() == ""


def test_filter_shows_result_and_clears(qtbot: Any, view: JsonTreeView) -> None:
    bar = view.filter_bar
    bar.edit.setText(".post_stream.posts[].username")
    with qtbot.waitSignal(bar.applied):
        bar.apply()
    root = view.model.root
    assert [child.value for child in root.fetch_all()] == ["alice", "bob"]
    assert bar.clear_button.isEnabled() and bar.error.isHidden()
    assert view.status.text() == "jq .post_stream.posts[].username → 2 results"
    with qtbot.waitSignal(bar.cleared):
        bar.clear_button.click()
    assert view.model.root.value["title"] == "Welcome"


def test_filter_errors_are_shown_inline(qtbot: Any, view: JsonTreeView) -> None:
    bar = view.filter_bar
    bar.edit.setText(".post_stream.posts[")
    with qtbot.waitSignal(bar.failed) as failed:
        bar.apply()
    assert "syntax error" in failed.args[0] and not bar.error.isHidden()
    bar.edit.setText(".title.x")
    with qtbot.waitSignal(bar.failed) as failed:
        bar.apply()
    assert "Cannot index string" in bar.error.text()
    assert view.model.root.value["title"] == "Welcome"  # the tree is untouched


def test_filter_in_worker_process(qtbot: Any, view: JsonTreeView) -> None:
    bar = view.filter_bar
    bar.runner.in_process_limit = 0
    bar.edit.setText(".post_stream.stream | length")
    with qtbot.waitSignal(bar.applied, timeout=120_000):
        bar.apply()
    assert view.model.root.fetch_all()[0].value == "1500"
    bar.shutdown()


def test_keyboard_previous_and_escape(qtbot: Any, view: JsonTreeView) -> None:
    bar = view.search_bar
    with qtbot.waitSignal(bar.finished):
        bar.edit.setText("username")
        bar.start()
    bar.edit.setFocus()
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert view.current_node().path() == ("post_stream", "posts", 1, "username")
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return)
    assert view.current_node().path() == ("post_stream", "posts", 0, "username")
    qtbot.keyClick(bar.edit, Qt.Key.Key_Escape)
    assert bar.search is None and bar.status.text() == ""


def test_depth_10000_document_in_the_view(qtbot: Any) -> None:
    widget = JsonTreeView()
    qtbot.addWidget(widget)
    body = b'{"a":' * 10_000 + b'"leaf"' + b"}" * 10_000
    widget.set_document(parse_document(body), body)
    assert widget.select_path(("a",) * 10_000)
    assert widget.detail.shown_text() == "leaf"
    widget.copy_jq_path()
    assert QGuiApplication.clipboard().text() == ".a" * 10_000
    widget.select_path(())
    widget.copy_subtree()
    assert QGuiApplication.clipboard().text().count("{") == 10_000


def test_model_passes_tester_after_view_expansions(qtmodeltester: Any, view: JsonTreeView) -> None:
    view.expand_to_depth(4)
    view.select_path(("post_stream", "stream", 1200))
    qtmodeltester.check(view.model)
