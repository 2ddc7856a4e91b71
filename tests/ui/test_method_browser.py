"""The method browser's rows: verb badge and name, then the whole path, readable at the default width."""

from __future__ import annotations

from typing import Any

import pytest
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
