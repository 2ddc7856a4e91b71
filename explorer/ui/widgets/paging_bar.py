"""The response pane's paging buttons: Next page (Ctrl+Shift+→) and Fetch all pages…"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QToolButton, QWidget

NEXT_TIP = "Next page: send the next page of this list as a new response (Ctrl+Shift+→ outside text fields)"
FETCH_TIP = "Fetch all pages…: fetch every page of this list and merge them into one array, each item once"
FETCH_NOT_YET = "Fetch all pages…: send this list first; it is offered once a page of it has answered"


class PagingBar(QWidget):
    """Two buttons beside the response badges; hidden while the request shown does not page.

    Tool buttons with short text ("Next ›", "All…") and the full names in their tooltips: with push
    buttons the response pane alone made the window too wide for a 1024-pixel screen.
    """

    next_requested = Signal()
    fetch_all_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.next_button = QToolButton()
        self.next_button.setText("Next ›")
        self.next_button.setAccessibleName("Next page")
        self.next_button.setToolTip(NEXT_TIP)
        self.next_button.clicked.connect(self.next_requested)
        self.fetch_button = QToolButton()
        self.fetch_button.setText("All…")
        self.fetch_button.setAccessibleName("Fetch all pages…")
        self.fetch_button.setToolTip(FETCH_TIP)
        self.fetch_button.clicked.connect(self.fetch_all_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.next_button)
        layout.addWidget(self.fetch_button)
        self.update_state(pages=False, has_next=False)

    def update_state(
        self, *, pages: bool, has_next: bool, why_not: str = "", fetchable: bool = False
    ) -> None:
        """`pages`: the request in the editor is a list that pages; `has_next`: the response shown has a
        next page (`why_not` says why not, in the button's tooltip); `fetchable`: the response shown is
        a successful page of that list, so fetching every page makes sense."""
        self.setVisible(pages or has_next)
        self.fetch_button.setEnabled(pages and fetchable)
        self.fetch_button.setToolTip(FETCH_TIP if pages and fetchable else FETCH_NOT_YET)
        self.next_button.setEnabled(has_next)
        self.next_button.setToolTip(NEXT_TIP if has_next else (why_not or NEXT_TIP))
