"""Files an earlier run left behind: streamed response bodies and half-written temporary copies.

A response above the in-memory cap is streamed to `explorer-body-*.bin` in the cache directory and a
save writes `.<name>.<random>.tmp` beside the file it replaces (atomic_write_bytes). Both are removed
by the run that made them; a crash or a SIGKILL leaves them, and a temporary copy of secrets.json holds
every key. The sweep removes only files of these two naming patterns that are older than the current
process, so a file another part of this run is still writing is never touched; a body file named after
a process that is still running (another window showing it) stays too, and a temporary copy must also
be a minute old, so another window's save in progress is not cut short. A collection folder, which may
be anywhere, is swept the same way when it is opened (sweep_folder), half-copied folders included.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import time
from collections.abc import Iterable
from pathlib import Path

from explorer.core.http.sink import BODY_FILE_PREFIX, BODY_FILE_SUFFIX
from explorer.core.paths import AppPaths

log = logging.getLogger(__name__)

# tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp") adds 8 characters from this alphabet.
_TEMP_COPY = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")
# explorer-body-<pid>-<random>.bin since the process id was added to the name; older names have none.
_BODY_PID = re.compile(re.escape(BODY_FILE_PREFIX) + r"(\d+)-")
# A save writes its temporary copy in milliseconds; one this old was abandoned.
_TEMP_COPY_AGE_S = 60.0


def _process_started_at() -> float:
    """When this process started (wall clock), so a file made by this run is newer and kept."""
    try:
        return time.time() - time.clock_gettime(time.CLOCK_BOOTTIME) + _boot_relative_start()
    except (AttributeError, OSError, ValueError):
        return _IMPORTED_AT


def _boot_relative_start() -> float:
    # Linux: field 22 of /proc/self/stat is the start time in clock ticks after boot. Elsewhere the
    # file does not exist and the import time of this module (early in start-up) is used instead.
    with open("/proc/self/stat", encoding="ascii") as handle:
        fields = handle.read().rpartition(")")[2].split()
    return int(fields[19]) / os.sysconf("SC_CLK_TCK")


_IMPORTED_AT = time.time()


def _is_body_name(name: str) -> bool:
    return name.startswith(BODY_FILE_PREFIX) and name.endswith(BODY_FILE_SUFFIX)


def is_leftover_name(name: str) -> bool:
    """Whether `name` follows one of the app's own temporary naming patterns."""
    return _is_body_name(name) or bool(_TEMP_COPY.match(name))


def _running(pid: int) -> bool:
    """Whether a process with this id exists, so its body files may still be on show."""
    if pid == os.getpid():
        return False  # this process keeps no body file of an earlier run: the name is a reused id
    if os.name == "nt":
        return False  # Windows refuses to delete a file another process has open or mapped anyway
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it exists, owned by someone else
        return True
    return True


def _in_use(name: str) -> bool:
    match = _BODY_PID.match(name)
    return match is not None and _running(int(match.group(1)))


def _candidates(paths: AppPaths) -> Iterable[Path]:
    for folder, bodies in ((paths.cache, True), (paths.config, False), (paths.data, False)):
        try:
            entries = list(os.scandir(folder))
        except OSError:  # missing or unreadable: nothing of ours to remove there
            continue
        for entry in entries:
            name = entry.name
            ours = _is_body_name(name) and not _in_use(name) if bodies else _TEMP_COPY.match(name)
            if ours:
                yield Path(entry.path)


def sweep_leftovers(paths: AppPaths, older_than: float | None = None) -> list[Path]:
    """Delete leftover body files (cache) and temporary copies (config, data); return those deleted.

    `older_than` is a wall-clock time (default: when this process started); newer files are kept.
    Never raises: a file that cannot be removed stays, and the next start tries again.
    """
    limit = _process_started_at() if older_than is None else older_than
    copy_limit = min(limit, time.time() - _TEMP_COPY_AGE_S)
    removed: list[Path] = []
    for path in _candidates(paths):
        try:
            info = path.lstat()
            newest = limit if path.name.endswith(BODY_FILE_SUFFIX) else copy_limit
            if not os.path.isfile(path) or os.path.islink(path) or info.st_mtime >= newest:
                continue
            path.unlink()
        except OSError as exc:
            log.info("leftover %s not removed: %s", path, exc)
            continue
        removed.append(path)
    return removed


def sweep_folder(directory: Path, *, recursive: bool = True, prefix: str = ".") -> list[Path]:
    """Delete temporary copies and half-copied staging folders a killed save left in `directory` (a
    collection, which may live anywhere, so the start-up sweep never sees it); return those deleted.

    Only names of the temporary pattern that start with `prefix` and are a minute old are touched (another
    window's save in progress is not cut short); hidden folders of anyone else (.git) are not entered.
    Never raises.
    """
    limit = time.time() - _TEMP_COPY_AGE_S
    removed: list[Path] = []
    try:
        found = list(os.scandir(directory))
    except OSError:
        return removed
    for entry in found:
        try:
            ours = _TEMP_COPY.match(entry.name) is not None and entry.name.startswith(prefix)
            if ours and not entry.is_symlink() and entry.stat(follow_symlinks=False).st_mtime < limit:
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path)
                else:
                    os.unlink(entry.path)
                removed.append(Path(entry.path))
            elif recursive and not entry.name.startswith(".") and entry.is_dir(follow_symlinks=False):
                removed += sweep_folder(Path(entry.path), prefix=prefix)
        except OSError as exc:
            log.info("leftover %s not removed: %s", entry.path, exc)
    return removed
