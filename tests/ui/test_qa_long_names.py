"""Long collection and folder names (people name them after whole projects) keep the Save request dialog
on the screen; a collection damaged between two sessions is said, not dropped without a word."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from explorer.core.collections.folder import Collection
from explorer.sandbox.demo import DemoCredentials
from explorer.ui.widgets.collection_dialogs import SaveDialog

DEMO = DemoCredentials(url="http://127.0.0.1:9")  # profiles only: these tests never send
SMALL_SCREEN = 1024


def test_the_save_dialog_stays_narrow_with_long_collection_and_folder_names(
    qtbot: Any, make_window: Any, tmp_path: Path
) -> None:
    window = make_window(demo=DEMO)
    collection = Collection.create(tmp_path / "team", "Team " + "forum integration requests " * 10)
    collection.create_folder("Moderation " + "and reporting workflows " * 8 + "end")
    dialog = SaveDialog([collection], "A request title " * 10, window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.minimumSizeHint().width() <= SMALL_SCREEN * 3 // 4
    assert dialog.sizeHint().width() <= SMALL_SCREEN * 3 // 4
    assert dialog.target.currentText().startswith("Team forum integration")  # the name is all there


def test_a_collection_damaged_since_last_time_is_not_dropped_silently(
    make_window: Any, tmp_path: Path
) -> None:
    window = make_window(demo=DEMO)
    collection = Collection.create(tmp_path / "team", "Team requests")
    assert window.collections.open_folder(collection.directory) is not None
    window.save_state()
    window.close()
    # A `git pull` with a conflict in collection.json, between two sessions.
    (collection.directory / "collection.json").write_text(
        '<<<<<<< HEAD\n{"schema_version": 1, "name": "Team requests", "variables": {}}\n=======\n',
        encoding="utf-8",
    )
    again = make_window(demo=DEMO)
    again.collections.show_tab()
    assert again.collections.collections == []
    message = again.statusBar().currentMessage()
    assert "cannot be opened as a collection" in message and "collection.json" in message, message


def test_a_collection_whose_folder_was_deleted_outside_says_so(make_window: Any, tmp_path: Path) -> None:
    import shutil

    window = make_window(demo=DEMO)
    collection = Collection.create(tmp_path / "team", "Team requests")
    collection.save_request("Site", window.editor.spec())
    assert window.collections.open_folder(collection.directory) is not None
    shutil.rmtree(collection.directory)  # deleted in a file manager, or a branch without it checked out
    window.collections.poll()
    panel = window.collections.panel
    root = panel.tree.topLevelItem(0)
    # Not an empty collection that looks fine: marked, with the reason in its tooltip.
    assert root.text(0).endswith("(damaged)"), panel.row_texts()
    assert "no longer there" in root.toolTip(0)


def test_a_collection_json_damaged_while_open_is_said(make_window: Any, tmp_path: Path) -> None:
    window = make_window(demo=DEMO)
    collection = Collection.create(tmp_path / "team", "Team requests")
    collection.set_variables({"topic_id": "7"})
    assert window.collections.open_folder(collection.directory) is not None
    (collection.directory / "collection.json").write_text("<<<<<<< HEAD\n", encoding="utf-8")  # a merge
    window.collections.poll()
    message = window.statusBar().currentMessage()
    # Its variables stay the last good ones; the person editing the file learns why their edit has no effect.
    assert "collection.json" in message and "Team requests" in message, message
    assert window.collections.collections[0].variables == {"topic_id": "7"}
