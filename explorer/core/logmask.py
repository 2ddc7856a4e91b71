"""Log records with secrets masked: keys sent this session, and anything that looks like a key."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

from explorer.core.http.masking import mask_text, scrub

# Keys of requests sent by this process (most recent last), so a traceback quoting one is masked even when
# it does not look like a key (a password-like user key). Bounded: a long session must not grow it forever.
_MAX_REMEMBERED = 512
_remembered: dict[str, None] = {}
_lock = threading.Lock()


def remember_secrets(secrets: Iterable[str]) -> None:
    """Add keys to those every masked log record hides (called for each request sent)."""
    with _lock:
        for secret in secrets:
            if secret:
                _remembered.pop(secret, None)
                _remembered[secret] = None
        while len(_remembered) > _MAX_REMEMBERED:
            _remembered.pop(next(iter(_remembered)))


def remembered_secrets() -> list[str]:
    with _lock:
        return sorted(_remembered, key=len, reverse=True)


def mask_log_text(text: str) -> str:
    """`text` with remembered keys, key-like tokens, secret query pairs and credential headers masked."""
    return mask_text(scrub(text, remembered_secrets()))


class MaskingFormatter(logging.Formatter):
    """A Formatter whose output (message, traceback and all) never holds a key: for the log file that crash
    reports point to."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_log_text(super().format(record))
