"""`explorer --collection DIR`: the folder opens in the Collections tab at start-up, run as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "docs" / "examples" / "collection"


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


def test_a_request_of_the_collection_is_sent_with_its_variables(tmp_path: Path) -> None:
    shot = tmp_path / "collections.png"
    request = EXAMPLE / "02 Read a topic.json"
    done = _explorer(
        "--collection", str(EXAMPLE), "--request", str(request), "--send", "--tab", "collections",
        "--screenshot", str(shot), home=tmp_path / "home",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    # {{topic_id}} came from the collection's variables: without them nothing would have been sent.
    assert "explorer: 200" in done.stderr and "Traceback" not in done.stderr
    assert not QImage(str(shot)).isNull()
    # The collection was opened as the user's Open… does it: it is remembered for the next start.
    state = (tmp_path / "home" / "config" / "window-state.ini").read_text(encoding="utf-8")
    assert "collections" in state and EXAMPLE.name in state


def test_the_example_collection_names_no_key_and_every_file_reads() -> None:
    from explorer.core.collections.folder import Collection

    collection = Collection.open(EXAMPLE)
    assert collection.variables.get("topic_id")
    items = collection.requests()
    assert len(items) >= 3 and all(item.error is None for item in items)
    for item in items:
        assert item.spec is not None and item.spec.profile is None
        text = item.path.read_text(encoding="utf-8").lower()
        assert "api_key" not in text and "api-key" not in text
    assert json.loads((EXAMPLE / "collection.json").read_text(encoding="utf-8"))["profile"] is None


@pytest.mark.parametrize(
    ("where", "said"),
    [("missing", "no such folder"), ("a-file", "not a folder"), ("damaged", "collection.json")],
)
def test_an_unreadable_collection_is_a_one_line_usage_error(tmp_path: Path, where: str, said: str) -> None:
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    (tmp_path / "damaged").mkdir()
    (tmp_path / "damaged" / "collection.json").write_text("{not json", encoding="utf-8")
    target = str(tmp_path / where)
    done = _explorer("--collection", target, home=tmp_path / "home")
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("explorer: cannot open the collection "), done.stderr
    assert target in lines[0] and said in lines[0]
    # Checked before the window opened: it never started the sandbox or wrote its state.
    assert not (tmp_path / "home" / "config" / "window-state.ini").exists()
