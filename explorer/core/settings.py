"""App settings: a typed dataclass in versioned JSON; bad values fall back to defaults with a warning."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, TypedDict

from explorer.core import jsonfile
from explorer.core.paths import AppPaths, Migration, atomic_write_bytes, migrate_document

SCHEMA_VERSION = 1

RESPONSE_LAYOUTS = ("right", "below")
THEMES = ("system", "light", "dark")
# "auto": the OS keyring when there is one, otherwise ask the user (session only or owner-only file).
SECRET_STORAGES = ("auto", "keyring", "session", "file")


class ExecutorOptions(TypedDict):
    """The keyword arguments of explorer.core.http.Executor that come from the settings."""

    timeout_s: float
    follow_redirects: bool
    verify: bool
    large_body_cap_bytes: int
    max_body_bytes: int


class HistoryOptions(TypedDict):
    """The keyword arguments of explorer.core.history.HistoryStore (and open_history) from the settings."""

    body_cap_bytes: int
    budget_bytes: int
    keep_days: int | None
    keep_entries: int | None


@dataclass(frozen=True, slots=True)
class Settings:
    """User preferences (UI geometry lives in QSettings, not here)."""

    request_timeout_s: float = 30.0
    follow_redirects: bool = False
    verify_tls: bool = True
    response_layout: str = "right"
    # Bodies bigger than this wait in a temporary file (memory-mapped by the viewer), not in memory.
    large_body_cap_mb: int = 64
    # The most of one response body kept (decoded, memory and file together); the rest is not read.
    max_body_mb: int = 512
    raw_highlight_limit_mb: float = 4.0
    last_profile_id: str | None = None
    theme: str = "system"
    secret_storage: str = "auto"
    # Request history (explorer.core.history): on or off, the most of each body kept, the size of the whole
    # history, and optional limits by age and by number of entries (pinned entries are always kept).
    history_enabled: bool = True
    history_body_cap_mb: int = 5
    history_budget_mb: int = 500
    history_keep_days: int | None = None
    history_keep_entries: int | None = None
    # Rate budgets (explorer.core.ratebudget): what a default server allows; servers configure their own,
    # and a 429 lowers these for the session. Discourse's max_admin_api_reqs_per_minute is one bucket for
    # every admin key of a site; a User API key has max_user_api_reqs_per_minute and _per_day. Disqus API
    # 1.1 documented no number; an hourly budget keeps long runs polite.
    rate_admin_per_minute: int = 60
    rate_user_api_per_minute: int = 20
    rate_user_api_per_day: int = 2880
    rate_disqus_per_hour: int = 1000
    # Send a single request answered 429 once more, after the server's wait (off: the 429 is shown).
    rate_retry_once: bool = False

    @property
    def large_body_cap_bytes(self) -> int:
        return self.large_body_cap_mb * 2**20

    @property
    def max_body_bytes(self) -> int:
        return self.max_body_mb * 2**20

    @property
    def raw_highlight_limit_bytes(self) -> int:
        return int(self.raw_highlight_limit_mb * 2**20)

    def executor_options(self) -> ExecutorOptions:
        """Keyword arguments for explorer.core.http.Executor."""
        return {
            "timeout_s": self.request_timeout_s,
            "follow_redirects": self.follow_redirects,
            "verify": self.verify_tls,
            "large_body_cap_bytes": self.large_body_cap_bytes,
            "max_body_bytes": self.max_body_bytes,
        }

    def history_options(self) -> HistoryOptions:
        """Keyword arguments for explorer.core.history.HistoryStore and open_history."""
        return {
            "body_cap_bytes": self.history_body_cap_mb * 2**20,
            "budget_bytes": self.history_budget_mb * 2**20,
            "keep_days": self.history_keep_days,
            "keep_entries": self.history_keep_entries,
        }

    def to_json(self) -> dict[str, Any]:
        return {"schema_version": SCHEMA_VERSION, **asdict(self)}


def _number(low: float, high: float, *, integer: bool = False) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        kinds = (int,) if integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, kinds):
            return f"expected {'a whole number' if integer else 'a number'}, found {value!r}"
        if not low <= value <= high:
            return f"{value!r} is outside {low:g}..{high:g}"
        return None

    return check


def _optional_number(low: int, high: int) -> Callable[[Any], str | None]:
    whole = _number(low, high, integer=True)

    def check(value: Any) -> str | None:
        return None if value is None else whole(value)

    return check


def _boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else f"expected true or false, found {value!r}"


def _choice(options: tuple[str, ...]) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        return None if value in options else f"{value!r} is not one of {', '.join(options)}"

    return check


def _optional_text(value: Any) -> str | None:
    return None if value is None or isinstance(value, str) else f"expected text or null, found {value!r}"


# One validator per field: the declarative schema of the settings file.
VALIDATORS: dict[str, Callable[[Any], str | None]] = {
    "request_timeout_s": _number(0.1, 3600),
    "follow_redirects": _boolean,
    "verify_tls": _boolean,
    "response_layout": _choice(RESPONSE_LAYOUTS),
    "large_body_cap_mb": _number(1, 65536, integer=True),
    "max_body_mb": _number(1, 1_048_576, integer=True),
    "raw_highlight_limit_mb": _number(0, 1024),
    "last_profile_id": _optional_text,
    "theme": _choice(THEMES),
    "secret_storage": _choice(SECRET_STORAGES),
    "history_enabled": _boolean,
    "history_body_cap_mb": _number(0, 1024, integer=True),
    "history_budget_mb": _number(1, 1_000_000, integer=True),
    "history_keep_days": _optional_number(1, 100_000),
    "history_keep_entries": _optional_number(1, 1_000_000_000),
    "rate_admin_per_minute": _number(1, 1_000_000, integer=True),
    "rate_user_api_per_minute": _number(1, 1_000_000, integer=True),
    "rate_user_api_per_day": _number(1, 100_000_000, integer=True),
    "rate_disqus_per_hour": _number(1, 100_000_000, integer=True),
    "rate_retry_once": _boolean,
}


def settings_from_dict(data: dict[str, Any], where: str = "settings") -> tuple[Settings, list[str]]:
    """Settings from a decoded document: each bad or unknown value is dropped with a warning."""
    warnings: list[str] = []
    values: dict[str, Any] = {}
    known = {f.name for f in fields(Settings)}
    for key, value in data.items():
        if key == "schema_version":
            continue
        if key not in known:
            warnings.append(f"{where}: unknown setting {key!r} ignored")
            continue
        problem = VALIDATORS[key](value)
        if problem:
            default = getattr(Settings(), key)
            warnings.append(f"{where}: {key}: {problem}; using the default {default!r}")
            continue
        values[key] = float(value) if key in ("request_timeout_s", "raw_highlight_limit_mb") else value
    return Settings(**values), warnings


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Bring an older settings document up to SCHEMA_VERSION, one step at a time."""
    return migrate_document(data, SCHEMA_VERSION, MIGRATIONS)


