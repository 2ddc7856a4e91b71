"""The drop-down beside the status badge: earlier responses to the request in the editor, from history:
those sent with the same arguments first, then those of the same method with other arguments."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QSizePolicy, QWidget

from explorer.ui.history_model import age_text, entry_outcome
from explorer.ui.widgets.value_combo import ValueCombo

if TYPE_CHECKING:
    from explorer.core.history import HistoryEntry, HistoryStore
    from explorer.core.lifecycle.spec import RequestSpec

LIMIT = 20  # entries per section
PLACEHOLDER = "Earlier"  # short: the box sits in the badge row, which must fit a 1024-pixel window
OTHER_ARGUMENTS = "Same method, other arguments"
OTHER_QUERY = "Same URL, other query"  # a free-form request has no arguments, its query differs
NOTHING = "No earlier responses of this request"
NOTHING_SAME = "None with these arguments"


def choice_text(entry: HistoryEntry) -> str:
    """`12:03:04 · 200 · 35 ms` (the date too when it was not today)."""
    return f"{age_text(entry.created_at)} · {entry_outcome(entry)} · {entry.duration_ms:,.0f} ms"


def other_text(entry: HistoryEntry) -> str:
    """An entry sent with other arguments also says what it asked for: `… · /t/6.json?print=true`."""
    parts = urlsplit(entry.url)
    asked = parts.path + (f"?{parts.query}" if parts.query else "")
    return f"{choice_text(entry)} · {asked or entry.url}"


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
            "Earlier responses from the history: this request with the same arguments first, then the "
            "same method (or verb and URL) with other arguments"
        )
        # A fixed, narrow box (an entry's text is long: time, status, duration and sometimes its URL); the
        # list it opens is as wide as its entries.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(5)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        self.setCurrentIndex(-1)
        self.activated.connect(self._activated)

    def showPopup(self) -> None:  # noqa: N802
        self.refresh()
        view = self.view()
        view.setMinimumWidth(view.sizeHintForColumn(0) + 2 * view.frameWidth() + 24)
        super().showPopup()

    def refresh(self) -> list[HistoryEntry]:
        """Read this request's responses from the history into the list: those with the editor's
        arguments, newest first, then under a heading those of the same method with other arguments.
        The entries listed, in that order."""
        from explorer.core.history import HistoryError

        problem = ""
        spec = self._spec()
        try:
            store = self._store()
            same = store.responses_for(spec, limit=LIMIT, same_arguments=True)
            other = store.responses_for(spec, limit=LIMIT, same_arguments=False)
        except HistoryError as exc:
            same, other, problem = [], [], f"The history cannot be read: {exc}"
        self.blockSignals(True)
        try:
            self.clear()
            for entry in same:
                self.add(choice_text(entry), entry)
            if not same and not other:
                self._heading(problem or NOTHING)
            elif other:
                if not same:
                    self._heading(NOTHING_SAME)
                self._heading(OTHER_QUERY if spec.is_free_form else OTHER_ARGUMENTS)
                for entry in other:
                    self.add(other_text(entry), entry)
            values = [self.value_at(i) for i in range(self.count())]
            shown = next((i for i, e in enumerate(values) if e is not None and e.id == self.shown_id), -1)
            self.setCurrentIndex(shown)
        finally:
            self.blockSignals(False)
        return same + other

    def _heading(self, text: str) -> None:
        """A line that cannot be picked: a section's title, or why there is nothing."""
        self.add(text, None)
        self.model().item(self.count() - 1).setEnabled(False)  # type: ignore[attr-defined]

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
