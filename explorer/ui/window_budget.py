"""Rate budgets in the main window: one pacer for every send, the status bar meter, the optional retry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Signal

from explorer.core.ratebudget import BudgetBook, RateBudget, RoutingPacer, retry_wait, waiting_text
from explorer.ui.widgets.budget_meter import BudgetMeter

if TYPE_CHECKING:
    from explorer.core.lifecycle.send import Exchange
    from explorer.ui.controllers.request import RequestController
    from explorer.ui.main_window import MainWindow

RETRY_NOTICE_MS = 10000


class WindowBudget(QObject):
    """The window's budgets: a book shared by every sender of the window (the request controller, and
    fetch-all or collection runs, which pass `pacer` as an observer) and the meter showing the active
    profile's budget.

    A wait is an awaited sleep on the window's event loop, so the window stays responsive and Cancel
    stops it. Budget changes reach the meter through `changed`, queued to the GUI thread when they
    happen elsewhere.
    """

    changed = Signal(object)  # RateBudget

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        services = window.services
        self.book = BudgetBook(lambda: services.settings)
        self.pacer = RoutingPacer(self.book)
        self.meter = BudgetMeter(lambda: self.pacer.clock())  # read at each use: tests swap the clock
        window.statusBar().insertPermanentWidget(0, self.meter)
        self.changed.connect(self.meter.changed)
        stop = self.book.subscribe(self.changed.emit)
        # A send cancelled while the window closes still ends its wait: nothing must reach a deleted meter.
        self.destroyed.connect(lambda *_: stop())
        # The profile in use can change with any of these; the window's own slots run first.
        window.profiles_ready.connect(self.follow_profile)
        window.switcher.profile_chosen.connect(self.follow_profile)
        window.editor.method_changed.connect(self.follow_profile)
        window.request_tabs.current_changed.connect(self.follow_profile)
        # Back from the settings or the profile manager: new limits, or another site, show at once.
        window.installEventFilter(self)
        self.follow_profile()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.WindowActivate:
            self.follow_profile()
        return False

    def attach(self, controller: RequestController) -> None:
        """Pace the controller's sends and give it the optional second try after a 429."""
        if self.pacer not in controller.observers:
            controller.observers = (*controller.observers, self.pacer)
        controller.retry_wait = self._retry_wait

    def budget(self) -> RateBudget | None:
        """The active profile's budget (None before the profiles are loaded, or without a profile)."""
        window = self._window
        profile = window.active_profile() if window.profiles_loaded else None
        return self.book.for_profile(profile) if profile is not None else None

    def follow_profile(self, *_: object) -> None:
        self.meter.show_budget(self.budget())

    def _retry_wait(self, exchange: Exchange) -> float | None:
        wait = retry_wait(self.pacer, exchange, self._window.services.settings)
        if wait is not None:
            self._window.statusBar().showMessage(
                f"HTTP 429: {waiting_text(wait)}, then sending once more", RETRY_NOTICE_MS
            )
        return wait


def install_rate_budget(window: MainWindow) -> WindowBudget:
    return WindowBudget(window)
