"""The badge above the tree for a Disqus 1.1 envelope: its code and succeeded, and "Show envelope"."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from explorer.core.jsontree.envelope import Envelope
from explorer.ui import theme

PAYLOAD_NOTE = "Disqus envelope: the tree shows its message"
WHOLE_NOTE = "Disqus envelope: the tree shows all of it"


class EnvelopeBar(QWidget):
    """Hidden until `show_envelope()`; the button switches the tree between `message` and the envelope."""

    whole_toggled = Signal(bool)  # True: show the whole envelope in the tree

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.badge = theme.make_badge("", theme.NEUTRAL, self)
        self.note = QLabel(PAYLOAD_NOTE, self)
        self.note.setEnabled(False)
        self.button = QToolButton(self)
        self.button.setCheckable(True)
        self.button.setText("Show envelope")
        self.button.setToolTip("Show the whole {succeeded, code, message} object the server sent")
        self.button.toggled.connect(self._toggled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.badge)
        layout.addWidget(self.note, 1)
        layout.addWidget(self.button)
        self.hide()

    def show_envelope(self, envelope: Envelope) -> None:
        colour = theme.status_colour(200) if envelope.ok else theme.SEVERITY_COLOURS["error"]
        theme.set_badge(self.badge, envelope.badge_text(), colour)
        self.button.blockSignals(True)  # a new response starts on its message, without a signal
        self.button.setChecked(False)
        self.button.blockSignals(False)
        self._label(False)
        self.show()

    def _toggled(self, whole: bool) -> None:
        self._label(whole)
        self.whole_toggled.emit(whole)

    def _label(self, whole: bool) -> None:
        self.button.setText("Show message only" if whole else "Show envelope")
        self.note.setText(WHOLE_NOTE if whole else PAYLOAD_NOTE)
