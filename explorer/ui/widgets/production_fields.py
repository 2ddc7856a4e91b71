"""The profile form's guard fields: "Production site", "Read-only" and the production colour."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from explorer.core.profiles.model import PRODUCTION_COLOUR, Profile
from explorer.ui.widgets.value_combo import ValueCombo

# The colours offered for a production band: strong enough to be noticed, white text stays readable.
PRESET_COLOURS = (
    ("Red", PRODUCTION_COLOUR),
    ("Orange", "#d35400"),
    ("Magenta", "#c2185b"),
    ("Purple", "#7d3c98"),
    ("Slate", "#34495e"),
)


def swatch(colour: str, size: int = 14) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


class ProductionFields(QWidget):
    """Two check boxes and a colour; disabled (and cleared) for the built-in sandbox profiles."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.production = QCheckBox("Production site")
        self.production.setToolTip(
            "Every write (POST, PUT, PATCH, DELETE) asks first, naming the site; the window shows a band "
            "in this colour while the profile is in use."
        )
        self.read_only = QCheckBox("Read-only")
        self.read_only.setToolTip("Writes are refused before anything is sent.")
        self.colour = ValueCombo()
        self.colour.setToolTip("The colour of the production band and of the tabs that use this profile")
        self._fill_colours(None)
        self.production.toggled.connect(self._sync)
        self.sandbox_note = QLabel("The sandbox is never a production site.")
        self.sandbox_note.setEnabled(False)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.production)
        row.addWidget(self.colour)
        row.addSpacing(12)
        row.addWidget(self.read_only)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.sandbox_note)
        self._builtin = False
        self._sync()

    def _fill_colours(self, extra: str | None) -> None:
        self.colour.clear()
        for label, value in PRESET_COLOURS:
            self.colour.add(label, value)
            self.colour.setItemIcon(self.colour.count() - 1, swatch(value))
        if extra and self.colour.index_of(extra) < 0:
            # A colour set outside the dialog (by hand in the file) stays choosable as it is.
            self.colour.add(f"Custom {extra}", extra)
            self.colour.setItemIcon(self.colour.count() - 1, swatch(extra))

    def show_profile(self, profile: Profile | None) -> None:
        """Show `profile`'s flags (a new profile: neither); the sandbox's are shown off and disabled."""
        self._builtin = bool(profile and profile.sandbox)
        colour = (profile.colour if profile else None) or PRODUCTION_COLOUR
        self._fill_colours(colour)
        self.colour.select_value(colour)
        self.production.setChecked(bool(profile and profile.production))
        self.read_only.setChecked(bool(profile and profile.read_only))
        self._sync()

    def _sync(self) -> None:
        for box in (self.production, self.read_only):
            box.setEnabled(not self._builtin)
        self.colour.setEnabled(not self._builtin and self.production.isChecked())
        self.sandbox_note.setVisible(self._builtin)

    def values(self) -> dict[str, Any]:
        """Profile keyword arguments: production, read_only and colour (None means the default colour)."""
        if self._builtin:
            return {"production": False, "read_only": False, "colour": None}
        production = self.production.isChecked()
        colour = self.colour.current_value() if production else None
        return {
            "production": production,
            "read_only": self.read_only.isChecked(),
            "colour": None if colour == PRODUCTION_COLOUR else colour,
        }
