"""The README's "The window" section stays true: every shortcut and every screenshot it names exists."""

from __future__ import annotations

import re
from pathlib import Path

from explorer.ui.shortcuts import SHORTCUTS

REPO = Path(__file__).resolve().parents[2]
# How the README spells keys that Qt names differently.
_README_SPELLING = {"Return": "Enter", "Escape": "Esc", "\\": "\\\\"}


def _window_section() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return text.split("## The window", 1)[1].split("\n## ", 1)[0]


def _spelled(key: str) -> str:
    *modifiers, last = key.split("+")
    return "+".join([*modifiers, _README_SPELLING.get(last, last)])


def test_every_shortcut_is_in_the_readme_table() -> None:
    table = "\n".join(line for line in _window_section().splitlines() if line.startswith("|"))
    for name, keys, _ in SHORTCUTS:
        spelled = [_spelled(key) for key in keys]
        assert any(key in table for key in spelled), f"{name}: none of {spelled} in the README table"


def test_every_screenshot_the_section_shows_exists() -> None:
    pictures = re.findall(r"!\[[^\]]*\]\((docs/screenshots/[^)]+)\)", _window_section())
    assert len(pictures) >= 5
    for picture in pictures:
        assert (REPO / picture).is_file(), picture
