"""The real window on a real X server (Xvfb, Qt's xcb platform): pick a method, send, read the tree, close."""

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
DRIVER = Path(__file__).with_name("drive_window.py")
RUN_TIMEOUT_S = 120


def _run(args: list[str], display: XDisplay) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=REPO,
        env=display.env,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
    )


def _assert_real_picture(path: Path, *, min_width: int, min_height: int) -> QImage:
    """A PNG Qt can read, of a plausible size, with the many colours of a drawn window (not blank)."""
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = QImage(str(path))
    assert not image.isNull()
    assert image.width() >= min_width and image.height() >= min_height
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 20, f"{path} looks blank ({len(colours)} colours)"
    return image


def test_the_window_sends_to_the_sandbox_and_shows_the_tree_under_xcb(xvfb: XDisplay, tmp_path: Path) -> None:
    window_png, screen_png = tmp_path / "window.png", tmp_path / "screen.png"
    args = [str(DRIVER), "--home", str(tmp_path / "home"), "--method", "discourse:listCategories"]
    done = _run([*args, "--window-png", str(window_png), "--screen-png", str(screen_png)], xvfb)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "Could not load the Qt platform plugin" not in done.stderr
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    assert "error" not in result, result
    # Really the X11 platform, on a window the X server mapped and exposed.
    assert result["platform"] == "xcb"
    assert result["exposed"] is True
    # The method picked through the search box is the one open, sent, and answered by the sandbox.
    assert result["method"] == "discourse:listCategories"
    assert result["title"].startswith("listCategories")
    assert result["sent"] is True and result["status"] == 200
    assert result["tree_root"] == "$" and result["tree_rows"] > 0 and "category_list" in result["tree_keys"]
    # Closing the window ended the app normally.
    assert result["exit_code"] == 0
    window = _assert_real_picture(window_png, min_width=800, min_height=500)
    assert result["window_size"] == [window.width(), window.height()]
    # What the X server shows at the window's place is exactly what Qt painted.
    _assert_real_picture(screen_png, min_width=1600, min_height=1000)
    assert result["screen_rows_matching"] == 1.0


def test_the_screenshot_flags_work_under_xcb(xvfb: XDisplay, tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    args = ["-m", "explorer", "--home", str(tmp_path / "home"), "--method", "discourse:listLatestTopics"]
    done = _run([*args, "--send", "--screenshot", str(shot)], xvfb)
    assert done.returncode == 0, done.stderr
    assert "explorer: 200" in done.stderr  # waited for the sandbox's real answer
    _assert_real_picture(shot, min_width=1000, min_height=600)


def test_check_display_passes_on_this_display(xvfb: XDisplay) -> None:
    done = _run(["-m", "explorer", "check-display", "--no-install"], xvfb)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "explorer check-display: Qt's xcb platform plugin can load."
