"""The Collections tab: open a folder, its requests listed, rename/duplicate/move/delete on disk, outside
changes shown after the poll, damaged files listed with their error, double-click opens a tab."""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from explorer.core.collections.folder import Collection
from explorer.core.lifecycle import RequestSpec
from explorer.core.paths import AppPaths
from explorer.sandbox.demo import DemoCredentials

DEMO = DemoCredentials(url="http://127.0.0.1:9")  # profiles only: these tests never send


def spec(method_id: str, **arguments: Any) -> RequestSpec:
    return RequestSpec(api="discourse", method_id=method_id, arguments=arguments)


def make_collection(root: Path) -> Collection:
    collection = Collection.create(root / "forum-requests", "Forum requests")
    collection.save_request("Topics/01 List latest", spec("listLatestTopics"))
    collection.save_request("Topics/02 Get topic", spec("getTopic", id="{{topic_id}}"))
    collection.save_request("Site", spec("getSite"))
    collection.set_variables({"topic_id": "1"})
    return collection


def open_tab(window: Any, directory: Path) -> Any:
    collections = window.collections
    assert collections.open_folder(directory) is not None
    assert window.history.sidebar.currentWidget() is collections.panel
    return collections.panel


def answer_text(panel: Any, text: str) -> None:
    panel.ask_text = lambda _title, _label, _start, on_ok: on_ok(text)


def test_a_folder_opens_as_a_collection_and_lists_its_requests(
    qtbot: Any, make_window: Any, tmp_path: Path
) -> None:
    window = make_window(demo=DEMO)
    sidebar = window.history.sidebar
    assert [sidebar.tabText(i) for i in range(sidebar.count())] == ["Methods", "History", "Collections"]
    collection = make_collection(tmp_path)
    (collection.directory / "Broken.json").write_text("{ not json", encoding="utf-8")
    panel = open_tab(window, collection.directory)
    assert panel.row_texts() == [
        "Forum requests",
        "  Broken (damaged)",
        "  Site",
        "  Topics",
        "    01 List latest",
        "    02 Get topic",
    ]
    broken = panel.tree.topLevelItem(0).child(0)
    assert broken.toolTip(0).startswith("not JSON: ")  # the reader's own message, as the tooltip
    # Double-click (itemActivated) opens the request in a new tab, remembered as saved to its file.
    topics = panel.tree.topLevelItem(0).child(2)
    get_topic = topics.child(1)
    panel.tree.itemActivated.emit(get_topic, 0)
    tab = window.request_tabs.current
    assert tab.file == str(collection.directory / "Topics" / "02 Get topic.json")
    assert window.editor.method is not None and window.editor.method.id == "getTopic"
    assert not tab.unsaved
    # A damaged file opens nothing and says why.
    tabs_before = len(window.request_tabs.tabs)
    panel.tree.itemActivated.emit(broken, 0)
    assert len(window.request_tabs.tabs) == tabs_before
    assert "cannot be opened" in window.statusBar().currentMessage()


