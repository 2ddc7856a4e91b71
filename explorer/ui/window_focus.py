"""The window's Tab order: sidebar, request tabs, verb, URL, Send, editor tabs, response, toolbar."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

# Qt's chain follows the order widgets were made in, and the window makes many late (the argument fields
# for each method, the Collections tab, the paging buttons): Tab jumped from the sidebar to Fetch all
# pages…, then the arguments, then the toolbar. The order is worked out at each Tab press instead.
_CHAIN_LIMIT = 10_000  # a guard: the focus chain is a ring, but never loop for ever on a broken one


def focusable(window: QWidget) -> list[QWidget]:
    """The widgets Tab may stop at, in Qt's focus-chain order (as Qt chooses them: visible, enabled,
    taking Tab focus, not handing it to a proxy)."""
    found: list[QWidget] = []
    widget = window.nextInFocusChain()
    for _ in range(_CHAIN_LIMIT):
        if widget is None or widget is window:
            break
        if (
            widget.window() is window
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            and widget.isVisible()
            and widget.isEnabled()
            and widget.focusProxy() is None
        ):
            found.append(widget)
        widget = widget.nextInFocusChain()
    return found


def tab_order(window: QWidget, regions: Sequence[QWidget]) -> list[QWidget]:
    """The focusable widgets sorted by the first region holding them (the rest last), Qt's order within."""

    def region_of(widget: QWidget) -> int:
        for index, region in enumerate(regions):
            if region is widget or region.isAncestorOf(widget):
                return index
        return len(regions)

    chain = focusable(window)
    return sorted(chain, key=lambda w: (region_of(w), chain.index(w)))


def move_focus(window: QWidget, regions: Sequence[QWidget], forward: bool) -> bool:
    """Tab (or Shift+Tab): focus the next (previous) widget in the window's order; False if none."""
    order = tab_order(window, regions)
    if not order:
        return False
    current = QApplication.focusWidget()
    while current is not None and current not in order and current is not window:
        current = current.parentWidget()  # e.g. a spin box's line edit: its box is the stop
    if current in order:
        step = 1 if forward else -1
        target = order[(order.index(current) + step) % len(order)]
    else:
        target = order[0 if forward else -1]
    reason = Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason
    target.setFocus(reason)
    return True
