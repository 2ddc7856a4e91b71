"""Open the history whatever state its file is in: a damaged one is set aside, never deleted."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from explorer.core.history.schema import HistoryError
from explorer.core.history.store import HistoryStore
from explorer.core.paths import set_aside_file

log = logging.getLogger(__name__)

# SQLite's companions of a WAL database: they belong to the damaged file and go aside with it.
_COMPANIONS = ("-wal", "-shm")


def open_history(
    path: Path,
    *,
    body_cap_bytes: int = 5 * 2**20,
    budget_bytes: int = 500 * 2**20,
    keep_days: int | None = None,
    keep_entries: int | None = None,
) -> tuple[HistoryStore, str | None]:
    """The store at `path`, and a notice for the user when it had to start afresh (else None).

    A file that cannot be read as a history (damaged, not a database, from a newer version of the app) is
    renamed to `<name>.broken-<timestamp>`, with its -wal and -shm files, and a new history is started in
    its place. When even that fails (a read-only folder), the history of this session is kept in a
    temporary folder, and the notice says so. Never raises for the file's state.
    """

    def make(where: Path) -> HistoryStore:
        return HistoryStore(
            where,
            body_cap_bytes=body_cap_bytes,
            budget_bytes=budget_bytes,
            keep_days=keep_days,
            keep_entries=keep_entries,
        )

    path = Path(path)
    try:
        return make(path), None
    except HistoryError as exc:
        problem = str(exc)
    log.warning("history: %s", problem)
    try:
        aside = set_aside_file(path)
        for suffix in _COMPANIONS:
            companion = path.with_name(path.name + suffix)
            if companion.exists():
                companion.rename(aside.with_name(path.name + suffix + aside.name[len(path.name) :]))
        store = make(path)
    except (OSError, HistoryError) as exc:
        log.warning("history: cannot start a new history at %s: %s", path, exc)
        temporary = Path(tempfile.mkdtemp(prefix="explorer-history-")) / path.name
        return make(temporary), (
            f"The request history at {path} cannot be used ({problem}); requests of this session are kept "
            f"in {temporary} instead."
        )
    return store, (
        f"The request history could not be read ({problem}). It was kept as {aside.name} next to the new "
        "history, which starts empty."
    )
