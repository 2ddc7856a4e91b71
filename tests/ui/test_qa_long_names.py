"""Long collection and folder names (people name them after whole projects) keep the Save request dialog
on the screen: the names are shortened in their boxes, not the dialog stretched past the screen's edge."""

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
