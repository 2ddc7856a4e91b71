"""A collection on disk: a folder of request files (sub-folders are groups) and its collection.json."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path, PurePosixPath

from explorer.core.collections.disk import (
    SCHEMA_VERSION,
    CollectionError,
    CollectionItem,
    checked_variables,
    entries,
    read_item,
    read_settings,
    stats,
)
from explorer.core.collections.naming import (
    COLLECTION_FILE,
    REQUEST_SUFFIX,
    BadName,
    checked_relative,
    needs_numbers,
    ordered_names,
    request_path,
    safe_name,
)
from explorer.core.leftovers import sweep_folder
from explorer.core.lifecycle.spec import RequestSpec
from explorer.core.paths import atomic_write_bytes


class Collection:
    """A collection folder. Items are read from disk on every call, so changes made outside show at once;
    `fingerprint()` tells cheaply whether anything changed, and `reload()` re-reads collection.json."""

    def __init__(self, directory: Path, name: str, variables: Mapping[str, str], profile: str | None) -> None:
        self.directory = directory
        self.name = name
        self.variables: dict[str, str] = dict(variables)
        self.profile = profile

    def __repr__(self) -> str:
        return f"Collection({str(self.directory)!r}, name={self.name!r})"

    # -- opening -----------------------------------------------------------------------------------

    @classmethod
    def open(cls, directory: Path) -> Collection:
        """The collection in `directory`; a folder without collection.json is one too (named after it)."""
        directory = Path(directory)
        if not directory.is_dir():
            raise CollectionError(f"{directory}: no such folder")
        # A save or a copy killed half-way left a hidden temporary copy; it is never shown, and removed here.
        sweep_folder(directory)
        name, variables, profile = read_settings(directory)
        return cls(directory, name, variables, profile)

    @classmethod
    def create(cls, directory: Path, name: str) -> Collection:
        """A new, empty collection in `directory` (created if missing; refused if already a collection)."""
        directory = Path(directory)
        if (directory / COLLECTION_FILE).exists():
            raise CollectionError(f"{directory} is already a collection (it has a {COLLECTION_FILE})")
        if directory.exists() and not directory.is_dir():
            raise CollectionError(f"{directory}: is a file, not a folder")
        collection = cls(directory, name.strip() or directory.name, {}, None)
        collection._write_settings()
        return collection

    def reload(self) -> None:
        """Re-read collection.json (after a change made outside the app)."""
        self.name, self.variables, self.profile = read_settings(self.directory)

    # -- reading -----------------------------------------------------------------------------------

    def items(self) -> list[CollectionItem]:
        """Every folder and request file, depth first in natural order (a folder before its contents)."""
        return list(self._walk(self.directory, PurePosixPath()))

    def requests(self) -> list[CollectionItem]:
        """The request files in run order."""
        return [item for item in self.items() if not item.is_folder]

    def item(self, relative: str | PurePosixPath) -> CollectionItem:
        """The item at `relative` (a request file or folder), read now."""
        path = self._checked(lambda r: checked_relative(r, new=False), relative)
        full = self._full(path)
        if full.is_dir():
            return CollectionItem(path, full, is_folder=True)
        path = self._checked(lambda r: request_path(r, new=False), path)
        return read_item(path, self._full(path))

    def fingerprint(self) -> str:
        """Changes whenever a file or folder of the collection is added, removed, renamed or rewritten."""
        digest = hashlib.sha256()
        for entry_path, stat in stats(self.directory):
            digest.update(f"{entry_path}\0{stat.st_mtime_ns}\0{stat.st_size}\n".encode())
        return digest.hexdigest()

    def _walk(self, directory: Path, relative: PurePosixPath) -> Iterator[CollectionItem]:
        for entry in entries(directory):
            path = relative / entry.name
            if entry.is_dir():
                yield CollectionItem(path, Path(entry.path), is_folder=True)
                yield from self._walk(Path(entry.path), path)
            elif not (relative == PurePosixPath() and entry.name == COLLECTION_FILE):
                yield read_item(path, Path(entry.path))

    def _full(self, relative: PurePosixPath) -> Path:
        return self.directory.joinpath(*relative.parts)

    # -- changing ----------------------------------------------------------------------------------

    def save_request(self, relative: str | PurePosixPath, spec: RequestSpec) -> CollectionItem:
        """Write `spec` (without secrets) at `relative` (".json" added when missing); folders are created."""
        path = self._checked(request_path, relative)
        full = self._full(path)
        if full.is_dir():
            raise CollectionError(f"{path}: is a folder")
        self._write(full, spec.dumps())
        return CollectionItem(path, full, spec)

    def rename(self, relative: str | PurePosixPath, new_name: str) -> PurePosixPath:
        """Give a file or folder a new name in the same folder; a file keeps its .json."""
        old = self._existing(relative)
        is_folder = self._full(old).is_dir()
        name = new_name.strip()
        if not is_folder and not name.lower().endswith(REQUEST_SUFFIX):
            name += REQUEST_SUFFIX
        new = self._checked(checked_relative, old.parent / name)
        if new == PurePosixPath(COLLECTION_FILE):
            raise CollectionError(f"{COLLECTION_FILE} is the collection's own file; choose another name")
        return self._move_to(old, new)

    def move(self, relative: str | PurePosixPath, folder: str | PurePosixPath) -> PurePosixPath:
        """Move a file or folder into `folder` ("" for the top of the collection)."""
        old = self._existing(relative)
        parent = PurePosixPath() if str(folder) in ("", ".") else self._checked(checked_relative, folder)
        if not self._full(parent).is_dir():
            raise CollectionError(f"{parent}: no such folder in the collection")
        if parent == old or old in parent.parents:
            raise CollectionError(f"{old} cannot be moved into itself")
        return self._move_to(old, parent / old.name)

    def duplicate(self, relative: str | PurePosixPath) -> PurePosixPath:
        """A copy beside the original, named "<name> copy" (then "copy 2", …)."""
        old = self._existing(relative)
        source = self._full(old)
        suffix = "" if source.is_dir() else old.suffix
        stem = old.name[: len(old.name) - len(suffix)]
        counter = 1
        while True:
            label = " copy" if counter == 1 else f" copy {counter}"
            new = old.parent / f"{stem}{label}{suffix}"
            if not self._full(new).exists():
                break
            counter += 1
        target = self._full(new)
        if source.is_dir():
            # Copied beside, under a hidden name, then renamed: a failed copy leaves no half folder.
            staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
            with _staging_removed_on_failure(staging, f"{new}: cannot copy"):
                shutil.copytree(source, staging, dirs_exist_ok=True)
                os.rename(staging, target)
        else:
            try:
                atomic_write_bytes(target, source.read_bytes())
            except OSError as exc:
                raise CollectionError(f"{new}: cannot copy: {exc.strerror or exc}") from exc
        return new

    def delete(self, relative: str | PurePosixPath) -> None:
        """Delete a request file, or a folder with everything in it."""
        old = self._existing(relative)
        full = self._full(old)
        try:
            if full.is_dir():
                shutil.rmtree(full)
            else:
                full.unlink()
        except OSError as exc:
            raise CollectionError(f"{old}: cannot delete: {exc.strerror or exc}") from exc

    def create_folder(self, relative: str | PurePosixPath) -> PurePosixPath:
        path = self._checked(checked_relative, relative)
        try:
            self._full(path).mkdir(parents=True)
        except FileExistsError:
            raise CollectionError(f"{path}: already exists") from None
        except OSError as exc:
            raise CollectionError(f"{path}: cannot create: {exc.strerror or exc}") from exc
        return path

    def set_variables(self, variables: Mapping[str, str]) -> None:
        """Replace the collection's variables; a secret-looking name is refused (keys go in profiles)."""
        self.variables = checked_variables(variables, self.directory / COLLECTION_FILE)
        self._write_settings()

    def set_profile(self, profile: str | None) -> None:
        self.profile = profile or None
        self._write_settings()

    def settings_json(self) -> dict[str, object]:
        return {
            "schema_version": SCHEMA_VERSION,
            "name": self.name,
            "variables": dict(sorted(self.variables.items())),
            "profile": self.profile,
        }

    # -- helpers -----------------------------------------------------------------------------------

    def _write_settings(self) -> None:
        text = json.dumps(self.settings_json(), indent=2, ensure_ascii=False) + "\n"
        self._write(self.directory / COLLECTION_FILE, text)

    def _write(self, full: Path, text: str) -> None:
        try:
            atomic_write_bytes(full, text.encode("utf-8"))
        except OSError as exc:
            raise CollectionError(f"{full}: cannot write: {exc.strerror or exc}") from exc

    def _checked(
        self, check: Callable[[str | PurePosixPath], PurePosixPath], relative: str | PurePosixPath
    ) -> PurePosixPath:
        try:
            return check(relative)
        except BadName as exc:
            raise CollectionError(str(exc)) from None

    def _existing(self, relative: str | PurePosixPath) -> PurePosixPath:
        path = self._checked(lambda r: checked_relative(r, new=False), relative)
        if not self._full(path).exists():
            raise CollectionError(f"{path}: no such file or folder in the collection")
        return path

    def _move_to(self, old: PurePosixPath, new: PurePosixPath) -> PurePosixPath:
        if new == old:
            return old
        target = self._full(new)
        # A case-only rename on a case-insensitive disk finds the "target" is the file itself.
        if target.exists() and not _same_file(self._full(old), target):
            raise CollectionError(f"{new}: already exists")
        try:
            os.rename(self._full(old), target)
        except OSError as exc:
            raise CollectionError(f"{old}: cannot move to {new}: {exc.strerror or exc}") from exc
        return new


