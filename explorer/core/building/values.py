"""Coerce and validate argument values (strings from the form or CLI, or typed Python values) per parameter.

Conventions, shared by the window, the CLI and the builder:

* `None` and `""` mean "not set"; so does an empty list for an array parameter.
* integers come from `12` or `"12"`; `"1.5"` and `"abc"` are rejected; catalog minimum/maximum are enforced.
* booleans from `True`/`False` or the (case-insensitive) words true/false, 1/0, yes/no, on/off.
* enums: the value must be one of the catalog's values; a `multi_enum` takes a list or a comma-joined string
  (`"new,spam"`), checks each member and becomes one comma-joined string.
* arrays: a list (or tuple); from text, either a JSON array (`[1, 2]`) or comma-separated items (`a,b`),
  whitespace around items trimmed.  To send one item that itself contains a comma, pass a list.
* objects: a dict, or JSON text (errors name the line and column).
* dates: format `date-time` takes ISO 8601 (`2024-05-01T10:00:00Z`), `date` takes `YYYY-MM-DD`,
  `disqus-datetime` must be exactly `YYYY-MM-DDTHH:MM` (UTC); `datetime` objects are formatted accordingly.
* files: a `FilePart`, a `(filename, bytes)` pair, or a path to a readable file.
"""

from __future__ import annotations

import json
import math
import mimetypes
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from explorer.core import jsonfile
from explorer.core.catalog.model import Param
from explorer.core.prepared import FilePart

DISQUS_DATETIME = "%Y-%m-%dT%H:%M"
_DISQUS_DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$")
_INT_RE = re.compile(r"^[+-]?\d+$")
_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off"})
# Deeper JSON than this is no API argument, and encoding it again later could exhaust the stack.
MAX_JSON_DEPTH = 200
# Python refuses to convert longer digit strings (sys.get_int_max_str_digits()); no API takes such a number.
MAX_INT_DIGITS = 4_300


class ValueProblem(ValueError):
    """A value that cannot be used for a parameter; the text is the user-facing message."""


def is_unset(value: Any) -> bool:
    """True for values the builder leaves out: None, "", and empty lists."""
    if value is None:
        return True
    if isinstance(value, str):
        return value == ""
    return isinstance(value, list | tuple) and len(value) == 0


def is_array(param: Param) -> bool:
    """Array parameters, including Rails-style names that already end in `[]`."""
    return param.array or param.name.endswith("[]")


def validate_value(param: Param, value: Any) -> str | None:
    """The error message for `value`, or None when it is acceptable (unset counts as fine unless required)."""
    if is_unset(value):
        return "required" if param.required else None
    try:
        coerce_value(param, value)
    except ValueProblem as exc:
        return str(exc)
    return None


def coerce_value(param: Param, value: Any) -> Any:
    """The typed value for `param` (None when unset); raises ValueProblem with a readable message."""
    if is_unset(value):
        return None
    if param.multi_enum:
        return _multi_enum(param, value)
    if is_array(param):
        items = _as_list(param, value)
        return [_scalar(param, item, f"item {i + 1}: ") for i, item in enumerate(items)]
    return _scalar(param, value, "")


def _multi_enum(param: Param, value: Any) -> str:
    if isinstance(value, str):
        members = [v.strip() for v in value.split(",")]
    elif isinstance(value, list | tuple | set | frozenset):
        members = [str(v).strip() for v in value]
    else:
        raise ValueProblem(f"expected a comma-separated list of {_choices(param)}")
    members = [m for m in members if m]
    if not members:
        return ""
    allowed = param.enum or ()
    bad = [m for m in members if m not in allowed]
    if bad:
        raise ValueProblem(f"{', '.join(repr(b) for b in bad)} not allowed; choose from {_choices(param)}")
    # Repeating a member adds nothing (the server combines them with AND), so keep the first occurrence only.
    return ",".join(dict.fromkeys(members))


