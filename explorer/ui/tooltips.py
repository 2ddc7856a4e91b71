"""Long tooltips wrapped into a readable column instead of one line across the screen."""

from __future__ import annotations

import html

from PySide6 import QtGui
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFontMetrics, QHelpEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QToolTip, QWidget

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


class TooltipWrapper(QObject):
    """Application-wide: long plain tooltips are wrapped, wherever and whenever they were set.

    A widget's tooltip is rewritten when it changes (QEvent.ToolTipChange, sent by setToolTip); an item
    view's tooltip comes from its model when it is shown, so that one is wrapped at that moment.
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind == QEvent.Type.ToolTipChange and isinstance(watched, QWidget):
            text = watched.toolTip()
            if needs_wrapping(text):
                watched.setToolTip(wrap_tooltip(text))  # rich now: the change it sends is left alone
        elif kind == QEvent.Type.ToolTip and isinstance(watched, QWidget):
            view = watched.parentWidget()
            if isinstance(view, QAbstractItemView) and watched is view.viewport():
                assert isinstance(event, QHelpEvent)
                return self._item_tooltip(view, event)
        return False

    @staticmethod
    def _item_tooltip(view: QAbstractItemView, event: QHelpEvent) -> bool:
        index = view.indexAt(event.pos())
        text = index.data(Qt.ItemDataRole.ToolTipRole) if index.isValid() else None
        if not isinstance(text, str) or not needs_wrapping(text):
            return False  # the view shows it (or hides a stale one) as usual
        rect = view.visualRect(index)
        QToolTip.showText(event.globalPos(), wrap_tooltip(text), view.viewport(), rect)
        return True


def install(app: QApplication) -> TooltipWrapper:
    """Wrap the long tooltips of every widget made so far and from now on (idempotent)."""
    existing = app.findChild(TooltipWrapper)
    if existing is not None:
        return existing
    wrapper = TooltipWrapper(app)
    app.installEventFilter(wrapper)
    for widget in app.allWidgets():
        if needs_wrapping(widget.toolTip()):
            widget.setToolTip(wrap_tooltip(widget.toolTip()))
    return wrapper