def find_collection(path: Path) -> tuple[Collection, PurePosixPath] | None:
    """The collection holding `path` (the nearest folder upwards with a collection.json) and the path
    inside it ("." for the collection folder itself); None when no folder above has one."""
    path = Path(path).absolute()
    for folder in (path, *path.parents) if path.is_dir() else path.parents:
        if (folder / COLLECTION_FILE).is_file():
            return Collection.open(folder), PurePosixPath(path.relative_to(folder).as_posix())
    return None


def write_new_collection(
    directory: Path,
    name: str,
    variables: Mapping[str, str],
    items: Sequence[tuple[str, RequestSpec]],
    *,
    profile: str | None = None,
) -> Collection:
    """A new collection holding `items` ("Folder/Sub/Request title", spec) in run order, written whole.

    File names keep the run order under natural sort (numbered when the titles alone would not); requests
    of one folder are kept together, in the order its first one came. Everything is written into a hidden
    sibling folder that is renamed into place at the end, so a failure leaves nothing half-written.
    """
    directory = Path(directory)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise CollectionError(f"{directory}: already exists and is not empty; choose a new or empty folder")
    clean = checked_variables(variables, directory / COLLECTION_FILE)
    directory.parent.mkdir(parents=True, exist_ok=True)
    # The staging folder of an earlier attempt that was killed before its rename.
    sweep_folder(directory.parent, recursive=False, prefix=f".{directory.name}.")
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", suffix=".tmp", dir=directory.parent))
    with _staging_removed_on_failure(staging, f"{directory}: cannot write the collection"):
        collection = Collection(staging, name.strip() or directory.name, clean, profile)
        collection._write_settings()
        for relative, spec in _planned_paths(items):
            collection.save_request(relative, spec)
        if directory.exists():
            directory.rmdir()  # empty (checked above); a rename cannot replace a folder on every system
        os.rename(staging, directory)
    collection.directory = directory
    return collection


