"""The real window on a real X server: Ctrl+E, import a Postman collection, open one of its requests with
Enter, send it to the sandbox with Ctrl+Enter, and find the answer in the tree; no Qt warning on the way."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QImage

if TYPE_CHECKING:
    from tests.realwindow.conftest import XDisplay

REPO = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("drive_collections.py")
RUN_TIMEOUT_S = 120

# A small Postman v2.1 export as people have them: the site as a {{variable}}, a folder, and one request
# still passing the key in the query string (the import leaves the key out and Fix all moves the rest).
POSTMAN = {
    "info": {
        "name": "Forum smoke test",
        "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
    },
    "variable": [{"key": "base_url", "value": "https://forum.example"}],
    "item": [
        {
            "name": "Lists",
            "item": [
                {
                    "name": "Categories",
                    "request": {"method": "GET", "url": "{{base_url}}/categories.json"},
                },
                {
                    "name": "Latest topics",
                    "request": {
                        "method": "GET",
                        "url": "{{base_url}}/latest.json?api_key=realwindow0000key&api_username=system",
                    },
                },
            ],
        }
    ],
}


def _drive(display: XDisplay, tmp_path: Path) -> tuple[dict[str, Any], Path, Path]:
    postman = tmp_path / "smoke.postman_collection.json"
    postman.write_text(json.dumps(POSTMAN), encoding="utf-8")
    into, picture = tmp_path / "Forum smoke test", tmp_path / "window.png"
    done = subprocess.run(
        [
            sys.executable,
            str(DRIVER),
            *("--home", str(tmp_path / "home"), "--postman", str(postman), "--into", str(into)),
            *("--request", "Categories", "--window-png", str(picture)),
        ],
        cwd=REPO,
        env=display.env,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    assert "error" not in result, json.dumps(result, indent=1)
    return result, into, picture


def test_a_postman_collection_is_imported_and_one_request_answered_in_the_real_window(
    xvfb: XDisplay, tmp_path: Path
) -> None:
    result, into, picture = _drive(xvfb, tmp_path)
    assert result["platform"] == "xcb" and result["driven"] is True
    # Ctrl+E showed the tab, which says what to do while no collection is open.
    assert result["tab_shown"] is True and result["empty_message"] is True
    # Import… read the file, and the collection it wrote is listed in the tab.
    assert result["dialog"] == "ImportDialog" and result["read"] is True and result["dialog_closed"] is True
    assert "2 requests imported" in result["summary"]
    assert (into / "collection.json").is_file()
    assert result["rows"][0] == "Forum smoke test"
    assert any(row.strip() == "Categories" for row in result["rows"])
    assert result["sidebar_scrolls_sideways"] is False
    assert "realwindow0000key" not in "".join(p.read_text() for p in into.rglob("*.json"))
    # Enter on the row opened the request in a tab, on the sandbox's site; Ctrl+Enter sent it.
    assert result["found_row"] is True and result["tab_title"].startswith("Categories")
    assert result["url"].startswith("http://127.0.0.1:") and result["url"].endswith("/categories.json")
    assert result["status"] == 200
    assert "category_list" in result["tree_keys"]
    assert result["qt_warnings"] == []
    assert result["exit_code"] == 0
    image = QImage(str(picture))
    assert not image.isNull() and image.width() >= 800


def test_ctrl_e_shows_the_collections_tab_from_a_text_field(xvfb: XDisplay, tmp_path: Path) -> None:
    result, _, _ = _drive(xvfb, tmp_path)
    assert result["ctrl_e_from_a_text_field"] is True
