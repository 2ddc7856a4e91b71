"""The packaging files agree on one app id (.desktop, AppStream, icons, spec, window); bundled data exists."""

from __future__ import annotations

import ast
import configparser
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
LINUX = PACKAGING / "linux"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def _window_app_id() -> str:
    """APP_ID as the window code sets it (read from the source, so this file needs no Qt)."""
    tree = ast.parse((ROOT / "explorer" / "ui" / "theme.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "APP_ID" for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError("explorer/ui/theme.py defines no APP_ID")


APP_ID = _window_app_id()
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive in .desktop files
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_the_window_sets_the_same_desktop_file_name() -> None:
    source = (ROOT / "explorer" / "ui" / "app.py").read_text(encoding="utf-8")
    assert "setDesktopFileName(theme.APP_ID)" in source
    assert APP_ID == "io.github.forumapiexplorer.Explorer"


def test_desktop_entry_has_the_required_keys() -> None:
    entry = _desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Forum API Explorer"
    assert entry["Exec"].split()[0] == "explorer"
    assert entry["Icon"] == APP_ID
    assert entry["Terminal"] == "false"
    assert entry["StartupWMClass"] == "explorer"
    categories = entry["Categories"]
    assert categories.endswith(";")
    # One main category (Development), so menus list the app once; WebDevelopment and Qt refine it.
    assert categories.split(";")[:-1] == ["Development", "WebDevelopment", "Qt"]
    # Every list value ends with ';' and no key appears twice (configparser would have refused the file).
    assert entry["Keywords"].endswith(";")


def test_metainfo_names_the_same_id_launchable_and_binary() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    launchable = root.find("launchable")
    assert launchable is not None and launchable.get("type") == "desktop-id"
    assert launchable.text == DESKTOP.name
    assert root.findtext("provides/binary") == _desktop_entry()["Exec"].split()[0]
    assert root.findtext("name") == _desktop_entry()["Name"]
    desktop_categories = _desktop_entry()["Categories"].split(";")[:-1]
    assert [c.text for c in root.findall("categories/category")] == desktop_categories[:2]
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.findtext("project_license") == "MIT"
    assert root.findtext("summary")
    assert len(root.findall("description/p")) >= 1
    assert root.find("url[@type='homepage']") is not None
    assert root.find("content_rating").get("type") == "oars-1.1"


def test_metainfo_release_matches_the_package_version() -> None:
    from explorer import __version__

    releases = ET.parse(METAINFO).getroot().findall("releases/release")
    assert releases, "no <release>"
    assert releases[0].get("version") == __version__ == "0.1.0"
    assert releases[0].get("date")


def test_metainfo_screenshots_are_the_ones_in_docs() -> None:
    images = ET.parse(METAINFO).getroot().findall("screenshots/screenshot/image")
    assert images
    for image in images:
        url = image.text or ""
        assert url.startswith("https://")
        name = url.rsplit("/", 1)[-1]
        local = ROOT / "docs" / "screenshots" / name
        assert local.is_file(), f"{url} names no file in docs/screenshots"
        assert _png_size(local) == (int(image.get("width")), int(image.get("height")))


def test_hicolor_icons_exist_for_every_size_under_the_app_id() -> None:
    found = sorted(PACKAGING.glob("icons/hicolor/*/apps/*.png"))
    assert {p.name for p in found} == {f"{APP_ID}.png"}
    sizes = []
    for path in found:
        width, height = _png_size(path)
        folder = path.parent.parent.name
        assert folder == f"{width}x{height}", f"{path} is {width}x{height}"
        sizes.append(width)
    assert sorted(sizes) == list(ICON_SIZES)


def test_windows_and_macos_icons_hold_png_entries() -> None:
    ico = (PACKAGING / "icons" / "explorer.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind) == (0, 1) and count >= 4
    for i in range(count):
        width, _, _, _, _, _, length, offset = struct.unpack("<BBBBHHII", ico[6 + 16 * i : 22 + 16 * i])
        blob = ico[offset : offset + length]
        assert blob[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">I", blob[16:20])[0] == (width or 256)
    icns = (PACKAGING / "icons" / "explorer.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)
    kinds, pos = [], 8
    while pos < len(icns):
        kinds.append(icns[pos : pos + 4])
        pos += struct.unpack(">I", icns[pos + 4 : pos + 8])[0]
    assert pos == len(icns) and b"ic09" in kinds  # 512 px


class _Recorder:
    """Stands in for PyInstaller's spec globals (Analysis, EXE, ...) and records what the spec passes."""

    def __init__(self) -> None:
        self.calls: dict[str, dict[str, Any]] = {}

    def __call__(self, name: str):
        def record(*args: Any, **kwargs: Any) -> SimpleNamespace:
            self.calls[name] = {"args": args, **kwargs}
            return SimpleNamespace(pure=[], scripts=[], binaries=[], datas=[])

        return record


def _run_spec(monkeypatch: pytest.MonkeyPatch, platform: str) -> dict[str, dict[str, Any]]:
    monkeypatch.setattr(sys, "platform", platform)
    spec = PACKAGING / "pyinstaller" / "explorer.spec"
    recorder = _Recorder()
    namespace: dict[str, Any] = {"SPECPATH": str(spec.parent), "__file__": str(spec)}
    namespace |= {name: recorder(name) for name in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE")}
    exec(compile(spec.read_text(encoding="utf-8"), str(spec), "exec"), namespace)
    return recorder.calls


def test_spec_datas_exist_and_land_under_resources(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _run_spec(monkeypatch, "linux")
    analysis = calls["Analysis"]
    scripts = analysis["args"][0]
    assert [Path(s) for s in scripts] == [PACKAGING / "pyinstaller" / "entry.py"]
    datas = analysis["datas"]
    for source, dest in datas:
        assert Path(source).is_file(), source
        # Same relative place in the bundle as in the checkout: resources_dir() = <bundle>/resources.
        assert Path(source).parent.relative_to(ROOT) == Path(dest)
    sources = {Path(s).relative_to(ROOT).as_posix() for s, _ in datas}
    assert {"resources/catalogs/discourse.json", "resources/catalogs/disqus.json"} <= sources
    assert "resources/icons/explorer.svg" in sources
    assert all(s.startswith(("resources/catalogs/", "resources/icons/")) for s in sources)
    excludes = set(analysis["excludes"])
    assert {"PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtNetwork", "tkinter"} <= excludes
    # The modules the app imports must never be excluded.
    assert not excludes & {"PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets", "PySide6.QtSvg"}
    assert "explorer.cli.selftest" in analysis["hiddenimports"]
    assert calls["EXE"]["name"] == "explorer" and Path(calls["EXE"]["icon"]).is_file()
    assert "BUNDLE" not in calls


def test_spec_makes_a_macos_bundle_with_the_app_id(monkeypatch: pytest.MonkeyPatch) -> None:
    from explorer import __version__

    calls = _run_spec(monkeypatch, "darwin")
    bundle = calls["BUNDLE"]
    assert bundle["bundle_identifier"] == APP_ID
    assert bundle["name"].endswith(".app")
    assert Path(bundle["icon"]).suffix == ".icns" and Path(bundle["icon"]).is_file()
    assert bundle["info_plist"]["CFBundleShortVersionString"] == __version__


def test_windows_build_gets_the_version_resource(monkeypatch: pytest.MonkeyPatch) -> None:
    from explorer import __version__

    calls = _run_spec(monkeypatch, "win32")
    assert Path(calls["EXE"]["icon"]).name == "explorer.ico"
    version_file = Path(calls["EXE"]["version"])
    # PyInstaller evaluates the file as one Python expression; read it the same way, without running it.
    tree = ast.parse(version_file.read_text(encoding="utf-8"), mode="eval")
    calls_in_file = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    assert isinstance(tree.body, ast.Call) and ast.unparse(tree.body.func) == "VSVersionInfo"
    numbers = tuple(int(part) for part in __version__.split(".")) + (0,)
    fixed = next(c for c in calls_in_file if ast.unparse(c.func) == "FixedFileInfo")
    for keyword in fixed.keywords:
        if keyword.arg in ("filevers", "prodvers"):
            assert ast.literal_eval(keyword.value) == numbers
    strings = {
        ast.literal_eval(c.args[0]): ast.literal_eval(c.args[1])
        for c in calls_in_file
        if ast.unparse(c.func) == "StringStruct"
    }
    assert strings["FileVersion"] == strings["ProductVersion"] == __version__
    assert strings["OriginalFilename"] == f"{calls['EXE']['name']}.exe"
    assert _run_spec(monkeypatch, "linux")["EXE"]["version"] is None


def test_resources_dir_points_into_the_bundle(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from explorer.core import paths

    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert paths.resources_dir() == tmp_path / "resources"


def test_entry_calls_freeze_support_before_importing_the_app() -> None:
    tree = ast.parse((PACKAGING / "pyinstaller" / "entry.py").read_text(encoding="utf-8"))
    run = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "run")
    first = run.body[0]
    assert isinstance(first, ast.Expr) and ast.unparse(first) == "multiprocessing.freeze_support()"
    top_level_imports = {
        alias.name if isinstance(n, ast.Import) else n.module
        for n in tree.body
        if isinstance(n, ast.Import | ast.ImportFrom)
        for alias in n.names
    }
    assert not any(str(m).startswith("explorer") for m in top_level_imports)


def test_entry_maps_self_test_to_the_selftest_command(monkeypatch: pytest.MonkeyPatch) -> None:
    import runpy

    import explorer.__main__ as cli

    seen: list[list[str]] = []
    monkeypatch.setattr(cli, "main", lambda argv: seen.append(list(argv)) or 0)
    entry = runpy.run_path(str(PACKAGING / "pyinstaller" / "entry.py"))
    for argv, expected in (
        (["explorer", "--self-test"], ["selftest"]),
        (["explorer", "--self-test", "--no-worker"], ["selftest", "--no-worker"]),
        (["explorer", "methods", "--json"], ["methods", "--json"]),
        (["explorer"], []),
    ):
        monkeypatch.setattr(sys, "argv", argv)
        assert entry["run"]() == 0
        assert seen.pop() == expected


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed")
    return path


def test_desktop_file_validate_accepts_the_entry() -> None:
    done = subprocess.run(
        [_tool("desktop-file-validate"), str(DESKTOP)], capture_output=True, text=True, timeout=60
    )
    # Hints count too: a second main category, for instance, lists the app twice in menus.
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


def test_appstreamcli_accepts_the_metainfo() -> None:
    done = subprocess.run(
        [_tool("appstreamcli"), "validate", "--no-net", str(METAINFO)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    # Errors and warnings fail validation; infos (tags an older appstreamcli does not know) are tolerated.
    assert not any(line[:2] in ("E:", "W:") for line in done.stdout.splitlines()), done.stdout
