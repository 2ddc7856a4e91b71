"""Settings (Ctrl+,): timeout, redirects, TLS, response pane, theme, where keys are kept, rate budgets."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from explorer.core.settings import Settings
from explorer.ui import theme
from explorer.ui.services import Services
from explorer.ui.widgets.value_combo import ValueCombo

_LAYOUTS = (("To the right of the request", "right"), ("Below the request", "below"))
_THEMES = (("Follow the system", "system"), ("Light", "light"), ("Dark", "dark"))
_STORAGES = (
    ("Automatic: the system keyring when there is one", "auto"),
    ("System keyring", "keyring"),
    ("This session only (enter keys again after a restart)", "session"),
    ("A file only my user account can read (not encrypted)", "file"),
)


def _combo(options: tuple[tuple[str, str], ...], current: str) -> ValueCombo:
    combo = ValueCombo()
    for label, value in options:
        combo.add(label, value)
    combo.select_value(current)
    return combo


# Rate budgets: what a default server allows (servers configure their own; a 429 corrects it meanwhile).
_RATE_LIMITS = (
    ("rate_admin_per_minute", "Discourse admin keys (all of a site)", " a minute"),
    ("rate_user_api_per_minute", "Discourse User API key", " a minute"),
    ("rate_user_api_per_day", "Discourse User API key", " a day"),
    ("rate_disqus_per_hour", "Disqus", " an hour"),
)


def _rate_limit_fields(current: Settings) -> dict[str, tuple[str, QSpinBox]]:
    rows = {}
    for name, label, suffix in _RATE_LIMITS:
        spin = QSpinBox()
        spin.setRange(1, 100_000_000)
        spin.setSuffix(f" requests{suffix}")
        spin.setValue(getattr(current, name))
        spin.setToolTip("The budget the status bar meter counts against and requests are paced inside")
        rows[name] = (label, spin)
    return rows


class SettingsDialog(QDialog):
    """Edits the core's Settings; OK applies them at once and writes the settings file."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        current = services.settings
        self.setWindowTitle("Settings")
        self.timeout = QDoubleSpinBox()
        self.timeout.setRange(1, 3600)
        self.timeout.setDecimals(0)
        self.timeout.setSuffix(" s")
        self.timeout.setValue(current.request_timeout_s)
        self.timeout.setToolTip("Total time allowed for one request, from connecting to the last byte")
        self.redirects = QCheckBox("Follow redirects")
        self.redirects.setChecked(current.follow_redirects)
        self.redirects.setToolTip(
            "Off by default so you see what the server really answered. When on, credential headers are "
            "never forwarded to another origin."
        )
        self.verify = QCheckBox("Verify TLS certificates")
        self.verify.setChecked(current.verify_tls)
        self.cap = QSpinBox()
        self.cap.setRange(1, 65536)
        self.cap.setSuffix(" MB")
        self.cap.setValue(current.large_body_cap_mb)
        self.cap.setToolTip("Bodies larger than this are streamed to a temporary file instead of memory")
        self.max_body = QSpinBox()
        self.max_body.setRange(1, 1_048_576)
        self.max_body.setSuffix(" MB")
        self.max_body.setValue(current.max_body_mb)
        self.max_body.setToolTip(
            "A response body (after decompression) is cut at this size and the rest is not downloaded; "
            "the part received is kept and shown"
        )
        self.layout_choice = _combo(_LAYOUTS, current.response_layout)
        self.theme_choice = _combo(_THEMES, current.theme)
        self.storage = _combo(_STORAGES, current.secret_storage)
        self.storage.setToolTip("Takes effect the next time the app starts")
        self._rate_rows = _rate_limit_fields(current)
        self.retry_once = QCheckBox("After a 429, wait what the server says and send the request once more")
        self.retry_once.setChecked(current.rate_retry_once)
        self.retry_once.setToolTip("Off: the 429 is shown. Waits longer than 2 minutes are never retried.")
        form = QFormLayout()
        form.addRow("Timeout", self.timeout)
        form.addRow("", self.redirects)
        form.addRow("", self.verify)
        form.addRow("Keep bodies in memory up to", self.cap)
        form.addRow("Truncate bodies at", self.max_body)
        form.addRow("Response pane", self.layout_choice)
        form.addRow("Theme", self.theme_choice)
        form.addRow("API keys", self.storage)
        for label, spin in self._rate_rows.values():
            form.addRow(label, spin)
        form.addRow("", self.retry_once)
        note = QLabel("A profile can override the timeout.")
        note.setEnabled(False)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {theme.SEVERITY_COLOURS['error']};")
        ok_cancel = QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        buttons = QDialogButtonBox(ok_cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def chosen(self) -> Settings:
        rates: dict[str, Any] = {name: spin.value() for name, (_, spin) in self._rate_rows.items()}
        return replace(
            self.services.settings,
            request_timeout_s=float(self.timeout.value()),
            follow_redirects=self.redirects.isChecked(),
            verify_tls=self.verify.isChecked(),
            large_body_cap_mb=self.cap.value(),
            max_body_mb=self.max_body.value(),
            response_layout=self.layout_choice.current_value(),
            theme=self.theme_choice.current_value(),
            secret_storage=self.storage.current_value(),
            rate_retry_once=self.retry_once.isChecked(),
            **rates,
        )

    def accept(self) -> None:
        try:
            self.services.apply_settings(self.chosen())
        except OSError as exc:
            self.error.setText(f"The settings could not be saved: {exc.strerror or exc}")
            return
        super().accept()
