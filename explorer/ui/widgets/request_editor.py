"""The request editor: verb badge, live masked URL, Send/Cancel, lint banner, and the editing tabs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFontDatabase, QPaintEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.core.catalog.model import Method
from explorer.core.prepared import SECRET_PLACEHOLDER, PreparedRequest
from explorer.ui import theme
from explorer.ui.target import Target
from explorer.ui.widgets.argument_form import ArgumentForm
from explorer.ui.widgets.auth_view import AuthView
from explorer.ui.widgets.docs_view import DocsView
from explorer.ui.widgets.headers_table import HeadersTable
from explorer.ui.widgets.lint_banner import LintBanner

if TYPE_CHECKING:
    from explorer.core.lint.model import Finding, Fix

_BODY_TYPES = ("application/json", "application/x-www-form-urlencoded", "text/plain")


@dataclass
class _Draft:
    """What the user typed for one method; kept while they look at other methods."""

    values: dict[str, Any] = field(default_factory=dict)
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: str = ""
    body_type: str = _BODY_TYPES[0]
    fixes: list[Fix] = field(default_factory=list)


class RequestEditor(QWidget):
    """Edits one request; emits `send_requested` / `cancel_requested` and never sends by itself."""

    NO_PROFILE_NOTE = "No profile for this API yet: create one with Profiles… (Ctrl+Shift+P)."
    send_requested = Signal()
    cancel_requested = Signal()
    request_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.method: Method | None = None
        self.target: Target | None = None
        self.imported: PreparedRequest | None = None
        self.busy = False
        self.findings: list[Finding] = []
        self._drafts: dict[str, _Draft] = {}
        self._request: PreparedRequest | None = None
        self._errors: dict[str, str] = {}
        self._stale = False
        self._painted = False
        # Shown when no profile serves the method's API; the window changes it while the sandbox starts.
        self.no_target_note = self.NO_PROFILE_NOTE
        # Replaced in tests; asks before sending a request the linter says will fail.
        self.confirm_send: Callable[[list[Finding]], bool] = self._ask_confirmation

        self.verb_badge = theme.make_badge("GET", theme.NEUTRAL)
        self.verb_badge.setMinimumWidth(64)
        self.url_edit = QLineEdit()
        self.url_edit.setReadOnly(True)
        self.url_edit.setPlaceholderText("Choose a method to see its URL")
        self.url_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.url_edit.setToolTip("The URL as it will be sent (secrets masked). Ctrl+L to focus and copy.")
        self.send_button = QPushButton("Send")
        self.send_button.setObjectName("sendButton")
        self.send_button.setMinimumWidth(92)
        self.send_button.setToolTip("Send the request (Ctrl+Enter); Cancel while in flight (Esc)")
        self.send_button.clicked.connect(self._send_clicked)
        header = QHBoxLayout()
        header.addWidget(self.verb_badge)
        header.addWidget(self.url_edit, 1)
        header.addWidget(self.send_button)

        self.banner = LintBanner()
        self.banner.fix_requested.connect(self.apply_fix)
        # Problems that belong to no argument (no base URL, unusable credentials), shown under the URL.
        self.problem = QLabel()
        self.problem.setObjectName("requestProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {theme.SEVERITY_COLOURS['error']};")
        self.problem.hide()
        self.form = ArgumentForm(_validate)
        self.form.changed.connect(self._schedule_refresh)
        self.headers = HeadersTable()
        self.headers.changed.connect(self._schedule_refresh)
        self.body_edit = QPlainTextEdit()
        self.body_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.body_edit.setPlaceholderText(
            "Leave empty to send the body generated from the Arguments tab.\n"
            "Anything typed here replaces it and is sent as-is."
        )
        self.body_edit.textChanged.connect(self._schedule_refresh)
        self.body_type = QComboBox()
        self.body_type.addItems(_BODY_TYPES)
        self.body_type.currentIndexChanged.connect(self._schedule_refresh)
        body_page = QWidget()
        body_layout = QVBoxLayout(body_page)
        body_layout.setContentsMargins(8, 8, 8, 8)
        type_row = QHBoxLayout()
        type_row.addWidget(QLabel("Content type"))
        type_row.addWidget(self.body_type)
        type_row.addStretch(1)
        body_layout.addLayout(type_row)
        body_layout.addWidget(self.body_edit, 1)
        self.auth_view = AuthView()
        self.docs_view = DocsView()
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.form, "Arguments")
        self.tabs.addTab(self.headers, "Headers")
        self.tabs.addTab(body_page, "Body")
        self.tabs.addTab(self.auth_view, "Auth")
        self.tabs.addTab(self.docs_view, "Docs")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.setSpacing(6)
        layout.addLayout(header)
        layout.addWidget(self.problem)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(80)  # coalesce keystrokes; the preview still feels instant
        self._refresh_timer.timeout.connect(self.refresh)
        self.set_busy(False)

    # -- method, profile and imported requests -------------------------------------------------------------

    def set_method(self, method: Method | None) -> None:
        self._save_draft()
        self.method = method
        self.imported = None
        draft = self._draft()
        self.form.set_method(method, draft.values if draft else None)
        self.headers.blockSignals(True)
        self.headers.set_headers(draft.headers if draft else [])
        self.headers.blockSignals(False)
        self.body_edit.blockSignals(True)
        self.body_edit.setPlainText(draft.body if draft else "")
        self.body_edit.blockSignals(False)
        self.body_type.setCurrentText(draft.body_type if draft else _BODY_TYPES[0])
        self.docs_view.set_method(method)
        if method is not None:
            theme.set_badge(self.verb_badge, method.verb, theme.verb_colour(method.verb))
        self._prefill()
        self._refresh_when_visible()

    def set_target(self, target: Target | None) -> None:
        self.target = target
        self._prefill()
        self._refresh_when_visible()

    def _prefill(self) -> None:
        """Fill empty arguments named like a profile field (e.g. Disqus forum_id) with the profile's value."""
        if self.target is None or self.method is None or self.method.api != self.target.api:
            return
        for widget in self.form.fields.values():
            default = self.target.defaults.get(widget.param.name)
            if default and widget.value() is None:
                widget.set_value(default)

    def _refresh_when_visible(self) -> None:
        # Until the editor has been painted nobody can see the preview: build it just after the first
        # paint, so start-up does not wait for the builder and the linter to load.
        if self._painted:
            self.refresh()
        else:
            self._stale = True

    @property
    def painted(self) -> bool:
        return self._painted

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        self._painted = True
        if self._stale:
            self._stale = False
            QTimer.singleShot(0, self, self.refresh)  # dropped if the editor is gone by then

    def load_request(self, request: PreparedRequest, method: Method | None = None) -> None:
        """Show a request that did not come from the form (a pasted cURL or URL); fixes apply to it."""
        self._save_draft()
        self.method = method
        self.imported = request
        self.form.set_method(None)
        self.docs_view.set_method(method)
        theme.set_badge(self.verb_badge, request.method, theme.verb_colour(request.method))
        self.refresh()

    def _draft(self) -> _Draft | None:
        return self._drafts.get(self.method.key) if self.method else None

    def _save_draft(self) -> None:
        if self.method is None or self.imported is not None:
            return
        draft = self._drafts.setdefault(self.method.key, _Draft())
        draft.values = self.form.values()
        draft.headers = self.headers.headers()
        draft.body = self.body_edit.toPlainText()
        draft.body_type = self.body_type.currentText()

    # -- building, preview and lint ------------------------------------------------------------------------

    def _schedule_refresh(self) -> None:
        self._refresh_timer.start()

    def prepare(self) -> tuple[PreparedRequest | None, dict[str, str]]:
        """The request as it would be sent now (fixes applied), or per-field errors."""
        if self.imported is not None:
            request = self.imported
            if self.headers.headers():
                request = _with_headers(request, self.headers.headers())
            return self._apply_fixes(request), {}
        if self.method is None:
            return None, {}
        from explorer.core.builder import build_request

        target = self.target
        body = self.body_edit.toPlainText()
        result = build_request(
            self.method,
            self.form.values(),
            base_url=target.base_url if target else None,
            credentials=dict(target.credentials) if target else None,
            extra_headers=self.headers.headers(),
            raw_body=body if body.strip() else None,
            raw_content_type=self.body_type.currentText() if body.strip() else None,
        )
        errors = {e.field: e.message for e in result.errors}
        if result.request is None or errors:
            return None, errors
        return self._apply_fixes(result.request), {}

    def _apply_fixes(self, request: PreparedRequest) -> PreparedRequest:
        # Fixes chosen for a form-built request are re-applied after every rebuild (they are idempotent).
        draft = self._drafts.get(self.method.key) if self.method and self.imported is None else None
        for fix in draft.fixes if draft else ():
            request = fix.apply(request)
        return request

    def refresh(self) -> None:
        """Rebuild the preview URL, the lint banner and the Auth tab from the current inputs."""
        from explorer.core.lint import lint_request

        self._refresh_timer.stop()
        request, errors = self.prepare()
        self._request, self._errors = request, errors
        if request is not None:
            self.url_edit.setText(display_url(request))
            self.findings = lint_request(request, self.method)
        else:
            self.url_edit.setText(self._template_url())
            self.findings = []
        self.url_edit.setCursorPosition(0)
        self.banner.set_findings(self.findings)
        self._show_problems(errors)
        self.auth_view.show_summary(self.target, self.method, request)
        self.send_button.setEnabled(self.busy or self.method is not None or self.imported is not None)
        self.request_changed.emit()

    def _template_url(self) -> str:
        if self.method is None:
            return ""
        base = (self.target.base_url if self.target else "").rstrip("/")
        path = self.method.path
        values = self.form.values()
        for param in self.method.params_in("path"):
            value = values.get(param.name) or values.get(f"path:{param.name}")
            if value not in (None, ""):
                path = path.replace("{" + param.name + "}", str(value))
        return base + path

    def current_request(self) -> PreparedRequest | None:
        return self._request

    def apply_fix(self, finding: Finding) -> None:
        if finding.fix is None:
            return
        if self.imported is not None:
            # Imported requests have no form to regenerate from: rewrite the request itself.
            self.imported = finding.fix.apply(self.imported)
        elif self.method is not None:
            self._drafts.setdefault(self.method.key, _Draft()).fixes.append(finding.fix)
        self.refresh()

    # -- sending ------------------------------------------------------------------------------------------

    def _show_problems(self, errors: dict[str, str]) -> None:
        known = set(self.form.fields) | {p.name for p in (self.method.params if self.method else ())}
        other = {k: v for k, v in errors.items() if k not in known}
        labels = {"base_url": "Profile", "auth": "Credentials", "headers": "Headers", "body": "Body"}
        text = "\n".join(f"{labels.get(k, k)}: {v}" for k, v in other.items())
        if other.get("base_url") and self.target is None:
            text = self.no_target_note
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def request_to_send(self) -> PreparedRequest | None:
        """The request to send, or None after showing why not (field errors, or a declined lint warning)."""
        self.refresh()
        form_errors = self.form.refresh_errors(show_required=True) if self.imported is None else {}
        errors = {**form_errors, **self._errors}
        if errors or self._request is None:
            self.tabs.setCurrentWidget(self.form)
            self.form.show_errors(errors)
            return None
        blocking = [f for f in self.findings if f.severity.value == "error"]
        if blocking and not self.confirm_send(blocking):
            return None
        return self._request

    def _ask_confirmation(self, findings: list[Finding]) -> bool:
        text = "\n\n".join(f"• {f.message}" for f in findings)
        answer = QMessageBox.warning(
            self,
            "Send anyway?",
            f"The linter expects this request to fail on the real server:\n\n{text}\n\nSend it anyway?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _send_clicked(self) -> None:
        if self.busy:
            self.cancel_requested.emit()
        else:
            self.send_requested.emit()

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.send_button.setText("Cancel" if busy else "Send")
        colour = theme.SEVERITY_COLOURS["error"] if busy else "#2563eb"
        self.send_button.setStyleSheet(
            f"QPushButton#sendButton {{ background: {colour}; color: white; border-radius: 5px;"
            " padding: 5px 14px; font-weight: 600; }"
            "QPushButton#sendButton:disabled { background: palette(mid); }"
        )
        self.send_button.setEnabled(True)

    def focus_url(self) -> None:
        self.url_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.url_edit.selectAll()


def _validate(param: Any, value: Any) -> str | None:
    # The builder (and its value rules) load on first use, after the window is on screen.
    from explorer.core.builder import validate_value

    return validate_value(param, value)


def display_url(request: PreparedRequest) -> str:
    """The full URL with secrets masked; the placeholder stays readable instead of percent-encoded."""
    return request.masked().full_url().replace(quote(SECRET_PLACEHOLDER, safe=""), SECRET_PLACEHOLDER)


def _with_headers(request: PreparedRequest, extra: list[tuple[str, str]]) -> PreparedRequest:
    return replace(request, headers=tuple(request.headers) + tuple(extra))
