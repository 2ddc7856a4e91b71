"""The Table tab: a checked model, arrays to choose from, sort, filter, copy, export, columns per method."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication, QStyle, QToolButton

from explorer.core.jsontree.table import Table, find_arrays
from explorer.core.jsontree.table_columns import ColumnMemory
from explorer.core.paths import AppPaths
from explorer.core.prepared import PreparedRequest
from explorer.ui.body import BodyView
from explorer.ui.body.table_model import JsonTableModel, SourceRowRole
from explorer.ui.body.table_view import JsonTableView, table_key

KEY = "discourse:listLatestTopics"


def _latest(count: int = 30) -> dict[str, Any]:
    topics = [{"id": 100 + i, "title": f"Topic {i:02d}", "views": (i * 37) % 11,
               "last_poster": {"username": "sam" if i % 2 else "alex"}} for i in range(count)]
    return {"users": [{"id": 1, "username": "sam"}, {"id": 2, "username": "alex"}],
            "topic_list": {"more_topics_url": "/latest?page=1", "topics": topics}}


@pytest.fixture
def view(qtbot: Any, tmp_path: Path) -> BodyView:
    widget = BodyView()
    qtbot.addWidget(widget)
    widget.table_view.memory = ColumnMemory(AppPaths.under(tmp_path).table_columns_file)
    widget.resize(900, 600)
    widget.show()
    return widget


def _open_table(view: BodyView, document: Any, key: str | None = KEY) -> JsonTableView:
    view.show_body(json.dumps(document).encode(), "application/json", table_key=key)
    view.tabs.setCurrentWidget(view.table_view)
    assert view.table_view.model is not None
    return view.table_view


def _column(table: JsonTableView, column: int) -> list[str]:
    model = table.model
    assert model is not None
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_the_model_passes_qt_model_tester(qtmodeltester: Any) -> None:
    table = Table(_latest()["topic_list"]["topics"])
    model = JsonTableModel(table, table.columns())
    qtmodeltester.check(model)
    model.sort(2, Qt.SortOrder.DescendingOrder)
    model.set_filtered([3, 1, 2])
    qtmodeltester.check(model)
    assert model.index(0, 0).data(SourceRowRole) in (1, 2, 3)


def test_a_table_tab_appears_only_for_arrays_of_objects(view: BodyView) -> None:
    view.show_body(b'{"tags": ["a", "b"], "n": 1}', "application/json")
    assert [view.tabs.tabText(i) for i in range(view.tabs.count())] == ["Tree", "Raw"]
    view.show_body(json.dumps(_latest()).encode(), "application/json")
    assert [view.tabs.tabText(i) for i in range(view.tabs.count())] == ["Tree", "Table", "Raw"]
    assert view.table_view.model is None  # nothing is built until the tab is shown


def test_the_largest_array_is_shown_with_columns_from_its_keys(view: BodyView) -> None:
    table = _open_table(view, _latest())
    assert [table.array_combo.itemText(i) for i in range(table.array_combo.count())] == [
        "$.users (2 rows)", "$.topic_list.topics (30 rows)"]
    assert table.array_combo.currentText() == "$.topic_list.topics (30 rows)"
    assert [table.model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)] == [  # type: ignore[union-attr]
        "id", "title", "views", "last_poster.username"]
    assert _column(table, 3)[:2] == ["alex", "sam"]
    assert table.status.text() == "30 rows"
    table.array_combo.setCurrentIndex(0)
    table.array_combo.activated.emit(0)
    assert table.model.rowCount() == 2 and _column(table, 1) == ["sam", "alex"]  # type: ignore[union-attr]


def test_the_array_under_the_tree_selection_is_the_one_shown(view: BodyView) -> None:
    view.show_body(json.dumps(_latest()).encode(), "application/json", table_key=KEY)
    assert view.json_view.select_path(("users", 1, "username"))
    view.tabs.setCurrentWidget(view.table_view)
    assert view.table_view.array_combo.currentText() == "$.users (2 rows)"


def test_clicking_a_header_sorts_then_reverses_then_restores(qtbot: Any, view: BodyView) -> None:
    table = _open_table(view, _latest())
    header = table.view.horizontalHeader()
    views = [int(v) for v in _column(table, 2)]
    header.sectionClicked.emit(2)
    assert [int(v) for v in _column(table, 2)] == sorted(views)
    assert header.sortIndicatorSection() == 2
    header.sectionClicked.emit(2)
    assert [int(v) for v in _column(table, 2)] == sorted(views, reverse=True)
    header.sectionClicked.emit(2)
    assert [int(v) for v in _column(table, 2)] == views


def test_the_filter_keeps_matching_rows_and_counts_them(qtbot: Any, view: BodyView) -> None:
    table = _open_table(view, _latest())
    with qtbot.waitSignal(table.filtered, timeout=5000) as shown:
        table.filter_edit.setText("topic 1")
    assert shown.args == [10]
    assert _column(table, 1) == [f"Topic {i}" for i in range(10, 20)]
    assert table.status.text() == "10 of 30 rows"
    table.sort_by(0, Qt.SortOrder.DescendingOrder)  # the sort applies to the filtered rows
    assert _column(table, 0)[0] == "119"
    with qtbot.waitSignal(table.filtered, timeout=5000):
        table.filter_edit.clear()
    assert table.model.rowCount() == 30 and _column(table, 0)[0] == "129"  # type: ignore[union-attr]


def test_ctrl_c_copies_the_selected_cells_as_tab_separated_text(qtbot: Any, view: BodyView) -> None:
    table = _open_table(view, _latest())
    model = table.model
    assert model is not None
    table.sort_by(0, Qt.SortOrder.DescendingOrder)
    selection = QItemSelection(model.index(0, 0), model.index(1, 1))
    table.view.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    table.view.setFocus()
    qtbot.keyClick(table.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == "129\tTopic 29\n128\tTopic 28\n"
    assert table.copy_selection(headers=True).startswith("id\ttitle\n129\t")


def test_export_csv_and_json_are_written_and_read_back(view: BodyView, tmp_path: Path) -> None:
    table = _open_table(view, _latest())
    table.set_columns([("title",), ("last_poster", "username")])
    table.sort_by(0, Qt.SortOrder.DescendingOrder)
    assert table.export_to(tmp_path / "topics.csv", "csv")
    with (tmp_path / "topics.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["title", "last_poster.username"] and rows[1] == ["Topic 29", "sam"] and len(rows) == 31
    assert table.export_to(tmp_path / "topics.json", "json")
    exported = json.loads((tmp_path / "topics.json").read_text(encoding="utf-8"))
    assert exported[0] == {"title": "Topic 29", "last_poster": {"username": "sam"}} and len(exported) == 30
    assert "Exported 30 rows" in table.status.text()


def test_export_asks_where_without_a_nested_event_loop(view: BodyView, tmp_path: Path) -> None:
    table = _open_table(view, _latest())
    table.export("csv")
    dialog = table.export_dialog  # open(): export() returned while the chooser is up
    assert dialog.isVisible() and dialog.selectedFiles()[0].endswith(".csv")
    dialog.fileSelected.emit(str(tmp_path / "chosen.csv"))
    dialog.close()
    assert (tmp_path / "chosen.csv").is_file()


def test_the_export_buttons_arrow_has_its_own_room(view: BodyView) -> None:
    table = _open_table(view, _latest())
    button = table.export_button
    # A separate arrow segment, counted in the button's width: not drawn over "Export".
    assert button.popupMode() == QToolButton.ToolButtonPopupMode.MenuButtonPopup
    indicator = button.style().pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator, None, button)
    assert button.sizeHint().width() >= button.fontMetrics().horizontalAdvance("Export") + indicator
    assert [a.text() for a in button.menu().actions()] == ["Export CSV…", "Export JSON…"]
    opened: list[object] = []
    menu = button.menu()
    menu.popup = lambda position, *_rest: opened.append(position)  # type: ignore[method-assign]
    button.click()  # its own part opens the menu too: popup(), which returns at once (no nested loop)
    assert len(opened) == 1


def test_an_export_that_cannot_be_written_says_why(view: BodyView, tmp_path: Path) -> None:
    table = _open_table(view, _latest())
    (tmp_path / "taken").mkdir()
    assert not table.export_to(tmp_path / "taken", "csv")
    assert table.status.text().startswith(f"Could not export to {tmp_path / 'taken'}")


def test_column_choice_and_order_are_remembered_for_the_next_response_of_the_method(
    view: BodyView, tmp_path: Path
) -> None:
    table = _open_table(view, _latest())
    table.set_columns([("views",), ("id",)])
    # A new response of the same method (another page, more rows): the same columns in the same order.
    table = _open_table(view, _latest(40))
    assert table.model.columns == [("views",), ("id",)]  # type: ignore[union-attr]
    # Another method starts from the keys; a new window (a new memory on the same file) remembers too.
    other = _open_table(view, _latest(), key="discourse:listTopTopics")
    assert other.model.columns[:2] == [("id",), ("title",)]  # type: ignore[union-attr]
    view.table_view.memory = ColumnMemory(AppPaths.under(tmp_path).table_columns_file)
    again = _open_table(view, _latest())
    assert again.model.columns == [("views",), ("id",)]  # type: ignore[union-attr]
    again.reset_columns()
    assert again.model.columns[0] == ("id",)  # type: ignore[union-attr]


def test_a_dragged_header_order_is_the_order_remembered(qtbot: Any, view: BodyView) -> None:
    table = _open_table(view, _latest())
    header = table.view.horizontalHeader()
    header.moveSection(2, 0)  # views first
    qtbot.waitUntil(lambda: table.model.columns[0] == ("views",))  # type: ignore[union-attr]
    assert table.memory.columns(KEY, "$.topic_list.topics")[:2] == [("views",), ("id",)]  # type: ignore[index]


def test_the_columns_dialog_chooses_and_orders(qtbot: Any, view: BodyView) -> None:
    table = _open_table(view, _latest())
    dialog = table.open_columns_dialog()
    assert dialog is not None
    dialog.list.item(0).setCheckState(Qt.CheckState.Unchecked)  # hide id
    moved = dialog.list.takeItem(3)
    dialog.list.insertItem(0, moved)  # last_poster.username first
    dialog.accept()
    assert table.model.columns == [("last_poster", "username"), ("title",), ("views",)]  # type: ignore[union-attr]


def test_the_table_tab_stays_in_front_for_the_next_response(view: BodyView) -> None:
    _open_table(view, _latest())
    view.show_body(json.dumps(_latest(5)).encode(), "application/json", table_key=KEY)
    assert view.tabs.currentWidget() is view.table_view
    assert view.table_view.model is not None and view.table_view.model.rowCount() == 5
    view.tabs.setCurrentWidget(view.json_view)
    view.show_body(json.dumps(_latest(5)).encode(), "application/json", table_key=KEY)
    assert view.tabs.currentWidget() is view.json_view


def test_every_row_of_a_large_lazily_parsed_array_is_reachable(qtbot: Any, view: BodyView) -> None:
    rows = [{"id": i, "name": f"user{i}", "bio": "x" * 40} for i in range(30_000)]  # above 1 MiB: simdjson
    table = _open_table(view, rows)
    assert table.model.rowCount() == 30_000  # type: ignore[union-attr]
    assert find_arrays(view._document.root)[0].count == 30_000  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: table.table is not None and table.table.complete, timeout=5000)
    table.view.scrollToBottom()
    assert table.model.index(29_999, 1).data() == "user29999"  # type: ignore[union-attr]


def test_table_key_names_the_method_or_the_verb_and_path() -> None:
    known = PreparedRequest("GET", "https://forum.example/latest.json", api="discourse",
                            method_id="listLatestTopics")
    assert table_key(known) == KEY
    assert table_key(PreparedRequest("GET", "https://forum.example/t/42/posts.json")) == (
        "free:GET /t/42/posts.json")


def test_with_the_table_in_front_the_tree_is_made_when_its_tab_is_shown(view: BodyView) -> None:
    _open_table(view, _latest())
    view.show_body(json.dumps(_latest(5)).encode(), "application/json", table_key=KEY)
    assert view.tabs.currentWidget() is view.table_view and view.json_view.model is None
    view.tabs.setCurrentWidget(view.json_view)
    assert view.json_view.model is not None and view.json_view.model.root.count == 2


def test_hiding_a_column_from_its_header_keeps_the_others_in_order(view: BodyView) -> None:
    table = _open_table(view, _latest())
    table.hide_column(1)
    assert table.model.columns == [("id",), ("views",), ("last_poster", "username")]  # type: ignore[union-attr]


def test_the_window_remembers_columns_per_method_in_its_data_folder(
    qtbot: Any, qloop: Any, make_window: Any, home: AppPaths
) -> None:
    import asyncio

    import httpx

    from explorer.sandbox.demo import DemoCredentials
    from tests.ui.conftest import signal_future

    answer = httpx.Response(200, json=_latest())
    window = make_window(demo=DemoCredentials(url="http://127.0.0.1:9"),
                         transport=httpx.MockTransport(lambda _request: answer))
    assert window.browser.select_method(KEY)

    def send() -> JsonTableView:
        async def scenario() -> None:
            shown = signal_future(window.response_shown)
            assert window.send()
            await asyncio.wait_for(shown, 10)

        qloop.run_until_complete(scenario())
        body = window.response.body_view
        body.tabs.setCurrentWidget(body.table_view)
        return body.table_view

    send().set_columns([("title",), ("id",)])
    assert json.loads(home.table_columns_file.read_text(encoding="utf-8"))["methods"][KEY]["columns"] == {
        "$.topic_list.topics": [["title"], ["id"]]}
    assert send().model.columns == [("title",), ("id",)]  # type: ignore[union-attr]


def test_a_selected_cell_stays_on_its_row_when_the_table_is_sorted(view: BodyView) -> None:
    table = _open_table(view, _latest())
    model = table.model
    assert model is not None
    table.view.setCurrentIndex(model.index(5, 1))  # Topic 05
    table.sort_by(1, Qt.SortOrder.DescendingOrder)
    current = table.view.currentIndex()
    assert current.data() == "Topic 05" and current.row() == 24
