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

    def bytes(self, key: str) -> QByteArray | None:
        value = self._settings.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_bytes(self, key: str, value: QByteArray) -> None:
        self._settings.setValue(key, value)

    def text(self, key: str, default: str = "") -> str:
        value = self._settings.value(key, default)
        return value if isinstance(value, str) else default

    def set_text(self, key: str, value: str) -> None:
        self._settings.setValue(key, value)

    def flag(self, key: str, default: bool = False) -> bool:
        # QSettings hands INI booleans back as the strings "true"/"false".
        value = self._settings.value(key, default)
        if isinstance(value, str):
            return value.lower() == "true"
        return bool(value)

    def set_flag(self, key: str, value: bool) -> None:
        self._settings.setValue(key, value)

    def sync(self) -> None:
        self._settings.sync()
