"""The shortcut list shows every row without scrolling."""

from __future__ import annotations

from typing import Any

from explorer.ui.shortcuts import SHORTCUTS
from explorer.ui.widgets.shortcuts_dialog import ShortcutsDialog


def test_every_shortcut_row_is_visible_without_scrolling(qtbot: Any) -> None:
    rows = [*SHORTCUTS, *[(f"extra{i}", ("F2",), f"Another action {i}") for i in range(6)]]
    dialog = ShortcutsDialog(rows)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    table = dialog.table
    assert table.rowCount() == len(rows)
    assert table.verticalScrollBar().maximum() == 0
    last = table.visualItemRect(table.item(len(rows) - 1, 1))
    assert table.viewport().rect().contains(last)
    assert table.horizontalScrollBar().maximum() == 0  # the descriptions are not cut off either
