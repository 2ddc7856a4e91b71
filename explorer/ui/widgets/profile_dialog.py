"""The profile manager: create, edit, duplicate and delete profiles; secrets masked; Test connection."""

from __future__ import annotations

import asyncio
import json
from functools import partial
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.core.catalog.model import Api
from explorer.core.lifecycle import RequestSpec, prepare, send_prepared, target_for_profile
from explorer.core.prepared import PreparedRequest
from explorer.core.profiles import Profile, ProfileError, ProfileValidationError, auth_kinds
from explorer.ui import theme
from explorer.ui.services import Services
from explorer.ui.widgets.certificate_trust import CertificateTrust
from explorer.ui.widgets.production_fields import ProductionFields
from explorer.ui.widgets.value_combo import ValueCombo
from explorer.ui.widgets.variables_table import VariablesTable

# Who-am-I probes: what Test connection calls for each API.
PROBES = {Api.DISCOURSE: "getCurrentSession", Api.DISQUS: "get_user_name"}


def describe_identity(api: Api, status: int | None, body: bytes) -> tuple[bool, str]:
    """(ok, text) for a probe's answer: who the server thinks you are, or why it did not say."""
    try:
        data: Any = json.loads(body.decode("utf-8")) if body else None
    except (UnicodeDecodeError, ValueError):
        data = None
    if api == Api.DISCOURSE:
        user = data.get("current_user") if isinstance(data, dict) else None
        if status == 200 and isinstance(user, dict):
            role = "admin" if user.get("admin") else "moderator" if user.get("moderator") else "user"
            return True, f"Connected. You act as {user.get('username')} ({role})."
        if status == 404:
            return False, "Connected, but the server does not know you: the request was anonymous."
        errors = data.get("errors") if isinstance(data, dict) else None
        return False, f"HTTP {status}: {'; '.join(map(str, errors)) if errors else 'unexpected answer'}"
    if isinstance(data, dict) and data.get("succeeded") is True:
        return True, f"Connected. The user key belongs to {data.get('message')}."
    message = data.get("message") if isinstance(data, dict) else None
    return False, f"HTTP {status}: {message or 'not a Disqus 1.1 envelope'}"


