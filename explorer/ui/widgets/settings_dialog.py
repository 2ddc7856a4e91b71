"""Settings (Ctrl+,): request timeout, following redirects, and where the response pane sits."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from explorer.ui.services import Services
from explorer.ui.window_state import WindowState


def load_settings(services: Services, state: WindowState) -> None:
    """Apply the saved sending settings to the services (called at start-up)."""
    try:
        timeout = float(state.text("settings/timeout_s", str(services.timeout_s)))
    except ValueError:
        timeout = services.timeout_s
    services.apply_settings(max(1.0, min(timeout, 3600.0)), state.flag("settings/follow_redirects"))


class SettingsDialog(QDialog):
    def __init__(self, services: Services, state: WindowState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.state = state
        self.setWindowTitle("Settings")
        self.timeout = QDoubleSpinBox()
        self.timeout.setRange(1, 3600)
        self.timeout.setDecimals(0)
        self.timeout.setSuffix(" s")
        self.timeout.setValue(services.timeout_s)
        self.timeout.setToolTip("Total time allowed for one request, from connecting to the last byte")
        self.redirects = QCheckBox("Follow redirects")
        self.redirects.setChecked(services.follow_redirects)
        self.redirects.setToolTip(
            "Off by default so you see what the server really answered. When on, credential headers are "
            "never forwarded to another origin."
        )
        self.below = QCheckBox("Response pane below the request (Ctrl+J)")
        self.below.setChecked(state.flag("window/response_below"))
        form = QFormLayout()
        form.addRow("Timeout", self.timeout)
        form.addRow("", self.redirects)
        form.addRow("", self.below)
        note = QLabel("A profile can override the timeout.")
        note.setEnabled(False)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def accept(self) -> None:
        self.services.apply_settings(self.timeout.value(), self.redirects.isChecked())
        self.state.set_text("settings/timeout_s", str(self.timeout.value()))
        self.state.set_flag("settings/follow_redirects", self.redirects.isChecked())
        self.state.set_flag("window/response_below", self.below.isChecked())
        super().accept()
