"""The toolbar's profile switcher: pick the active credential profile, or open the profile manager."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from explorer.ui.widgets.value_combo import ValueCombo

if TYPE_CHECKING:
    from explorer.core.profiles import Profile

_API_LABELS = {"discourse": "Discourse", "disqus": "Disqus 1.1"}


class ProfileSwitcher(QWidget):
    """A combo box of profiles (`profile_chosen(id)`) and a Profiles… button (`manage_requested`)."""

    profile_chosen = Signal(str)
    manage_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = ValueCombo()
        self.combo.setMinimumContentsLength(22)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setToolTip("The active profile: where requests go and which credentials they carry")
        self.combo.add("Starting the sandbox…", "")
        self.combo.setEnabled(False)
        self.combo.activated.connect(self._activated)
        self.manage = QPushButton("Profiles…")
        self.manage.setToolTip("Create, edit, duplicate or delete profiles; test a connection")
        self.manage.clicked.connect(self.manage_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Profile"))
        layout.addWidget(self.combo)
        layout.addWidget(self.manage)

    def set_profiles(self, profiles: Sequence[Profile], current_id: str | None) -> None:
        self.combo.blockSignals(True)
        self.combo.clear()
        for profile in profiles:
            api = _API_LABELS.get(profile.api.value, profile.api.value)
            label = profile.name if profile.sandbox or api in profile.name else f"{profile.name}  ·  {api}"
            self.combo.add(label, profile.id)
            self.combo.setItemData(self.combo.count() - 1, f"{api} — {profile.base_url}", 3)  # ToolTipRole
        if not profiles:
            self.combo.add("No profiles — create one", "")
        self.combo.setEnabled(bool(profiles))
        index = self.combo.index_of(current_id) if current_id else -1
        self.combo.setCurrentIndex(max(index, 0))
        self.combo.blockSignals(False)

    def current_id(self) -> str:
        return str(self.combo.current_value() or "")

    def set_current(self, profile_id: str) -> None:
        index = self.combo.index_of(profile_id)
        if index >= 0:
            self.combo.setCurrentIndex(index)

    def _activated(self, index: int) -> None:
        profile_id = self.combo.value_at(index)
        if profile_id:
            self.profile_chosen.emit(str(profile_id))
