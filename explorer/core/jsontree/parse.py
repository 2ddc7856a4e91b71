"""Turning response body bytes into a lazily navigable JSON document."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import simdjson

# Below this size json.loads is fast enough (about 13 ms per MB here) and lets us keep every number's
# exact source text; above it pysimdjson's lazy proxies keep the UI stall close to the parse floor.
EXACT_NUMBERS_LIMIT = 1 << 20

_BOM = b"\xef\xbb\xbf"


# Anything with the buffer protocol: bytes, bytearray, memoryview, mmap.
Buffer = Any


class ExactNumber(str):
    """A JSON number kept as its source text, so `1.50` and `1e3` are shown exactly as sent."""

    __slots__ = ()


class JsonParseError(ValueError):
    """The body is not valid JSON; `line`/`column` are 1-based when known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        where = f" (line {line}, column {column})" if line is not None else ""
        super().__init__(f"{message}{where}")
        self.message = message
        self.line = line
        self.column = column


@dataclass
class JsonDocument:
    """A parsed body: `root` is a dict/list/scalar or a pysimdjson Object/Array proxy."""

    root: Any
    size: int
    engine: str  # "json", "simdjson" or "iterative"
    exact_numbers: bool
    # The simdjson parser owns the memory behind every proxy; it must live as long as the document.
    keepalive: Any = field(default=None, repr=False)


def parse_document(data: Buffer) -> JsonDocument:
    """Parse a body (bytes, bytearray, memoryview or mmap); raises JsonParseError on invalid JSON."""
    with memoryview(data) as view:  # released at once: an mmap cannot be closed while a view exists
        size = view.nbytes
        has_bom = view[:3] == _BOM
    if has_bom:
        data = data[3:]  # a copy for bytes and mmap; bodies with a BOM are rare and small
    if size <= EXACT_NUMBERS_LIMIT:
        return _parse_exact(bytes(data), size)
    parser = simdjson.Parser()
    try:
        root = parser.parse(data)
    except (ValueError, RuntimeError) as exc:
        text = str(exc)
        if text.startswith(("DEPTH_ERROR", "NUMBER_ERROR", "BIGINT_ERROR")):
            # Nesting beyond simdjson's 1024 levels, or integers beyond 64 bits: correctness first.
            return _parse_exact(bytes(data), size)
        raise JsonParseError(_simdjson_message(text)) from None
    return JsonDocument(root=root, size=size, engine="simdjson", exact_numbers=False, keepalive=parser)


def _simdjson_message(text: str) -> str:
    code, _, detail = text.partition(":")
    return f"invalid JSON: {detail.strip() or code}"


def _parse_exact(data: bytes, size: int) -> JsonDocument:
    try:
        root = json.loads(data, parse_float=ExactNumber, parse_int=ExactNumber, parse_constant=ExactNumber)
    except RecursionError:
        return JsonDocument(root=parse_iterative(_decode(data)), size=size, engine="iterative",
                            exact_numbers=True)
    except json.JSONDecodeError as exc:
        raise JsonParseError(exc.msg, exc.lineno, exc.colno) from None
    except UnicodeDecodeError as exc:
        raise JsonParseError(f"body is not UTF-8 text ({exc.reason})") from None
    return JsonDocument(root=root, size=size, engine="json", exact_numbers=True)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise JsonParseError(f"body is not UTF-8 text ({exc.reason})") from None


_TOKEN = re.compile(
    r"""[ \t\r\n]*(?:
        ([\[\]{}:,])                                   # punctuation
      | ("(?:[^"\\\x00-\x1f]|\\.)*")                   # string
      | (-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)  # number
      | (true|false|null)                              # literal
    )""",
    re.VERBOSE | re.DOTALL,
)
_LITERALS = {"true": True, "false": False, "null": None}


def parse_iterative(text: str) -> Any:
    """Parse JSON with an explicit stack, so any nesting depth works; numbers stay ExactNumber."""
    holder: list[Any] = []
    # (container, key waiting for its value); the holder at the bottom receives the root value.
    stack: list[tuple[Any, Any]] = [(holder, None)]
    pos = 0
    expect = "value"  # value | value_or_close | key | key_or_close | colon | comma_or_close
    while len(stack) > 1 or not holder:
        match = _TOKEN.match(text, pos)
        if match is None:
            raise _error_at(text, pos, "unexpected character" if text[pos:].strip() else "unexpected end")
        punct, string, number, literal = match.groups()
        start = match.start(match.lastindex or 0)
        pos = match.end()
        if expect in ("value", "value_or_close"):
            if punct == "]" and expect == "value_or_close":
                _close(stack)
                expect = "comma_or_close"
            elif punct in ("[", "{"):
                stack.append(([] if punct == "[" else {}, None))
                expect = "value_or_close" if punct == "[" else "key_or_close"
            elif punct:
                raise _error_at(text, start, f"unexpected {punct!r}")
            else:
                _attach(stack, json.loads(string) if string else
                        ExactNumber(number) if number else _LITERALS[literal])
                expect = "comma_or_close"
        elif expect in ("key", "key_or_close"):
            if punct == "}" and expect == "key_or_close":
                _close(stack)
                expect = "comma_or_close"
            elif string:
                stack[-1] = (stack[-1][0], json.loads(string))
                expect = "colon"
            else:
                raise _error_at(text, start, "expected a property name in double quotes")
        elif expect == "colon":
            if punct != ":":
                raise _error_at(text, start, "expected ':'")
            expect = "value"
        else:  # comma_or_close
            container = stack[-1][0]
            if punct == ",":
                expect = "value" if isinstance(container, list) else "key"
            elif punct == ("]" if isinstance(container, list) else "}"):
                _close(stack)
            else:
                raise _error_at(text, start, "expected ',' or a closing bracket")
    rest = text[pos:]
    if rest.strip():
        raise _error_at(text, pos + len(rest) - len(rest.lstrip()), "extra data after the document")
    return holder[0]


def _close(stack: list[tuple[Any, Any]]) -> None:
    container, _ = stack.pop()
    _attach(stack, container)


def _attach(stack: list[tuple[Any, Any]], value: Any) -> None:
    container, key = stack[-1]
    if isinstance(container, list):
        container.append(value)
    else:
        container[key] = value


def _error_at(text: str, pos: int, message: str) -> JsonParseError:
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return JsonParseError(message, line, column)
