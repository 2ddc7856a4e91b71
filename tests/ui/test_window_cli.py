"""`explorer --screenshot PATH [--method API:ID] [--send]` and `--open FILE`, run as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

REPO = Path(__file__).resolve().parents[2]


def _explorer(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "explorer", "--home", str(home), *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_screenshot_sends_to_the_in_process_sandbox_and_saves_a_png(tmp_path: Path) -> None:
    shot = tmp_path / "window.png"
    done = _explorer(
        "--screenshot", str(shot), "--method", "discourse:listLatestTopics", "--send", home=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert "explorer: 200" in done.stderr  # waited for the real answer, not a fixed delay
    image = QImage(str(shot))
    assert not image.isNull() and image.width() >= 1000 and image.height() >= 600
    assert "Traceback" not in done.stderr
    # The UI state went to the --home folder.
    assert (tmp_path / "config" / "window-state.ini").is_file()


def test_screenshot_fills_arguments_and_shows_the_explain_tab_of_an_error(tmp_path: Path) -> None:
    shot = tmp_path / "explain.png"
    args = ("--method", "discourse:getTopic", "--arg", "id=999999", "--send", "--tab", "explain")
    done = _explorer("--screenshot", str(shot), *args, home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "explorer: 404" in done.stderr  # the filled id reached the sandbox
    assert not QImage(str(shot)).isNull()
    wrong = _explorer("--screenshot", str(shot), "--method", args[1], "--arg", "nope=1", home=tmp_path)
    assert wrong.returncode == 2 and "has no argument 'nope'" in wrong.stderr


def test_unknown_method_is_a_usage_error(tmp_path: Path) -> None:
    done = _explorer("--screenshot", str(tmp_path / "x.png"), "--method", "discourse:nope", home=tmp_path)
    assert done.returncode == 2
    assert "unknown method 'discourse:nope'" in done.stderr and "Traceback" not in done.stderr


def test_open_file_shows_it_in_the_viewer(tmp_path: Path) -> None:
    saved = tmp_path / "latest.json"
    saved.write_text(json.dumps({"topic_list": {"topics": [{"id": 1, "title": "Saved"}]}}), encoding="utf-8")
    shot = tmp_path / "open.png"
    done = _explorer("--open", str(saved), "--screenshot", str(shot), home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert not QImage(str(shot)).isNull()


CLOSE_AFTER_START = """
import argparse, sys, threading
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from explorer.ui.app import run_window

def ready():
    # Close the window as a user would, once the content is on screen and the sandbox had time to start.
    def close():
        if window_ready():
            for widget in QApplication.topLevelWidgets():
                widget.close()
        else:
            QTimer.singleShot(50, close)
    QTimer.singleShot(0, close)

def window_ready():
    return any(getattr(w, "profiles_loaded", False) for w in QApplication.topLevelWidgets())

options = argparse.Namespace(home=sys.argv[1], screenshot=None, method=None, send=False, open_file=None)
options.on_ready = ready
code = run_window(options)
alive = [t.name for t in threading.enumerate() if t.name.startswith("sandbox")]
print("exit", code, "sandbox threads", alive)
"""


def test_closing_the_window_shuts_the_sandbox_down_cleanly(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", CLOSE_AFTER_START, str(tmp_path)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "exit 0 sandbox threads []" in done.stdout
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("option", "where", "said"),
    [
        ("--open", "missing.json", "no such file"),
        ("--open", ".", "not a file"),
        ("--screenshot", "missing/x.png", "no such folder"),
        ("--screenshot", "a-file/x.png", "not a folder"),
        ("--screenshot", ".", "is a folder"),
        pytest.param(
            "--screenshot",
            "/proc/x.png",  # not writable, even for root
            "cannot write",
            marks=pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc"),
        ),
    ],
)
def test_a_missing_file_or_unwritable_folder_is_a_one_line_usage_error(
    tmp_path: Path, option: str, where: str, said: str
) -> None:
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    target = where if where.startswith("/") else str(tmp_path / where)
    done = _explorer(option, target, home=tmp_path / "home")
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("explorer: ") and said in lines[0], done.stderr
    assert target.rstrip("/.") in lines[0]
    # Checked before the window opened: it never started the sandbox or wrote its state.
    assert not (tmp_path / "home" / "config" / "window-state.ini").exists()


def test_a_saved_request_opens_in_the_editor_and_sends(tmp_path: Path) -> None:
    from explorer.core.lifecycle import Pair, RequestSpec

    saved = tmp_path / "free.json"
    # A free-form request: a path the catalog also knows, typed by hand with an extra parameter.
    spec = RequestSpec(verb="GET", url="/categories.json", params=(Pair("include_subcategories", "true"),))
    saved.write_text(spec.dumps(), encoding="utf-8")
    shot = tmp_path / "request.png"
    done = _explorer("--request", str(saved), "--send", "--screenshot", str(shot), home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "explorer: 200" in done.stderr
    assert not QImage(str(shot)).isNull()
    broken = tmp_path / "broken.json"
    broken.write_text('{"schema_version": 1, "verb": "FETCH"}', encoding="utf-8")
    refused = _explorer("--request", str(broken), "--screenshot", str(shot), home=tmp_path)
    assert refused.returncode == 2 and "verb" in refused.stderr and "Traceback" not in refused.stderr