def _as_list(param: Param, value: Any) -> list[Any]:
    if isinstance(value, list | tuple):
        return list(value)
    if isinstance(value, str) and param.is_upload:
        return [value]  # a file path may itself contain commas
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            parsed = _parse_json(text)
            if not isinstance(parsed, list):
                raise ValueProblem("expected a JSON array")
            return parsed
        if param.type == "object":
            # A single JSON object given for an array of objects.
            return [value]
        return [part.strip() for part in text.split(",") if part.strip()]
    return [value]


def _scalar(param: Param, value: Any, prefix: str) -> Any:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= _INT_LIMIT:
        # A Python int given directly (not typed text): str() of it would raise past the digit limit.
        digits = int(value.bit_length() * 0.30103) + 1
        raise ValueProblem(f"{prefix}a whole number of about {digits:,} digits is too long "
                           f"(at most {MAX_INT_DIGITS:,} digits)")  # fmt: skip
    try:
        convert = _file if param.is_upload else _CONVERTERS[param.type]
        out = convert(param, value)
    except ValueProblem as exc:
        raise ValueProblem(prefix + str(exc)) from None
    if param.enum is not None and not param.is_upload and _enum_text(out) not in param.enum:
        raise ValueProblem(f"{prefix}{_enum_text(out)!r} is not allowed; choose from {_choices(param)}")
    return out


# The smallest integer with more digits than Python converts to text.
_INT_LIMIT = 10**MAX_INT_DIGITS


def _enum_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _choices(param: Param) -> str:
    return ", ".join(param.enum or ())


def _string(param: Param, value: Any) -> str:
    if isinstance(value, datetime | date):
        return _format_date(param, value)
    if isinstance(value, dict | list | tuple | bytes):
        raise ValueProblem(f"expected text, got {type(value).__name__}")
    text = value if isinstance(value, str) else _enum_text(value)
    if param.format == "disqus-datetime":
        _check_disqus_datetime(text)
    elif param.format == "date-time":
        _check_iso_datetime(text)
    elif param.format == "date":
        _check_iso_date(text)
    return text


def _format_date(param: Param, value: date) -> str:
    if param.format == "disqus-datetime":
        if isinstance(value, datetime) and value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.strftime(DISQUS_DATETIME)
    if param.format == "date" and isinstance(value, datetime):
        return value.date().isoformat()
    return value.isoformat()


def _check_disqus_datetime(text: str) -> None:
    expected = "expected YYYY-MM-DDTHH:MM in UTC (for example 2009-03-30T15:41)"
    if not _DISQUS_DATETIME_RE.match(text):
        raise ValueProblem(f"{expected}, got {text!r}")
    try:
        datetime.strptime(text, DISQUS_DATETIME)
    except ValueError:
        raise ValueProblem(f"{text!r} is not a real date and time; {expected}") from None


def _check_iso_datetime(text: str) -> None:
    try:
        datetime.fromisoformat(text)
    except ValueError:
        raise ValueProblem(
            f"expected an ISO 8601 date and time (for example 2024-05-01T10:00:00Z), got {text!r}"
        ) from None


def _check_iso_date(text: str) -> None:
    try:
        date.fromisoformat(text)
    except ValueError:
        raise ValueProblem(f"expected a date as YYYY-MM-DD, got {text!r}") from None


def _integer(param: Param, value: Any) -> int:
    if isinstance(value, bool):
        raise ValueProblem("expected a whole number, got a boolean")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and _INT_RE.match(value.strip()):
        number = _parse_int(value.strip())
    else:
        raise ValueProblem(f"expected a whole number, got {_shown(value)}")
    _check_range(param, number)
    return number


