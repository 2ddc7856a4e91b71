"""The JSON tree view: every row of a large array is reachable (End, arrows, paging, scrolling, Go to index),
and the columns fit the pane."""

from __future__ import annotations

import json
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QInputDialog

from explorer.core.jsontree.nodes import BATCH, Node
from explorer.core.jsontree.parse import parse_document
from explorer.ui.body.json_view import JsonTreeView
from explorer.ui.body.model import JsonTreeModel

COUNT = 90_000


def _view(qtbot: Any, value: object) -> JsonTreeView:
    body = json.dumps(value).encode()
    widget = JsonTreeView()
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    widget.show()
    widget.activateWindow()  # the tree's shortcuts (Ctrl+G) need the active window
    qtbot.waitUntil(widget.isActiveWindow)
    widget.set_document(parse_document(body), body)
    return widget


def _expand_items(view: JsonTreeView, row: int) -> Any:
    root = view.model.index(0, 0)
    items = view.model.index(row, 0, root)
    assert items.data() == "items"
    view.tree.expand(items)
    view.tree.setCurrentIndex(items)
    view.tree.setFocus()
    return items


def test_the_model_fetches_a_large_array_batch_by_batch() -> None:
    model = JsonTreeModel(Node(parse_document(json.dumps(list(range(COUNT))).encode()).root))
    root = model.index(0, 0)
    batches = 0
    while model.canFetchMore(root):
        before = model.rowCount(root)
        model.fetchMore(root)
        assert model.rowCount(root) == min(before + BATCH, COUNT)
        batches += 1
    assert model.rowCount(root) == COUNT and batches == COUNT // BATCH
    assert model.index(COUNT - 1, 1, root).data() == str(COUNT - 1)


def test_end_selects_the_last_item_of_a_large_array(qtbot: Any) -> None:
    view = _view(qtbot, {"meta": {"total": COUNT}, "items": list(range(COUNT))})
    items = _expand_items(view, 1)
    qtbot.keyClick(view.tree, Qt.Key.Key_End)
    assert view.current_node().path() == ("items", COUNT - 1)
    assert view.model.rowCount(items) == COUNT
    assert view.tree.viewport().rect().intersects(view.tree.visualRect(view.tree.currentIndex()))


def test_end_on_a_root_array(qtbot: Any) -> None:
    view = _view(qtbot, list(range(COUNT)))
    view.tree.setFocus()
    qtbot.keyClick(view.tree, Qt.Key.Key_End)
    assert view.current_node().path() == (COUNT - 1,)


def test_scrolling_reaches_every_row_of_an_array_followed_by_a_sibling(qtbot: Any) -> None:
    view = _view(qtbot, {"items": list(range(COUNT)), "after": "the end"})
    items = _expand_items(view, 0)
    bar = view.tree.verticalScrollBar()
    for _ in range(COUNT // BATCH + 2):  # each drag to the bottom reveals more rows
        if not view.model.canFetchMore(items):
            break
        bar.setValue(bar.maximum())
        QApplication.processEvents()  # the view lays the new rows out, as between a user's drags
    assert view.model.rowCount(items) == COUNT
    bar.setValue(bar.maximum())
    after = view.model.index(1, 0, view.model.index(0, 0))
    assert after.data() == "after"
    assert view.tree.viewport().rect().intersects(view.tree.visualRect(after))
    last_item = view.model.index(COUNT - 1, 0, items)
    assert view.tree.viewport().rect().intersects(view.tree.visualRect(last_item))


@pytest.mark.parametrize("key", [Qt.Key.Key_Down, Qt.Key.Key_PageDown])
def test_arrow_and_page_down_step_into_the_next_batch(qtbot: Any, key: Qt.Key) -> None:
    view = _view(qtbot, {"items": list(range(COUNT)), "after": "the end"})
    _expand_items(view, 0)
    fetched = len(view.model.root.children[0].children)
    assert view.select_path(("items", fetched - 1))
    qtbot.keyClick(view.tree, key)
    node = view.current_node()
    assert node.path()[0] == "items" and node.key >= fetched  # not the sibling after the array


def test_go_to_index_selects_and_shows_item_n(qtbot: Any) -> None:
    view = _view(qtbot, {"meta": {}, "items": list(range(COUNT)), "after": 1})
    _expand_items(view, 1)
    assert view.go_to_index(77_777)
    index = view.tree.currentIndex()
    assert view.current_node().path() == ("items", 77_777)
    assert view.tree.viewport().rect().intersects(view.tree.visualRect(index))
    assert not view.go_to_index(COUNT)  # out of range: nothing changes
    assert view.current_node().path() == ("items", 77_777)


def test_ctrl_g_asks_for_the_index_in_the_selected_items_array(qtbot: Any) -> None:
    view = _view(qtbot, {"meta": {}, "items": list(range(COUNT))})
    _expand_items(view, 1)
    assert view.select_path(("items", 3))
    qtbot.keyClick(view.tree, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    dialog = view.index_dialog
    assert isinstance(dialog, QInputDialog) and dialog.isVisible()
    assert (dialog.intMinimum(), dialog.intMaximum(), dialog.intValue()) == (0, COUNT - 1, 3)
    dialog.setIntValue(89_998)
    dialog.accept()
    assert view.current_node().path() == ("items", 89_998)


def test_go_to_index_needs_an_array(qtbot: Any) -> None:
    view = _view(qtbot, {"meta": {"a": 1}})
    assert view.select_path(("meta", "a"))
    view.act_go_to_index.trigger()
    assert view.index_dialog is None and "select an array" in view.status.text()


LONG = {
    "posts": [
        {"id": i, "cooked": "<p>" + "lorem ipsum " * 80 + "</p>", "a_rather_long_key_name": "x" * 300}
        for i in range(40)
    ]
}


def test_columns_fit_a_narrow_pane_and_a_click_does_not_scroll_sideways(qtbot: Any) -> None:
    view = _view(qtbot, LONG)
    view.resize(480, 600)
    assert view.select_path(("posts", 0, "cooked"))
    tree, header = view.tree, view.tree.header()
    qtbot.waitUntil(lambda: header.sectionSize(0) > tree.indentation() * 3)  # sized after the expansion
    right_edge = header.sectionViewportPosition(2) + header.sectionSize(2)
    assert right_edge <= tree.viewport().width()
    assert header.sectionSize(2) >= tree.sizeHintForColumn(2)  # "boolean", "string"... are not cut
    value = view.model.index_for(view.current_node(), 1)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualRect(value).center())
    assert tree.currentIndex().column() == 1
    assert tree.horizontalScrollBar().value() == 0


def test_the_key_column_is_sized_to_its_content_within_a_share_of_the_pane(qtbot: Any) -> None:
    view = _view(qtbot, {"id": 1, "k" * 400: "long key"})
    view.resize(900, 600)
    tree, header = view.tree, view.tree.header()
    qtbot.waitUntil(lambda: header.sectionSize(0) >= tree.viewport().width() * 0.35)
    assert header.sectionSize(0) <= tree.viewport().width() * 0.4
    assert header.sectionViewportPosition(2) + header.sectionSize(2) <= tree.viewport().width()
