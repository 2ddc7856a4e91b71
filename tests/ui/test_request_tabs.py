"""Request tabs: several requests at once, the unsaved dot, Save request as, and drafts across restarts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from explorer.core.catalog.model import Api
from explorer.core.lifecycle import RequestSpec
from explorer.core.paths import AppPaths
from explorer.sandbox.demo import DemoCredentials
from explorer.ui.tab_drafts import TabDrafts
from explorer.ui.widgets.request_tabs import UNSAVED_MARK

DEMO = DemoCredentials(url="http://127.0.0.1:9")  # profiles only: these tests never send
SECRET = "tab-draft-secret-5e1b7c0d93"
CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _texts(window: Any) -> list[str]:
    tabs = window.request_tabs
    return [tabs.tab_text(i) for i in range(tabs.bar.count())]


def _answer(tabs: Any, button: QMessageBox.StandardButton) -> None:
    box = tabs.close_question
    assert box is not None and box.isVisible() and box.isModal()  # opened, not exec()'d
    box.done(button.value)


def _type_id(qtbot: Any, window: Any, value: str) -> None:
    edit = window.editor.form.fields["id"].edit
    edit.clear()
    qtbot.keyClicks(edit, value)


def test_tabs_keep_their_own_requests_and_the_shortcuts_move_between_them(
    qtbot: Any, make_window: Any
) -> None:
    window = make_window(demo=DEMO)
    tabs = window.request_tabs
    assert _texts(window) == ["listLatestTopics"]  # the first method, clean
    window.browser.select_method("discourse:getTopic")
    assert _texts(window) == ["getTopic"]  # choosing a method changes the tab in front
    _type_id(qtbot, window, "42")
    assert _texts(window) == ["getTopic" + UNSAVED_MARK]

    qtbot.keyClick(window, Qt.Key.Key_T, CTRL)
    assert tabs.bar.count() == 2 and tabs.current_index == 1
    assert window.editor.method is None and window.editor.spec().api == "discourse"  # empty, same API
    assert _texts(window)[1] == "New request"
    window.browser.select_method("discourse:getTopic")
    _type_id(qtbot, window, "7")

    qtbot.keyClick(window, Qt.Key.Key_Tab, CTRL)  # wraps around to the first tab
    assert tabs.current_index == 0
    assert window.editor.spec().arguments.get("id") == "42"
    qtbot.keyClick(window, Qt.Key.Key_Backtab, CTRL_SHIFT)
    assert tabs.current_index == 1
    assert window.editor.spec().arguments.get("id") == "7"
    assert window.browser.current_method().key == "discourse:getTopic"

    qtbot.keyClick(window, Qt.Key.Key_W, CTRL)  # unsaved: closed once the user discards it
    _answer(tabs, QMessageBox.StandardButton.Discard)
    assert tabs.bar.count() == 1 and window.editor.spec().arguments.get("id") == "42"
    qtbot.keyClick(window, Qt.Key.Key_W, CTRL)  # the last tab is never closed: it becomes empty
    _answer(tabs, QMessageBox.StandardButton.Discard)
    assert tabs.bar.count() == 1 and _texts(window) == ["New request"]
    assert window.editor.method is None and window.editor.spec().url == ""


def test_save_request_as_writes_the_tab_and_clears_its_dot(
    qtbot: Any, make_window: Any, tmp_path: Path
) -> None:
    window = make_window(demo=DEMO)
    tabs = window.request_tabs
    window.browser.select_method("discourse:getTopic")
    _type_id(qtbot, window, "42")
    window.editor.headers.add_header("Api-Key", SECRET)
    assert _texts(window)[0].endswith(UNSAVED_MARK)

    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
    dialog = tabs.dialog
    assert dialog is not None and dialog.isVisible() and dialog.isModal()  # opened, not exec()'d
    target = tmp_path / "get-topic.json"
    dialog.selectFile(str(target))
    dialog.accept()
    qtbot.waitUntil(target.exists)
    saved = RequestSpec.loads(target.read_text(encoding="utf-8"))
    assert (saved.method_id, saved.arguments.get("id")) == ("getTopic", "42")
    assert SECRET not in target.read_text(encoding="utf-8")
    assert _texts(window) == ["getTopic"] and tabs.current.file == str(target)

    _type_id(qtbot, window, "43")  # edited after saving: unsaved again
    assert _texts(window) == ["getTopic" + UNSAVED_MARK]
    _type_id(qtbot, window, "42")  # back to what the file holds: clean again
    assert _texts(window) == ["getTopic"]


def test_tabs_and_their_contents_survive_closing_and_reopening_the_window(
    qtbot: Any, make_window: Any, home: AppPaths
) -> None:
    window = make_window(demo=DEMO)
    window.browser.select_method("discourse:getTopic")
    _type_id(qtbot, window, "42")
    window.request_tabs.new_tab(RequestSpec(api="discourse", verb="POST", url="/custom/thing.json"))
    window.editor.headers.add_header("Api-Key", SECRET)
    window.editor.headers.add_header("X-Trace", "kept")
    assert any(p.value == SECRET for p in window.editor.spec().headers)
    keeper = window.request_tabs.findChild(TabDrafts)
    assert keeper is not None and keeper.pending  # written shortly after the edit, not at every key
    window.close()

    text = home.drafts_file.read_text(encoding="utf-8")
    assert SECRET not in text and "X-Trace" in text
    assert json.loads(text)["active"] == 1

    again = make_window(demo=DEMO)
    tabs = again.request_tabs
    assert tabs.restored and tabs.bar.count() == 2 and tabs.current_index == 1
    spec = again.editor.spec()
    assert (spec.verb, spec.url) == ("POST", "/custom/thing.json")
    assert [(p.name, p.value) for p in spec.headers][-1] == ("X-Trace", "kept")
    assert _texts(again)[0] == "getTopic" + UNSAVED_MARK  # still unsaved: it never went to a file
    tabs.bar.setCurrentIndex(0)
    assert again.editor.method is not None and again.editor.method.key == "discourse:getTopic"
    assert again.editor.spec().arguments.get("id") == "42"


def test_a_damaged_drafts_file_is_set_aside_with_a_notice(make_window: Any, home: AppPaths) -> None:
    home.drafts_file.parent.mkdir(parents=True, exist_ok=True)
    home.drafts_file.write_text('{"schema_version": 1, "tabs": [', encoding="utf-8")
    window = make_window(demo=DEMO)
    kept = list(home.data.glob("drafts.json.broken-*"))
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == '{"schema_version": 1, "tabs": ['
    assert not home.drafts_file.exists() or "tabs" in home.drafts_file.read_text(encoding="utf-8")
    message = window.statusBar().currentMessage()
    assert "could not be restored" in message and kept[0].name in message
    assert window.request_tabs.bar.count() == 1 and not window.request_tabs.restored
    assert _texts(window) == ["listLatestTopics"]  # a normal start otherwise


def test_dragging_a_tab_moves_its_request_with_it(qtbot: Any, make_window: Any, home: AppPaths) -> None:
    window = make_window(demo=DEMO)
    tabs = window.request_tabs
    tabs.new_tab(RequestSpec(api="discourse", verb="GET", url="/first.json"))
    tabs.new_tab(RequestSpec(api="discourse", verb="GET", url="/second.json"))
    assert _texts(window) == ["listLatestTopics", "GET /first.json", "GET /second.json"]
    tabs.bar.moveTab(2, 0)  # what dragging does
    assert _texts(window) == ["GET /second.json", "listLatestTopics", "GET /first.json"]
    assert tabs.current_index == 0 and window.editor.spec().url == "/second.json"
    tabs.bar.setCurrentIndex(2)
    assert window.editor.spec().url == "/first.json"
    keeper = window.request_tabs.findChild(TabDrafts)
    assert keeper is not None
    keeper.save()
    stored = json.loads(home.drafts_file.read_text(encoding="utf-8"))
    assert [t["spec"].get("url") or t["spec"]["method"] for t in stored["tabs"]] == [
        "/second.json",
        "listLatestTopics",
        "/first.json",
    ]


def test_a_restored_tab_of_the_other_api_uses_that_apis_profile(qtbot: Any, make_window: Any) -> None:
    window = make_window(demo=DEMO)
    window.request_tabs.new_tab(RequestSpec(api="disqus", verb="GET", url="/api/get_forum_list/"))
    assert window.editor.target is not None and window.editor.target.api == Api.DISQUS
    window.close()

    again = make_window(demo=DEMO)
    assert again.editor.spec().api == "disqus"
    assert again.editor.target is not None and again.editor.target.api == Api.DISQUS
    assert again.switcher.current_id() == again.editor.target.profile_id


def test_ctrl_page_down_and_up_also_move_between_tabs(qtbot: Any, make_window: Any) -> None:
    window = make_window(demo=DEMO)
    window.request_tabs.new_tab()
    assert window.request_tabs.current_index == 1
    qtbot.keyClick(window, Qt.Key.Key_PageDown, CTRL)
    assert window.request_tabs.current_index == 0
    qtbot.keyClick(window, Qt.Key.Key_PageUp, CTRL)
    assert window.request_tabs.current_index == 1


def test_closing_a_tab_with_unsaved_changes_asks_and_cancel_keeps_it(qtbot: Any, make_window: Any) -> None:
    window = make_window(demo=DEMO)
    tabs = window.request_tabs
    window.browser.select_method("discourse:getTopic")
    tabs.new_tab()
    window.browser.select_method("discourse:getTopic")
    _type_id(qtbot, window, "7")

    qtbot.keyClick(window, Qt.Key.Key_W, CTRL)
    assert "getTopic" in tabs.close_question.text()
    _answer(tabs, QMessageBox.StandardButton.Cancel)
    assert tabs.bar.count() == 2 and window.editor.spec().arguments.get("id") == "7"

    tabs.new_tab()  # a new, untouched request closes without a question
    qtbot.keyClick(window, Qt.Key.Key_W, CTRL)
    assert tabs.close_question is None and tabs.bar.count() == 2


def test_save_in_the_close_question_writes_the_tab_then_closes_it(
    qtbot: Any, make_window: Any, tmp_path: Path
) -> None:
    window = make_window(demo=DEMO)
    tabs = window.request_tabs
    tabs.new_tab()
    window.browser.select_method("discourse:getTopic")
    _type_id(qtbot, window, "9")
    tabs.switch_by(-1)  # the unsaved tab is not in front when its close button is pressed
    tabs.close_tab(1)
    _answer(tabs, QMessageBox.StandardButton.Save)
    assert tabs.current_index == 1  # brought to front for Save as
    target = tmp_path / "nine.json"
    tabs.dialog.selectFile(str(target))
    tabs.dialog.accept()
    qtbot.waitUntil(lambda: tabs.bar.count() == 1)
    assert RequestSpec.loads(target.read_text(encoding="utf-8")).arguments.get("id") == "9"


def test_a_value_the_profile_fills_in_is_not_an_unsaved_change(
    qtbot: Any, make_window: Any, tmp_path: Path
) -> None:
    window = make_window(demo=DEMO)
    saved = tmp_path / "forum key.json"
    saved.write_text(RequestSpec(api="disqus", method_id="get_forum_api_key").dumps(), encoding="utf-8")
    window.open_request_file(saved)  # the Disqus profile fills forum_id in as the request is shown
    forum = window.editor.form.fields["forum_id"]
    assert str(forum.value()) == DEMO.disqus_forum_id
    tabs = window.request_tabs
    tabs.sync_current()
    tabs.refresh_titles()
    assert not _texts(window)[-1].endswith(UNSAVED_MARK)
    assert not tabs.current.unsaved  # closing it asks nothing
    forum.set_value("2002")  # typed by the user: that is an edit
    tabs.sync_current()
    assert tabs.current.unsaved


def test_a_tab_opened_before_the_profiles_load_gets_no_dot_from_the_forum_they_fill_in(
    qtbot: Any, qloop: Any, home: AppPaths
) -> None:
    from explorer.core.profiles import MemorySecretStore
    from explorer.ui.main_window import MainWindow
    from explorer.ui.services import Services

    services = Services.create(home, secrets=MemorySecretStore(), start_sandbox=False)
    services.attach_sandbox(DEMO)
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.open_first_method("disqus:get_forum_posts")  # start-up: the tab opens, then the profiles load
    window.show()
    qtbot.waitUntil(lambda: window.editor.painted)
    window.load_profiles()  # fills forum_id in from the Disqus profile
    try:
        assert str(window.editor.form.fields["forum_id"].value()) == DEMO.disqus_forum_id
        assert _texts(window) == ["get_forum_posts"]  # no unsaved dot
    finally:
        qloop.run_until_complete(services.aclose())



def test_a_request_file_opens_clean_even_where_the_form_reads_its_text_as_a_number(make_window: Any) -> None:
    window = make_window(demo=DEMO)
    example = Path(__file__).resolve().parents[2] / "docs/examples/collection/03 What a user did.json"
    assert '"offset": "0"' in example.read_text(encoding="utf-8")  # the form's integer field reads it as 0
    window.open_request_file(example)
    assert _texts(window)[-1] == "What a user did"  # no unsaved dot: nothing was edited
