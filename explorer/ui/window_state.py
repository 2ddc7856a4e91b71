"""Window geometry, splitter sizes and layout choices, kept in a QSettings file under the app's config dir."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings


class WindowState:
    """UI state only (never settings that change behaviour, never secrets).

    The file lives under `AppPaths.config`, so a test's temporary home keeps the user's real state untouched.
    """

    def __init__(self, config_dir: Path) -> None:
        config_dir.mkdir(parents=True, exist_ok=True)
        self._settings = QSettings(str(config_dir / "window-state.ini"), QSettings.Format.IniFormat)

    @property
    def path(self) -> str:
        return self._settings.fileName()

    # Missing keys are checked with contains() first: value() of a missing key returns None through a
    # QVariant, which PySide6 6.12 mis-counts on Python 3.11 (see widgets/value_combo.py).

    def bytes(self, key: str) -> QByteArray | None:
        if not self._settings.contains(key):
            return None
        value = self._settings.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_bytes(self, key: str, value: QByteArray) -> None:
        self._settings.setValue(key, value)

    def text(self, key: str, default: str = "") -> str:
        if not self._settings.contains(key):
            return default
        value = self._settings.value(key)
        return value if isinstance(value, str) else default

    def set_text(self, key: str, value: str) -> None:
        self._settings.setValue(key, value)

    def flag(self, key: str, default: bool = False) -> bool:
        # Stored as the text "true"/"false", so no Python bool travels through a QVariant.
        if not self._settings.contains(key):
            return default
        value = self._settings.value(key)
        if isinstance(value, str):
            return value.lower() == "true"
        return default

    def set_flag(self, key: str, value: bool) -> None:
        self._settings.setValue(key, "true" if value else "false")

    def sync(self) -> None:
        self._settings.sync()
