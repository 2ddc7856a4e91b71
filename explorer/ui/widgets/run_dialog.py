"""Run collection: a folder's requests sent in order through the core runner, one row per request, Cancel."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from explorer.core.catalog.model import Api
from explorer.ui import theme
from explorer.ui.widgets.production_band import site_of
from explorer.ui.widgets.request_tabs import api_of

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from explorer.core.collections.folder import Collection
    from explorer.core.collections.runner import ProductionWrite, RunItem, RunResult, RunStep, RunTarget
    from explorer.core.lifecycle.send import SendObserver
    from explorer.core.lifecycle.spec import RequestSpec
    from explorer.core.lifecycle.target import Target
    from explorer.core.profiles import Profile
    from explorer.ui.main_window import MainWindow

log = logging.getLogger(__name__)
COLUMNS = ("Request", "Status", "Time", "Lint", "Error")
# How many of a run's writes the production question lists by name (the count is always said).
LISTED_WRITES = 8


class RunDialog(QDialog):
    """Runs the requests of one folder (the whole collection for ".") in order.

    Each API the run uses has a profile box: the collection's profile (collection.json) when it names one
    of that API, else the window's active profile; the user may pick another and run again. A run that
    writes through a production profile asks first, once, naming the site and how many writes it holds
    (Run, Run reads only, Cancel). What the run captures joins the window's captured values when it ends,
    so the next request sent by hand can use them. `finished_run` fires with the RunResult (None when
    cancelled or stopped).
    """

    finished_run = Signal(object)

    def __init__(self, window: MainWindow, collection: Collection, folder: PurePosixPath) -> None:
        super().__init__(window)
        self._window = window
        self.collection = collection
        self.folder = folder
        self.task: asyncio.Task[None] | None = None
        self.run_result: RunResult | None = None
        self.question: QMessageBox | None = None  # the production question while it is open (tests answer it)
        self.question_buttons: dict[str, QAbstractButton] = {}
        self._targets: dict[str, Target] = {}  # per profile id, for one run: the keyring is read once each
        self._closed = False
        self._total = self._done = 0  # requests in the run, and answered so far
        where = collection.name if str(folder) in ("", ".") else f"{collection.name}/{folder}"
        self.setWindowTitle(f"Run {where}")
        self.setModal(False)
        self.resize(760, 420)
        self.rows = QTreeWidget()
        self.rows.setRootIsDecorated(False)
        self.rows.setHeaderLabels(list(COLUMNS))
        self.rows.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel("Starting…")
        self.summary.setWordWrap(True)
        self.profiles = QFormLayout()
        self.profile_boxes: dict[Api, QComboBox] = {}
        self.profile_note = QLabel()
        self.profile_note.setWordWrap(True)
        self.profile_note.hide()
        self.buttons = QDialogButtonBox()
        self.run_button = QPushButton("Run")
        self.run_button.setToolTip("Run the requests again, through the profiles chosen above")
        self.run_button.clicked.connect(self.start)
        self.buttons.addButton(self.run_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)  # until a run starts
        self.cancel_button.clicked.connect(self.cancel)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.clicked.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addLayout(self.profiles)
        layout.addWidget(self.profile_note)
        layout.addWidget(self.rows, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self._fill_profiles()

    @property
    def running(self) -> bool:
        return self.task is not None and not self.task.done()

    def _items(self) -> list[RunItem]:
        from explorer.core.collections.runner import collection_items

        # Read again at each start: a file edited between two runs is run as it is now.
        return collection_items(self.collection, "" if str(self.folder) in ("", ".") else str(self.folder))

    # -- profiles ------------------------------------------------------------------------------------------

    def _fill_profiles(self) -> None:
        """One box per API the run's requests use, set to the collection's profile or the window's."""
        window = self._window
        apis = {api_of(item.spec) for item in self._items() if item.spec is not None}
        default = self.collection.profile
        named = window.services.profiles.get_by_name(default) if default and window.profiles_loaded else None
        for api in (a for a in Api if a in apis):
            box = QComboBox()
            choices = (
                [p for p in window.services.profiles.list() if p.api == api] if window.profiles_loaded else []
            )
            for profile in choices:
                box.addItem(profile.name, profile.id)
            chosen = named if named is not None and named.api == api else window.active_profile(api)
            if chosen is not None and box.findData(chosen.id) >= 0:
                box.setCurrentIndex(box.findData(chosen.id))
            whose = "the collection's default" if chosen is named and named is not None else "the window's"
            box.setToolTip(f"The profile the {api.value} requests of this run go through ({whose})")
            self.profile_boxes[api] = box
            self.profiles.addRow(f"{api.value.capitalize()} profile:", box)
        if default and named is None and window.profiles_loaded:
            self.profile_note.setText(
                f"collection.json names the profile {default!r}, which is not saved here: the window's "
                "profile is used instead. Pick one above, or fix the name in the collection's file."
            )
            self.profile_note.show()

    def profile_for(self, api: Api | None) -> Profile | None:
        """The profile a request of `api` goes through: the box's choice, else the window's active one."""
        window = self._window
        box = self.profile_boxes.get(api) if api is not None else None
        if box is not None and box.currentData() is not None:
            return window.services.profiles.get(str(box.currentData()))
        return window.active_profile(api) if api is not None else window.active_profile()

    # -- running -------------------------------------------------------------------------------------------

    def start(self) -> None:
        """Start the run (on the window's asyncio loop), after asking once when it writes to production;
        rows appear as requests are answered."""
        from explorer.core.collections.runner import production_writes

        if self.running or self.question is not None:
            return
        self._targets = {}  # keys changed since the last run are read again
        items = self._items()
        if not items:
            self.summary.setText("No requests to run in this folder.")
            self._set_idle()
            return
        writes = production_writes(items, self._window.services.catalogs, self._target_for)
        if writes:
            self._ask(items, writes)
            return
        self._begin(items)

    def _ask(self, items: Sequence[RunItem], writes: Sequence[ProductionWrite]) -> None:
        """The production question: non-blocking (open, not exec), as every dialog on the asyncio loop."""
        sites = sorted({site_of(w.target.base_url) for w in writes})
        profiles = sorted({w.target.profile_name for w in writes})
        count = len(writes)
        listed = "\n".join(f"• {w.label} ({w.verb})" for w in writes[:LISTED_WRITES])
        more = f"\n… and {count - LISTED_WRITES} more" if count > LISTED_WRITES else ""
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Change the production site?",
            f"Send {count} write{'s' * (count != 1)} to {' and '.join(sites)}?",
            parent=self,
        )
        box.setInformativeText(
            f"This run sends {len(items)} request{'s' * (len(items) != 1)} through the production "
            f"profile{'s' * (len(profiles) != 1)} {', '.join(profiles)}; these change the site:\n"
            f"{listed}{more}\n\nRun reads only sends the other requests and skips these."
        )
        run = box.addButton("Run", QMessageBox.ButtonRole.AcceptRole)
        reads = box.addButton("Run reads only", QMessageBox.ButtonRole.ActionRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        self.question, self.question_buttons = box, {"run": run, "reads": reads, "cancel": cancel}
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(_code: int) -> None:
            clicked = box.clickedButton()
            self.question, self.question_buttons = None, {}
            if clicked is run:
                self._begin(items, confirm_writes=True)
            elif clicked is reads:
                self._begin(items, skip_writes=True)
            else:
                self.summary.setText("Not run: nothing was sent.")
                self._set_idle()

        box.finished.connect(answered)
        # The answer is about these profiles: nothing changes under the question.
        for profile_box in self.profile_boxes.values():
            profile_box.setEnabled(False)
        self.run_button.setEnabled(False)
        self.summary.setText(f"Waiting for an answer: {count} write{'s' * (count != 1)} to production…")
        box.open()

    def _begin(
        self, items: Sequence[RunItem], *, confirm_writes: bool = False, skip_writes: bool = False
    ) -> None:
        if self._closed:
            return
        self.rows.clear()
        self.run_result = None
        for box in self.profile_boxes.values():
            box.setEnabled(False)
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self._total, self._done = len(items), 0
        self.summary.setText(self.progress_text())
        self.task = asyncio.get_event_loop().create_task(self._run(items, confirm_writes, skip_writes))

    def progress_text(self, waiting: str = "") -> str:
        """ "Running: 3 of 84 done…", and the rate limit's wait when the pacer holds the next one back."""
        text = f"Running: {self._done} of {self._total} request{'s' * (self._total != 1)} done"
        return f"{text}; {waiting}…" if waiting else f"{text}…"

    def show_waiting(self, seconds: float) -> None:
        """The pacer holds the next request back (a long paced run): say so, with the count."""
        from explorer.core.ratebudget import waiting_text

        if not self._closed and self.running:
            self.summary.setText(self.progress_text(waiting_text(seconds)))

    def _set_idle(self) -> None:
        """Not running: the profiles may be changed and the run started again."""
        for box in self.profile_boxes.values():
            box.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.run_button.setEnabled(True)
        self.run_button.setText("Run again" if self.run_result is not None else "Run")

    async def _run(self, items: Sequence[RunItem], confirm_writes: bool, skip_writes: bool) -> None:
        from explorer.core.collections.runner import run_requests

        window = self._window
        observers = self._observers()
        # The pacer tells whoever it told before (the status bar) and this dialog too, while the run lasts.
        restore = [(o, o.on_wait) for o in observers if hasattr(o, "on_wait")]
        for observer, told in restore:
            observer.on_wait = _also(told, self.show_waiting)
        try:
            self.run_result = await run_requests(
                items,
                window.services.catalogs,
                self._target_for,
                window.services.executor,
                collection_variables=self.collection.variables,
                observers=observers,
                confirm_writes=confirm_writes,
                skip_writes=skip_writes,
                on_step=self.add_step,
            )
        except asyncio.CancelledError:
            if self._closed:
                raise  # the dialog is going away: nothing to show the outcome in
            self.summary.setText("Cancelled: the request in flight was stopped, the rest were not sent.")
            self._set_idle()
            self.finished_run.emit(None)
            raise
        except Exception as exc:  # a bug must not leave the dialog saying "Running…" for ever
            log.exception("collection run failed")
            if self._closed:
                return
            self.summary.setText(f"The run stopped unexpectedly: {exc}")
            self._set_idle()
            self.finished_run.emit(None)
            return
        finally:
            for observer, told in restore:
                observer.on_wait = told
        result = self.run_result
        window.collections.captures.update(result.captures)
        if self._closed:
            return
        failed = sum(step.failed for step in result.steps)
        skipped = sum(step.skipped for step in result.steps)
        count = len(result.steps)
        self.summary.setText(
            f"{count} request{'s' * (count != 1)} run: "
            + (f"{failed} failed." if failed else "all passed." if not skipped else "none failed.")
            + (
                f" {skipped} write{'s' * (skipped != 1)} to production not sent (reads only)."
                if skipped
                else ""
            )
            + (f" Captured: {', '.join(sorted(result.captures))}." if result.captures else "")
        )
        self._set_idle()
        window.editor.refresh()
        self.finished_run.emit(result)

    def _observers(self) -> tuple[SendObserver, ...]:
        """The history's recorder and the window's rate pacer: a run is recorded and paced like a send."""
        window = self._window
        budget = getattr(window, "rate_budget", None)
        pacer = (budget.pacer,) if budget is not None else ()
        return (*window.services.history.observers(), *pacer)

    def _target_for(self, spec: RequestSpec) -> RunTarget | str:
        """The profile chosen for the request's API, and that profile's variables."""
        from explorer.core.collections.runner import RunTarget
        from explorer.core.profiles import SecretStoreError

        window = self._window
        api = api_of(spec)
        profile = self.profile_for(api)
        if profile is None:
            return f"no profile for {spec.api or 'this API'}: choose or create one first"
        target = self._targets.get(profile.id)
        if target is None:
            try:
                target = window.services.target_for(profile)
            except SecretStoreError as exc:  # asked before the run too: a locked keyring must not stop it
                return f"the keys of profile {profile.name} cannot be read: {exc}"
            self._targets[profile.id] = target
        trusted = (target.base_url, profile.trusted_certificate) if profile.trusted_certificate else None
        return RunTarget(target, dict(profile.variables), profile.timeout_s, trusted)

    def add_step(self, step: RunStep) -> None:
        status = "—" if step.status is None else str(step.status)
        # What the HTTP layer noted (a redirect not followed, a body cut at the size limit) follows any error.
        detail = "; ".join(part for part in (step.error, *step.notes) if part)
        row = QTreeWidgetItem(
            [
                step.label,
                status,
                f"{step.seconds * 1000:.0f} ms" if step.sent else "",
                ", ".join(step.lint),
                detail,
            ]
        )
        if step.failed or step.skipped:
            colour = theme.SEVERITY_COLOURS["error" if step.failed else "info"]
            for column in range(len(COLUMNS)):
                row.setForeground(column, QBrush(QColor(colour)))
        row.setToolTip(4, detail)
        self._done += 1
        if self.running:
            self.summary.setText(self.progress_text())
        self.rows.addTopLevelItem(row)

    def row_texts(self) -> list[tuple[str, ...]]:
        rows = (self.rows.topLevelItem(i) for i in range(self.rows.topLevelItemCount()))
        return [tuple(row.text(c) for c in range(len(COLUMNS))) for row in rows if row is not None]

    def cancel(self) -> None:
        if self.question is not None:
            self.question.reject()
        if self.running:
            assert self.task is not None
            self.task.cancel()

    def closeEvent(self, event: object) -> None:  # noqa: N802
        self._closed = True
        self.cancel()  # closing the window stops the run; nothing keeps sending unseen
        super().closeEvent(event)  # type: ignore[arg-type]

    async def aclose(self) -> None:
        if self.running:
            assert self.task is not None
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task


def _also(told: Callable[[float], None] | None, tell: Callable[[float], None]) -> Callable[[float], None]:
    def on_wait(seconds: float) -> None:
        if told is not None:
            told(seconds)
        tell(seconds)

    return on_wait
