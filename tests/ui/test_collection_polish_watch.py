"""Changes made outside the app reach the Collections tab without waiting for the poll: the file watcher,
the tab brought to the front (even from a hidden sidebar), the window activated. Driven explicitly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent

from explorer.core.collections.folder import Collection
from explorer.core.collections.naming import COLLECTION_FILE
from explorer.core.lifecycle import RequestSpec
from tests.ui.test_collections_panel import DEMO, make_collection, open_tab

REPLY = RequestSpec(api="discourse", method_id="createTopicPostPM", arguments={"raw": "A reply."})


def _write(path: Path) -> None:
    path.write_text(REPLY.dumps(), encoding="utf-8")


def _opened(make_window: Any, tmp_path: Path) -> tuple[Any, Collection, Any]:
    """A window with the sample collection open in its Collections tab: the window, collection and panel."""
    window = make_window(demo=DEMO)
    collection = make_collection(tmp_path)
    return window, collection, open_tab(window, collection.directory)


def test_the_watcher_watches_every_listed_folder_and_its_signal_refreshes_the_tab(
    make_window: Any, tmp_path: Path
) -> None:
    window, collection, panel = _opened(make_window, tmp_path)
    watch = window.collections.watch
    topics = collection.directory / "Topics"
    assert set(watch.watcher.directories()) == {str(collection.directory), str(topics)}
    assert watch.watcher.files() == [str(collection.directory / COLLECTION_FILE)]

    _write(topics / "03 Reply.json")
    watch.watcher.directoryChanged.emit(str(topics))
    assert watch.settle.isActive()  # one read once a burst of changes (a git pull) settles
    watch.settle.timeout.emit()
    assert "    03 Reply" in panel.row_texts()

    # A new folder is watched from the next read on; a closed collection is not watched any more.
    (collection.directory / "Users").mkdir()
    _write(collection.directory / "Users" / "Me.json")
    watch.watcher.directoryChanged.emit(str(collection.directory))
    watch.settle.timeout.emit()
    assert str(collection.directory / "Users") in watch.watcher.directories()
    window.collections.close_collection(window.collections.collections[0])
    assert watch.watcher.directories() == [] and watch.watcher.files() == []


def test_a_change_while_another_tab_is_in_front_shows_when_the_tab_is_shown(
    make_window: Any, tmp_path: Path
) -> None:
    window, collection, panel = _opened(make_window, tmp_path)
    watch = window.collections.watch
    window.history.search_methods()  # the Methods tab in front
    assert not watch.timer.isActive()

    _write(collection.directory / "Topics" / "03 Reply.json")
    watch.watcher.directoryChanged.emit(str(collection.directory / "Topics"))
    assert not watch.settle.isActive()  # hidden: nothing is read now
    assert "    03 Reply" not in panel.row_texts()
    window.collections.show_tab()
    assert "    03 Reply" in panel.row_texts()
    assert watch.timer.isActive()


def test_a_change_while_the_sidebar_is_hidden_shows_when_the_tab_is_shown_again(
    make_window: Any, tmp_path: Path
) -> None:
    window, collection, panel = _opened(make_window, tmp_path)
    window.history.sidebar.hide()
    (collection.directory / "Site.json").unlink()
    window.collections.show_tab()  # Ctrl+E: the Collections tab was in front all along
    assert "  Site" not in panel.row_texts()


def test_activating_the_window_looks_again_when_the_tab_is_in_front(make_window: Any, tmp_path: Path) -> None:
    window, collection, panel = _opened(make_window, tmp_path)
    _write(collection.directory / "Topics" / "03 Reply.json")  # as a git pull in a terminal would
    QCoreApplication.sendEvent(window, QEvent(QEvent.Type.WindowActivate))
    assert "    03 Reply" in panel.row_texts()

    window.history.search_methods()  # another tab in front: nothing is read
    (collection.directory / "Site.json").unlink()
    QCoreApplication.sendEvent(window, QEvent(QEvent.Type.WindowActivate))
    assert "  Site" in panel.row_texts()
