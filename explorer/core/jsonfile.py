"""Parse the app's own JSON files (settings, profiles, secrets, drafts, custom methods) without crashing.

json.loads raises more than JSONDecodeError on hostile or damaged text: RecursionError for nesting
thousands deep, and ValueError for an integer above Python's 4,300-digit conversion limit. Either
escaped the callers' `except json.JSONDecodeError` and stopped the app at start. Here both become a
JSONDecodeError (DamagedJsonError), so every file reader treats them like any other damaged file.
"""

from __future__ import annotations

import json
import re
from typing import Any

# Where the nesting is reported: deeper than this is far past anything the app writes.
_REPORTED_DEPTH = 1000
_LONG_INTEGER = re.compile(r"-?\d{4301,}")


class DamagedJsonError(json.JSONDecodeError):
    """Text json.loads could not turn into data for a reason other than a syntax error."""


def _too_deep_at(text: str) -> int:
    """The offset where brackets (outside strings) first nest deeper than _REPORTED_DEPTH, else 0."""
    depth, in_string, escaped = 0, False, False
    for index, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > _REPORTED_DEPTH:
                return index
        elif char in "]}":
            depth -= 1
    return 0


def loads(text: str) -> Any:
    """json.loads(text); any failure to parse is a json.JSONDecodeError with a line and column."""
    try:
        return json.loads(text)
    except RecursionError:
        raise DamagedJsonError("nested too deeply to read", text, _too_deep_at(text)) from None
    except json.JSONDecodeError:
        raise
    except (
        ValueError
    ) as exc:  # int() refusing more than 4,300 digits (sys.int_info.str_digits_check_threshold)
        match = _LONG_INTEGER.search(text)
        raise DamagedJsonError(
            "a number with more than 4,300 digits", text, match.start() if match else 0
        ) from exc
