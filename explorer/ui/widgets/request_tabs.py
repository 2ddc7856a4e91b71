"""Request tabs: several requests open at once above the one editor; each tab holds a RequestSpec."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QMessageBox, QTabBar, QToolButton, QWidget

from explorer.core.catalog.model import Api
from explorer.core.drafts import Drafts, DraftTab, same_spec
from explorer.core.lifecycle.spec import RequestSpec
from explorer.core.paths import atomic_write_bytes
from explorer.ui.widgets.request_editor import RequestEditor

UNSAVED_MARK = " •"


def api_of(spec: RequestSpec) -> Api | None:
    """The API a specification names, None for none (or one this version does not know)."""
    try:
        return Api(spec.api) if spec.api else None
    except ValueError:
        return None


@dataclass(eq=False)  # tabs are told apart by identity: two may hold equal requests
class RequestTab:
    """One open request: what it holds (while it is not in front), and its last saved state and file.

    The tab in front is edited in the editor; its `spec` is brought up to date when it is left, saved,
    or written to the drafts file.
    """

    spec: RequestSpec
    baseline: RequestSpec | None = None
    file: str | None = None
    # Arguments the profile filled in (Disqus forum_id) while the tab was in front: not an edit.
    filled: dict[str, str] = field(default_factory=dict)

    @property
    def unsaved(self) -> bool:
        if self.baseline is None:
            return True
        spec, kept = self.spec, self.baseline.arguments
        from_profile = {
            name for name, value in self.filled.items()
            if name not in kept and str(spec.arguments.get(name)) == value
        }
        if from_profile:
            spec = replace(spec, arguments={k: v for k, v in spec.arguments.items() if k not in from_profile})
        return not same_spec(spec, self.baseline)


class RequestTabs(QWidget):
    """The tab bar: switching saves the editor's request into the tab it leaves and loads the new one.

    `show_spec` puts a specification in the editor (the window sets the profile for its API first);
    `notify` shows a short message; `colour_of` names the colour of a tab whose request goes to a
    production site (None otherwise). `changed` fires whenever something the drafts file holds changed.
    """

    changed = Signal()
    current_changed = Signal()

    def __init__(
        self,
        editor: RequestEditor,
        *,
        show_spec: Callable[[RequestSpec], None] | None = None,
        notify: Callable[[str], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.editor = editor
        self._show_spec = show_spec or editor.load_spec
        self._notify = notify or (lambda _text: None)
        self.colour_of: Callable[[RequestSpec], str | None] = lambda _spec: None
        self.tabs: list[RequestTab] = []
        self._current = -1
        self._loading = False
        self.dialog: QFileDialog | None = None
        self.close_question: QMessageBox | None = None  # "unsaved changes" when a tab is being closed
        # What Save does (Ctrl+S and Save in the close question); the window routes it through collections.
        self.save_current: Callable[[], None] = self.save_as
        self._close_once_saved: RequestTab | None = None
        self.restored = False  # True once the tabs of an earlier session were put back

        self.bar = QTabBar()
        self.bar.setObjectName("requestTabs")
        self.bar.setDocumentMode(True)
        self.bar.setTabsClosable(True)
        self.bar.setMovable(True)
        self.bar.setExpanding(False)
        self.bar.setElideMode(Qt.TextElideMode.ElideRight)
        self.bar.setUsesScrollButtons(True)
        self.bar.currentChanged.connect(self._switched)
        self.bar.tabCloseRequested.connect(self.close_tab)
        self.bar.tabMoved.connect(self._moved)
        self.new_button = QToolButton()
        self.new_button.setText("+")
        self.new_button.setAutoRaise(True)
        self.new_button.setToolTip("New request tab (Ctrl+T)")
        self.new_button.clicked.connect(self.new_tab)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 0)
        layout.setSpacing(2)
        layout.addWidget(self.bar, 1)
        layout.addWidget(self.new_button)

        editor.spec_changed.connect(self._edited)
        editor.method_changed.connect(lambda _method: self._edited())
        self.changed.connect(self._close_if_saved)  # a save finished in a dialog closes a tab waiting for it

    # -- reading -------------------------------------------------------------------------------------------

    @property
    def current_index(self) -> int:
        return self._current

    @property
    def current(self) -> RequestTab:
        return self.tabs[self._current]

    def sync_current(self) -> RequestTab:
        """The tab in front, with the editor's request copied into it."""
        tab = self.current
        tab.spec = self.editor.spec()
        tab.filled = self.editor.prefilled()
        return tab

    def drafts(self) -> Drafts:
        """Every tab as the drafts file keeps it."""
        if self.tabs:
            self.sync_current()
        return Drafts(tuple(DraftTab(t.spec, t.baseline, t.file) for t in self.tabs), max(self._current, 0))

    # -- opening, switching and closing --------------------------------------------------------------------

    def _empty_spec(self) -> RequestSpec:
        """A new request: empty and free-form, for the API of the request in front (its profile applies)."""
        api = None
        if self.tabs:
            api = self.editor.spec().api
        if api is None and self.editor.target is not None:
            api = self.editor.target.api.value
        return RequestSpec(api=api)

    def new_tab(self, spec: RequestSpec | None = None) -> RequestTab:
        """Open `spec` (an empty request when None) in a new tab after the current one, and show it."""
        if self.tabs:
            self.sync_current()
        tab = RequestTab(spec or self._empty_spec())
        index = self._current + 1 if self.tabs else 0
        self.tabs.insert(index, tab)
        self._loading = True
        try:
            self.bar.insertTab(index, tab.spec.label())
            self.bar.setCurrentIndex(index)
        finally:
            self._loading = False
        self._current = index
        self._load(tab, fresh=True)
        return tab

    def set_tabs(self, drafts: Drafts) -> None:
        """Replace every tab with `drafts` (restored at start-up) and show the active one."""
        self._loading = True
        try:
            while self.bar.count():
                self.bar.removeTab(0)
            self.tabs = [RequestTab(t.spec, t.baseline, t.file) for t in drafts.tabs]
            for tab in self.tabs:
                self.bar.addTab(tab.spec.label())
            self._current = min(max(drafts.active, 0), len(self.tabs) - 1)
            self.bar.setCurrentIndex(self._current)
        finally:
            self._loading = False
        self.restored = True
        self._load(self.current, fresh=False)

    def _load(self, tab: RequestTab, *, fresh: bool) -> None:
        """Show `tab` in the editor; a fresh tab's saved state is what the editor makes of it."""
        self._loading = True
        try:
            self._show_spec(tab.spec)
        finally:
            self._loading = False
        if fresh:
            tab.spec = tab.baseline = self.editor.spec()
        self.refresh_titles()
        self.current_changed.emit()
        self.changed.emit()

    def _switched(self, index: int) -> None:
        if self._loading or index == self._current or not 0 <= index < len(self.tabs):
            return
        if 0 <= self._current < len(self.tabs):
            self.sync_current()
        self._close_once_saved = None  # a save abandoned in its dialog no longer closes the tab later
        self._current = index
        self._load(self.current, fresh=False)

    def _moved(self, source: int, target: int) -> None:
        self.tabs.insert(target, self.tabs.pop(source))
        self._current = self.bar.currentIndex()
        self.changed.emit()

    def switch_by(self, step: int) -> None:
        """Bring the next (1) or previous (-1) tab to the front, wrapping around."""
        if len(self.tabs) > 1:
            self.bar.setCurrentIndex((self._current + step) % len(self.tabs))

    def close_tab(self, index: int | None = None, *, discard: bool = False) -> None:
        """Close a tab (the current one by default); the last tab is never closed: it becomes empty.

        A tab with unsaved changes is closed only after the user says so (Save, Discard or Cancel),
        unless `discard` is given.
        """
        index = self._current if index is None or isinstance(index, bool) else index
        if not 0 <= index < len(self.tabs):
            return
        if index == self._current:
            self.sync_current()
        tab = self.tabs[index]
        if not discard and tab.unsaved and not _is_blank(tab.spec):
            self._ask_before_closing(tab)
            return
        label = tab.spec.label()
        if len(self.tabs) == 1:
            self.tabs[0] = RequestTab(self._empty_spec())
            self._load(self.tabs[0], fresh=True)
        else:
            closing_current = index == self._current
            self._loading = True
            try:
                del self.tabs[index]
                self.bar.removeTab(index)
            finally:
                self._loading = False
            self._current = self.bar.currentIndex()
            if closing_current:
                self._load(self.current, fresh=False)
            else:
                self.changed.emit()
        self._notify(f"Closed {label}.")

    def _ask_before_closing(self, tab: RequestTab) -> None:
        """Save, Discard or Cancel for a tab with unsaved changes (a non-blocking question)."""
        buttons = QMessageBox.StandardButton
        text = f"“{tab.spec.label()}” has unsaved changes."
        box = QMessageBox(QMessageBox.Icon.Question, "Close tab", text, parent=self)
        box.setInformativeText("Save it before closing the tab? Otherwise its changes are lost.")
        box.setStandardButtons(buttons.Save | buttons.Discard | buttons.Cancel)
        box.setDefaultButton(buttons.Save)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda answer: self._answered(tab, QMessageBox.StandardButton(answer)))
        self.close_question = box
        # open(), not exec(): a nested event loop inside the running asyncio loop would re-enter it.
        box.open()

    def _answered(self, tab: RequestTab, answer: QMessageBox.StandardButton) -> None:
        self.close_question = None
        index = next((i for i, t in enumerate(self.tabs) if t is tab), -1)
        if index < 0 or answer == QMessageBox.StandardButton.Cancel:
            return
        if answer == QMessageBox.StandardButton.Discard:
            self.close_tab(index, discard=True)
            return
        if answer == QMessageBox.StandardButton.Save:
            self.bar.setCurrentIndex(index)  # saving works on the tab in front
            self._close_once_saved = tab
            self.save_current()  # back into its collection file at once, or through a dialog
            self._close_if_saved()

    def _close_if_saved(self) -> None:
        """Close the tab whose close question was answered Save, once it really went to a file."""
        tab = self._close_once_saved
        index = next((i for i, t in enumerate(self.tabs) if t is tab), -1)
        if tab is None or index < 0 or tab.unsaved:
            return
        self._close_once_saved = None
        self.close_tab(index)

    def replace_current(self, spec: RequestSpec) -> None:
        """Show `spec` in the tab in front instead of its request (it stays unsaved until written)."""
        tab = self.current
        tab.spec = spec
        self._load(tab, fresh=False)

    def map_specs(self, change: Callable[[RequestSpec], RequestSpec | None]) -> int:
        """Rewrite the request of every tab for which `change` returns a new one (a renamed or deleted
        custom method); the tab in front is shown again. Returns how many tabs changed."""
        if not self.tabs:
            return 0
        self.sync_current()
        changed = 0
        for tab in self.tabs:
            new = change(tab.spec)
            if new is not None and new != tab.spec:
                tab.spec = new
                changed += 1
                if tab is self.current:
                    self._load(tab, fresh=False)
        if changed:
            self.refresh_titles()
            self.changed.emit()
        return changed

    def request_replaced(self) -> None:
        """The request in front was replaced (a method chosen in the browser): a tab that was never saved
        to a file starts clean again, one saved to a file now differs from it."""
        if self._loading or not self.tabs:
            return
        tab = self.sync_current()
        if tab.file is None:
            tab.baseline = tab.spec
        self.refresh_titles()
        self.changed.emit()

    # -- titles --------------------------------------------------------------------------------------------

    def _edited(self) -> None:
        if self._loading or not self.tabs:
            return
        self.sync_current()
        self.refresh_titles()
        self.changed.emit()

    def refresh_titles(self) -> None:
        """Each tab's label, a dot when it has unsaved changes, and its production colour."""
        for index, tab in enumerate(self.tabs):
            label = tab.spec.label()
            self.bar.setTabText(index, label + (UNSAVED_MARK if tab.unsaved else ""))
            tip = f"{label}\nSaved to {tab.file}" if tab.file else label
            colour = self.colour_of(tab.spec)
            self.bar.setTabTextColor(index, QColor(colour) if colour else QColor())
            if colour:
                tip += "\nGoes to a production site: writes ask first."
            self.bar.setTabToolTip(index, tip)

    def tab_text(self, index: int) -> str:
        return self.bar.tabText(index)

    # -- saving to a file ----------------------------------------------------------------------------------

    def save_as(self) -> None:
        """Ask where to save the request in front (a non-blocking dialog) and write it there."""
        if not self.tabs:
            return
        tab = self.sync_current()
        start = tab.file or str(Path.home() / _file_name(tab.spec))
        dialog = QFileDialog(self.window(), "Save request as", start, "Request specification (*.json)")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setDefaultSuffix("json")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda path: self.write_to(tab, path))
        self.dialog = dialog
        # open(), not exec(): a nested event loop inside the running asyncio loop would re-enter it.
        dialog.open()

    def write_to(self, tab: RequestTab, path: str) -> bool:
        """Write the tab's request to `path` (no secret: they become placeholders); it is saved from now on.

        False when the tab was closed meanwhile or the file cannot be written (the message says why).
        """
        if not path or not any(t is tab for t in self.tabs):
            return False
        if tab is self.current:
            self.sync_current()
        try:
            atomic_write_bytes(Path(path), tab.spec.dumps().encode("utf-8"))
        except OSError as exc:
            self._notify(f"The request could not be saved to {path}: {exc.strerror or exc}")
            return False
        tab.baseline, tab.file = tab.spec, path
        self.refresh_titles()
        self.changed.emit()
        self._notify(f"Saved {tab.spec.label()} to {path}.")
        return True


def _is_blank(spec: RequestSpec) -> bool:
    """A new, untouched request: nothing to lose by closing it."""
    return spec.is_free_form and not spec.url and not spec.params and not spec.headers and spec.body.is_empty


def _file_name(spec: RequestSpec) -> str:
    stem = "".join(c if c.isalnum() or c in "-_" else "-" for c in spec.label()).strip("-") or "request"
    return f"{stem[:60]}.json"
