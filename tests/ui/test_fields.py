"""Argument widgets: the upload picker's title, date pickers for date arguments, one wording per error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QPushButton

from explorer.core.catalog.model import Param
from explorer.ui.widgets.argument_form import create_field
from explorer.ui.widgets.fields_extra import FileField


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
