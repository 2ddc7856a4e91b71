"""Drafts: the open request tabs and what they hold, kept across restarts in one file that has no secret."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from explorer.core import jsonfile
from explorer.core.lifecycle.spec import RequestSpec, SpecError
from explorer.core.paths import atomic_write_bytes, set_aside_file

SCHEMA_VERSION = 1


class DraftsError(Exception):
    """The drafts file cannot be read; the message names the file and what is wrong."""


def same_spec(a: RequestSpec, b: RequestSpec) -> bool:
    """Equal as they would be stored, apart from the profile.

    A secret typed in one and the placeholder in the other are equal (a file never holds the secret), and
    the profile is the window's choice for the whole API, not an edit of this request.
    """
    return _comparable(a) == _comparable(b)


def _comparable(spec: RequestSpec) -> dict[str, Any]:
    data = spec.as_json()
    data.pop("profile", None)
    if isinstance(data.get("arguments"), dict):
        # A file says "0" where the form's number field gives 0: the same request, not an edit.
        data["arguments"] = {name: _as_text(value) for name, value in data["arguments"].items()}
    return data


def _as_text(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return [_as_text(item) for item in value]
    return value


@dataclass(frozen=True)
class DraftTab:
    """One tab: its request, the request as last saved (to a file, or when the tab was opened) and where.

    `baseline` None means the tab has never been in a known saved state: it counts as unsaved.
    """

    spec: RequestSpec
    baseline: RequestSpec | None = None
    file: str | None = None

    @property
    def unsaved(self) -> bool:
        return self.baseline is None or not same_spec(self.spec, self.baseline)

    def as_json(self) -> dict[str, Any]:
        return {
            "spec": self.spec.as_json(),
            "baseline": self.baseline.as_json() if self.baseline is not None else None,
            "file": self.file,
        }

    @classmethod
    def from_json(cls, data: object, where: str) -> DraftTab:
        if not isinstance(data, dict):
            raise DraftsError(f"{where}: expected an object with a spec")
        try:
            spec = RequestSpec.from_json(data.get("spec"))
            raw_baseline = data.get("baseline")
            baseline = RequestSpec.from_json(raw_baseline) if raw_baseline is not None else None
        except SpecError as exc:
            raise DraftsError(f"{where}: {exc}") from None
        file = data.get("file")
        if file is not None and not isinstance(file, str):
            raise DraftsError(f"{where}.file: expected text or null")
        return cls(spec, baseline, file)


@dataclass(frozen=True)
class Drafts:
    """Every open tab in order, and the index of the one in front."""

    tabs: tuple[DraftTab, ...]
    active: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "active": self.active,
            "tabs": [tab.as_json() for tab in self.tabs],
        }

    def dumps(self) -> str:
        return json.dumps(self.as_json(), indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, data: object) -> Drafts:
        """Read a drafts document; DraftsError names the part that is wrong."""
        if not isinstance(data, dict):
            raise DraftsError("expected a JSON object with schema_version and tabs")
        version = data.get("schema_version")
        if version != SCHEMA_VERSION:
            raise DraftsError(f"schema_version: expected {SCHEMA_VERSION}, found {version!r}")
        raw_tabs = data.get("tabs")
        if not isinstance(raw_tabs, list):
            raise DraftsError("tabs: expected a list")
        tabs = tuple(DraftTab.from_json(item, f"tabs[{i}]") for i, item in enumerate(raw_tabs))
        active = data.get("active", 0)
        if isinstance(active, bool) or not isinstance(active, int):
            raise DraftsError("active: expected a tab number")
        # An index out of range is not worth losing the tabs over: the first one comes to the front.
        return cls(tabs, active if 0 <= active < len(tabs) else 0)


def load_drafts(path: Path) -> Drafts | None:
    """The drafts in `path`, None when there is no file; DraftsError when it cannot be read or is damaged."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise DraftsError(f"The drafts file {path} cannot be read: {reason}.") from exc
    try:
        data = jsonfile.loads(text)
    except json.JSONDecodeError as exc:
        raise DraftsError(
            f"The drafts file {path} is damaged at line {exc.lineno}, column {exc.colno}: {exc.msg}."
        ) from exc
    try:
        return Drafts.from_json(data)
    except DraftsError as exc:
        raise DraftsError(f"The drafts file {path} is damaged: {exc}.") from exc


def save_drafts(path: Path, drafts: Drafts) -> None:
    """Write `drafts` atomically (owner-only: a request body may be private even without a secret)."""
    atomic_write_bytes(path, drafts.dumps().encode("utf-8"), mode=0o600)


def set_aside_drafts(path: Path) -> Path:
    """Rename a damaged drafts file to drafts.json.broken-<timestamp>; OSError when that fails."""
    return set_aside_file(path)
