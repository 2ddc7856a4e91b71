"""Every way out of the window (signals, closing, an exception) ends the jq worker and resource tracker."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

REPO = Path(__file__).resolve().parents[2]

# The window as `explorer --open FILE` runs it, with one automation hook: once the file is in the viewer,
# filter it in the worker process (the body is above the in-process limit), report the worker, then
# leave the way the test asks. A busy worker is still filtering (and would run for hours); an idle
# one has answered and waits for the next filter, holding its copy of the body.
WINDOW = """
import argparse, sys
from PySide6.QtCore import QTimer
from explorer.ui.app import run_window

home, path, way_out, state = sys.argv[1:5]

def on_opened(window):
    bar = window.response.body_view.json_view.filter_bar

    def report(*_):
        print("workers", *bar.runner.worker_pids(), flush=True)
        if way_out == "close":
            QTimer.singleShot(0, window.close)
        elif way_out == "exception":
            raise RuntimeError("an unexpected failure on the way")

    if state == "busy":
        bar.edit.setText("last(range(1e12))")
        bar.apply()
        report()  # the worker was started by apply() itself
    else:
        bar.applied.connect(report)
        bar.edit.setText("[.items[] | .n * 2] | length")
        bar.apply()

options = argparse.Namespace(home=home, screenshot=None, method=None, send=False, open_file=path)
options.on_opened = on_opened
print("exit", run_window(options), flush=True)
"""


@pytest.fixture
def big_json(tmp_path: Path) -> Path:
    path = tmp_path / "big.json"
    items = [{"n": i, "pad": "x" * 40} for i in range(10_000)]
    path.write_text(json.dumps({"items": items}), encoding="utf-8")
    assert path.stat().st_size > 256 * 1024  # filtered in the worker process, not in the window's
    return path


def _start(tmp_path: Path, path: Path, way_out: str, state: str = "busy") -> subprocess.Popen[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.Popen(
        [sys.executable, "-c", WINDOW, str(tmp_path / "home"), str(path), way_out, state],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _family_once_filtered(app: subprocess.Popen[str]) -> list[psutil.Process]:
    """Waits for the hook's report (the filter's real answer), then lists the app's child processes."""
    assert app.stdout is not None
    line = app.stdout.readline()
    assert line.startswith("workers "), (line, app.stderr.read() if app.poll() is not None else "")
    workers = [int(pid) for pid in line.split()[1:]]
    family = psutil.Process(app.pid).children(recursive=True)
    assert workers and {p.pid for p in family} >= set(workers)
    assert any("resource_tracker" in " ".join(p.cmdline()) for p in family)
    return family


def _assert_all_gone(app: subprocess.Popen[str], family: list[psutil.Process]) -> tuple[str, str]:
    try:
        out, err = app.communicate(timeout=60)
        _, alive = psutil.wait_procs(family, timeout=30)
        assert not alive, [p.cmdline() for p in alive]
        return out, err
    finally:
        app.kill()
        for process in family:  # whatever outlived a failing test must not outlive the run
            with contextlib.suppress(psutil.NoSuchProcess):
                process.kill()


SIGNALS = [signal.SIGTERM, signal.SIGINT, *([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("state", ["busy", "idle"])
@pytest.mark.parametrize("signum", SIGNALS)
def test_a_signal_quits_cleanly_and_ends_the_worker(
    tmp_path: Path, big_json: Path, signum: int, state: str
) -> None:
    app = _start(tmp_path, big_json, "signal", state)
    family = _family_once_filtered(app)
    app.send_signal(signum)
    out, err = _assert_all_gone(app, family)
    assert app.returncode == 0, err
    assert "exit 0" in out  # run_window returned: the clean way out, not the signal's default action
    assert "Traceback" not in err
    assert (tmp_path / "home" / "config" / "window-state.ini").is_file()  # closing saved the window state


def test_closing_the_window_ends_a_busy_worker(tmp_path: Path, big_json: Path) -> None:
    app = _start(tmp_path, big_json, "close")
    family = _family_once_filtered(app)
    out, err = _assert_all_gone(app, family)
    assert app.returncode == 0 and "exit 0" in out, err


def test_an_exception_on_the_way_out_still_ends_the_worker(tmp_path: Path, big_json: Path) -> None:
    app = _start(tmp_path, big_json, "exception")
    family = _family_once_filtered(app)
    _, err = _assert_all_gone(app, family)
    assert app.returncode != 0 and "an unexpected failure on the way" in err


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signals are Linux only")
def test_a_killed_window_takes_its_worker_along(tmp_path: Path, big_json: Path) -> None:
    app = _start(tmp_path, big_json, "signal")
    family = _family_once_filtered(app)
    app.kill()  # SIGKILL: no handler, no cleanup in the window at all
    _assert_all_gone(app, family)
