"""Closing the profile manager: the active profile stays as it was; edits to saved profiles still apply."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from explorer.core.catalog.model import Api
from explorer.core.profiles import Profile
from explorer.sandbox.demo import DemoCredentials
from explorer.ui.widgets.profile_dialog import ProfileDialog

DEMO = DemoCredentials(url="http://127.0.0.1:9")  # profiles only: these tests never reach it


def _open_manager(qtbot: Any, window: Any) -> ProfileDialog:
    qtbot.mouseClick(window.switcher.manage, Qt.MouseButton.LeftButton)
    dialog = window.findChild(ProfileDialog)
    assert dialog is not None and dialog.isVisible()
    return dialog


def _click_row(qtbot: Any, dialog: ProfileDialog, name: str) -> None:
    row = next(r for r in range(dialog.list.count()) if dialog.list.item(r).text() == name)
    rect = dialog.list.visualItemRect(dialog.list.item(row))
    qtbot.mouseClick(dialog.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert dialog.list.currentRow() == row


@pytest.mark.parametrize("close_with", ["Close button", "Esc"])
def test_closing_the_profile_manager_keeps_the_active_profile(
    qtbot: Any, make_window: Any, close_with: str
) -> None:
    window = make_window(demo=DEMO)
    store = window.services.profiles
    mine = store.save(Profile(name="Mine", api=Api.DISCOURSE, base_url="http://127.0.0.1:7"))
    window.load_profiles()
    window.choose_profile(mine.id)
    assert window.active_profile(Api.DISCOURSE).id == mine.id

    dialog = _open_manager(qtbot, window)
    # Edit the active profile and save it, then look at another one before closing.
    _click_row(qtbot, dialog, "Mine")
    dialog.base_url.setText("http://127.0.0.1:8")
    assert dialog.save_profile(), dialog.error.text()
    _click_row(qtbot, dialog, "Sandbox — Discourse")
    if close_with == "Esc":
        qtbot.keyClick(dialog.list, Qt.Key.Key_Escape)
    else:
        buttons = dialog.findChild(QDialogButtonBox)
        qtbot.mouseClick(buttons.button(QDialogButtonBox.StandardButton.Close), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()

    assert window.active_profile(Api.DISCOURSE).id == mine.id
    assert window.switcher.current_id() == mine.id
    # The saved change applies: the list reloaded, and requests go to the new address.
    assert window.editor.target is not None and window.editor.target.base_url == "http://127.0.0.1:8"
    assert window.switcher.combo.currentText().startswith("Mine")