class ProfileDialog(QDialog):
    """Edits the profile store; `chosen_id` is the profile selected when the dialog closed."""

    def __init__(self, services: Services, current_id: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.store = services.profiles
        self.chosen_id = current_id
        self._editing: Profile | None = None
        self._task: asyncio.Task[None] | None = None
        self._ids: list[str] = []
        self.setWindowTitle("Profiles")
        self.resize(820, 520)

        self.list = QListWidget()
        self.list.currentItemChanged.connect(self._select)
        new_button = QPushButton("New")
        new_button.clicked.connect(self.new_profile)
        self.duplicate_button = QPushButton("Duplicate")
        self.duplicate_button.clicked.connect(self.duplicate_profile)
        self.delete_button = QPushButton("Delete")
        self.delete_button.clicked.connect(self.delete_profile)
        left_buttons = QHBoxLayout()
        for button in (new_button, self.duplicate_button, self.delete_button):
            left_buttons.addWidget(button)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        left.addLayout(left_buttons)

        self.builtin_note = QLabel("Built in: uses the offline sandbox. Duplicate it to make your own copy.")
        self.builtin_note.setWordWrap(True)
        self.name = QLineEdit()
        self.api = ValueCombo()
        for api in Api:
            self.api.add("Discourse" if api == Api.DISCOURSE else "Disqus 1.1", api)
        self.api.currentIndexChanged.connect(self._fill_kinds)
        self.base_url = QLineEdit()
        self.base_url.setPlaceholderText("https://forum.example.com")
        self.kind = ValueCombo()
        self.kind.currentIndexChanged.connect(self._rebuild_credentials)
        self.timeout = QDoubleSpinBox()
        self.timeout.setRange(0, 3600)
        self.timeout.setSpecialValueText("app default")
        self.timeout.setSuffix(" s")
        self.guards = ProductionFields()
        # Non-secret {{name}} values that go with the profile: switching profile switches them.
        self.variables = VariablesTable()
        self.variables.setToolTip("Values for {{name}} in requests sent with this profile (never keys)")
        self.variables.table.setMinimumHeight(90)
        self.form = QFormLayout()
        self.form.addRow("Name", self.name)
        self.form.addRow("API", self.api)
        self.form.addRow("Base URL", self.base_url)
        self.form.addRow("Auth", self.kind)
        self.form.addRow("Timeout", self.timeout)
        self.form.addRow("Guards", self.guards)
        self.form.addRow("Variables", self.variables)
        self.trust = CertificateTrust(self.base_url.text)  # off by default: the system's authorities only
        self.form.addRow("TLS", self.trust)
        self.credential_form = QFormLayout()
        self.credential_edits: dict[str, QLineEdit] = {}
        self.error = QLabel()
        self.error.setStyleSheet(f"color: {theme.SEVERITY_COLOURS['error']};")
        self.error.setWordWrap(True)
        self.test_button = QPushButton("Test connection")
        self.test_button.clicked.connect(self.test_connection)
        self.test_result = QLabel()
        self.test_result.setWordWrap(True)
        self.save_button = QPushButton("Save")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save_profile)
        actions = QHBoxLayout()
        actions.addWidget(self.test_button)
        actions.addStretch(1)
        actions.addWidget(self.save_button)
        right = QVBoxLayout()
        self.notice = QLabel(services.secret_notice)
        self.notice.setWordWrap(True)
        self.notice.setVisible(bool(services.secret_notice))
        self.file_button = QPushButton("Keep keys in an owner-only file instead")
        # A refused secrets file cannot be offered again; the notice says how to fix it.
        self.file_button.setVisible(bool(services.secret_notice) and services.secret_file_usable)
        self.file_button.clicked.connect(self._use_file)
        fields = QWidget()
        inner = QVBoxLayout(fields)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(self.notice)
        inner.addWidget(self.file_button, 0, Qt.AlignmentFlag.AlignLeft)
        inner.addWidget(self.builtin_note)
        inner.addLayout(self.form)
        inner.addLayout(self.credential_form)
        inner.addWidget(self.error)
        inner.addStretch(1)
        # The form scrolls, Test connection, Save and Close stay: it is taller than a 640-pixel screen.
        self.form_scroll = QScrollArea()
        self.form_scroll.setWidgetResizable(True)
        self.form_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.form_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.form_scroll.setWidget(fields)
        self.form_scroll.setMinimumWidth(
            fields.minimumSizeHint().width() + self.form_scroll.verticalScrollBar().sizeHint().width()
        )
        right.addWidget(self.form_scroll, 1)
        right.addLayout(actions)
        right.addWidget(self.test_result)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        body = QHBoxLayout()
        body.addLayout(left, 2)
        body.addLayout(right, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(close)
        self._fill_kinds()
        self.reload(current_id)
        # Tall enough to show the whole form when the screen has room; never taller than the screen.
        screen = self.screen().availableGeometry().height() if self.screen() is not None else 700
        wanted = fields.sizeHint().height() + close.sizeHint().height() + actions.sizeHint().height() + 60
        self.resize(820, max(520, min(wanted, screen - 60)))

    # -- list ---------------------------------------------------------------------------------------------

    def reload(self, select_id: str | None = None) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        self._ids = []  # row -> profile id, kept in Python (see value_combo.py for why)
        for profile in self.store.list():
            item = QListWidgetItem(profile.name)
            item.setToolTip(profile.base_url)
            self.list.addItem(item)
            self._ids.append(profile.id)
        self.list.blockSignals(False)
        rows = self._ids
        row = rows.index(select_id) if select_id in rows else 0
        if self.list.count():
            self.list.setCurrentRow(row)
            self._select(self.list.currentItem(), None)
        else:
            self.new_profile()

    def _select(self, item: QListWidgetItem | None, _previous: object) -> None:
        if item is None:
            return
        row = self.list.row(item)
        profile = self.store.get(self._ids[row]) if 0 <= row < len(self._ids) else None
        if profile is None:
            return
        self._editing = profile
        self.chosen_id = profile.id
        self._show(profile)

    def _show(self, profile: Profile | None) -> None:
        builtin = bool(profile and profile.sandbox)
        self.builtin_note.setVisible(builtin)
        self.name.setText(profile.name if profile else "")
        self.api.setCurrentIndex(self.api.index_of(profile.api if profile else Api.DISCOURSE))
        self._fill_kinds()
        if profile is not None:
            self.kind.setCurrentIndex(max(self.kind.index_of(profile.auth_kind), 0))
        self.base_url.setText(profile.base_url if profile else "")
        self.timeout.setValue(profile.timeout_s or 0 if profile else 0)
        self.guards.show_profile(profile)
        self.variables.set_variables(profile.variables if profile else {})
        self.trust.set_pem(profile.trusted_certificate if profile else None)
        self._rebuild_credentials()
        if profile is not None:
            creds = self.store.credentials(profile)
            for name, edit in self.credential_edits.items():
                edit.setText(creds.get(name, ""))
        editable = (self.name, self.api, self.base_url, self.kind, self.timeout, self.variables, self.trust)
        for widget in (*editable, self.save_button):
            widget.setEnabled(not builtin)
        for edit in self.credential_edits.values():
            edit.setReadOnly(builtin)
        self.delete_button.setEnabled(profile is not None and not builtin)
        self.duplicate_button.setEnabled(profile is not None)
        self.error.setText("")
        self.test_result.setText("")

    def _fill_kinds(self) -> None:
        api = self.api.current_value()
        current = self.kind.current_value()
        self.kind.blockSignals(True)
        self.kind.clear()
        for kind in auth_kinds(api):
            self.kind.add(kind.label, kind.name)
        self.kind.setCurrentIndex(max(self.kind.index_of(current), 0))
        self.kind.blockSignals(False)
        self._rebuild_credentials()

    def _rebuild_credentials(self) -> None:
        while self.credential_form.rowCount():
            self.credential_form.removeRow(0)
        self.credential_edits = {}
        self.reveal_buttons: dict[str, QToolButton] = {}
        kind = next(
            (k for k in auth_kinds(self.api.current_value()) if k.name == self.kind.current_value()), None
        )
        if kind is None:
            return
        for name in kind.fields:
            edit = QLineEdit()
            self.credential_form.addRow(name, edit)
            self.credential_edits[name] = edit
        for name in kind.secrets:
            edit = QLineEdit()
            edit.setObjectName(f"secret:{name}")
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            reveal = QToolButton()
            reveal.setText("Show")
            reveal.setCheckable(True)
            reveal.setToolTip("Show or hide the secret")
            reveal.toggled.connect(partial(self._reveal, edit, reveal))
            row = QHBoxLayout()
            row.addWidget(edit, 1)
            row.addWidget(reveal)
            self.credential_form.addRow(f"{name} (secret)", row)
            self.credential_edits[name] = edit
            self.reveal_buttons[name] = reveal

    @staticmethod
    def _reveal(edit: QLineEdit, button: QToolButton, shown: bool) -> None:
        edit.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        button.setText("Hide" if shown else "Show")

    # -- editing ------------------------------------------------------------------------------------------

    def new_profile(self) -> None:
        self._editing = None
        self.list.clearSelection()
        self._show(None)
        self.name.setText("My forum")
        self.name.setFocus()

    def _profile_from_form(self) -> tuple[Profile, dict[str, str]]:
        api = self.api.current_value()
        kind = next(k for k in auth_kinds(api) if k.name == self.kind.current_value())
        fields = {n: self.credential_edits[n].text() for n in kind.fields if n in self.credential_edits}
        secrets = {n: self.credential_edits[n].text() for n in kind.secrets if n in self.credential_edits}
        kw: dict[str, Any] = {"id": self._editing.id} if self._editing and not self._editing.sandbox else {}
        profile = Profile(
            name=self.name.text(),
            api=api,
            base_url=self.base_url.text(),
            auth_kind=kind.name,
            fields=fields,
            timeout_s=self.timeout.value() or None,
            variables=self.variables.variables(),
            trusted_certificate=self.trust.pem(),
            **self.guards.values(),
            **kw,
        )
        return profile, secrets

    def save_profile(self) -> bool:
        try:
            profile, secrets = self._profile_from_form()
            saved = self.store.save(profile, secrets)
        except ProfileValidationError as exc:
            self.error.setText("\n".join(f"{name}: {message}" for name, message in exc.errors))
            return False
        except ProfileError as exc:
            self.error.setText(str(exc))
            return False
        self.chosen_id = saved.id
        self.reload(saved.id)
        self.test_result.setText("Saved.")
        return True

    def duplicate_profile(self) -> None:
        if self._editing is None:
            return
        names = {p.name for p in self.store.list()}
        base = f"{self._editing.name} (copy)"
        name, n = base, 2
        while name in names:
            name, n = f"{base} {n}", n + 1
        try:
            copy = self.store.duplicate(self._editing.id, name)
        except ProfileError as exc:
            self.error.setText(str(exc))
            return
        self.reload(copy.id)

    def delete_profile(self) -> None:
        if self._editing is None or self._editing.sandbox:
            return
        answer = QMessageBox.question(self, "Delete profile", f"Delete {self._editing.name!r} and its keys?")
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.store.delete(self._editing.id)
        self.reload()

    def _use_file(self) -> None:
        self.services.use_secret_file()
        self.notice.hide()
        self.file_button.hide()

    # -- test connection ----------------------------------------------------------------------------------

    def test_connection(self) -> None:
        try:
            profile, secrets = self._profile_from_form()
        except ProfileValidationError as exc:
            self.error.setText("\n".join(f"{name}: {message}" for name, message in exc.errors))
            return
        # The unsaved form is what is tested; a built-in profile's keys come from the store (read-only).
        if self._editing is not None and self._editing.sandbox:
            creds = self.store.credentials(self._editing)
        else:
            creds = {**profile.fields, **{k: v for k, v in secrets.items() if v}}
        spec = RequestSpec(api=profile.api.value, method_id=PROBES[profile.api], profile=profile.name)
        preparation = prepare(spec, self.services.catalogs, target_for_profile(profile, creds))
        if preparation.request is None or preparation.errors:
            self.test_result.setText("; ".join(f"{k}: {v}" for k, v in preparation.errors.items()))
            return
        # The probe only asks who you are, so a read-only or production profile's guard does not apply
        # (Disqus get_user_name must be POSTed although it changes nothing).
        self.test_result.setText(f"Asking {profile.base_url} who you are…")
        self.test_button.setEnabled(False)
        self._task = asyncio.get_event_loop().create_task(
            self._probe(profile.api, preparation.request, spec)
        )

    async def _probe(self, api: Api, request: PreparedRequest, spec: RequestSpec) -> None:
        try:
            exchange = await send_prepared(request, self.services.executor, spec=spec, timeout_s=15)
            result = exchange.result
            if result.status is None:
                ok, text = False, result.error or "No answer."
            else:
                ok, text = describe_identity(api, result.status, result.read_body())
        finally:
            self.test_button.setEnabled(True)
        colour = "#16a34a" if ok else theme.SEVERITY_COLOURS["error"]
        self.test_result.setStyleSheet(f"color: {colour};")
        self.test_result.setText(text)

    def done(self, result: int) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        super().done(result)
