"""Log records with secrets masked: keys sent this session, and anything that looks like a key."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

# Bounded: a long session must not make the memory, or the cost of masking one record, grow forever.
_MAX_REMEMBERED = 512


class SecretMemory:
    """The keys of the requests an executor sent (most recent last), so that a crash report quoting one is
    masked even when it does not look like a key (a password-like user key).

    One is made by the window and handed to both its executor (which remembers) and its log formatter
    (which masks); it is shared between threads, hence the lock.
    """

    def __init__(self, limit: int = _MAX_REMEMBERED) -> None:
        self.limit = limit
        self._keys: dict[str, None] = {}
        self._lock = threading.Lock()

    def remember(self, secrets: Iterable[str]) -> None:
        """Add keys to those every masked text hides (the executor calls it for each request sent)."""
        with self._lock:
            for secret in secrets:
                if secret:
                    self._keys.pop(secret, None)
                    self._keys[secret] = None
            while len(self._keys) > self.limit:
                self._keys.pop(next(iter(self._keys)))

    def secrets(self) -> list[str]:
        with self._lock:
            return sorted(self._keys, key=len, reverse=True)

    def mask(self, text: str) -> str:
        """`text` with remembered keys, key-like tokens, secret query pairs and credential headers masked."""
        # Imported here: the window sets its log file up before its first paint, which must not wait for it.
        from explorer.core.http.masking import mask_text, scrub

        return mask_text(scrub(text, self.secrets()))


class MaskingFormatter(logging.Formatter):
    """A Formatter whose output (message, traceback and all) never holds a key: for the log file that crash
    reports point to. Without a memory it still masks everything that looks like a key."""

    def __init__(self, fmt: str, memory: SecretMemory | None = None) -> None:
        super().__init__(fmt)
        self.memory = memory if memory is not None else SecretMemory()

    def format(self, record: logging.LogRecord) -> str:
        return self.memory.mask(super().format(record))
