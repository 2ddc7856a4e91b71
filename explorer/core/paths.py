"""The one place that knows where the app reads resources and writes files."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "forum-api-explorer"


def resources_dir() -> Path:
    """The bundled resources folder (catalogs, icons), in a checkout or a frozen bundle."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


@dataclass(frozen=True)
class AppPaths:
    """Directories the app writes to; tests pass a temporary root."""

    config: Path
    data: Path
    cache: Path

    @classmethod
    def default(cls) -> AppPaths:
        override = os.environ.get("EXPLORER_HOME")
        if override:
            return cls.under(Path(override))
        return cls(
            config=Path(platformdirs.user_config_dir(APP_NAME)),
            data=Path(platformdirs.user_data_dir(APP_NAME)),
            cache=Path(platformdirs.user_cache_dir(APP_NAME)),
        )

    @classmethod
    def under(cls, root: Path) -> AppPaths:
        return cls(config=root / "config", data=root / "data", cache=root / "cache")

    @property
    def profiles_file(self) -> Path:
        return self.config / "profiles.json"

    @property
    def settings_file(self) -> Path:
        return self.config / "settings.json"

    @property
    def fallback_secrets_file(self) -> Path:
        return self.config / "secrets.json"
