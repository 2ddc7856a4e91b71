"""packaging/make_icons.py renders the app's SVG, and the committed icons are that drawing (not stale)."""

from __future__ import annotations

import importlib.util
import struct
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.gui


def _make_icons():
    spec = importlib.util.spec_from_file_location("make_icons", ROOT / "packaging" / "make_icons.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pixels(path: Path) -> tuple[int, int, bytes]:
    from PySide6.QtGui import QImage

    image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGBA8888)
    assert not image.isNull(), path
    return image.width(), image.height(), bytes(image.constBits())


def test_rendered_icons_match_the_committed_ones(qapp, tmp_path: Path) -> None:
    make_icons = _make_icons()
    written = make_icons.make_icons(out=tmp_path)
    assert len(written) == len(make_icons.SIZES) + 2
    for size in make_icons.SIZES:
        fresh = make_icons.hicolor_path(tmp_path, size)
        committed = make_icons.hicolor_path(ROOT / "packaging" / "icons", size)
        width, height, fresh_px = _pixels(fresh)
        assert (width, height) == (size, size)
        # Transparent corners (the drawing is a rounded square) and an opaque centre.
        assert fresh_px[3] == 0 and fresh_px[(size // 2 * size + size // 2) * 4 + 3] == 255
        _, _, committed_px = _pixels(committed)
        # Another Qt version may anti-alias a few edge pixels differently; a redrawn SVG changes far more.
        mean_diff = sum(abs(a - b) for a, b in zip(fresh_px, committed_px, strict=True)) / len(fresh_px)
        assert mean_diff < 2.0, f"{committed} differs from the SVG: run packaging/make_icons.py"


def test_ico_directory_lists_the_sizes(qapp, tmp_path: Path) -> None:
    make_icons = _make_icons()
    pngs = {16: make_icons.render_png(make_icons.SVG, 16), 256: make_icons.render_png(make_icons.SVG, 256)}
    ico = make_icons.ico_bytes(pngs)
    assert struct.unpack("<HHH", ico[:6]) == (0, 1, 2)
    first = struct.unpack("<BBBBHHII", ico[6:22])
    second = struct.unpack("<BBBBHHII", ico[22:38])
    assert (first[0], second[0]) == (16, 0)  # 0 stands for 256
    assert ico[second[7] : second[7] + second[6]] == pngs[256]


def test_missing_svg_is_a_message_not_a_traceback(tmp_path: Path, capsys) -> None:
    make_icons = _make_icons()
    assert make_icons.main(["--svg", str(tmp_path / "none.svg"), "--out", str(tmp_path)]) == 2
    assert "no SVG at" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())
