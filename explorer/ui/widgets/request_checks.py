"""The request editor's side of sending: problems and {{variables}} shown, questions asked, Send/Cancel."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

from explorer.ui import theme

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QLabel, QPushButton, QTabWidget

    from explorer.core.catalog.model import Method
    from explorer.core.collections.variables import VariableScopes
    from explorer.core.lifecycle.prepare import Preparation
    from explorer.core.lifecycle.spec import RequestSpec
    from explorer.core.lifecycle.target import Target
    from explorer.core.lint.model import Finding
    from explorer.core.prepared import PreparedRequest
    from explorer.ui.widgets.argument_form import ArgumentForm
    from explorer.ui.widgets.body_editor import BodyEditor

# How the editor names where a {{variable}}'s value comes from.
_SCOPE_WORDS = {"request": "this request", "captures": "captured"}


class RequestChecks:
    """For `RequestEditor` (a mixin: the editor owns the widgets and state named below)."""

    if TYPE_CHECKING:
        preparation: Preparation | None
        method: Method | None
        target: Target | None
        form: ArgumentForm
        body: BodyEditor
        tabs: QTabWidget
        problem: QLabel
        variables_note: QLabel
        no_target_note: str
        busy: bool
        send_button: QPushButton
        send_requested: SignalInstance
        cancel_requested: SignalInstance
        confirm_send: Callable[[list[Finding]], bool]
        confirm_production: Callable[[str], bool]

        def refresh(self) -> None: ...

    def current_request(self) -> PreparedRequest | None:
        return self.preparation.request if self.preparation is not None else None

    @property
    def findings(self) -> list[Finding]:
        return list(self.preparation.findings) if self.preparation is not None else []

    def _show_variables(self, spec: RequestSpec, scopes: VariableScopes | None) -> None:
        """Name each {{variable}} the request uses with its value and the scope it comes from."""
        from explorer.core.collections.variables import VariableScopes, names_in

        names = sorted(names_in(spec))
        if not names:
            self.variables_note.hide()
            return
        scopes = (scopes or VariableScopes()).with_request(spec.variables)
        parts = []
        for name in names:
            source = scopes.source(name)
            value = scopes.lookup(name)
            where = _SCOPE_WORDS.get(source or "", source)
            parts.append(f"{name} = {value} ({where})" if source else f"{name}: unknown")
        self.variables_note.setText("Variables: " + " · ".join(parts))
        self.variables_note.show()

    def _show_problems(self, errors: dict[str, str], refusal: str | None) -> None:
        known = set(self.form.fields) | {p.name for p in (self.method.params if self.method else ())}
        other = {k: v for k, v in errors.items() if k not in known}
        labels = {
            "base_url": "Profile",
            "auth": "Credentials",
            "headers": "Headers",
            "body": "Body",
            "url": "URL",
        }
        text = "\n".join(f"{labels.get(k, k)}: {v}" for k, v in other.items())
        if other.get("base_url") and self.target is None:
            text = self.no_target_note
        if refusal:
            text = "\n".join(t for t in (refusal, text) if t)
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def request_to_send(self) -> PreparedRequest | None:
        """The request to send, or None after showing why (field errors, a refusal, a declined question)."""
        self.refresh()
        preparation = self.preparation
        assert preparation is not None
        # A body typed in the Body tab replaces the form's body fields, so those are no longer required.
        form_errors = (
            self.form.refresh_errors(show_required=not self.body.replaces_arguments)
            if self.method is not None
            else {}
        )
        errors = {**form_errors, **preparation.errors}
        if errors or preparation.request is None:
            if self.method is not None:
                self.form.show_errors(errors)
            # A broken typed body is the first thing to fix: it replaces what the form would send.
            if "body" in errors:
                self.tabs.setCurrentWidget(self.body)
            elif self.method is not None and set(errors) & (
                set(self.form.fields) | {p.name for p in self.method.params}
            ):
                self.tabs.setCurrentWidget(self.form)
            return None
        if preparation.refusal is not None:
            return None
        if preparation.blocking and not self.confirm_send(list(preparation.blocking)):
            return None
        if preparation.confirmation is not None and not self.confirm_production(preparation.confirmation):
            return None
        return preparation.request

    def _ask_confirmation(self, findings: list[Finding]) -> bool:
        text = "\n\n".join(f"• {f.message}" for f in findings)
        answer = QMessageBox.warning(
            self._widget(),
            "Send anyway?",
            f"The linter expects this request to fail on the real server:\n\n{text}\n\nSend it anyway?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _ask_production(self, question: str) -> bool:
        answer = QMessageBox.warning(
            self._widget(),
            "Change the production site?",
            question,
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

    def _widget(self) -> QWidget:
        """The editor itself, as the parent of its questions."""
        assert isinstance(self, QWidget)
        return self
