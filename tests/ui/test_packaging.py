"""One reverse-DNS id everywhere: the window's desktop file name, the .desktop file and the AppStream id."""

from __future__ import annotations

import configparser
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from explorer.ui.theme import APP_ID

ROOT = Path(__file__).resolve().parents[2]


def test_desktop_and_metainfo_use_the_app_id() -> None:
    desktop = ROOT / "packaging" / "linux" / f"{APP_ID}.desktop"
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive in .desktop files
    entry.read(desktop, encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Icon"] == APP_ID and section["Type"] == "Application"
    assert section["Exec"].split()[0] == "explorer"
    meta = ET.parse(ROOT / "packaging" / "linux" / f"{APP_ID}.metainfo.xml").getroot()
    assert meta.findtext("id") == APP_ID
    assert meta.findtext("launchable") == desktop.name
    spec = (ROOT / "packaging" / "pyinstaller" / "explorer.spec").read_text(encoding="utf-8")
    assert f'APP_ID = "{APP_ID}"' in spec


def test_the_icon_is_a_valid_svg(qapp: Any) -> None:
    from explorer.ui.theme import app_icon

    icon = app_icon()
    assert not icon.isNull()
    assert {s.width() for s in icon.availableSizes()} >= {16, 32, 256}
