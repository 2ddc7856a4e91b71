"""The window's parts: method search, generated form widgets, profiles, response badges, Explain, keyboard."""

from __future__ import annotations

import json
import sys
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox

from explorer.core.catalog.model import Api, Param
from explorer.core.http.result import ExecutionResult
from explorer.core.prepared import PreparedRequest
from explorer.ui.widgets.argument_form import create_field
from explorer.ui.widgets.fields import BoolField, EnumField, MultiEnumField, MultilineField, NumberField
from explorer.ui.widgets.fields_extra import ArrayField, DateTimeField, FileField, JsonField
from explorer.ui.widgets.profile_dialog import ProfileDialog
from explorer.ui.widgets.response_pane import ResponsePane


def test_search_filters_by_name_path_operation_id_and_description(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    browser = window.browser
    everything = len(browser.visible_methods())
    assert everything > 150  # both catalogs are listed
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert browser.search.hasFocus()
    qtbot.keyClicks(browser.search, "/session/current")
    assert [m.key for m in browser.visible_methods()] == ["discourse:getCurrentSession"]
    assert window.editor.method.key == "discourse:listLatestTopics"  # filtering picks nothing
    browser.search.setText("get_user_name")
    assert [m.key for m in browser.visible_methods()] == ["disqus:get_user_name"]
    catalog = window.services.catalogs[Api.DISCOURSE]
    word = catalog.method("listLatestTopics").summary.split()[-1]
    browser.search.setText(word)
    assert "discourse:listLatestTopics" in [m.key for m in browser.visible_methods()]
    browser.search.setText("undocumented")
    shown = browser.visible_methods()
    assert shown and all(not m.documented for m in shown)
    browser.search.clear()
    assert len(browser.visible_methods()) == everything


def test_form_generates_the_right_widget_for_each_parameter_type(qtbot: Any, tmp_path: Any) -> None:
    def make(**kw: Any) -> Any:
        widget = create_field(Param(name=kw.pop("name", "x"), location=kw.pop("location", "query"), **kw))
        qtbot.addWidget(widget)
        return widget

    flags = make(name="filter", enum=("new", "spam", "killed"), multi_enum=True)
    assert isinstance(flags, MultiEnumField)
    flags.boxes["new"].setChecked(True)
    flags.boxes["spam"].setChecked(True)
    assert flags.value() == ["new", "spam"]

    optional_bool = make(type="boolean")
    assert isinstance(optional_bool, BoolField) and optional_bool.value() is None  # tri-state: unset
    optional_bool.set_value(False)
    assert optional_bool.value() is False
    assert make(type="boolean", required=True).value() is False

    order = make(enum=("created", "activity"), default="activity")
    assert isinstance(order, EnumField) and order.value() is None
    order.set_value("created")
    assert order.value() == "created"

    limit = make(type="integer", minimum=1, maximum=100, default=25)
    assert isinstance(limit, NumberField) and limit.edit.placeholderText() == "default: 25"
    limit.set_value("500")
    assert limit.value() == 500  # out of range: the form says so in the core's words (see test_fields.py)

    since = make(name="since", format="disqus-datetime")
    assert isinstance(since, DateTimeField) and since.value() is None
    since.set_value("2009-03-30T15:41")
    assert since.value() == "2009-03-30T15:41"
    iso = make(format="date-time", required=True)
    iso.set_value("2024-05-01T10:00:00Z")
    assert iso.value() == "2024-05-01T10:00:00Z"

    upload = make(name="file", location="body", type="file")
    assert isinstance(upload, FileField)
    upload.set_value(tmp_path / "missing.png")
    assert "no such file" in upload.local_error()

    ids = make(name="post_ids[]", type="integer", array=True)
    assert isinstance(ids, ArrayField)
    ids.items()[0].set_value("1")
    ids.add_row("2")
    assert ids.value() == [1, 2]

    blob = make(type="object")
    assert isinstance(blob, JsonField)
    blob.set_value('{"a": ')
    assert "line 1" in blob.local_error()
    blob.set_value({"a": 1})
    assert blob.value() == {"a": 1}

    assert isinstance(make(name="raw", location="body"), MultilineField)
    described = make(name="title", description="The topic's title")
    assert described.toolTip() == "The topic's title"


def test_required_fields_are_marked_and_descriptions_are_tooltips(make_window: Any) -> None:
    window = make_window()
    window.browser.select_method("discourse:createTopicPostPM")
    form = window.editor.form
    raw = form.fields["raw"]
    assert raw.param.required
    label = form.widget().findChildren(type(form.error_labels["raw"]))
    assert any(lab.text().startswith("raw <span") for lab in label)  # the red asterisk
    assert not any(lab.text().startswith("title <span") for lab in label)  # optional: no asterisk
    assert raw.param.description and raw.toolTip().startswith(raw.param.description)
    placeholder = form.fields["category"].edit.placeholderText()
    example = form.fields["category"].param.example
    assert placeholder == (f"e.g. {example}" if example is not None else "")
    docs = window.editor.docs_view.toPlainText()
    assert "createTopicPostPM" in docs and "Parameters" in docs and "target_recipients" in docs


def test_profile_manager_create_mask_reveal_duplicate_delete_and_test_connection(
    qtbot: Any, qloop: Any, make_window: Any, sandbox_server: Any, monkeypatch: Any
) -> None:
    window = make_window(demo=sandbox_server)
    dialog = ProfileDialog(window.services, None)
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 2  # the two sandbox profiles, built in
    assert not dialog.save_button.isEnabled() and not dialog.delete_button.isEnabled()

    dialog.new_profile()
    dialog.name.setText("My sandbox admin")
    dialog.base_url.setText(sandbox_server.url)
    dialog.kind.select_value("api_key")
    dialog.credential_edits["api_username"].setText("system")
    secret = dialog.credential_edits["api_key"]
    from explorer.sandbox.demo import DISCOURSE_ADMIN_KEY

    secret.setText(DISCOURSE_ADMIN_KEY)
    assert secret.echoMode() == QLineEdit.EchoMode.Password
    dialog.reveal_buttons["api_key"].click()
    assert secret.echoMode() == QLineEdit.EchoMode.Normal
    dialog.reveal_buttons["api_key"].click()
    assert secret.echoMode() == QLineEdit.EchoMode.Password
    assert dialog.save_profile(), dialog.error.text()
    saved = window.services.profiles.get_by_name("My sandbox admin")
    assert saved is not None and DISCOURSE_ADMIN_KEY not in json.dumps(saved.to_json())
    assert DISCOURSE_ADMIN_KEY not in window.services.profiles.path.read_text()  # the file never holds keys
    assert window.services.profiles.credentials(saved)["api_key"] == DISCOURSE_ADMIN_KEY

    async def probe() -> str:
        dialog.test_connection()
        await dialog._task
        return dialog.test_result.text()

    assert "You act as system (admin)" in qloop.run_until_complete(probe())

    dialog.duplicate_profile()
    assert window.services.profiles.get_by_name("My sandbox admin (copy)") is not None
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    dialog.delete_button.click()
    assert window.services.profiles.get_by_name("My sandbox admin (copy)") is None

    # A bad base URL is reported next to the form, nothing is saved.
    dialog.new_profile()
    dialog.base_url.setText("ftp://nope")
    assert not dialog.save_profile()
    assert "base_url" in dialog.error.text()


def test_disqus_test_connection_names_the_user(
    qtbot: Any, qloop: Any, make_window: Any, sandbox_server: Any
) -> None:
    window = make_window(demo=sandbox_server)
    disqus = next(p for p in window.services.profiles.list() if p.api == Api.DISQUS)
    dialog = ProfileDialog(window.services, disqus.id)
    qtbot.addWidget(dialog)

    async def probe() -> str:
        dialog.test_connection()
        await dialog._task
        return dialog.test_result.text()

    assert qloop.run_until_complete(probe()).startswith("Connected. The user key belongs to")


def _result(status: int, body: bytes, headers: tuple[tuple[str, str], ...] = ()) -> ExecutionResult:
    request = PreparedRequest(
        "GET", "http://127.0.0.1:1/latest.json", headers=(("Api-Key", "s3cret"),), api="discourse"
    )
    return ExecutionResult(
        request=request,
        status=status,
        reason="",
        headers=(("Content-Type", "application/json"), *headers),
        body=body,
        size=len(body),
        elapsed_s=0.25,
        sent_headers=(("Api-Key", "s3cret"),),
    )


def test_response_pane_badges_tabs_and_a_429_countdown(qtbot: Any) -> None:
    pane = ResponsePane()
    qtbot.addWidget(pane)
    assert pane.stack.count() == 1  # until the first response only the placeholder exists (start-up cost)
    body = json.dumps(
        {"errors": ["Slow down"], "error_type": "rate_limit", "extras": {"wait_seconds": 30}}
    ).encode()
    pane.show_result(_result(429, body, (("Retry-After", "30"),)))
    assert pane.status_badge.text().startswith("429")
    assert "#d97706" in pane.status_badge.styleSheet()  # 4xx amber
    assert pane.time_badge.text() == "250 ms"
    assert pane.tabs.currentWidget() is pane.explain_view  # an error opens Explain
    assert pane.explain_view.diagnosis.code == "discourse-rate-limit"
    assert 28 <= pane.explain_view.remaining_seconds() <= 30
    assert "Wait" in pane.explain_view.countdown.text()
    assert "s3cret" not in pane.request_view.toPlainText()
    assert pane.headers.rowCount() == 2

    pane.show_result(_result(200, b'{"topic_list": {"topics": []}}'))
    assert "#16a34a" in pane.status_badge.styleSheet()
    assert pane.tabs.currentWidget() is pane.body_holder
    assert pane.explain_view.countdown.isHidden()
    pane.show_tab("request")  # `--tab request` in automation
    assert pane.tabs.currentWidget() is pane.request_view
    with pytest.raises(ValueError):
        pane.show_tab("nope")


def test_a_long_url_while_sending_does_not_widen_the_response_pane(qtbot: Any) -> None:
    pane = ResponsePane()
    qtbot.addWidget(pane)
    pane.show()  # hidden widgets take no room in a layout
    before = pane.minimumSizeHint().width()
    query = tuple((f"param_{i}", "x" * 40) for i in range(20))
    pane.show_sending(PreparedRequest("GET", "http://127.0.0.1:1/api/get_forum_posts/", query=query))
    assert "get_forum_posts" in pane.note.text()
    pane.layout().activate()  # the layout recomputes its sizes now rather than on the next event
    assert pane.minimumSizeHint().width() == before  # the window would grow, and stay grown


def test_keyboard_shortcuts_and_cheat_sheet(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.editor.url_edit.hasFocus()
    qtbot.keyClick(
        window, Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    sheet = window.dialogs.current
    assert sheet is not None and sheet.isVisible()
    texts = [sheet.table.item(r, 1).text() for r in range(sheet.table.rowCount())]
    assert any("Send" in t for t in texts)
    sheet.close()
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    assert window.dialogs.current.windowTitle() == "Settings"
    window.dialogs.current.timeout.setValue(7)
    window.dialogs.current.accept()
    assert window.services.settings.request_timeout_s == 7


def test_unexpected_errors_become_a_dialog_not_a_traceback(
    qtbot: Any, make_window: Any, tmp_path: Any, caplog: Any
) -> None:
    from explorer.ui.app import ErrorReporter

    window = make_window()
    reporter = ErrorReporter(window, tmp_path / "explorer.log")
    reporter.install()
    try:
        for _ in range(3):  # a fault that repeats (say, in every repaint) opens one dialog, not three
            try:
                raise ValueError("the catalog cache is odd")
            except ValueError:
                sys.excepthook(*sys.exc_info())
    finally:
        reporter.uninstall()
    assert reporter.shown == ["the catalog cache is odd"]
    assert caplog.text.count("Traceback") == 3  # every occurrence is logged with its traceback
    assert sys.excepthook is not reporter.hook


def test_window_title_names_method_and_profile(make_window: Any, sandbox_server: Any) -> None:
    window = make_window(demo=sandbox_server)
    window.browser.select_method("disqus:get_forum_list")
    assert window.windowTitle().startswith("get_forum_list — Sandbox — Disqus 1.1")
    assert window.editor.url_edit.text().startswith(f"{sandbox_server.url}/disqus/api/get_forum_list/")
    assert "<redacted>" in window.editor.url_edit.text()  # Disqus keys travel in the query, masked here


def test_dark_scheme_switches_to_a_dark_palette_and_back(qapp: Any) -> None:
    from PySide6.QtGui import QPalette

    from explorer.ui import theme

    light = QPalette(qapp.palette())
    assert not theme.is_dark(light)
    try:
        theme.apply_colour_scheme(qapp, Qt.ColorScheme.Dark, light)
        assert theme.is_dark()
        theme.apply_colour_scheme(qapp, Qt.ColorScheme.Light, light)
        assert not theme.is_dark()
    finally:
        qapp.setPalette(light)


def test_a_damaged_profiles_file_is_kept_aside_and_the_sandbox_still_works(
    make_window: Any, sandbox_server: Any, home: Any
) -> None:
    home.config.mkdir(parents=True, exist_ok=True)
    home.profiles_file.write_text("{ not json", encoding="utf-8")
    window = make_window(demo=sandbox_server)
    assert window.switcher.combo.currentText() == "Sandbox — Discourse"
    kept = list(home.config.glob("profiles.json.broken-*"))
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == "{ not json"


def test_settings_go_to_the_core_settings_file(qtbot: Any, make_window: Any, home: Any) -> None:
    from explorer.core.settings import load_settings

    window = make_window()
    window.layout_action.setChecked(True)
    window.dialogs.open_settings()
    dialog = window.dialogs.current
    dialog.redirects.setChecked(True)
    dialog.timeout.setValue(12)
    dialog.accept()
    saved, warnings = load_settings(home)
    assert warnings == []
    assert saved.response_layout == "below" and saved.follow_redirects and saved.request_timeout_s == 12
    assert window.services.executor.follow_redirects and window.services.executor.timeout_s == 12


def test_response_headers_that_repeat_secrets_are_masked_everywhere_they_are_shown(qtbot: Any) -> None:
    pane = ResponsePane()
    qtbot.addWidget(pane)
    location = "http://127.0.0.1:1/disqus/api/get_forum_list/?user_api_key=SECRETKEY&api_version=1.1"
    result = _result(301, b"", (("Location", location), ("Set-Cookie", "_t=SESSIONTOKEN; path=/; HttpOnly")))
    pane.show_result(result)
    shown = [pane.headers.item(r, 1).text() for r in range(pane.headers.rowCount())]
    everything = " ".join(shown) + pane.raw.toPlainText() + pane.explain_view.text.toPlainText()
    assert "SECRETKEY" not in everything and "SESSIONTOKEN" not in everything
    assert any(v.startswith("_t=<redacted>; path=/") for v in shown)
    assert any("user_api_key=" in v for v in shown)  # the header is still there, its secret is not


def test_a_streamed_body_file_is_deleted_when_the_next_response_replaces_it(
    qtbot: Any, tmp_path: Any
) -> None:
    from dataclasses import replace

    pane = ResponsePane()
    qtbot.addWidget(pane)
    first, second = tmp_path / "explorer-body-1.bin", tmp_path / "explorer-body-2.bin"
    for path in (first, second):
        path.write_bytes(b'{"topic_list": {"topics": []}}')
    pane.show_result(replace(_result(200, b""), body_path=first, size=30))
    assert first.exists()
    pane.show_result(replace(_result(200, b""), body_path=second, size=30))
    assert not first.exists() and second.exists()
    pane.show_result(_result(200, b"{}"))  # an in-memory body replaces a streamed one too
    assert not second.exists()


def test_the_body_file_on_show_is_deleted_at_exit(qtbot: Any, tmp_path: Any) -> None:
    from dataclasses import replace

    pane = ResponsePane()
    qtbot.addWidget(pane)
    body = tmp_path / "explorer-body-1.bin"
    body.write_bytes(b"{}")
    pane.show_result(replace(_result(200, b""), body_path=body, size=2))
    pane.discard_body_file()
    assert not body.exists()


def test_a_skipped_profile_is_named_in_the_status_bar(make_window: Any, home: Any) -> None:
    home.config.mkdir(parents=True, exist_ok=True)
    entry = {"id": "p1", "name": "Broken", "api": "discourse", "base_url": "forum.example.org"}
    home.profiles_file.write_text(json.dumps({"schema_version": 1, "profiles": [entry]}), encoding="utf-8")
    window = make_window()
    message = window.statusBar().currentMessage()
    assert "profile #1 ('Broken') was skipped: base_url:" in message


@pytest.mark.parametrize("which", ["settings", "profiles"])
@pytest.mark.parametrize("text", ["[" * 100_000 + "]" * 100_000, '{"a": ' + "9" * 5_000 + "}"])
def test_damaged_json_past_the_parser_limits_does_not_stop_the_window(
    make_window: Any, home: Any, which: str, text: str
) -> None:
    home.config.mkdir(parents=True, exist_ok=True)
    (home.settings_file if which == "settings" else home.profiles_file).write_text(text, encoding="utf-8")
    window = make_window()
    assert window.isVisible()
    assert len(list(home.config.glob(f"{which}.json.broken-*"))) == 1


def test_a_body_file_that_cannot_be_deleted_yet_does_not_stop_the_next_response(
    qtbot: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    from dataclasses import replace

    def still_mapped(self: ExecutionResult) -> None:  # what Windows answers while the viewer maps it
        raise PermissionError(13, "The process cannot access the file")

    pane = ResponsePane()
    qtbot.addWidget(pane)
    body = tmp_path / "explorer-body-1.bin"
    body.write_bytes(b"{}")
    pane.show_result(replace(_result(200, b""), body_path=body, size=2))
    monkeypatch.setattr(ExecutionResult, "discard_body_file", still_mapped)
    pane.show_result(_result(200, b"{}"))
    assert pane.status_badge.text().startswith("200")
