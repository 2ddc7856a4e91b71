"""Cold start to the painted main window, as a ratio to a bare PySide6 QMainWindow started the same way.

Each run is a fresh interpreter (offscreen Qt) running from compiled bytecode, as an installed app does.
The parent measures from spawning the process to the lines the child prints from paint events; runs of
the two kinds alternate, and medians are compared.
The window paints its frame (toolbar, panes, status bar) first and builds its content right after;
`startup_s` is the first paint, `ready_s` the first paint of the filled method browser (the window is
usable), both reported. The last line printed is one JSON object:
{"startup_ratio": ..., "startup_s": ..., "bare_s": ..., "ready_ratio": ..., "ready_s": ...}.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

BARE = """
import os, sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            print("painted", flush=True)
            print("ready", flush=True)
            os._exit(0)
        return False

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1360, 820)
probe = FirstPaint()
window.installEventFilter(probe)
window.show()
app.exec()
"""


def _child_explorer(home: str) -> int:
    """Run the real window; print from its first paint and leave at once (start-up is what we measure)."""
    sys.path.insert(0, str(REPO))
    from explorer.ui.app import run_window

    def painted() -> None:
        print("painted", flush=True)

    def ready() -> None:
        print("ready", flush=True)
        os._exit(0)

    options = argparse.Namespace(screenshot=None, method=None, send=False, open_file=None, home=home)
    options.on_painted, options.on_ready = painted, ready
    return run_window(options)


def _time_one(command: list[str], pycache: str) -> tuple[float, float]:
    """Seconds from spawning `command` to its "painted" line and to its "ready" line."""
    import subprocess

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_LOGGING_RULES="qt.qpa.*=false")
    # An installed app runs from compiled bytecode; keep it in a temporary cache, not in the checkout.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = pycache
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=REPO)
    assert proc.stdout is not None
    first = proc.stdout.readline()
    painted = time.perf_counter() - start
    second = proc.stdout.readline()
    ready = time.perf_counter() - start
    proc.wait(timeout=60)
    if first.strip() != b"painted" or second.strip() != b"ready":
        raise SystemExit(f"child did not paint: {command!r} printed {first!r} {second!r}")
    return painted, ready


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--child", metavar="HOME", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return _child_explorer(args.child)
    import json
    import statistics
    import tempfile

    bare_times: list[float] = []
    app_times: list[float] = []
    ready_times: list[float] = []
    with tempfile.TemporaryDirectory() as home:
        # One unmeasured run of each warms the file cache, so every measured run starts equally "cold".
        cache = os.path.join(home, "pycache")
        _time_one([sys.executable, "-c", BARE], cache)
        _time_one([sys.executable, __file__, "--child", home], cache)
        for _ in range(args.runs):
            bare_times.append(_time_one([sys.executable, "-c", BARE], cache)[0])
            painted, ready = _time_one([sys.executable, __file__, "--child", home], cache)
            app_times.append(painted)
            ready_times.append(ready)
    bare = statistics.median(bare_times)
    app = statistics.median(app_times)
    ready = statistics.median(ready_times)
    print(f"bare QMainWindow painted: {', '.join(f'{t:.3f}' for t in bare_times)} s (median {bare:.3f})")
    print(f"explorer window painted:  {', '.join(f'{t:.3f}' for t in app_times)} s (median {app:.3f})")
    print(f"explorer window ready:    {', '.join(f'{t:.3f}' for t in ready_times)} s (median {ready:.3f})")
    figures = {
        "startup_ratio": round(app / bare, 3),
        "startup_s": round(app, 3),
        "bare_s": round(bare, 3),
        "ready_ratio": round(ready / bare, 3),
        "ready_s": round(ready, 3),
    }
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
