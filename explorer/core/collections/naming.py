"""File and folder names in a collection: natural order, names safe on every OS, numbered to keep an order."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import PurePosixPath

REQUEST_SUFFIX = ".json"
COLLECTION_FILE = "collection.json"
# Longest name we make from a title; file systems allow 255 bytes and a prefix and suffix are added.
MAX_NAME_CHARS = 80
# Characters Windows refuses in names (and '/' everywhere); a collection in git is opened on any OS.
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_WINDOWS_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}
_DIGITS = re.compile(r"(\d+)")


class BadName(ValueError):
    """A name a collection cannot use; the message says why."""


def natural_key(name: str) -> tuple[str | int, ...]:
    """Sort key that puts "2 Reply" before "10 Read" (digits compared as numbers, letters without case)."""
    parts = _DIGITS.split(name.casefold())
    return tuple(int(part) if index % 2 else part for index, part in enumerate(parts))


def name_problem(name: str) -> str | None:
    """Why `name` cannot be a file or folder name in a collection, or None."""
    if not name.strip():
        return "the name is empty"
    if name != name.strip() or name.endswith("."):
        return f"{name!r} starts or ends with a space, or ends with a dot"
    if name.startswith("."):
        return f"{name!r} starts with a dot (such files are hidden and skipped)"
    bad = _UNSAFE.search(name)
    if bad is not None:
        return f"{name!r} holds {bad.group(0)!r}, which file names cannot hold on every system"
    if name.split(".")[0].casefold() in _WINDOWS_RESERVED:
        return f"{name!r} is a reserved name on Windows"
    return None


def checked_relative(relative: str | PurePosixPath, *, new: bool = True) -> PurePosixPath:
    """`relative` as a path inside a collection; BadName for an absolute path or '..', and, for a `new`
    name (one we are about to create), a name that is not safe on every system."""
    path = PurePosixPath(relative)
    if path.is_absolute() or not path.parts:
        raise BadName(f"{str(relative)!r} is not a path inside the collection")
    for part in path.parts:
        if part == "..":
            raise BadName(f"{str(relative)!r} leads outside the collection")
        problem = name_problem(part) if new else None
        if problem is not None:
            raise BadName(problem)
    return path


def request_path(relative: str | PurePosixPath, *, new: bool = True) -> PurePosixPath:
    """A request's relative path with its .json suffix (added when missing)."""
    path = checked_relative(relative, new=new)
    if path.suffix.lower() != REQUEST_SUFFIX:
        path = path.with_name(path.name + REQUEST_SUFFIX)
    if path == PurePosixPath(COLLECTION_FILE):
        raise BadName(f"{COLLECTION_FILE} is the collection's own file; choose another name")
    return path


def safe_name(title: str, fallback: str = "Request") -> str:
    """A file or folder name made from a free title: unsafe characters replaced, length capped."""
    text = " ".join(_UNSAFE.sub("-", title).split()).strip(" .")[:MAX_NAME_CHARS].strip(" .")
    if not text or name_problem(text) is not None:
        text = fallback
    return text


def ordered_names(
    titles: Sequence[str], suffixes: Sequence[str], *, numbered: bool | None = None
) -> list[str]:
    """Distinct safe names (each with its suffix: ".json" or "" for a folder) in the order of `titles`.

    The titles themselves when natural sort already keeps that order; otherwise each gets a number
    ("01 Create topic.json"). `numbered` True numbers them in any case, False never (the caller knows
    the names are distinct and in order), None decides from these titles alone.
    """
    names = [safe_name(title) + suffix for title, suffix in zip(titles, suffixes, strict=True)]
    if numbered is None:
        numbered = needs_numbers(names)
    if not numbered:
        return names
    width = max(2, len(str(len(names))))
    return [f"{index:0{width}d} {name}" for index, name in enumerate(names, start=1)]


def needs_numbers(names: Sequence[str]) -> bool:
    """True when `names` are not distinct (case aside) or natural sort would not keep their order."""
    distinct = len({n.casefold() for n in names}) == len(names)
    return not distinct or sorted(names, key=natural_key) != list(names)
