"""Where the app reads resources and writes files, and how it writes and upgrades them."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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

    @property
    def drafts_file(self) -> Path:
        return self.data / "drafts.json"

    @property
    def custom_methods_file(self) -> Path:
        return self.data / "custom-methods.json"

    @property
    def history_file(self) -> Path:
        """The request history (SQLite, with its -wal and -shm files beside it)."""
        return self.data / "history.sqlite3"

    @property
    def table_columns_file(self) -> Path:
        """The response table's chosen array and columns per method (JSON keys only, never values)."""
        return self.data / "table-columns.json"


def atomic_write_bytes(path: Path, data: bytes, *, mode: int = 0o644) -> None:
    """Replace `path` with `data` so a crash or a full disk leaves either the old or the new file.

    The temporary file is created in the same directory (os.replace is atomic only within one file
    system) with `mode` from the start, so a secret file is never briefly readable by others.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            if os.name != "nt":
                os.fchmod(handle.fileno(), mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    if os.name != "nt":
        # Make the rename itself durable; some file systems refuse to fsync a directory, which is harmless.
        with contextlib.suppress(OSError):
            dir_fd = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)


def set_aside_file(path: Path) -> Path:
    """Rename an unreadable file to `<name>.broken-<timestamp>` (never deleted) and return the new path.

    OSError when the rename fails; a second damaged file in the same second gets a counter.
    """
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.broken-{stamp}")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{path.name}.broken-{stamp}-{counter}")
    path.rename(target)
    return target


Migration = Callable[[dict[str, Any]], dict[str, Any]]


def migrate_document(
    data: dict[str, Any], target: int, migrations: Mapping[int, Migration]
) -> dict[str, Any]:
    """Bring a versioned JSON document (settings, profiles) up to `target`, one step at a time.

    `migrations[N]` turns a version-N document into version N + 1; `schema_version` is updated after
    each step, so a step only reshapes the data it knows about.
    """
    version = data.get("schema_version", 1)
    while version < target:
        data = migrations[version](data)
        version += 1
        data["schema_version"] = version
    return data
