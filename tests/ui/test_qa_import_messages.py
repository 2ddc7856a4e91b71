"""Import collection…: what is wrong with a file or pasted text is said once, plainly (the file named once,
no "cURL No URL found")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from explorer.sandbox.demo import DemoCredentials
from explorer.ui.widgets.import_dialog import ImportDialog

DEMO = DemoCredentials(url="http://127.0.0.1:9")  # profiles only: these tests never send


def _dialog(window: Any) -> ImportDialog:
    window.collections.import_collection()
    dialog = window.collections.dialog
    assert isinstance(dialog, ImportDialog)
    return dialog


def test_a_malformed_file_is_named_once(make_window: Any, tmp_path: Path) -> None:
    dialog = _dialog(make_window(demo=DEMO))
    broken = tmp_path / "team.postman_collection.json"
    broken.write_text('{"info": ', encoding="utf-8")
    assert not dialog.load_file(broken)
    message = dialog.error.text()
    assert message.count("team.postman_collection.json") == 1, message
    assert "not valid JSON" in message and "line 1, column 10" in message
    missing = tmp_path / "gone.json"
    assert not dialog.load_file(missing)
    assert dialog.error.text().count("gone.json") == 1, dialog.error.text()


def test_pasted_text_without_a_url_says_so_readably(make_window: Any) -> None:
    dialog = _dialog(make_window(demo=DEMO))
    assert not dialog.load_curl("curl -H 'Accept: application/json'")
    message = dialog.error.text()
    assert "No URL found" in message
    assert "cURL No" not in message, message
