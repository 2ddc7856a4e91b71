"""The drop-down beside the status badge: earlier responses to the request in the editor, from history."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QSizePolicy, QWidget

from explorer.ui.history_model import age_text, entry_outcome
from explorer.ui.widgets.value_combo import ValueCombo

if TYPE_CHECKING:
    from explorer.core.history import HistoryEntry, HistoryStore
    from explorer.core.lifecycle.spec import RequestSpec

LIMIT = 20
PLACEHOLDER = "Earlier responses"


def choice_text(entry: HistoryEntry) -> str:
    """`12:03:04 · 200 · 35 ms` (the date too when it was not today)."""
    return f"{age_text(entry.created_at)} · {entry_outcome(entry)} · {entry.duration_ms:,.0f} ms"


class ResponseHistoryCombo(ValueCombo):
    """Lists the responses the history holds for the editor's request, read when the list is opened.

    Nothing is kept in memory between openings: the history is the one place responses live. Picking
    one emits `picked` with its entry; the window shows it in the response pane.
    """

    picked = Signal(object)  # HistoryEntry

    def __init__(
        self,
        store: Callable[[], HistoryStore],
        spec: Callable[[], RequestSpec],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._spec = spec
        self.shown_id: int | None = None  # the entry whose response the pane shows
        self.setObjectName("responseHistory")
        self.setPlaceholderText(PLACEHOLDER)
        self.setToolTip(
            "The earlier responses of this method (or of this verb and URL), from the history"
        )
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        self.setCurrentIndex(-1)
        self.activated.connect(self._activated)

    def showPopup(self) -> None:  # noqa: N802
        self.refresh()
        super().showPopup()

    def refresh(self) -> list[HistoryEntry]:
        """Read this request's responses from the history into the list (newest first)."""
        from explorer.core.history import HistoryError

        problem = ""
        try:
            entries = self._store().responses_for(self._spec(), limit=LIMIT)
        except HistoryError as exc:
            entries, problem = [], f"The history cannot be read: {exc}"
        self.blockSignals(True)
        try:
            self.clear()
            for entry in entries:
                self.add(choice_text(entry), entry)
            if not entries:
                self.add(problem or "No earlier responses of this request", None)
                self.model().item(0).setEnabled(False)  # type: ignore[attr-defined]
            shown = next((i for i, e in enumerate(entries) if e.id == self.shown_id), -1)
            self.setCurrentIndex(shown)
        finally:
            self.blockSignals(False)
        return entries

    def _activated(self, index: int) -> None:
        entry = self.value_at(index)
        if entry is not None:
            self.picked.emit(entry)

    def showing(self, entry_id: int | None) -> None:
        """The pane now shows this entry's response (None: a response just received)."""
        self.shown_id = entry_id
        if entry_id is None:
            self.blockSignals(True)
            try:
                self.clear()
                self.setCurrentIndex(-1)
            finally:
                self.blockSignals(False)
