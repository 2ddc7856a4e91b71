"""Reading a collection's files: its collection.json, its request files, its folders in natural order."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from explorer.core import jsonfile
from explorer.core.collections.naming import COLLECTION_FILE, REQUEST_SUFFIX, natural_key
from explorer.core.lifecycle.spec import VARIABLE_NAME, RequestSpec, SpecError
from explorer.core.prepared import is_secret_name

SCHEMA_VERSION = 1


class CollectionError(Exception):
    """A collection cannot be opened or changed; the message names the file and what is wrong."""


@dataclass(frozen=True)
class CollectionItem:
    """One request file or group folder; a file that cannot be read has `error` instead of `spec`."""

    relative: PurePosixPath
    path: Path
    spec: RequestSpec | None = None
    error: str | None = None
    is_folder: bool = False

    @property
    def name(self) -> str:
        """The name shown in lists: a folder's name, a file's without .json."""
        return self.relative.name if self.is_folder else self.relative.stem

    @property
    def depth(self) -> int:
        return len(self.relative.parts) - 1


def checked_variables(variables: Mapping[str, str], where: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in variables.items():
        if not isinstance(name, str) or not VARIABLE_NAME.fullmatch(name):
            raise CollectionError(f"{where}: {name!r} is not a variable name (letters, digits, _ . -)")
        if is_secret_name(name):
            raise CollectionError(
                f"{where}: variable {name!r} looks like a secret; collection files are shared (in git), "
                "so keys belong in a profile, never in a collection"
            )
        if not isinstance(value, str):
            raise CollectionError(f"{where}: variable {name!r} must be text, not {type(value).__name__}")
        out[name] = value
    return out


def read_settings(directory: Path) -> tuple[str, dict[str, str], str | None]:
    path = directory / COLLECTION_FILE
    if not path.exists():
        return directory.name, {}, None
    try:
        data = jsonfile.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise CollectionError(
            f"{path} is damaged at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    except UnicodeDecodeError as exc:
        raise CollectionError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise CollectionError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if not isinstance(data, dict):
        raise CollectionError(f"{path}: expected a JSON object with name and variables")
    if data.get("schema_version") != SCHEMA_VERSION:
        raise CollectionError(
            f"{path}: schema_version: expected {SCHEMA_VERSION}, found {data.get('schema_version')!r}"
        )
    name = data.get("name", directory.name)
    profile = data.get("profile")
    variables = data.get("variables", {})
    if not isinstance(name, str):
        raise CollectionError(f"{path}: name: expected text")
    if profile is not None and not isinstance(profile, str):
        raise CollectionError(f"{path}: profile: expected a profile name or null")
    if not isinstance(variables, dict):
        raise CollectionError(f"{path}: variables: expected an object of name: text")
    return name or directory.name, checked_variables(variables, path), profile or None


def read_item(relative: PurePosixPath, full: Path) -> CollectionItem:
    try:
        spec = RequestSpec.loads(full.read_text(encoding="utf-8"))
    except SpecError as exc:
        return CollectionItem(relative, full, error=" ".join(str(exc).split()))
    except UnicodeDecodeError as exc:
        return CollectionItem(relative, full, error=f"not UTF-8 text (byte {exc.start})")
    except OSError as exc:
        return CollectionItem(relative, full, error=f"cannot read: {exc.strerror or exc}")
    return CollectionItem(relative, full, spec)


def entries(directory: Path) -> list[os.DirEntry[str]]:
    """Sub-folders and .json files, natural order; hidden ones (.git, temporary copies) are skipped."""
    try:
        with os.scandir(directory) as scan:
            entries = [
                e
                for e in scan
                if not e.name.startswith(".") and (e.is_dir() or e.name.lower().endswith(REQUEST_SUFFIX))
            ]
    except OSError:
        return []
    return sorted(entries, key=lambda e: natural_key(e.name))


def stats(directory: Path, prefix: str = "") -> Iterator[tuple[str, os.stat_result]]:
    for entry in entries(directory):
        with contextlib.suppress(OSError):
            yield prefix + entry.name, entry.stat()
            if entry.is_dir():
                yield from stats(Path(entry.path), prefix + entry.name + "/")
