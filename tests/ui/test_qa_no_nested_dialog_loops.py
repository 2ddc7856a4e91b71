"""No window code opens a file chooser with the static QFileDialog.get…() calls: they run a nested event
loop inside the running asyncio loop (qasync), so a response, a collection run or a fetch-all finishing
meanwhile re-enters the loop, and the window ignores SIGTERM until the chooser closes. open() it instead."""

from __future__ import annotations

import re
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "explorer" / "ui"
STATIC = re.compile(r"QFileDialog\.get(SaveFileName|OpenFileName|OpenFileNames|ExistingDirectory)\(")


def test_no_static_file_dialog_in_the_window_code() -> None:
    found = [
        f"{path.relative_to(UI.parent.parent)}:{number}"
        for path in sorted(UI.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if STATIC.search(line)
    ]
    assert found == []
