"""Long tooltips wrapped into a readable column instead of one line across the screen."""

from __future__ import annotations

import html

from PySide6 import QtGui
from PySide6.QtCore import QEvent, QObject, QRect
from PySide6.QtGui import QFontMetrics, QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip, QWidget

# Wider plain tooltips become rich text, which Qt's tooltip word-wraps (at about 80 average characters);
# plain text is only wrapped past 75 % of the screen, a single 1,400 px line on a wide monitor.
MAX_PLAIN_WIDTH = 420


def needs_wrapping(text: str, metrics: QFontMetrics | None = None) -> bool:
    """True for plain text with a line wider than MAX_PLAIN_WIDTH in the tooltip font."""
    if not text or QtGui.Qt.mightBeRichText(text):  # Qt's own test, as QToolTip applies it
        return False
    metrics = metrics or QFontMetrics(QToolTip.font())
    return any(metrics.horizontalAdvance(line) > MAX_PLAIN_WIDTH for line in text.splitlines())


def wrap_tooltip(text: str) -> str:
    """`text` as a tooltip that wraps: long plain text becomes escaped rich text keeping its line breaks."""
    if not needs_wrapping(text):
        return text
    return f"<p style='white-space:pre-wrap'>{html.escape(text, quote=False)}</p>"


def set_tooltip(widget: QWidget, text: str) -> None:
    widget.setToolTip(wrap_tooltip(text))


class TooltipWrapper(QObject):
    """Application-wide: a widget's long plain tooltip is shown wrapped, wherever it was set.

    Tooltips set through `set_tooltip` are wrapped already; this catches those set elsewhere, at the
    moment they are shown (item views show their model's tooltips themselves and are left alone).
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() != QEvent.Type.ToolTip or not isinstance(watched, QWidget):
            return False
        text = watched.toolTip()
        if not needs_wrapping(text):
            return False
        assert isinstance(event, QHelpEvent)
        QToolTip.showText(event.globalPos(), wrap_tooltip(text), watched, QRect(), watched.toolTipDuration())
        return True


def install(app: QApplication) -> TooltipWrapper:
    """Install the wrapper on `app` once (it is parented to the app); returns it."""
    existing = app.findChild(TooltipWrapper)
    if existing is not None:
        return existing
    wrapper = TooltipWrapper(app)
    app.installEventFilter(wrapper)
    return wrapper