def _planned_paths(items: Sequence[tuple[str, RequestSpec]]) -> list[tuple[PurePosixPath, RequestSpec]]:
    """Relative file paths for `items`, numbered per folder where needed to keep the run order."""
    # A tree of titles: each node is (title -> child node) for folders, plus the requests at that level.
    tree: dict[str, object] = {}
    for index, (title, _spec) in enumerate(items):
        parts = [p.strip() for p in title.split("/") if p.strip()] or ["Request"]
        node = tree
        for folder in parts[:-1]:
            child = node.setdefault("d:" + folder, {})
            assert isinstance(child, dict)
            node = child
        node[f"r:{index}"] = parts[-1]
    out: list[tuple[PurePosixPath, RequestSpec]] = []
    # One rule for the whole collection: when any folder needs numbers to keep its run order, every
    # entry of every folder is numbered, so the names read alike everywhere.
    _plan(tree, PurePosixPath(), items, out, numbered=_any_needs_numbers(tree))
    return out


def _level_names(node: dict[str, object]) -> tuple[list[str], list[str]]:
    keys = list(node)
    titles = [key[2:] if key.startswith("d:") else str(node[key]) for key in keys]
    suffixes = ["" if key.startswith("d:") else REQUEST_SUFFIX for key in keys]
    return titles, suffixes


def _any_needs_numbers(node: dict[str, object]) -> bool:
    titles, suffixes = _level_names(node)
    if needs_numbers([safe_name(t) + s for t, s in zip(titles, suffixes, strict=True)]):
        return True
    return any(isinstance(child, dict) and _any_needs_numbers(child) for child in node.values())


def _plan(
    node: dict[str, object],
    where: PurePosixPath,
    items: Sequence[tuple[str, RequestSpec]],
    out: list[tuple[PurePosixPath, RequestSpec]],
    *,
    numbered: bool,
) -> None:
    keys = list(node)
    titles, suffixes = _level_names(node)
    for key, name in zip(keys, ordered_names(titles, suffixes, numbered=numbered), strict=True):
        if key.startswith("d:"):
            child = node[key]
            assert isinstance(child, dict)
            _plan(child, where / name, items, out, numbered=numbered)
        else:
            out.append((where / name, items[int(key[2:])][1]))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False


__all__ = [
    "SCHEMA_VERSION",
    "Collection",
    "find_collection",
    "CollectionError",
    "CollectionItem",
    "safe_name",
    "write_new_collection",
]


@contextlib.contextmanager
def _staging_removed_on_failure(staging: Path, what: str) -> Iterator[None]:
    """Remove the hidden `staging` folder when the block fails, Ctrl+C too, so no half folder is left behind;
    an OSError is a CollectionError saying `what` failed and why."""
    try:
        yield
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError):
            raise CollectionError(f"{what}: {exc.strerror or exc}") from exc
        raise
