"""Ctrl+S and collections: a new tab is saved into a collection (collection, folder, name), a tab from a
collection is saved back to its file, no key is written, and without a collection the file dialog stays."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any

from PySide6.QtCore import Qt

from explorer.core.collections.folder import Collection
from explorer.core.lifecycle import RequestSpec
from explorer.sandbox.demo import DemoCredentials
from explorer.ui.widgets.collection_dialogs import PLAIN_FILE, SaveDialog
from explorer.ui.widgets.request_tabs import UNSAVED_MARK

DEMO = DemoCredentials(url="http://127.0.0.1:9")  # profiles only: these tests never send
SECRET = "collection-save-secret-7c2e91d04b"
CTRL = Qt.KeyboardModifier.ControlModifier


def _type_id(qtbot: Any, window: Any, value: str) -> None:
    edit = window.editor.form.fields["id"].edit
    edit.clear()
    qtbot.keyClicks(edit, value)


def _save_dialog(qtbot: Any, window: Any) -> SaveDialog:
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
    dialog = window.collections.dialog
    assert isinstance(dialog, SaveDialog) and dialog.isVisible() and dialog.isModal()  # open(), not exec()
    return dialog


def _team(tmp_path: Path, window: Any, *, with_request: bool = False) -> Collection:
    """A collection "Team" open in the window; with `with_request`, holding "Get topic" (id 1)."""
    collection = Collection.create(tmp_path / "team", "Team")
    if with_request:
        collection.save_request(
            "Get topic", RequestSpec(api="discourse", method_id="getTopic", arguments={"id": "1"})
        )
    window.collections.open_folder(collection.directory)
    return collection


def test_a_tab_is_saved_into_a_collection_then_back_to_its_file(
    qtbot: Any, make_window: Any, tmp_path: Path
) -> None:
    window = make_window(demo=DEMO)
    collection = Collection.create(tmp_path / "team", "Team requests")
    collection.create_folder("Topics")
    window.collections.open_folder(collection.directory)
    window.browser.select_method("discourse:getTopic")
    _type_id(qtbot, window, "42")
    window.editor.headers.add_header("Api-Key", SECRET)

    dialog = _save_dialog(qtbot, window)
    assert [dialog.target.itemText(i) for i in range(dialog.target.count())] == ["Team requests", PLAIN_FILE]
    assert [dialog.folder_box.itemText(i) for i in range(dialog.folder_box.count())] == ["(top)", "Topics"]
    dialog.choose(dialog.collection(), PurePosixPath("Topics"), "Read topic")
    dialog.accept()
    path = collection.directory / "Topics" / "Read topic.json"
    assert path.is_file()
    text = path.read_text(encoding="utf-8")
    assert SECRET not in text
    saved = RequestSpec.loads(text)
    assert (saved.method_id, saved.arguments.get("id")) == ("getTopic", "42")
    tabs = window.request_tabs
    assert tabs.current.file == str(path) and not tabs.current.unsaved
    assert "    Read topic" in window.collections.panel.row_texts()

    # Edited, then Ctrl+S: written back to the same file at once, no question.
    _type_id(qtbot, window, "43")
    assert tabs.tab_text(tabs.current_index).endswith(UNSAVED_MARK)
    window.collections.dialog = None
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
    assert window.collections.dialog is None
    assert RequestSpec.loads(path.read_text(encoding="utf-8")).arguments.get("id") == "43"
    assert not tabs.current.unsaved


def test_a_request_opened_from_a_collection_is_saved_back(
    qtbot: Any, make_window: Any, tmp_path: Path
) -> None:
    window = make_window(demo=DEMO)
    collection = _team(tmp_path, window, with_request=True)
    window.collections.open_item(collection, collection.item("Get topic.json"))
    _type_id(qtbot, window, "{{topic_id}}")
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
    saved = RequestSpec.loads((collection.directory / "Get topic.json").read_text(encoding="utf-8"))
    assert saved.arguments.get("id") == "{{topic_id}}"  # the reference is kept as written, not its value


def test_a_bad_name_is_refused_in_the_dialog(qtbot: Any, make_window: Any, tmp_path: Path) -> None:
    window = make_window(demo=DEMO)
    collection = _team(tmp_path, window)
    dialog = _save_dialog(qtbot, window)
    dialog.choose(dialog.collection(), name="  ")
    dialog.accept()
    assert dialog.isVisible() and "the name is empty" in dialog.error.text()
    dialog.choose(dialog.collection(), name="a:b")
    dialog.accept()
    assert dialog.isVisible() and "cannot hold" in dialog.error.text()
    assert list(collection.directory.glob("*.json")) == [collection.directory / "collection.json"]


def test_plain_file_is_still_offered_and_is_the_only_way_without_a_collection(
    qtbot: Any, make_window: Any, tmp_path: Path
) -> None:
    window = make_window(demo=DEMO)
    tabs = window.request_tabs
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)  # no collection open: the file dialog, as before
    assert tabs.dialog is not None and tabs.dialog.isVisible()
    tabs.dialog.reject()
    tabs.dialog = None

    _team(tmp_path, window)
    dialog = _save_dialog(qtbot, window)
    dialog.choose(None)
    assert not dialog.name_edit.isEnabled()
    dialog.accept()
    assert tabs.dialog is not None and tabs.dialog.isVisible()  # then the plain file dialog
    tabs.dialog.reject()


def test_save_in_the_close_question_of_a_collection_tab_writes_its_file_and_closes_it(
    qtbot: Any, make_window: Any, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QMessageBox

    window = make_window(demo=DEMO)
    collection = _team(tmp_path, window, with_request=True)
    tabs = window.request_tabs
    window.collections.open_item(collection, collection.item("Get topic.json"))
    assert tabs.bar.count() == 2
    _type_id(qtbot, window, "77")

    qtbot.keyClick(window, Qt.Key.Key_W, CTRL)
    question = tabs.close_question
    assert question is not None and question.isVisible()
    question.done(QMessageBox.StandardButton.Save.value)

    assert tabs.dialog is None  # no file dialog: it goes back into its collection file
    saved = RequestSpec.loads((collection.directory / "Get topic.json").read_text(encoding="utf-8"))
    assert saved.arguments.get("id") == "77"
    assert tabs.bar.count() == 1