def test_rename_duplicate_move_and_delete_change_the_files(
    qtbot: Any, make_window: Any, tmp_path: Path
) -> None:
    window = make_window(demo=DEMO)
    collection = make_collection(tmp_path)
    panel = open_tab(window, collection.directory)
    root = collection.directory

    # F2 on the selected row renames it (the keys work while the tree has the focus).
    assert panel.select(collection, PurePosixPath("Site.json"))
    answer_text(panel, "About the site")
    panel.tree.setFocus()
    qtbot.waitUntil(panel.tree.hasFocus)
    qtbot.keyClick(panel.tree, Qt.Key.Key_F2)
    assert (root / "About the site.json").is_file() and not (root / "Site.json").exists()
    assert "  About the site" in panel.row_texts()

    assert panel.select(collection, PurePosixPath("About the site.json"))
    panel.duplicate_selected()
    assert (root / "About the site copy.json").is_file()

    assert panel.select(collection, PurePosixPath("About the site copy.json"))
    panel.ask_choice = lambda _title, _label, choices, on_ok: on_ok(next(c for c in choices if c == "Topics"))
    panel.move_selected()
    assert (root / "Topics" / "About the site copy.json").is_file()

    # Delete asks first: a "no" keeps the file, a "yes" removes it.
    assert panel.select(collection, PurePosixPath("Topics/About the site copy.json"))
    asked: list[str] = []
    panel.confirm = lambda _title, text, _on_yes: asked.append(text)
    qtbot.keyClick(panel.tree, Qt.Key.Key_Delete)
    assert asked and "About the site copy" in asked[0]
    assert (root / "Topics" / "About the site copy.json").is_file()
    panel.confirm = lambda _title, _text, on_yes: on_yes()
    panel.delete_selected()
    assert not (root / "Topics" / "About the site copy.json").exists()

    assert panel.select(collection, None)
    answer_text(panel, "Posts")
    panel.new_folder()
    assert (root / "Posts").is_dir()
    assert "  Posts" in panel.row_texts()

    # A name the disk cannot take is refused with the reason, and nothing changes.
    assert panel.select(collection, PurePosixPath("About the site.json"))
    answer_text(panel, "a/b")
    panel.rename_selected()
    assert (root / "About the site.json").is_file()
    assert window.statusBar().currentMessage().startswith("Could not rename About the site:")


def test_f2_on_a_collections_own_row_renames_the_collection(
    qtbot: Any, make_window: Any, tmp_path: Path
) -> None:
    window = make_window(demo=DEMO)
    collection = make_collection(tmp_path)
    panel = open_tab(window, collection.directory)
    assert panel.select(collection, None)
    answer_text(panel, "Forum checks")
    panel.tree.setFocus()
    qtbot.waitUntil(panel.tree.hasFocus)
    qtbot.keyClick(panel.tree, Qt.Key.Key_F2)
    settings = json.loads((collection.directory / "collection.json").read_text(encoding="utf-8"))
    assert settings["name"] == "Forum checks" and settings["variables"] == {"topic_id": "1"}
    assert panel.row_texts()[0] == "Forum checks"
    assert collection.directory.is_dir()  # the folder keeps its name
    assert Collection.open(collection.directory).name == "Forum checks"


def test_the_empty_tabs_message_is_in_the_normal_text_colour(make_window: Any) -> None:
    window = make_window(demo=DEMO)
    window.collections.show_tab()
    label = window.collections.panel.empty
    assert label.isEnabled()  # a disabled label is drawn in the palette's faint grey
    normal = QApplication.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.WindowText)
    assert label.palette().color(QPalette.ColorRole.WindowText) == normal


def test_the_context_menu_offers_what_fits_the_row(make_window: Any, tmp_path: Path) -> None:
    window = make_window(demo=DEMO)
    collection = make_collection(tmp_path)
    panel = open_tab(window, collection.directory)
    panel.select(collection, PurePosixPath("Site.json"))
    texts = [a.text() for a in panel.context_menu().actions() if a.text()]
    assert texts[:6] == [
        "Open in a new tab",
        "New folder…",
        "Rename…\tF2",
        "Duplicate",
        "Move to folder…",
        "Delete…\tDel",
    ]
    panel.select(collection, None)
    texts = [a.text() for a in panel.context_menu().actions() if a.text()]
    assert {"Run", "Variables…", "Close collection", "Import collection…"} <= set(texts)


