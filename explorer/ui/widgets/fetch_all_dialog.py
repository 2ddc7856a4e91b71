"""The Fetch all pages dialog: caps on pages and items, a progress bar with the items so far, Cancel."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from explorer.core.paging import DEFAULT_MAX_ITEMS, DEFAULT_MAX_PAGES


class FetchAllDialog(QDialog):
    """Asks for the caps, then shows the walk's progress; the window does the fetching.

    `start_requested(max_pages, max_items)` when Fetch is pressed; `cancel_requested` when Cancel is
    pressed (or the dialog is closed) while a walk runs. Closing it when idle just closes it.
    """

    start_requested = Signal(int, int)
    cancel_requested = Signal()

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Fetch all pages")
        self.running = False
        intro = QLabel(
            f"Fetch every page of <b>{label}</b> and merge them into one list, each item once. "
            "Requests are paced to stay inside the profile's rate limit."
        )
        intro.setWordWrap(True)
        self.max_pages = QSpinBox()
        self.max_pages.setRange(1, 100_000)
        self.max_pages.setValue(DEFAULT_MAX_PAGES)
        self.max_pages.setToolTip("Stop after this many pages")
        self.max_items = QSpinBox()
        self.max_items.setRange(1, 10_000_000)
        self.max_items.setSingleStep(1000)
        self.max_items.setValue(DEFAULT_MAX_ITEMS)
        self.max_items.setToolTip("Stop once this many items are gathered")
        form = QFormLayout()
        form.addRow("At most pages:", self.max_pages)
        form.addRow("At most items:", self.max_items)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat("")
        self.progress.hide()  # empty before Fetch it looked like a text field: shown once the walk starts
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox()
        self.fetch_button = QPushButton("Fetch")
        self.fetch_button.setDefault(True)
        self.cancel_button = QPushButton("Cancel")
        self.buttons.addButton(self.fetch_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.fetch_button.clicked.connect(self._start)
        self.cancel_button.clicked.connect(self._cancel_or_close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(440, self.sizeHint().height())

    def _start(self) -> None:
        self.running = True
        self.fetch_button.setEnabled(False)
        self.max_pages.setEnabled(False)
        self.max_items.setEnabled(False)
        self.progress.setRange(0, self.max_pages.value())
        self.progress.setValue(0)
        self.progress.setFormat("%v pages")
        self.progress.show()
        self.status.setText("Fetching the first page…")
        self.start_requested.emit(self.max_pages.value(), self.max_items.value())

    def _cancel_or_close(self) -> None:
        if self.running:
            self.status.setText("Cancelling…")
            self.cancel_button.setEnabled(False)
            self.cancel_requested.emit()
        else:
            self.reject()

    def reject(self) -> None:  # Esc and the title bar's close button
        if self.running:
            self._cancel_or_close()
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.running:
            self._cancel_or_close()
            event.ignore()
            return
        super().closeEvent(event)

    def show_progress(self, pages: int, items: int) -> None:
        self.progress.setValue(min(pages, self.progress.maximum()))
        self.status.setText(f"{pages} page{'s' if pages != 1 else ''} fetched, {items} items so far")

    def show_waiting(self, text: str) -> None:
        """A wait for the rate limit ("waiting 12 s for the rate limit"): the walk goes on after it."""
        self.status.setText(text)

    def show_finished(self, summary: str, *, failed: bool = False) -> None:
        """The walk ended: say how, and turn Cancel into Close."""
        self.running = False
        self.status.setText(summary)
        if not failed and self.progress.value() < self.progress.maximum():
            self.progress.setRange(0, max(self.progress.value(), 1))
            self.progress.setValue(self.progress.maximum())
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("Close")
