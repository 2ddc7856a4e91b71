"""The desktop window (PySide6 on a qasync event loop); the only package that imports Qt."""

from __future__ import annotations

import ctypes
import sys


def _immortalise_singletons() -> None:
    """WORKAROUND(PySide6 6.12 on Python 3.11): give None/True/False a huge reference count.

    PySide6 drops a reference to None (and sometimes to a bool) in several QVariant conversions, e.g.
    each `index.data()` on a Python model that returns None. In a long session the count reaches zero and
    the interpreter aborts ("none_dealloc" / "bool_dealloc"). Python 3.12 makes these objects immortal
    the same way (PEP 683), so this changes nothing else.
    """
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    for singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(singleton)).value += 1 << 40


_immortalise_singletons()
