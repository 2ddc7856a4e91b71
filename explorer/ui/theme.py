"""Colours, badges and the app icon; text colours come from the system palette, so light and dark work."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from explorer.core.paths import resources_dir

APP_ID = "io.github.forumapiexplorer.Explorer"
APP_NAME = "Forum API Explorer"

# Verb colours follow the convention users know from other clients (GET green, POST amber/orange, ...).
_VERB_COLOURS = {
    "GET": "#16a34a",
    "POST": "#d97706",
    "PUT": "#2563eb",
    "PATCH": "#7c3aed",
    "DELETE": "#dc2626",
}
# Status classes: 2xx green, 3xx blue, 4xx amber, 5xx red; no response at all is grey.
_STATUS_COLOURS = {2: "#16a34a", 3: "#2563eb", 4: "#d97706", 5: "#dc2626"}
NEUTRAL = "#6b7280"
SEVERITY_COLOURS = {"error": "#dc2626", "warning": "#d97706", "info": "#2563eb"}


def is_dark(palette: QPalette | None = None) -> bool:
    """True when the current palette has a dark window background."""
    pal = palette or QApplication.palette()
    return pal.color(QPalette.ColorRole.Window).lightness() < 128


def verb_colour(verb: str) -> str:
    return _VERB_COLOURS.get(verb.upper(), NEUTRAL)


def status_colour(status: int | None) -> str:
    if status is None:
        return NEUTRAL
    return _STATUS_COLOURS.get(status // 100, NEUTRAL)


def tint(colour: str, alpha: float) -> str:
    """An rgba() string of `colour` with the given opacity, for soft backgrounds under text."""
    c = QColor(colour)
    return f"rgba({c.red()}, {c.green()}, {c.blue()}, {alpha:.2f})"


def badge_style(colour: str) -> str:
    """Stylesheet of a small rounded pill with white text on `colour`."""
    return (
        f"QLabel {{ background: {colour}; color: white; border-radius: 4px; padding: 2px 7px;"
        " font-weight: 600; }"
    )


def make_badge(text: str, colour: str, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setStyleSheet(badge_style(colour))
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


def set_badge(label: QLabel, text: str, colour: str) -> None:
    label.setText(text)
    label.setStyleSheet(badge_style(colour))


def muted_colour(palette: QPalette | None = None) -> QColor:
    pal = palette or QApplication.palette()
    return pal.color(QPalette.ColorGroup.Active, QPalette.ColorRole.PlaceholderText)


def app_icon() -> QIcon:
    """The application icon, rendered from our SVG at the usual sizes (crisp on high-DPI screens)."""
    path = resources_dir() / "icons" / "explorer.svg"
    icon = QIcon()
    if not path.is_file():
        return icon
    # QIcon(svg) needs the Qt SVG image plugin; rendering through QSvgRenderer when available avoids that.
    try:
        from PySide6.QtSvg import QSvgRenderer
    except ImportError:
        return QIcon(str(path))
    renderer = QSvgRenderer(str(path))
    for size in (16, 24, 32, 48, 64, 128, 256):
        pixmap = QPixmap(QSize(size, size))
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        renderer.render(painter)
        painter.end()
        icon.addPixmap(pixmap)
    return icon
