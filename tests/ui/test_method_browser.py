"""The method browser's rows: verb badge and name, then the whole path, readable at the default width."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QStyleOptionViewItem

from explorer.core.catalog import load_bundled_catalogs
from explorer.ui.widgets.method_browser import MethodBrowser

SIDEBAR_WIDTH = 380  # the window's default sidebar width


@pytest.fixture
def browser(qtbot: Any) -> MethodBrowser:
    widget = MethodBrowser(load_bundled_catalogs())
    qtbot.addWidget(widget)
    widget.resize(SIDEBAR_WIDTH, 800)
    widget.show()
    widget.tree.expandAll()
    return widget


def _texts(browser: MethodBrowser, key: str) -> tuple[str, str]:
    assert browser.select_method(key)
    index = browser.tree.currentIndex()
    option = QStyleOptionViewItem()
    browser.tree.initViewItemOption(option)
    option.rect = browser.tree.visualRect(index)
    return browser.tree.itemDelegate().row_texts(option, browser.current_method())


def test_names_and_paths_are_readable_at_the_default_sidebar_width(browser: MethodBrowser) -> None:
    assert _texts(browser, "discourse:getSpecificPostsFromTopic") == (
        "Get chosen posts of a topic",
        "/t/{id}/posts.json",
    )
    assert _texts(browser, "discourse:updateTopic") == ("Rename or move a topic", "/t/-/{id}.json")
    whole = 0
    for method in browser.visible_methods():
        name, path = _texts(browser, method.key)
        if path == method.path:
            whole += 1
        else:  # a long path loses its middle, never its start or its end; the tooltip has it whole
            head, _, tail = path.partition("…")
            assert len(head) >= 8 and method.path.startswith(head) and method.path.endswith(tail), path
        item = browser.model.itemFromIndex(browser.proxy.mapToSource(browser.tree.currentIndex()))
        assert method.path in item.toolTip()
    assert whole > 0.9 * len(browser.visible_methods())


def test_method_rows_take_two_lines_and_group_rows_one(browser: MethodBrowser) -> None:
    assert browser.select_method("discourse:listLatestTopics")
    method_row = browser.tree.visualRect(browser.tree.currentIndex())
    group_row = browser.tree.visualRect(browser.tree.currentIndex().parent())
    assert method_row.height() > 1.6 * group_row.height()


def _tree_state(browser: MethodBrowser) -> tuple[set[str], int]:
    """The expanded rows (by text path) and the vertical scroll position: what "the tree as it was" means."""
    expanded: set[str] = set()

    def walk(parent: Any, prefix: str) -> None:
        for row in range(browser.proxy.rowCount(parent)):
            index = browser.proxy.index(row, 0, parent)
            path = f"{prefix}/{index.data()}"
            if browser.tree.isExpanded(index):
                expanded.add(path)
            walk(index, path)

    walk(QModelIndex(), "")
    return expanded, browser.tree.verticalScrollBar().value()


def test_searching_never_changes_the_method_until_a_result_is_picked(
    browser: MethodBrowser, qtbot: Any
) -> None:
    picked: list[str] = []
    browser.method_selected.connect(lambda method: picked.append(method.key))
    browser.tree.collapseAll()
    browser.tree.expandToDepth(0)
    assert browser.select_method("discourse:listLatestTopics")
    assert picked == ["discourse:listLatestTopics"]
    disqus = browser.tree.currentIndex().parent().parent().sibling(1, 0)
    browser.tree.expand(browser.proxy.index(0, 0, disqus))  # a Disqus group, opened by hand
    before = _tree_state(browser)

    browser.focus_search()
    for text in ("up", "del", "no such method at all", "/t/{id}"):
        browser.search.clear()
        qtbot.keyClicks(browser.search, text)
        assert picked == ["discourse:listLatestTopics"], text
        assert browser.active_method().key == "discourse:listLatestTopics"
    # Down moves into the results without picking one either; arrows browse them.
    browser.search.setText("topic")
    qtbot.keyClick(browser.search, Qt.Key.Key_Down)
    assert browser.tree.hasFocus() and browser.current_method() is not None
    qtbot.keyClick(browser.tree, Qt.Key.Key_Down)
    assert picked == ["discourse:listLatestTopics"]

    # Clearing the search restores the tree as it was, the active method selected and scrolled to.
    browser.search.clear()
    assert browser.current_method().key == "discourse:listLatestTopics"
    assert _tree_state(browser)[0] == before[0]
    assert browser.tree.viewport().rect().contains(browser.tree.visualRect(browser.tree.currentIndex()))
    assert picked == ["discourse:listLatestTopics"]


def test_exact_matches_rank_first_and_enter_or_a_click_picks_a_result(
    browser: MethodBrowser, qtbot: Any
) -> None:
    picked: list[str] = []
    browser.method_selected.connect(lambda method: picked.append(method.key))
    assert browser.select_method("discourse:listLatestTopics")
    browser.focus_search()
    qtbot.keyClicks(browser.search, "getTag")  # getTagGroup comes first in the catalog
    assert browser.visible_methods()[0].key == "discourse:getTag"
    browser.search.setText("search")
    assert browser.visible_methods()[0].key == "discourse:search"
    browser.search.setText("get_thread_list")
    assert browser.visible_methods()[0].key == "disqus:get_thread_list"  # an exact match lifts its API too
    qtbot.keyClick(browser.search, Qt.Key.Key_Return)
    assert picked[-1] == "disqus:get_thread_list"

    browser.search.setText("topic")
    second = browser.visible_methods()[1]
    rect = browser.tree.visualRect(browser._proxy_index(second.key))
    qtbot.mouseClick(browser.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert picked[-1] == second.key
    browser.search.setText("latest")
    first = browser.visible_methods()[0]
    qtbot.keyClick(browser.search, Qt.Key.Key_Down)
    qtbot.keyClick(browser.tree, Qt.Key.Key_Return)
    assert picked[-1] == first.key
    browser.search.clear()
    assert browser.current_method().key == first.key == browser.active_method().key
