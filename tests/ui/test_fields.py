"""Argument widgets: the upload picker's title, date pickers for date arguments, one wording per error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QPushButton

from explorer.core.catalog.model import Param
from explorer.ui.widgets.argument_form import create_field
from explorer.ui.widgets.fields_extra import DateTimeField, FileField


def _field(qtbot: Any, **kw: Any) -> Any:
    widget = create_field(Param(name=kw.pop("name", "x"), location=kw.pop("location", "body"), **kw))
    qtbot.addWidget(widget)
    return widget


def test_the_upload_picker_says_what_it_is_for(qtbot: Any, tmp_path: Path, monkeypatch: Any) -> None:
    def modal(*_args: Any, **_kw: Any) -> None:
        raise AssertionError("a modal file dialog would run a nested event loop inside asyncio's")

    monkeypatch.setattr(QFileDialog, "getOpenFileName", modal)
    upload = _field(qtbot, name="file", type="file")
    assert isinstance(upload, FileField)
    upload.show()
    qtbot.mouseClick(upload.findChild(QPushButton), Qt.MouseButton.LeftButton)
    dialog = upload.findChild(QFileDialog)
    assert dialog is not None and dialog.isVisible()  # open(), not a nested event loop
    assert dialog.windowTitle() == "Choose the file to upload (file)"
    chosen = tmp_path / "picture.png"
    chosen.write_bytes(b"\x89PNG")
    dialog.fileSelected.emit(str(chosen))
    assert upload.value() == chosen


def test_date_and_time_arguments_get_the_date_picker_even_without_a_catalog_format(qtbot: Any) -> None:
    created = _field(qtbot, name="created_at", description="Backdate the post to this time.")
    assert isinstance(created, DateTimeField)
    created.set_value("2024-05-01T10:00:00Z")
    assert created.value() == "2024-05-01T10:00:00Z"  # ISO 8601, as Discourse reads it
    expires = _field(qtbot, name="expires_at")
    assert isinstance(expires, DateTimeField)
    pinned_until = _field(qtbot, name="until", description="End date of a pin.", example="2030-12-31")
    assert isinstance(pinned_until, DateTimeField)
    pinned_until.set_value("2030-12-31")
    assert pinned_until.value() == "2030-12-31"  # a date example: a date, not a moment
    disqus = _field(qtbot, name="created_at", format="disqus-datetime")
    disqus.set_value("2009-03-30T15:41")
    assert disqus.value() == "2009-03-30T15:41"  # the catalog's own format wins
    # Not dates: hours or a date (a timer), Unix seconds, a number or a choice that merely looks like one.
    assert not isinstance(_field(qtbot, name="time", example=24), DateTimeField)
    assert not isinstance(_field(qtbot, name="timestamp", example=1594291380), DateTimeField)
    assert not isinstance(_field(qtbot, name="seen_at", type="integer"), DateTimeField)
    assert not isinstance(_field(qtbot, name="sort_at", enum=("a", "b")), DateTimeField)


def test_the_pm_forms_created_at_is_a_date_picker(qtbot: Any) -> None:
    from explorer.core.catalog import load_bundled_catalogs
    from explorer.core.catalog.model import Api

    method = load_bundled_catalogs()[Api.DISCOURSE].method("createTopicPostPM")
    created_at = next(p for p in method.params if p.name == "created_at")
    assert created_at.format is None and created_at.date_format == "date-time"
    widget = create_field(created_at)
    qtbot.addWidget(widget)
    assert isinstance(widget, DateTimeField)


def test_a_bad_number_has_the_same_wording_as_you_type_and_after_send(qtbot: Any) -> None:
    from explorer.core.builder import validate_value
    from explorer.core.catalog import load_bundled_catalogs
    from explorer.core.catalog.model import Api
    from explorer.ui.widgets.argument_form import ArgumentForm

    method = load_bundled_catalogs()[Api.DISCOURSE].method("listLatestTopics")
    form = ArgumentForm(validate_value)
    qtbot.addWidget(form)
    form.set_method(method)
    per_page = form.fields["per_page"]
    for typed, core in (("abc", "expected a whole number, got 'abc'"), ("0", "must be at least 1, got 0")):
        per_page.edit.setText(typed)
        assert validate_value(per_page.param, typed) == core  # what the builder says on Send (and the CLI)
        assert form.visible_errors()["per_page"] == core  # what the form says as you type
