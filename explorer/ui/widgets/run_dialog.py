"""Run collection: a folder's requests sent in order through the core runner, one row per request, Cancel."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from explorer.ui import theme

if TYPE_CHECKING:
    from collections.abc import Sequence

    from explorer.core.collections.folder import Collection
    from explorer.core.collections.runner import RunItem, RunResult, RunStep, RunTarget
    from explorer.core.lifecycle.send import SendObserver
    from explorer.core.lifecycle.spec import RequestSpec
    from explorer.ui.main_window import MainWindow

log = logging.getLogger(__name__)
COLUMNS = ("Request", "Status", "Time", "Lint", "Error")


class RunDialog(QDialog):
    """Runs the requests of one folder (the whole collection for ".") with the window's profiles.

    What the run captures joins the window's captured values when it ends, so the next request sent by
    hand can use them. `finished_run` fires with the RunResult (None when cancelled).
    """

    finished_run = Signal(object)

    def __init__(self, window: MainWindow, collection: Collection, folder: PurePosixPath) -> None:
        super().__init__(window)
        self._window = window
        self.collection = collection
        self.folder = folder
        self.task: asyncio.Task[None] | None = None
        self.run_result: RunResult | None = None
        self._closed = False
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
        self.buttons = QDialogButtonBox()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.clicked.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.rows, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)

    @property
    def running(self) -> bool:
        return self.task is not None and not self.task.done()

    def start(self) -> None:
        """Start the run (on the window's asyncio loop); rows appear as requests are answered."""
        from explorer.core.collections.runner import collection_items

        under = "" if str(self.folder) in ("", ".") else str(self.folder)
        items = collection_items(self.collection, under)
        if not items:
            self.summary.setText("No requests to run in this folder.")
            self.cancel_button.setEnabled(False)
            return
        self.summary.setText(f"Running {len(items)} request{'s' * (len(items) != 1)}…")
        self.task = asyncio.get_event_loop().create_task(self._run(items))

    async def _run(self, items: Sequence[RunItem]) -> None:
        from explorer.core.collections.runner import run_requests

        window = self._window
        try:
            self.run_result = await run_requests(
                items,
                window.services.catalogs,
                self._target_for,
                window.services.executor,
                collection_variables=self.collection.variables,
                observers=self._observers(),
                on_step=self.add_step,
            )
        except asyncio.CancelledError:
            if self._closed:
                raise  # the dialog is going away: nothing to show the outcome in
            self.summary.setText("Cancelled: the request in flight was stopped, the rest were not sent.")
            self.cancel_button.setEnabled(False)
            self.finished_run.emit(None)
            raise
        except Exception as exc:  # a bug must not leave the dialog saying "Running…" for ever
            log.exception("collection run failed")
            if self._closed:
                return
            self.summary.setText(f"The run stopped unexpectedly: {exc}")
            self.cancel_button.setEnabled(False)
            self.finished_run.emit(None)
            return
        result = self.run_result
        window.collections.captures.update(result.captures)
        if self._closed:
            return
        failed = sum(step.failed for step in result.steps)
        count = len(result.steps)
        self.summary.setText(
            f"{count} request{'s' * (count != 1)} run: "
            + (f"{failed} failed." if failed else "all passed.")
            + (f" Captured: {', '.join(sorted(result.captures))}." if result.captures else "")
        )
        self.cancel_button.setEnabled(False)
        window.editor.refresh()
        self.finished_run.emit(result)

    def _observers(self) -> tuple[SendObserver, ...]:
        """The history's recorder and the window's rate pacer: a run is recorded and paced like a send."""
        window = self._window
        budget = getattr(window, "rate_budget", None)
        pacer = (budget.pacer,) if budget is not None else ()
        return (*window.services.history.observers(), *pacer)

    def _target_for(self, spec: RequestSpec) -> RunTarget | str:
        """The window's active profile for the request's API, and that profile's variables."""
        from explorer.core.collections.runner import RunTarget
        from explorer.ui.widgets.request_tabs import api_of

        window = self._window
        api = api_of(spec)
        profile = window.active_profile(api) if api is not None else window.active_profile()
        if profile is None:
            return f"no profile for {spec.api or 'this API'}: choose or create one first"
        return RunTarget(window.services.target_for(profile), dict(profile.variables))

    def add_step(self, step: RunStep) -> None:
        status = "—" if step.status is None else str(step.status)
        row = QTreeWidgetItem(
            [
                step.label,
                status,
                f"{step.seconds * 1000:.0f} ms" if step.sent else "",
                ", ".join(step.lint),
                step.error or "",
            ]
        )
        if step.failed:
            for column in range(len(COLUMNS)):
                row.setForeground(column, QBrush(QColor(theme.SEVERITY_COLOURS["error"])))
        row.setToolTip(4, step.error or "")
        self.rows.addTopLevelItem(row)

    def row_texts(self) -> list[tuple[str, ...]]:
        rows = (self.rows.topLevelItem(i) for i in range(self.rows.topLevelItemCount()))
        return [tuple(row.text(c) for c in range(len(COLUMNS))) for row in rows if row is not None]

    def cancel(self) -> None:
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