def test_a_change_made_outside_the_app_shows_after_the_poll(make_window: Any, tmp_path: Path) -> None:
    window = make_window(demo=DEMO)
    collection = make_collection(tmp_path)
    panel = open_tab(window, collection.directory)
    assert window.collections.timer.isActive()  # polling while the tab is in front
    assert window.collections.poll() is False  # nothing changed yet
    # As a `git pull` would: a new file, a removed one, a changed collection.json.
    (collection.directory / "Topics" / "03 Reply.json").write_text(
        spec("createTopicPostPM", topic_id="{{topic_id}}").dumps(), encoding="utf-8"
    )
    (collection.directory / "Site.json").unlink()
    assert window.collections.poll() is True
    rows = panel.row_texts()
    assert "    03 Reply" in rows and "  Site" not in rows
    # The poll stops while another tab of the sidebar is in front.
    window.history.search_methods()
    assert not window.collections.timer.isActive()


def test_open_collections_are_remembered_for_the_next_window(
    make_window: Any, tmp_path: Path, home: AppPaths
) -> None:
    window = make_window(demo=DEMO)
    collection = make_collection(tmp_path)
    open_tab(window, collection.directory)
    window.save_state()
    window.close()
    again = make_window(demo=DEMO)
    assert again.collections._collections is None  # nothing read at start-up
    again.collections.show_tab()
    assert [c.name for c in again.collections.collections] == ["Forum requests"]
    assert again.collections.recent() == [str(collection.directory.resolve())]
    # Closing a collection forgets it; its files stay.
    again.collections.close_collection(again.collections.collections[0])
    assert again.collections.collections == [] and (collection.directory / "Site.json").is_file()
    assert again.collections.panel.empty.isVisible()


def test_a_tab_follows_its_file_when_renamed_or_moved(make_window: Any, tmp_path: Path) -> None:
    window = make_window(demo=DEMO)
    collection = make_collection(tmp_path)
    panel = open_tab(window, collection.directory)
    window.collections.open_item(collection, collection.item("Site.json"))
    tab = window.request_tabs.current
    panel.select(collection, PurePosixPath("Site.json"))
    answer_text(panel, "Site settings")
    panel.rename_selected()
    assert tab.file == str(collection.directory / "Site settings.json")
    # Moving the folder a saved request is in: the tab follows it too.
    window.collections.open_item(collection, collection.item("Topics/02 Get topic.json"))
    inner = window.request_tabs.current
    assert panel.create_folder(collection, PurePosixPath("Archive"))
    assert panel.move_item(collection, PurePosixPath("Topics"), PurePosixPath("Archive"))
    assert inner.file == str(collection.directory / "Archive" / "Topics" / "02 Get topic.json")
    window.collections.save_current()  # saved back to where it is now, no question
    assert window.collections.dialog is None
    # A deleted file: its tab is saved nowhere now (Ctrl+S asks again).
    panel.select(collection, PurePosixPath("Site settings.json"))
    panel.confirm = lambda _title, _text, on_yes: on_yes()
    panel.delete_selected()
    assert tab.file is None


def test_new_collection_and_open_folder_ask_for_a_folder(make_window: Any, tmp_path: Path) -> None:
    window = make_window(demo=DEMO)
    collections = window.collections
    collections.panel.new_collection_requested.emit()
    dialog = collections.dialog
    assert dialog is not None and dialog.isVisible() and dialog.isModal()  # open(), not exec()
    dialog.fileSelected.emit(str(tmp_path / "fresh"))
    dialog.reject()
    assert (tmp_path / "fresh" / "collection.json").is_file()
    assert collections.panel.row_texts() == ["fresh"]
    # Open folder as collection… on a plain folder of request files (no collection.json) works too.
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "Latest.json").write_text(spec("listLatestTopics").dumps(), encoding="utf-8")
    collections.panel.open_folder_requested.emit()
    dialog = collections.dialog
    dialog.fileSelected.emit(str(plain))
    dialog.reject()
    assert collections.panel.row_texts()[-2:] == ["plain", "  Latest"]
    # A folder that is no folder is refused with the reason.
    assert collections.open_folder(tmp_path / "missing") is None
    assert "cannot be opened as a collection" in window.statusBar().currentMessage()
