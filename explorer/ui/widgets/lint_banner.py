"""The live lint banner above the form: each finding with its severity, explanation and one-click fix."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from explorer.ui import theme

if TYPE_CHECKING:
    from explorer.core.lint.model import Finding

_SEVERITY_LABELS = {"error": "Error", "warning": "Warning", "info": "Note"}


class LintBanner(QFrame):
    """Shows the linter's findings for the request as it stands; hidden when there are none."""

    fix_requested = Signal(object)  # Finding

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lintBanner")
        self.findings: list[Finding] = []
        self.fix_buttons: dict[str, QPushButton] = {}
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(8, 6, 8, 6)
        self._layout.setSpacing(4)
        self._signature: tuple[tuple[str, str], ...] = ()
        self.hide()

    def set_findings(self, findings: Sequence[Finding]) -> None:
        signature = tuple((f.code, f.message) for f in findings)
        if signature == self._signature:
            return  # typing in the form re-lints constantly; rebuild only when something changed
        self._signature = signature
        self.findings = list(findings)
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.fix_buttons = {}
        if not self.findings:
            self.hide()
            return
        worst = self.findings[0].severity.value
        colour = theme.SEVERITY_COLOURS.get(worst, theme.NEUTRAL)
        self.setStyleSheet(
            f"#lintBanner {{ background: {theme.tint(colour, 0.12)};"
            f" border: 1px solid {theme.tint(colour, 0.55)};"
            " border-radius: 6px; }"
        )
        for finding in self.findings:
            self._layout.addWidget(self._row(finding))
        self.show()

    def _row(self, finding: Finding) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        severity = finding.severity.value
        pill = theme.make_badge(
            _SEVERITY_LABELS.get(severity, severity), theme.SEVERITY_COLOURS.get(severity, "")
        )
        pill.setFixedWidth(64)
        pill.setToolTip(finding.code)
        layout.addWidget(pill, 0, Qt.AlignmentFlag.AlignTop)
        text = QLabel(finding.message)
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        text.setToolTip(f"Rule: {finding.code}")
        layout.addWidget(text, 1)
        if finding.fix is not None:
            button = QPushButton(finding.fix.title)
            button.setObjectName(f"fix:{finding.code}")
            button.clicked.connect(partial(self._fix_clicked, finding))
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            self.fix_buttons[finding.code] = button
        return row

    def _fix_clicked(self, finding: Finding, _checked: bool = False) -> None:
        self.fix_requested.emit(finding)

    def codes(self) -> list[str]:
        return [f.code for f in self.findings]
