"""Record every exchange in the history from a writer thread: the sender only puts it on a queue."""

from __future__ import annotations

import contextlib
import io
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:  # the store (and sqlite3) is loaded by the writer thread, never by the sender
    from explorer.core.history.store import HistoryStore
    from explorer.core.lifecycle.send import Exchange
    from explorer.core.prepared import PreparedRequest

# The profile entries are recorded under: a name, or a function asked at each send (the window's current
# profile); None leaves it to the exchange's specification.
ProfileSource = str | Callable[[], str | None] | None

log = logging.getLogger(__name__)

# Retention runs after the store is opened and then every this many entries (a prune that finds nothing to
# drop is a few quick queries).
_PRUNE_EVERY = 64
# The most of a streamed body read on Windows before the store (and its body cap) is known: the default cap.
_FILE_BODY_READ = 5 * 2**20 + 4096


@dataclass
class _Pending:
    exchange: Exchange
    profile: str | None
    # A body the HTTP client streamed to a file: opened at once, since its owner may delete the file as
    # soon as the send returns; an open file stays readable after it is unlinked (POSIX).
    body_file: IO[bytes] | None = None


class HistoryRecorder:
    """A SendObserver that records each exchange in the history.

    `after_send` only queues the exchange (no SQL, no compression on the sender's thread); a daemon
    thread opens the store on the first one (`store_factory`, so start-up never touches the database),
    redacts, compresses and writes, and applies retention now and then. `on_recorded(entry_id)` is called
    from that thread after each write (the window hands it to its own thread). `profile` names the
    profile entries are recorded under, or is a function that names it at each send; when it is None or
    gives None, the exchange's specification names it.
    """

    def __init__(
        self,
        store_factory: Callable[[], HistoryStore],
        *,
        profile: ProfileSource = None,
        on_recorded: Callable[[int], None] | None = None,
    ) -> None:
        self.profile = profile
        self.on_recorded = on_recorded
        # Why the last write (or opening the store) failed, for a note; None while all is well.
        self.last_error: str | None = None
        self._factory = store_factory
        self._store: HistoryStore | None = None
        self._pending: list[_Pending] = []
        self._queued = 0
        self._done = 0
        self._since_prune = 0
        self._closing = False
        self._thread: threading.Thread | None = None
        self._changed = threading.Condition()

    # -- SendObserver --------------------------------------------------------------------------------------

    async def before_send(self, request: PreparedRequest) -> None:
        return None

    def after_send(self, exchange: Exchange) -> None:
        """Queue `exchange` for the writer thread and return at once."""
        if self._closing:
            return
        profile = self.profile() if callable(self.profile) else self.profile
        pending = _Pending(exchange, profile, _open_body(exchange))
        with self._changed:
            if self._closing:  # closed meanwhile
                if pending.body_file is not None:
                    pending.body_file.close()
                return
            self._pending.append(pending)
            self._queued += 1
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="history-writer", daemon=True)
                self._thread.start()
            self._changed.notify_all()

    # -- waiting and stopping ------------------------------------------------------------------------------

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until everything queued so far has been handled (written, or dropped after an error that
        `last_error` names); False when `timeout` seconds passed first."""
        with self._changed:
            target = self._queued
            return self._changed.wait_for(lambda: self._done >= target, timeout)

    def close(self, timeout: float | None = None) -> None:
        """Flush, stop the writer thread and close the store; later exchanges are not recorded."""
        self.flush(timeout)
        with self._changed:
            self._closing = True
            self._changed.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join(timeout)
        if self._store is not None and (thread is None or not thread.is_alive()):
            self._store.close()
            self._store = None

    # -- the writer thread ---------------------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: bool(self._pending) or self._closing)
                if not self._pending:
                    return
                batch, self._pending = self._pending, []
            try:
                self._write(batch)
            finally:
                with self._changed:
                    self._done += len(batch)
                    self._changed.notify_all()

    def _write(self, batch: list[_Pending]) -> None:
        try:
            store = self._open()
            items = [(_with_body(p, store.body_cap_bytes), p.profile) for p in batch]
            ids = store.record_many(items)
        except Exception as exc:  # a full disk or a damaged file loses these entries, never the app
            log.exception("history: %d request(s) not recorded", len(batch))
            self.last_error = str(exc)
            return
        finally:
            for pending in batch:
                if pending.body_file is not None:
                    pending.body_file.close()
        self.last_error = None
        self._since_prune += len(ids)
        if self._since_prune >= _PRUNE_EVERY:
            self._prune(store)
        for entry_id in ids:
            if self.on_recorded is not None:
                try:
                    self.on_recorded(entry_id)
                except Exception:
                    log.exception("history: the on_recorded callback failed")

    def _open(self) -> HistoryStore:
        if self._store is None:
            self._store = self._factory()
            self._prune(self._store)
        return self._store

    def _prune(self, store: HistoryStore) -> None:
        self._since_prune = 0
        try:
            store.prune()
        except Exception:
            log.exception("history: retention failed")


def _open_body(exchange: Exchange) -> IO[bytes] | None:
    path = exchange.result.body_path
    if path is None:
        return None
    try:
        if os.name == "nt":
            # Windows cannot delete an open file, so the start of the body is read now (a body only goes
            # to a file beyond the client's in-memory cap, hundreds of megabytes: this is rare).
            with path.open("rb") as handle:
                return io.BytesIO(handle.read(_FILE_BODY_READ))
        return path.open("rb")
    except OSError:
        return None


def _with_body(pending: _Pending, cap: int) -> Exchange:
    """The exchange with a streamed body's start read into memory (all history keeps of it)."""
    exchange = pending.exchange
    result = exchange.result
    if result.body_path is None:
        return exchange
    data = b""
    with contextlib.suppress(OSError):
        if pending.body_file is not None:
            data = pending.body_file.read(cap + 4096)
    return replace(exchange, result=replace(result, body=data, body_path=None))
