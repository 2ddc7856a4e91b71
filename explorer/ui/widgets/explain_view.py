"""The Explain tab: the core's diagnosis of a response, with a live countdown when the server asks to wait."""

from __future__ import annotations

import html
import math
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget

from explorer.ui import theme

if TYPE_CHECKING:
    from explorer.core.explain import Diagnosis

_SEVERITY_COLOURS = {"ok": "#16a34a", **theme.SEVERITY_COLOURS}


def diagnosis_html(d: Diagnosis, *, summary: bool = True) -> str:
    """The diagnosis as HTML; `summary=False` leaves the summary to a live countdown shown above it."""
    esc = html.escape
    colour = _SEVERITY_COLOURS.get(d.severity, theme.NEUTRAL)
    parts = [f"<h2 style='color:{colour}; margin-bottom:4px'>{esc(d.title)}</h2>"]
    if summary:
        parts.append(f"<p>{esc(d.summary)}</p>")
    if d.causes:
        parts.append("<h3>Likely causes</h3><ul>" + "".join(f"<li>{esc(c)}</li>" for c in d.causes) + "</ul>")
    if d.fixes:
        parts.append("<h3>How to fix it</h3><ul>" + "".join(f"<li>{esc(f)}</li>" for f in d.fixes) + "</ul>")
    if d.details:
        rows = "".join(
            f"<tr><td style='color:gray; padding-right:12px'>{esc(k)}</td><td><code>{esc(v)}</code></td></tr>"
            for k, v in d.details
        )
        parts.append(f"<h3>From the response</h3><table>{rows}</table>")
    return "".join(parts)


class ExplainView(QWidget):
    """Renders a Diagnosis; a 429's wait time counts down once a second until it reaches zero.

    The countdown is the only place the wait appears (it replaces the summary, which states the
    server's number once and would soon disagree with it), and every figure comes from
    remaining_seconds().
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.diagnosis: Diagnosis | None = None
        self.countdown = QLabel()
        self.countdown.setObjectName("countdown")
        self.countdown.setStyleSheet(
            f"QLabel#countdown {{ background: {theme.tint(theme.SEVERITY_COLOURS['warning'], 0.15)};"
            " border-radius: 5px; padding: 6px; font-weight: 600; }"
        )
        self.countdown.hide()
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.countdown)
        layout.addWidget(self.text, 1)
        self._deadline: float | None = None
        self.clock: Callable[[], float] = time.monotonic
        # Single-shot, re-armed for the moment the shown number changes: a fixed 1 s interval started at
        # an arbitrary phase would show each number up to a second late.
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._tick)

    def show_diagnosis(self, diagnosis: Diagnosis | None) -> None:
        self.diagnosis = diagnosis
        self._timer.stop()
        self._deadline = None
        self.countdown.hide()
        waits = diagnosis is not None and bool(diagnosis.wait_seconds)
        self.text.setHtml(diagnosis_html(diagnosis, summary=not waits) if diagnosis else "")
        if diagnosis is not None and diagnosis.wait_seconds:
            self._deadline = self.clock() + diagnosis.wait_seconds
            self._tick()

    def remaining_seconds(self) -> int:
        """Whole seconds still to wait, rounded up: 0 only once the wait is really over."""
        if self._deadline is None:
            return 0
        return max(0, math.ceil(self._deadline - self.clock()))

    def _tick(self) -> None:
        if self._deadline is None:
            return
        left = self.remaining_seconds()
        if left <= 0:
            self._timer.stop()
            self.countdown.setText("You can retry now.")
        else:
            self.countdown.setText(f"Wait {left} s before retrying (the server's Retry-After).")
            # Next change: when the time left drops to left - 1 (a few ms late rather than early).
            until_next = self._deadline - self.clock() - (left - 1)
            self._timer.start(max(1, math.ceil(until_next * 1000)))
        self.countdown.show()
