"""The response pane's paging buttons: Next page (Ctrl+Shift+→) and Fetch all pages…"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

NEXT_TIP = "Send the next page of this list as a new response (Ctrl+Shift+→)"
FETCH_TIP = "Fetch every page of this list and merge them into one array, each item once"


class PagingBar(QWidget):
    """Two buttons beside the response badges; hidden while the request shown does not page."""

    next_requested = Signal()
    fetch_all_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.next_button = QPushButton("Next page")
        self.next_button.setToolTip(NEXT_TIP)
        self.next_button.clicked.connect(self.next_requested)
        self.fetch_button = QPushButton("Fetch all pages…")
        self.fetch_button.setToolTip(FETCH_TIP)
        self.fetch_button.clicked.connect(self.fetch_all_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.next_button)
        layout.addWidget(self.fetch_button)
        self.update_state(pages=False, has_next=False)

    def update_state(self, *, pages: bool, has_next: bool, why_not: str = "") -> None:
        """`pages`: the request in the editor is a list that pages; `has_next`: the response shown has a
        next page (`why_not` says why not, in the button's tooltip)."""
        self.setVisible(pages or has_next)
        self.fetch_button.setEnabled(pages)
        self.next_button.setEnabled(has_next)
        self.next_button.setToolTip(NEXT_TIP if has_next else (why_not or NEXT_TIP))