def _number(param: Param, value: Any) -> int | float:
    if isinstance(value, bool):
        raise ValueProblem("expected a number, got a boolean")
    if isinstance(value, int | float):
        number: int | float = value
    elif isinstance(value, str):
        text = value.strip()
        try:
            number = _parse_int(text) if _INT_RE.match(text) else float(text)
        except ValueProblem:
            raise  # too many digits: that message says more than "expected a number"
        except ValueError:
            raise ValueProblem(f"expected a number, got {_shown(value)}") from None
    else:
        raise ValueProblem(f"expected a number, got {_shown(value)}")
    if isinstance(number, float) and not math.isfinite(number):
        raise ValueProblem(f"expected a finite number, got {_shown(value)}")
    _check_range(param, number)
    return number


def _parse_int(text: str) -> int:
    """int(text) for text of digits; ValueProblem instead of Python's ValueError past 4,300 digits."""
    digits = len(text.lstrip("+-"))
    if digits > MAX_INT_DIGITS:
        raise ValueProblem(
            f"a whole number of {digits:,} digits is too long (at most {MAX_INT_DIGITS:,} digits)"
        )
    return int(text)


def _shown(value: Any) -> str:
    """repr(value) for a message, cut short: a megabyte of digits helps nobody in an error line."""
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:40]}… ({len(text):,} characters)"


def _check_range(param: Param, number: float) -> None:
    if param.minimum is not None and number < param.minimum:
        raise ValueProblem(f"must be at least {_plain(param.minimum)}, got {_plain(number)}")
    if param.maximum is not None and number > param.maximum:
        raise ValueProblem(f"must be at most {_plain(param.maximum)}, got {_plain(number)}")


def _plain(number: float) -> str:
    if isinstance(number, int):
        # float() of a 400-digit integer overflows, and the digits themselves say nothing in a message.
        text = str(number)
        return text if len(text) <= 30 else f"a number of {len(text.lstrip('-')):,} digits"
    return str(int(number)) if number.is_integer() else str(number)


def _boolean(param: Param, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise ValueProblem(f"expected true or false (also 1/0, yes/no), got {value!r}")


def _object(param: Param, value: Any) -> Any:
    if isinstance(value, dict):
        return value
    if isinstance(value, str):
        parsed = _parse_json(value)
        if not isinstance(parsed, dict):
            raise ValueProblem("expected a JSON object ({...})")
        return parsed
    raise ValueProblem(f"expected an object (JSON text or a dict), got {type(value).__name__}")


def _parse_json(text: str) -> Any:
    try:
        parsed = jsonfile.loads(text)  # nesting past the stack and huge integers are decode errors too
    except json.JSONDecodeError as exc:
        raise ValueProblem(f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    if _deeper_than(parsed, MAX_JSON_DEPTH):
        raise ValueProblem(f"the JSON is nested too deeply (more than {MAX_JSON_DEPTH} levels)")
    return parsed


def _deeper_than(data: Any, limit: int) -> bool:
    """Whether lists and objects in `data` nest more than `limit` levels (iterative: no recursion)."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth >= limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False


def _file(param: Param, value: Any) -> FilePart:
    if isinstance(value, FilePart):
        return FilePart(param.name, value.filename, value.data, value.content_type, value.path)
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], bytes | bytearray):
        filename = str(value[0])
        return FilePart(param.name, filename, bytes(value[1]), _guess_type(filename))
    if isinstance(value, str) and not value.strip():
        raise ValueProblem("no file chosen")
    if isinstance(value, str | Path):
        path = Path(value).expanduser()
        if not path.is_file():
            raise ValueProblem(f"no such file: {str(value)!r}")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ValueProblem(f"cannot read {str(value)!r}: {exc.strerror or exc}") from None
        return FilePart(param.name, path.name, data, _guess_type(path.name), str(path.absolute()))
    raise ValueProblem("expected a file path or a (filename, bytes) pair")


def _guess_type(filename: str) -> str:
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


_CONVERTERS = {
    "string": _string,
    "integer": _integer,
    "number": _number,
    "boolean": _boolean,
    "object": _object,
    "file": _file,
}
