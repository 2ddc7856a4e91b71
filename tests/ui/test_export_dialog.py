"""The Export code dialog and Copy as cURL: keys as environment variables, the sandbox's demo keys in full."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from PySide6.QtGui import QGuiApplication

from explorer.core.codegen import FORMATS
from explorer.core.prepared import Body, PreparedRequest
from explorer.sandbox import demo
from explorer.sandbox.demo import DemoCredentials
from explorer.ui.widgets.export_dialog import ExportDialog

DEMO = DemoCredentials(url="http://127.0.0.1:9")  # profiles only: these tests never reach it
KEY = "5ec2e7" + "f" * 58
REQUEST = PreparedRequest(
    "POST",
    "https://forum.example.com/posts.json",
    headers=(("Api-Key", KEY), ("Api-Username", "system")),
    body=Body("json", json_value={"title": "A title long enough", "raw": "Body text"}),
    api="discourse",
    method_id="createTopicPostPM",
)


def test_every_format_shows_code_without_the_key_until_asked(qtbot: Any) -> None:
    dialog = ExportDialog(REQUEST)
    qtbot.addWidget(dialog)
    assert not dialog.include_secrets.isChecked()
    for index, entry in enumerate(FORMATS):
        dialog.chooser.setCurrentIndex(index)
        code = dialog.code.toPlainText()
        assert dialog.fmt == entry.id and code
        assert KEY not in code, entry.id
        assert "DISCOURSE_API_KEY" in code and "<redacted>" not in code, entry.id
        assert "DISCOURSE_API_KEY" in dialog.note.text()
    dialog.include_secrets.setChecked(True)
    assert KEY in dialog.code.toPlainText()
    assert "do not share" in dialog.note.text()


def test_copy_and_save(qtbot: Any, tmp_path: Path) -> None:
    dialog = ExportDialog(REQUEST, fmt="python")
    qtbot.addWidget(dialog)
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == dialog.code.toPlainText()
    assert 'os.environ["DISCOURSE_API_KEY"]' in QGuiApplication.clipboard().text()

    target = tmp_path / "request.py"
    assert dialog.save_to(target)
    assert KEY not in target.read_text(encoding="utf-8")
    assert "Saved to" in dialog.note.text()

    dialog.include_secrets.setChecked(True)
    secret_file = tmp_path / "with-key.py"
    assert dialog.save_to(secret_file)
    assert KEY in secret_file.read_text(encoding="utf-8")
    if os.name == "posix":  # a file holding keys is readable by its owner only
        assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600

    assert not dialog.save_to(tmp_path / "missing-folder" / "x.py")
    assert "Cannot save" in dialog.note.text()


def test_save_asks_where_with_a_file_dialog(qtbot: Any) -> None:
    dialog = ExportDialog(REQUEST, fmt="javascript")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.save_button.click()
    chooser = dialog.file_dialog
    assert chooser.isVisible()
    assert chooser.selectedFiles()[0].endswith("request.mjs")
    chooser.reject()


def test_window_exports_the_sandbox_request_with_its_public_keys(qtbot: Any, make_window: Any) -> None:
    window = make_window(demo=DEMO)
    window.dialogs.copy_curl()
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith("curl") and demo.DISCOURSE_ADMIN_KEY in copied and "<redacted>" not in copied

    window.dialogs.export_code()
    dialog = window.dialogs.current
    assert isinstance(dialog, ExportDialog) and dialog.isVisible()
    dialog.chooser.setCurrentIndex(dialog.chooser.findData("ruby"))
    assert demo.DISCOURSE_ADMIN_KEY in dialog.code.toPlainText()
    assert "public" in dialog.note.text()
    dialog.reject()
    # The format chosen last is where the dialog opens next time.
    window.dialogs.export_code()
    assert window.dialogs.current.fmt == "ruby"
    window.dialogs.current.reject()


def test_a_key_typed_into_a_sandbox_request_is_not_public(qtbot: Any, make_window: Any) -> None:
    from explorer.core.curl import import_curl

    window = make_window(demo=DEMO)
    pasted = import_curl(
        f"curl -H 'Api-Key: {KEY}' -H 'Api-Username: system' '{DEMO.url}/latest.json'",
        catalogs=window.services.catalogs,
    )
    window.dialogs.load_imported(pasted)
    window.dialogs.copy_curl()
    copied = QGuiApplication.clipboard().text()
    assert KEY not in copied and '"$DISCOURSE_API_KEY"' in copied
    assert "DISCOURSE_API_KEY" in window.statusBar().currentMessage()
