"""The Collections tab and the response pane as a keyboard user and a small screen meet them: Ctrl+E with
no collection open puts the focus on a button, the empty tab's message sits under its buttons, and a
1024-pixel-wide window still fits once a paged list has answered."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from explorer.sandbox.demo import DemoCredentials
from tests.ui.conftest import signal_future

DEMO = DemoCredentials(url="http://127.0.0.1:9")  # profiles only: the first tests never send
SMALL_SCREEN = 1024


def test_ctrl_e_with_no_collection_open_focuses_the_open_button(qtbot: Any, make_window: Any) -> None:
    window = make_window(demo=DEMO)
    panel = window.collections.panel
    QTest.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert window.history.sidebar.currentWidget() is panel
    # The tree is hidden while nothing is open: focusing it left the focus in the editor, and the next
    # key typed went into an argument field.
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.open_button)


def test_the_empty_collections_message_sits_under_its_buttons(qtbot: Any, make_window: Any) -> None:
    window = make_window(demo=DEMO)
    window.resize(1280, 800)
    window.collections.show_tab()
    panel = window.collections.panel
    qtbot.waitUntil(lambda: panel.empty.isVisible() and panel.height() > 600)  # laid out at full height
    buttons_bottom = panel.open_button.mapTo(panel, panel.open_button.rect().bottomLeft()).y()
    label = panel.empty
    # Where the text is drawn: a label taller than its text centres it vertically unless aligned to the top.
    spare = (
        0
        if label.alignment() & Qt.AlignmentFlag.AlignTop
        else label.height() - label.heightForWidth(label.width())
    )
    text_top = label.mapTo(panel, label.rect().topLeft()).y() + max(0, spare) // 2
    # Not floating in the middle of a 700-pixel panel, far from the Open…, New… and Import… it names.
    assert text_top - buttons_bottom < 40, (buttons_bottom, text_top)


def test_a_1024_wide_window_still_fits_after_a_paged_list_answered(
    qloop: Any, make_window: Any, sandbox_server: DemoCredentials
) -> None:
    window = make_window(demo=sandbox_server)
    window.resize(SMALL_SCREEN, 640)
    assert window.minimumSizeHint().width() <= SMALL_SCREEN  # before the first response it fits
    shown = signal_future(window.response_shown)
    assert window.send()  # listLatestTopics: a list that pages, so Next page and Fetch all pages… show
    qloop.run_until_complete(shown)
    assert window.paging.bar.isVisible()
    # On a 1024-pixel screen a window wider than the screen is cut off at the right (and the desktop's
    # frame takes a little of it).
    assert window.minimumSizeHint().width() <= 1000, (
        window.response.minimumSizeHint(),
        window.editor.minimumSizeHint(),
        window.history.sidebar.minimumSizeHint(),
    )


def test_the_profiles_dialog_fits_a_640_pixel_high_screen(qtbot: Any, make_window: Any) -> None:
    from explorer.ui.widgets.profile_dialog import ProfileDialog

    window = make_window(demo=DEMO)
    window.dialogs.open_profiles()
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ProfileDialog))
    qtbot.waitUntil(dialog.isVisible)
    tallest = 0
    for row in range(dialog.list.count()):  # each built-in profile: Discourse and Disqus
        dialog.list.setCurrentRow(row)
        tallest = max(tallest, dialog.minimumSizeHint().height())
    # The form scrolls; Save and Close stay below it, in the dialog.
    assert dialog.form_scroll.widget().isAncestorOf(dialog.name)
    assert not dialog.form_scroll.widget().isAncestorOf(dialog.save_button)
    dialog.close()
    # 640 pixels less a desktop panel and the title bar: Save and Close must stay on the screen.
    assert tallest <= 580, tallest


def test_a_640_high_window_still_fits_with_the_response_below(
    qloop: Any, make_window: Any, sandbox_server: DemoCredentials
) -> None:
    window = make_window(demo=sandbox_server)
    window.layout_action.setChecked(True)  # Ctrl+J: the response pane below the request
    window.resize(SMALL_SCREEN, 640)
    shown = signal_future(window.response_shown)
    assert window.send()
    qloop.run_until_complete(shown)
    # 640 pixels less a desktop panel and the title bar.
    assert window.minimumSizeHint().height() <= 600, (
        window.editor.minimumSizeHint(),
        window.response.minimumSizeHint(),
    )
