"""Import collection…: a Postman file or pasted cURL becomes a collection in the Collections tab, with the
summary and Fix all; a malformed file or a non-empty folder is refused with the reason and nothing written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtGui import QAction

from explorer.core.collections.folder import Collection
from explorer.sandbox.demo import DemoCredentials
from explorer.ui.widgets.import_dialog import ImportDialog

DEMO = DemoCredentials(url="http://127.0.0.1:9")  # profiles only: these tests never send
KEY = "import-dialog-key-93f0c1a2b7"

POSTMAN = {
    "info": {
        "name": "Team forum",
        "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
    },
    "variable": [{"key": "base_url", "value": "https://forum.example"}],
    "item": [
        {
            "name": "Topics",
            "item": [
                {
                    "name": "Latest",
                    "request": {
                        "method": "GET",
                        "url": {
                            "raw": "{{base_url}}/latest.json?api_key=" + KEY + "&api_username=system",
                            "host": ["{{base_url}}"],
                            "path": ["latest.json"],
                            "query": [
                                {"key": "api_key", "value": KEY},
                                {"key": "api_username", "value": "system"},
                            ],
                        },
                    },
                },
                {
                    "name": "Read topic",
                    "request": {"method": "GET", "url": "{{base_url}}/t/1.json"},
                },
            ],
        }
    ],
}


def _open_dialog(window: Any) -> ImportDialog:
    actions = [a for a in window.findChildren(QAction) if a.text() == "Import collection…"]
    assert actions
    actions[0].trigger()
    dialog = window.collections.dialog
    assert isinstance(dialog, ImportDialog) and dialog.isVisible() and dialog.isModal()  # open(), not exec()
    return dialog


def _all_text(directory: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(directory.rglob("*.json")))


def test_a_postman_file_lands_as_a_collection_with_fix_all(make_window: Any, tmp_path: Path) -> None:
    window = make_window(demo=DEMO)
    source = tmp_path / "team.postman_collection.json"
    source.write_text(json.dumps(POSTMAN), encoding="utf-8")
    dialog = _open_dialog(window)
    assert not dialog.import_button.isEnabled()
    assert dialog.load_file(source)
    summary = dialog.summary.text()
    assert (
        "Team forum" in summary
        and "1 of 2 requests pass api_key and api_username in the query string" in summary
    )
    assert dialog.fix_all.isEnabled() and dialog.fix_all.isChecked()
    assert dialog.name_edit.text() == "Team forum"
    target = tmp_path / "collections" / "team"
    dialog.destination.setText(str(target))
    dialog.accept()

    assert not dialog.isVisible()
    collection = Collection.open(target)
    requests = collection.requests()
    assert [str(r.relative) for r in requests] == ["Topics/Latest.json", "Topics/Read topic.json"]
    latest = requests[0].spec
    assert latest is not None and not latest.params  # Fix all moved the credentials to headers
    assert {h.name for h in latest.headers} == {"Api-Key", "Api-Username"}
    assert KEY not in _all_text(target)  # the key never reaches a file
    # It opens in the Collections tab.
    assert [c.directory for c in window.collections.collections] == [target.resolve()]
    assert window.history.sidebar.currentWidget() is window.collections.panel
    assert window.collections.panel.row_texts()[:2] == ["Team forum", "  Topics"]


def test_without_fix_all_the_requests_stay_as_they_were(make_window: Any, tmp_path: Path) -> None:
    window = make_window(demo=DEMO)
    source = tmp_path / "team.json"
    source.write_text(json.dumps(POSTMAN), encoding="utf-8")
    dialog = _open_dialog(window)
    assert dialog.load_file(source)
    dialog.fix_all.setChecked(False)
    dialog.destination.setText(str(tmp_path / "as-is"))
    dialog.accept()
    latest = Collection.open(tmp_path / "as-is").requests()[0].spec
    assert latest is not None and [p.name for p in latest.params] == ["api_key", "api_username"]
    assert KEY not in _all_text(tmp_path / "as-is")


def test_a_malformed_file_and_a_non_empty_folder_are_refused(make_window: Any, tmp_path: Path) -> None:
    window = make_window(demo=DEMO)
    dialog = _open_dialog(window)
    broken = tmp_path / "broken.json"
    broken.write_text('{"info": {"name": "x"}, "item": [', encoding="utf-8")
    assert not dialog.load_file(broken)
    assert dialog.error.text().startswith("broken.json cannot be imported: ")
    assert not dialog.import_button.isEnabled()

    source = tmp_path / "team.json"
    source.write_text(json.dumps(POSTMAN), encoding="utf-8")
    assert dialog.load_file(source)
    assert dialog.error.isHidden()
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "notes.txt").write_text("mine", encoding="utf-8")
    dialog.destination.setText(str(occupied))
    dialog.accept()
    assert dialog.isVisible() and "not empty" in dialog.error.text()
    assert sorted(p.name for p in occupied.iterdir()) == ["notes.txt"]
    assert window.collections.collections == []


def test_pasted_curl_becomes_a_collection(make_window: Any, tmp_path: Path) -> None:
    window = make_window(demo=DEMO)
    dialog = _open_dialog(window)
    assert not dialog.load_curl("   ")
    assert dialog.error.text() == "Paste a cURL command first."
    dialog.curl.setPlainText(
        f"curl -H 'Api-Key: {KEY}' -H 'Api-Username: system' 'https://forum.example/t/5.json'"
    )
    assert dialog.load_curl(dialog.curl.toPlainText())
    dialog.destination.setText(str(tmp_path / "pasted"))
    dialog.accept()
    requests = Collection.open(tmp_path / "pasted").requests()
    assert len(requests) == 1 and requests[0].spec is not None
    assert requests[0].spec.method_id == "getTopic"
    assert KEY not in _all_text(tmp_path / "pasted")


def test_the_official_postman_collection_imports_and_fix_all_repairs_it(
    make_window: Any, tmp_path: Path, shared_dir: Path
) -> None:
    source = shared_dir / "reference" / "discourse" / "collections" / "discourse.postman_collection.json"
    window = make_window(demo=DEMO)
    dialog = _open_dialog(window)
    assert dialog.load_file(source)
    assert "in the query string" in dialog.summary.text()
    assert dialog.fix_all.isChecked() and dialog.fix_all.text().startswith(
        "Fix all: apply every available fix"
    )
    dialog.destination.setText(str(tmp_path / "official"))
    dialog.accept()
    requests = Collection.open(tmp_path / "official").requests()
    assert len(requests) > 50
    assert not any(p.name == "api_key" for r in requests if r.spec for p in r.spec.params)
