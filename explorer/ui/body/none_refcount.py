"""Work-around: PySide6 6.12 void methods return None without a reference on CPython 3.11 (crash guard)."""

from __future__ import annotations

import ctypes
import platform
import sys

# Every call of a void Qt method (setText, setFormat, resize, ...) from Python 3.11 drops one reference
# to None; after a few thousand calls CPython aborts with "none_dealloc". From 3.12 on None is immortal
# and the bug is harmless, so there we do nothing. Here we give None an effectively endless count.
_HEADROOM = 1 << 40


def keep_none_alive() -> bool:
    """Make None practically immortal on CPython < 3.12; True when the count was raised. Idempotent."""
    if sys.version_info >= (3, 12) or platform.python_implementation() != "CPython":
        return False
    refcount = ctypes.c_ssize_t.from_address(id(None))  # ob_refcnt is the first field of every object
    if refcount.value < _HEADROOM // 2:
        refcount.value += _HEADROOM
    return True
