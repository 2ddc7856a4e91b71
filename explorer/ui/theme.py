"""Colours, badges and the app icon; text colours come from the system palette, so light and dark work."""

from __future__ import annotations

from collections.abc import Callable

from PySide6 import QtCore
from PySide6.QtCore import QObject, QRect, QRectF, QSize
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QProxyStyle,
    QStyle,
    QStyleOption,
    QStyleOptionComplex,
    QWidget,
)

from explorer.core.paths import resources_dir

# `Qt` is read as QtCore.Qt where it is used: the namespace costs ~20 ms to load, which the first paint skips.
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
    label.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
    return label


def set_badge(label: QLabel, text: str, colour: str) -> None:
    label.setText(text)
    label.setStyleSheet(badge_style(colour))


def muted_colour(palette: QPalette | None = None) -> QColor:
    pal = palette or QApplication.palette()
    return pal.color(QPalette.ColorGroup.Active, QPalette.ColorRole.PlaceholderText)


def small_font(font: QFont) -> QFont:
    """A second line's font (a method's path, a history entry's details): a little smaller than the
    row's, never unreadably so."""
    small = QFont(font)
    small.setPointSizeF(max(font.pointSizeF() * 0.88, 7.0))
    return small


def paint_verb_badge(painter: QPainter, badge: QRect, verb: str, font: QFont) -> None:
    """A rounded badge in the verb's colour, the verb on it in white (method and history rows)."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QtCore.Qt.PenStyle.NoPen)
    painter.setBrush(QColor(verb_colour(verb)))
    painter.drawRoundedRect(badge, 4, 4)
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(badge, QtCore.Qt.AlignmentFlag.AlignCenter, verb)


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
        pixmap.fill(QtCore.Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        renderer.render(painter)
        painter.end()
        icon.addPixmap(pixmap)
    return icon


def _dark_palette() -> QPalette:
    """A dark palette for platforms whose style does not provide one (Fusion on some Linux desktops)."""
    pal = QPalette()
    roles = QPalette.ColorRole
    for role, colour in (
        (roles.Window, "#1f2125"),
        (roles.WindowText, "#e6e6e6"),
        (roles.Base, "#17191c"),
        (roles.AlternateBase, "#24272b"),
        (roles.Text, "#e6e6e6"),
        (roles.Button, "#2a2d32"),
        (roles.ButtonText, "#e6e6e6"),
        (roles.ToolTipBase, "#2a2d32"),
        (roles.ToolTipText, "#e6e6e6"),
        (roles.Highlight, "#2563eb"),
        (roles.HighlightedText, "#ffffff"),
        (roles.PlaceholderText, "#8b9096"),
        (roles.Link, "#60a5fa"),
        (roles.Mid, "#3a3e44"),
    ):
        pal.setColor(role, QColor(colour))
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6b7076"))
    return pal


# Outlines drawn over a dark palette: Fusion draws them a shade darker than the window, i.e. invisible.
DARK_OUTLINE = "#7a7f86"
_PE = QStyle.PrimitiveElement
_OUTLINED = (_PE.PE_FrameLineEdit, _PE.PE_Frame, _PE.PE_IndicatorCheckBox, _PE.PE_IndicatorRadioButton)


class OutlinedStyle(QProxyStyle):
    """The platform style, plus visible outlines on text fields, spin boxes, frames and check/radio
    indicators when the palette is dark (in a light palette it draws exactly as the style does)."""

    def drawPrimitive(  # noqa: N802
        self, element: QStyle.PrimitiveElement, option: QStyleOption, painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element not in _OUTLINED or not is_dark(option.palette):
            return
        if element == _PE.PE_FrameLineEdit and option.state & QStyle.StateFlag.State_HasFocus:
            return  # the style's focus frame (highlight colour) is visible already
        _outline(painter, option, round_=element == _PE.PE_IndicatorRadioButton)

    def drawComplexControl(  # noqa: N802
        self, control: QStyle.ComplexControl, option: QStyleOptionComplex, painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawComplexControl(control, option, painter, widget)
        focused = option.state & QStyle.StateFlag.State_HasFocus
        if control == QStyle.ComplexControl.CC_SpinBox and is_dark(option.palette) and not focused:
            _outline(painter, option)


def _outline(painter: QPainter, option: QStyleOption, *, round_: bool = False) -> None:
    rect = QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(QColor(DARK_OUTLINE))
    painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
    if round_:
        painter.drawEllipse(rect)
    else:
        painter.drawRoundedRect(rect, 2, 2)
    painter.restore()


def apply_colour_scheme(app: QApplication, scheme: QtCore.Qt.ColorScheme, light: QPalette) -> None:
    """Switch to a dark palette when `scheme` is dark and the style left the palette light (and back)."""
    if scheme == QtCore.Qt.ColorScheme.Dark:
        if not is_dark(app.palette()):
            if not isinstance(app.style(), OutlinedStyle):
                # Before the palette: a new application style may reset the palette to its own.
                app.setStyle(OutlinedStyle(app.style().name()))
            app.setPalette(_dark_palette())
            _repolish_style_sheets(app)
    elif is_dark(app.palette()) and not is_dark(light):
        app.setPalette(light)
        _repolish_style_sheets(app)


def _repolish_style_sheets(app: QApplication) -> None:
    """Widgets with a style sheet keep the palette they were polished with (a dark heading's light text
    would stay on the light window): setting the sheet again polishes them with the new palette."""
    for widget in app.allWidgets():
        sheet = widget.styleSheet()
        if sheet:
            widget.setStyleSheet(sheet)


class ThemeFollower(QObject):
    """Applies the theme setting ("system", "light" or "dark") and follows the system while it is "system".

    Native styles (Windows 11, macOS, GNOME/KDE platform themes) switch palettes themselves; where the
    palette stays light although dark is wanted, a dark palette is applied here.
    """

    def __init__(self, app: QApplication, setting: Callable[[], str]) -> None:
        super().__init__(app)
        self._app = app
        self._setting = setting
        self._light = QPalette(app.palette())
        app.styleHints().colorSchemeChanged.connect(self._system_changed)
        self.apply()

    def apply(self) -> None:
        name = self._setting()
        if name == "dark":
            scheme = QtCore.Qt.ColorScheme.Dark
        elif name == "light":
            scheme = QtCore.Qt.ColorScheme.Light
        else:
            scheme = self._app.styleHints().colorScheme()
        apply_colour_scheme(self._app, scheme, self._light)

    def _system_changed(self, scheme: QtCore.Qt.ColorScheme) -> None:
        if self._setting() == "system":
            apply_colour_scheme(self._app, scheme, self._light)