# schema_version N -> a function producing version N + 1 (rename or reshape keys there).
MIGRATIONS: dict[int, Migration] = {}


def _set_aside(path: Path) -> Path | None:
    target = path.with_name(f"{path.name}.broken-{time.strftime('%Y%m%d-%H%M%S')}")
    try:
        path.rename(target)
    except OSError:
        return None
    return target


def load_settings(paths: AppPaths) -> tuple[Settings, list[str]]:
    """The saved settings and a list of warnings; never raises for a missing, damaged or odd file.

    A file that is not valid JSON is renamed to settings.json.broken-<timestamp> (and the warning says
    so), so the next save cannot silently destroy what the user may want to repair.
    """
    path = paths.settings_file
    if not path.exists():
        return Settings(), []
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return Settings(), [f"{path} cannot be read ({exc}); using the default settings"]
    try:
        data = jsonfile.loads(text)
    except json.JSONDecodeError as exc:
        aside = _set_aside(path)
        kept = f"; it was kept as {aside.name}" if aside else ""
        return Settings(), [
            f"{path} is damaged at line {exc.lineno} ({exc.msg}){kept}; using the default settings"
        ]
    if not isinstance(data, dict):
        return Settings(), [f"{path} does not hold an object; using the default settings"]
    warnings: list[str] = []
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        warnings.append(f"{path}: missing or invalid schema_version; read as version {SCHEMA_VERSION}")
        data["schema_version"] = SCHEMA_VERSION
    elif version > SCHEMA_VERSION:
        warnings.append(
            f"{path} comes from a newer version of the app; only the settings known here are used"
        )
        data["schema_version"] = SCHEMA_VERSION
    try:
        data = migrate(data)
    except Exception as exc:  # a migration meeting an unexpected shape must not stop the app
        return Settings(), [*warnings, f"{path} could not be upgraded ({exc}); using the default settings"]
    settings, more = settings_from_dict(data, where=str(path))
    return settings, warnings + more


def save_settings(paths: AppPaths, settings: Settings) -> None:
    """Write the settings atomically; raises OSError only if the disk refuses (the caller shows it)."""
    text = json.dumps(settings.to_json(), indent=2) + "\n"
    atomic_write_bytes(paths.settings_file, text.encode("utf-8"))
