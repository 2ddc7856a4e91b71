"""Render resources/icons/explorer.svg into the PNG, .ico and .icns icons the packages install."""

from __future__ import annotations

import argparse
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP_ID = "io.github.forumapiexplorer.Explorer"
SVG = ROOT / "resources" / "icons" / "explorer.svg"
OUT = ROOT / "packaging" / "icons"

# The freedesktop hicolor theme sizes desktops look up; 512 also feeds the macOS icon.
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
# Windows shows 16-48 in lists and 256 in large views; .ico caps entries at 256.
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# macOS icon types that hold PNG data (10.7+), by pixel size.
ICNS_TYPES = {16: b"icp4", 32: b"icp5", 64: b"icp6", 128: b"ic07", 256: b"ic08", 512: b"ic09"}


def hicolor_path(out: Path, size: int) -> Path:
    return out / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"


def render_png(svg: Path, size: int) -> bytes:
    """The icon as PNG bytes at `size` x `size`, transparent outside the drawing."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, Qt
    from PySide6.QtGui import QImage, QImageReader, QPainter

    try:
        from PySide6.QtSvg import QSvgRenderer
    except ImportError:  # a Qt build without QtSvg: the SVG image-format plugin can still scale it
        reader = QImageReader(str(svg))
        reader.setScaledSize(QSize(size, size))
        image = reader.read()
        if image.isNull():
            raise RuntimeError(f"cannot render {svg}: {reader.errorString()}") from None
    else:
        renderer = QSvgRenderer(str(svg))
        if not renderer.isValid():
            raise RuntimeError(f"{svg} is not a valid SVG")
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError(f"cannot encode the {size}px icon as PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico whose entries are PNG images (supported since Windows Vista)."""
    sizes = [s for s in ICO_SIZES if s in pngs]
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, blobs = b"", b""
    for size in sizes:
        blob = pngs[size]
        side = size % 256  # 0 means 256 in an ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset)
        blobs += blob
        offset += len(blob)
    return header + entries + blobs


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """A macOS .icns made of PNG entries."""
    body = b"".join(
        kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size]
        for size, kind in ICNS_TYPES.items()
        if size in pngs
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def make_icons(svg: Path = SVG, out: Path = OUT) -> list[Path]:
    """Write every icon under `out`; returns the files written."""
    from PySide6.QtGui import QGuiApplication

    # QPainter on a QImage needs a QGuiApplication for fonts; none is shown (run with offscreen if headless).
    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    pngs = {size: render_png(svg, size) for size in SIZES}
    written: list[Path] = []
    for size, blob in pngs.items():
        path = hicolor_path(out, size)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(blob)
        written.append(path)
    for name, blob in (("explorer.ico", ico_bytes(pngs)), ("explorer.icns", icns_bytes(pngs))):
        (out / name).write_bytes(blob)
        written.append(out / name)
    del app
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--svg", type=Path, default=SVG, help="the drawing (default: the app's own)")
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (default: packaging/icons)")
    args = parser.parse_args(argv)
    if not args.svg.is_file():
        print(f"make_icons: no SVG at {args.svg}", file=sys.stderr)
        return 2
    try:
        written = make_icons(args.svg, args.out)
    except (RuntimeError, OSError) as exc:
        print(f"make_icons: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
