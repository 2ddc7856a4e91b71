"""The status bar's rate budget meter: "12 / 60 a minute" for the profile in use, or the pacer's wait."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget

from explorer.core.ratebudget import RateBudget, meter_text, tooltip_text

# The text is refreshed this often while it can change by itself (requests leaving the window, a countdown).
TICK_MS = 1000


class BudgetMeter(QLabel):
    """Shows one budget: the profile's, or while a pacer holds a request back, the one it waits for.

    It reads the budget when told it changed (`changed`) and once a second while something in it still
    moves on its own: a wait counting down, requests sliding out of the window. Idle, no timer runs.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("budgetMeter")
        self._clock = clock
        self._budget: RateBudget | None = None
        self._waiting: RateBudget | None = None  # a budget a pacer is waiting for, shown while it waits
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self.refresh)
        self.hide()  # until there is a profile to show

    @property
    def budget(self) -> RateBudget | None:
        return self._budget

    @property
    def ticking(self) -> bool:
        return self._timer.isActive()

    def show_budget(self, budget: RateBudget | None) -> None:
        """Show `budget` (the active profile's); None hides the meter."""
        self._budget = budget
        self.refresh()

    def changed(self, budget: RateBudget) -> None:
        """A budget changed (a send counted, a 429 learned, a wait begun or ended)."""
        if budget.status(self._clock()).waiting_s > 0:
            self._waiting = budget
        elif budget is not self._waiting and budget is not self._budget:
            return
        self.refresh()

    def refresh(self) -> None:
        now = self._clock()
        if self._waiting is not None and self._waiting.status(now).waiting_s <= 0:
            self._waiting = None
        budget = self._waiting or self._budget
        if budget is None:
            self._timer.stop()
            self.hide()
            return
        status = budget.status(now)
        self.setText(meter_text(status))
        tip = tooltip_text(status)
        if budget is not self._budget and self._budget is not None:
            tip = "Waiting for another budget than the profile's:\n" + tip
        self.setToolTip(tip)
        self.show()
        moving = status.waiting_s > 0 or status.blocked_s > 0 or any(limit.used for limit in status.limits)
        if moving and not self._timer.isActive():
            self._timer.start()
        elif not moving:
            self._timer.stop()
