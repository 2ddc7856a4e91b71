"""The request editor: verb and URL (both editable), Send/Cancel, lint banner, and the editing tabs."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFontDatabase, QPaintEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.core.catalog.model import Api, Catalog, Method
from explorer.core.lifecycle.spec import VERBS, ArgumentValue, Capture, RequestSpec
from explorer.core.lifecycle.target import Target
from explorer.ui import theme
from explorer.ui.widgets.argument_form import ArgumentForm
from explorer.ui.widgets.auth_view import AuthView
from explorer.ui.widgets.body_editor import BodyEditor
from explorer.ui.widgets.docs_view import DocsView
from explorer.ui.widgets.lint_banner import LintBanner
from explorer.ui.widgets.pairs_table import PairsTable
from explorer.ui.widgets.request_checks import RequestChecks

if TYPE_CHECKING:
    from explorer.core.collections.variables import VariableScopes
    from explorer.core.lifecycle.prepare import Preparation
    from explorer.core.lint.model import Finding
    from explorer.core.prepared import PreparedRequest

CatalogSource = Callable[[], Mapping[Api, Catalog]]


class RequestEditor(RequestChecks, QWidget):
    """Edits one request specification; emits `send_requested` / `cancel_requested` and never sends.

    A request that matches a catalog method shows that method's form (Arguments); any other request is
    free-form (Params). Editing the URL re-matches it; editing the form rewrites the URL.
    """

    NO_PROFILE_NOTE = "No profile for this API yet: create one with Profiles… (Ctrl+Shift+P)."
    send_requested = Signal()
    cancel_requested = Signal()
    request_changed = Signal()
    spec_changed = Signal()
    method_changed = Signal(object)  # Method | None, when the URL or an import chose another method

    def __init__(self, catalogs: CatalogSource | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._catalogs = catalogs or _bundled_catalogs
        self.method: Method | None = None
        self.target: Target | None = None
        self.busy = False
        self.preparation: Preparation | None = None
        self._base = RequestSpec()  # api, profile, fixes and title of the request shown
        self._prefilled: dict[str, str] = {}  # arguments the profile filled in (not typed), by name
        self._free_url = ""  # the URL of a free-form request, as typed
        self._drafts: dict[str, RequestSpec] = {}
        self._stale = False
        self._painted = False
        self._loading = False
        # Shown when no profile serves the method's API; the window changes it while the sandbox starts.
        self.no_target_note = self.NO_PROFILE_NOTE
        # Replaced in tests: asked before sending a request the linter says will fail, and before a write
        # to a production site (the question names the site).
        self.confirm_send: Callable[[list[Finding]], bool] = self._ask_confirmation
        self.confirm_production: Callable[[str], bool] = self._ask_production
        # Where {{name}} values come from besides the request itself (collection, profile, captures);
        # the window sets it once collections are installed.
        self.variables: Callable[[], VariableScopes | None] = lambda: None

        self.verb = QComboBox()
        self.verb.addItems(VERBS)
        self.verb.setMinimumWidth(96)
        self.verb.setToolTip(
            "The HTTP verb; changing it looks for the catalog method with this verb and path"
        )
        self.verb.activated.connect(lambda _i: self._url_edited(force=True))
        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText("Type a URL or a path, or choose a method")
        self.url_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.url_edit.setToolTip(
            "The URL as it will be sent (secrets masked). Edit it: a catalog path shows its form, any other "
            "URL becomes a free-form request. Ctrl+L to focus."
        )
        self.url_edit.editingFinished.connect(self._url_edited)
        self.send_button = QPushButton("Send")
        self.send_button.setObjectName("sendButton")
        self.send_button.setMinimumWidth(92)
        self.send_button.setToolTip("Send the request (Ctrl+Enter); Cancel while in flight (Esc)")
        self.send_button.clicked.connect(self._send_clicked)
        header = QHBoxLayout()
        header.addWidget(self.verb)
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
        # The {{name}} values the request uses and where each comes from, under the URL.
        self.variables_note = QLabel()
        self.variables_note.setObjectName("variablesNote")
        self.variables_note.setWordWrap(True)
        self.variables_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.variables_note.hide()
        self.form = ArgumentForm(_validate)
        self.form.changed.connect(self._edited)
        self.params = PairsTable(
            "Parameter", "+ Add parameter", "Query parameters of this free-form request."
        )
        self.params.changed.connect(self._edited)
        self.headers = PairsTable(
            "Header",
            "+ Add header",
            "Credentials come from the profile (Auth tab); a header typed here wins.",
        )
        self.headers.changed.connect(self._edited)
        self.body = BodyEditor()
        self.body.changed.connect(self._edited)
        self.auth_view = AuthView()
        self.docs_view = DocsView()
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.form, "Arguments")
        self.tabs.addTab(self.params, "Params")
        self.tabs.addTab(self.headers, "Headers")
        self.tabs.addTab(self.body, "Body")
        self.tabs.addTab(self.auth_view, "Auth")
        self.tabs.addTab(self.docs_view, "Docs")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.setSpacing(6)
        layout.addLayout(header)
        layout.addWidget(self.problem)
        layout.addWidget(self.variables_note)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(80)  # coalesce keystrokes; the preview still feels instant
        self._refresh_timer.timeout.connect(self.refresh)
        self._show_mode()
        self.set_busy(False)

    # -- the specification ---------------------------------------------------------------------------------

    def spec(self) -> RequestSpec:
        """The request shown, as data (secrets included in memory; `dumps()` masks them)."""
        headers, body = self.headers.pairs(), self.body.body_spec()
        if self.method is not None:
            arguments = {k: _spec_value(v) for k, v in self.form.values().items()}
            return replace(
                self._base,
                api=self.method.api.value,
                method_id=self.method.id,
                arguments=arguments,
                headers=headers,
                body=body,
                verb=self.method.verb,
                params=self.params.pairs(),
            )
        return replace(
            self._base,
            method_id=None,
            arguments={},
            verb=self.verb.currentText(),
            url=self._free_url,
            params=self.params.pairs(),
            headers=headers,
            body=body,
        )

    def load_spec(self, spec: RequestSpec) -> None:
        """Show `spec`: its method's form when it names one, otherwise the free-form tabs."""
        method = self._method_of(spec)
        self._loading = True
        try:
            self.method = method
            self._base = spec
            self._prefilled = {}
            self._free_url = spec.url
            self.form.set_method(method, dict(spec.arguments) if method is not None else None)
            self.params.set_pairs(spec.params)
            self.headers.set_pairs(spec.headers)
            self.body.set_body_spec(spec.body)
            self.docs_view.set_method(method)
            self.verb.setCurrentText(method.verb if method is not None else spec.verb)
            self._prefill()
            self._show_mode()
        finally:
            self._loading = False
        self.method_changed.emit(method)
        self._refresh_when_visible()

    def _method_of(self, spec: RequestSpec) -> Method | None:
        if spec.method_id is None or spec.api is None:
            return None
        try:
            catalog = self._catalogs().get(Api(spec.api))
        except ValueError:
            return None
        return catalog.method(spec.method_id) if catalog is not None else None

    def set_method(self, method: Method | None) -> None:
        """Show `method`'s form, with what was typed for it earlier in this window."""
        if method is not None and self.method is not None and method.key == self.method.key:
            return
        self._remember_draft()
        if method is None:
            self.load_spec(RequestSpec(profile=self._base.profile))
            return
        draft = self._drafts.get(method.key)
        self.load_spec(
            draft or RequestSpec(api=method.api.value, method_id=method.id, profile=self._base.profile)
        )

    def _remember_draft(self) -> None:
        if self.method is not None:
            self._drafts[self.method.key] = self.spec()

    def set_target(self, target: Target | None) -> None:
        self.target = target
        self._base = replace(
            self._base, profile=target.profile_name if target and target.profile_name else None
        )
        self._prefill()
        self._refresh_when_visible()

    def _prefill(self) -> None:
        """Fill empty arguments named like a profile field (e.g. Disqus forum_id) with the profile's value."""
        if self.target is None or self.method is None or self.method.api != self.target.api:
            return
        for widget in self.form.fields.values():
            default = self.target.defaults.get(widget.param.name)
            if default and widget.value() is None:
                # Known before the value is set: setting it tells the tabs, which ask prefilled() at once.
                self._prefilled[widget.param.name] = default
                widget.set_value(default)

    def prefilled(self) -> dict[str, str]:
        """The arguments that still hold the value the profile filled in: not an edit of the request."""
        fields = self.form.fields
        return {
            name: value
            for name, value in self._prefilled.items()
            if name in fields and str(fields[name].value()) == value
        }

    def _show_mode(self) -> None:
        form_mode = self.method is not None
        self.tabs.setTabVisible(self.tabs.indexOf(self.form), form_mode)
        self.params.hint.setText(
            "Extra query parameters, sent after the method's own (e.g. kept from an imported command)."
            if form_mode
            else "Query parameters of this free-form request."
        )
        self.tabs.setTabVisible(self.tabs.indexOf(self.docs_view), form_mode)
        # Switching mode shows the tab that holds the request's own arguments, never a leftover one.
        if form_mode and self.tabs.currentWidget() is self.params:
            self.tabs.setCurrentWidget(self.form)
        elif not form_mode and self.tabs.currentWidget() in (self.form, self.docs_view):
            self.tabs.setCurrentWidget(self.params)
        self.body.set_generated(form_mode)
        self._label_arguments_tab()

    def _label_arguments_tab(self) -> None:
        # Make it obvious which body goes out: a typed body replaces the Arguments tab's body fields.
        replaced = self.body.replaces_arguments and bool(self.method and self.method.params_in("body"))
        self.tabs.setTabText(
            self.tabs.indexOf(self.form), "Arguments (body replaced)" if replaced else "Arguments"
        )
        self.tabs.setTabText(
            self.tabs.indexOf(self.body), "Body •" if not self.body.body_spec().is_empty else "Body"
        )

    def load_request(self, request: PreparedRequest, method: Method | None = None) -> None:
        """Show a request from outside (a pasted cURL command or URL) as an editable specification."""
        from explorer.core.lifecycle.matching import spec_for_request

        base_url = self.target.base_url if self.target is not None else None
        self._remember_draft()
        self.load_spec(
            spec_for_request(request, self._catalogs(), profile=self._base.profile, base_url=base_url)
        )

    # -- editing ---------------------------------------------------------------------------------------------

    def _edited(self) -> None:
        if self._loading:
            return
        self._label_arguments_tab()
        self._refresh_timer.start()
        self.spec_changed.emit()

    def _url_edited(self, *, force: bool = False) -> None:
        if not (self.url_edit.isModified() or force):
            return
        self.url_edit.setModified(False)
        from explorer.core.lifecycle.matching import spec_for_url

        text = self.url_edit.text().strip()
        if not text:
            return
        base_url = self.target.base_url if self.target is not None else None
        self.load_spec(
            spec_for_url(
                self.verb.currentText(), text, self._catalogs(), base_url=base_url, current=self.spec()
            )
        )
        self.spec_changed.emit()

    def apply_fix(self, finding: Finding) -> None:
        """Remember the fix by its code: it is applied again on every rebuild (fixes are idempotent)."""
        if finding.fix is None:
            return
        self._base = self._base.with_fix(finding.code)
        self.refresh()
        self.spec_changed.emit()

    # -- preparing, preview and lint -------------------------------------------------------------------------

    def _refresh_when_visible(self) -> None:
        # Until the editor has been painted nobody can see the preview: build it just after the first
        # paint, so start-up does not wait for the builder and the linter to load.
        if self._painted:
            self.refresh()
        else:
            self._stale = True
            # The path template needs no builder: show it now, so a chosen method never leaves the URL
            # box on its placeholder while the app (and the sandbox, the base URL) is still starting.
            if not self.url_edit.isModified():
                self.url_edit.setText(self._template_url())

    @property
    def painted(self) -> bool:
        return self._painted

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        self._painted = True
        if self._stale:
            self._stale = False
            QTimer.singleShot(0, self, self.refresh)  # dropped if the editor is gone by then

    def refresh(self) -> None:
        """Prepare the specification and show the URL, the lint banner and the Auth tab for it."""
        from explorer.core.curl import display_url
        from explorer.core.lifecycle.prepare import prepare

        self._refresh_timer.stop()
        spec = self.spec()
        scopes = self.variables()
        self.preparation = prepare(spec, self._catalogs(), self.target, variables=scopes)
        self._show_variables(spec, scopes)
        request = self.preparation.request
        if not self.url_edit.hasFocus() or not self.url_edit.isModified():
            self.url_edit.setText(
                display_url(request.masked()) if request is not None else self._template_url()
            )
            self.url_edit.setModified(False)
            self.url_edit.setCursorPosition(0)
        self.banner.set_findings(list(self.preparation.findings))
        self._show_problems(dict(self.preparation.errors), self.preparation.refusal)
        self.auth_view.show_summary(self.target, self.method, request, self.preparation.credential_sources)
        self.send_button.setEnabled(True)
        self.request_changed.emit()

    def add_capture(self, capture: Capture) -> None:
        """Remember `capture` with the request (one of that name replaces an earlier one)."""
        kept = tuple(c for c in self._base.captures if c.name != capture.name)
        self._base = replace(self._base, captures=(*kept, capture))
        self.spec_changed.emit()

    def _template_url(self) -> str:
        if self.method is None:
            return self._free_url
        base = (self.target.base_url if self.target else "").rstrip("/")
        path = self.method.path
        values = self.form.values()
        for param in self.method.params_in("path"):
            value = values.get(param.name) or values.get(f"path:{param.name}")
            if value not in (None, ""):
                path = path.replace("{" + param.name + "}", str(value))
        return base + path

    # Sending (request_to_send, the questions, set_busy) is RequestChecks, in request_checks.py.

    def focus_url(self) -> None:
        self.url_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.url_edit.selectAll()



def _validate(param: Any, value: Any) -> str | None:
    # A {{variable}} is checked once filled in: prepare() names a bad value (or an unknown name) then.
    if isinstance(value, str) and "{{" in value:
        return None
    # The builder (and its value rules) load on first use, after the window is on screen.
    from explorer.core.builder import validate_value

    return validate_value(param, value)


def _spec_value(value: Any) -> ArgumentValue:
    """A form value as a specification keeps it: text, numbers, booleans, lists of text (files as paths)."""
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, list | tuple):
        return [str(_spec_value(v)) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return json.dumps(value, ensure_ascii=False)


def _bundled_catalogs() -> Mapping[Api, Catalog]:
    from explorer.core.catalog.loader import load_bundled_catalogs

    return load_bundled_catalogs()
