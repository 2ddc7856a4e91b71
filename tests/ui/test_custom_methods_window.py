"""Custom methods in the window: a free-form request saved as a method, used, renamed and deleted."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from explorer.core.catalog.custom import CustomMethodStore
from explorer.core.catalog.model import Api
from explorer.core.lifecycle import Pair, RequestSpec
from explorer.core.paths import AppPaths
from explorer.sandbox.demo import DemoCredentials
from tests.ui.conftest import signal_future


def _send(qloop: Any, window: Any) -> Any:
    async def scenario() -> Any:
        done = signal_future(window.response_shown)
        assert window.send(), window.statusBar().currentMessage()
        return (await asyncio.wait_for(done, 10))[0]

    return qloop.run_until_complete(scenario())


def _row_menu(window: Any, key: str) -> dict[str, Any]:
    """Open the browser's context menu on a method's row; its actions by text."""
    browser = window.browser
    assert browser.select_method(key)
    rect = browser.tree.visualRect(browser.tree.currentIndex())
    window.custom_methods.menu = None
    browser.tree.customContextMenuRequested.emit(rect.center())
    menu = window.custom_methods.menu
    return {} if menu is None else {action.text(): action for action in menu.actions()}


def _group_of(window: Any, key: str) -> str:
    browser = window.browser
    assert browser.select_method(key)
    return browser.tree.currentIndex().parent().data()


def test_a_free_form_request_becomes_a_custom_method_used_like_any_other(
    qtbot: Any, qloop: Any, make_window: Any, sandbox_server: DemoCredentials, home: AppPaths
) -> None:
    window = make_window(demo=sandbox_server)
    custom = window.custom_methods
    assert not custom.action.isEnabled()  # a catalog method is in front
    window.request_tabs.new_tab(
        RequestSpec(api="discourse", verb="GET", url="/t/15.json", params=(Pair("print", "true"),))
    )
    assert custom.action.isEnabled()

    custom.action.trigger()
    dialog = custom.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.summary.toPlainText().startswith("GET /t/{t_id}.json")
    dialog.placeholders.setChecked(False)
    assert dialog.summary.toPlainText().startswith("GET /t/15.json")
    dialog.placeholders.setChecked(True)
    dialog.name.setText("getTopic")  # a bundled method's id is refused, and the dialog stays open
    dialog.accept()
    assert dialog.isVisible() and "already a method" in dialog.error.text()
    dialog.name.setText("printTopic")
    dialog.description.setPlainText("A topic, ready to print")
    dialog.accept()
    assert not dialog.isVisible()

    stored = CustomMethodStore(home.custom_methods_file).methods()
    assert [(m.id, m.path, m.description) for m in stored] == [
        ("printTopic", "/t/{t_id}.json", "A topic, ready to print")
    ]
    # The tab in front became the method, with the request's values as its arguments.
    editor = window.editor
    assert editor.method is not None and editor.method.key == "discourse:printTopic"
    assert editor.spec().arguments == {"t_id": "15", "print": "true"}
    assert _group_of(window, "discourse:printTopic").startswith("Custom")

    # Chosen again from the browser, its form shows its parameters; filled in, it reaches the sandbox.
    window.browser.select_method("discourse:listLatestTopics")
    window.browser.select_method("discourse:printTopic")
    assert set(editor.form.fields) == {"t_id", "print"}
    editor.form.fields["t_id"].edit.clear()
    qtbot.keyClicks(editor.form.fields["t_id"].edit, "15")
    result = _send(qloop, window)
    assert result.status == 200, result.error
    # print=true is still there: the editor keeps what was typed for each method.
    assert result.request.full_url() == f"{sandbox_server.discourse_base_url}/t/15.json?print=true"
    assert result.request.method_id == "printTopic"


# A real popup menu: the offscreen plugin says it can neither raise it nor give it the keyboard.
@pytest.mark.qt_log_ignore(
    r"^This plugin does not support raise\(\)$", r"^This plugin does not support grabbing the keyboard$"
)
def test_custom_methods_are_renamed_and_deleted_from_the_browser(
    qtbot: Any, make_window: Any, sandbox_server: DemoCredentials, home: AppPaths
) -> None:
    window = make_window(demo=sandbox_server)
    custom = window.custom_methods
    window.request_tabs.new_tab(RequestSpec(api="discourse", verb="GET", url="/t/15.json?print=true"))
    custom.action.trigger()
    custom.dialog.name.setText("printTopic")
    custom.dialog.accept()
    assert window.request_tabs.current.spec.method_id == "printTopic"

    assert set(_row_menu(window, "discourse:listLatestTopics")) == set()  # bundled rows have no menu
    _row_menu(window, "discourse:printTopic")["Rename or describe…"].trigger()
    edit = custom.dialog
    assert edit.name.text() == "printTopic"
    edit.name.setText("topicForPrinting")
    edit.description.setPlainText("Renamed")
    edit.accept()
    assert not edit.isVisible()
    catalog = window.services.catalogs[Api.DISCOURSE]
    assert catalog.method("printTopic") is None
    renamed = catalog.method("topicForPrinting")
    assert renamed is not None and renamed.description == "Renamed"
    assert window.request_tabs.current.spec.method_id == "topicForPrinting"  # the tab followed
    assert window.editor.method is not None and window.editor.method.id == "topicForPrinting"

    _row_menu(window, "discourse:topicForPrinting")["Delete…"].trigger()
    box = custom.box
    assert box is not None and box.isVisible() and "topicForPrinting" in box.text()
    box.button(QMessageBox.StandardButton.No).click()
    assert window.services.catalogs[Api.DISCOURSE].method("topicForPrinting") is not None

    _row_menu(window, "discourse:topicForPrinting")["Delete…"].trigger()
    custom.box.button(QMessageBox.StandardButton.Yes).click()
    assert window.services.catalogs[Api.DISCOURSE].method("topicForPrinting") is None
    assert not window.browser.select_method("discourse:topicForPrinting")
    assert CustomMethodStore(home.custom_methods_file).methods() == ()
    # The tab keeps its request, now free-form.
    spec = window.editor.spec()
    assert spec.is_free_form and spec.url == "/t/15.json"
    assert [(p.name, p.value) for p in spec.params] == [("print", "true")]


def test_a_damaged_custom_methods_file_is_set_aside_with_a_notice(
    qtbot: Any, qloop: Any, home: AppPaths
) -> None:
    from explorer.core.profiles import MemorySecretStore
    from explorer.ui.main_window import MainWindow
    from explorer.ui.services import Services

    home.custom_methods_file.parent.mkdir(parents=True, exist_ok=True)
    home.custom_methods_file.write_text("{not json", encoding="utf-8")
    # Not make_window: the notice is a box that takes the focus, which that fixture waits for itself.
    services = Services.create(home, secrets=MemorySecretStore(), start_sandbox=False)
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.open_first_method()
    window.show()
    try:
        kept = list(home.data.glob("custom-methods.json.broken-*"))
        assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == "{not json"
        custom = window.custom_methods
        qtbot.waitUntil(lambda: custom.box is not None and custom.box.isVisible())
        box = custom.box
        assert "damaged" in box.text() and kept[0].name in box.text()
        assert box.windowModality() != Qt.WindowModality.ApplicationModal  # open(), not exec()
        assert window.services.catalogs[Api.DISCOURSE].method("listLatestTopics") is not None
        box.close()
    finally:
        qloop.run_until_complete(services.aclose())


def test_saving_again_under_the_same_name_replaces_the_method_after_asking(
    qtbot: Any, make_window: Any, home: AppPaths
) -> None:
    window = make_window()
    custom = window.custom_methods
    window.request_tabs.new_tab(RequestSpec(api="discourse", verb="GET", url="/t/15.json?print=true"))
    custom.action.trigger()
    custom.dialog.name.setText("printTopic")
    custom.dialog.description.setPlainText("Printable")
    custom.dialog.accept()

    window.request_tabs.new_tab(RequestSpec(api="discourse", verb="GET", url="/t/15.json?print=true&page=2"))
    custom.action.trigger()
    dialog = custom.dialog
    dialog.name.setText("printTopic")
    dialog.accept()
    assert dialog.isVisible() and "Save again to replace it" in dialog.error.text()
    assert [p.name for p in CustomMethodStore(home.custom_methods_file).methods()[0].params] == [
        "t_id",
        "print",
    ]
    dialog.accept()
    assert not dialog.isVisible()
    (method,) = CustomMethodStore(home.custom_methods_file).methods()
    assert [p.name for p in method.params] == ["t_id", "print", "page"]
    assert method.description == "Printable"  # kept when none is given
    assert window.editor.spec().arguments == {"t_id": "15", "print": "true", "page": "2"}
