"""One-line status labels that never widen the window: long text is elided, the full text is the tooltip."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from explorer.ui.tooltips import wrap_tooltip

TRANSIENT_MS = 4000  # how long a note such as "Copied jq path" stays


class ElidedLabel(QLabel):
    """A plain-text, one-line label that takes the width it is given and no more.

    A QLabel asks its layout for the width of its whole text, so a long message (a jq expression, a path)
    would raise the window's minimum width, past the screen, for good. This one asks for nothing
    (horizontal policy Ignored), draws what fits with "…", and shows the whole text as its tooltip.
    `flash()` shows a transient note that disappears after `transient_ms`, or when the next text comes.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self._transient = False
        self.transient_ms = TRANSIENT_MS
        self.hide_timer = QTimer(self)
        self.hide_timer.setSingleShot(True)
        self.hide_timer.timeout.connect(self._expire)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setText(text)

    def text(self) -> str:
        """The whole text (what is drawn may be cut short: see shown_text)."""
        return self._full

    def shown_text(self) -> str:
        return super().text()

    def setText(self, text: str) -> None:  # noqa: N802
        """Show `text` until the next one (a pending transient note is cancelled)."""
        self.hide_timer.stop()
        self._transient = False
        self._show(text)

    def flash(self, text: str) -> None:
        """Show `text` for `transient_ms`, then clear it (unless something else was shown meanwhile)."""
        self._show(text)
        self._transient = True
        self.hide_timer.start(self.transient_ms)

    def clear(self) -> None:
        self.setText("")

    def _expire(self) -> None:
        if self._transient:
            self._transient = False
            self._show("")

    def _show(self, text: str) -> None:
        self._full = text
        self._elide()

    def _elide(self) -> None:
        width = self.contentsRect().width()
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, width)
        super().setText(shown)
        self.setToolTip(wrap_tooltip(self._full) if shown != self._full else "")

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(0, super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:  # noqa: N802
        # What the whole text would like (a layout may give less: the policy is Ignored).
        margins = self.contentsMargins()
        width = self.fontMetrics().horizontalAdvance(self._full) + margins.left() + margins.right()
        return QSize(width, super().sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._elide()
