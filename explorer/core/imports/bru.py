"""The Bruno `.bru` text format: `name { … }` blocks of `key: value` lines or of indented text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from explorer.core.imports.model import ImportFailure

# Blocks whose content is free text (JSON, scripts, docs) rather than `key: value` lines.
_TEXT_PREFIXES = (
    "body:json",
    "body:text",
    "body:xml",
    "body:graphql",
    "body:sparql",
    "script:",
    "docs",
    "tests",
)
_TEXT_NAMES = frozenset({"body"})


@dataclass(frozen=True, slots=True)
class Row:
    """One `key: value` line; a leading `~` switches it off."""

    key: str
    value: str
    enabled: bool = True
    line: int = 0


@dataclass
class BruFile:
    """The blocks of one .bru file by name: rows for dictionary and list blocks, text for text blocks."""

    rows: dict[str, list[Row]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)

    def value(self, block: str, key: str, default: str = "") -> str:
        return next((r.value for r in self.rows.get(block, []) if r.key == key and r.enabled), default)


def is_text_block(name: str) -> bool:
    if name == "body:graphql:vars":
        return True
    return name in _TEXT_NAMES or name.startswith(_TEXT_PREFIXES)


def parse_bru(text: str, where: str) -> BruFile:
    """Parse .bru text; ImportFailure names `where` and the line of a syntax error."""
    lines = text.replace("\r\n", "\n").split("\n")
    parsed = BruFile()
    index = 0
    while index < len(lines):
        line = lines[index].rstrip()
        number = index + 1
        index += 1
        if not line.strip():
            continue
        header = line.strip()
        if header.endswith("["):
            name = header[:-1].strip()
            index = _list_block(lines, index, name, number, where, parsed)
        elif header.endswith("{"):
            name = header[:-1].strip()
            if not name or " " in name:
                raise ImportFailure(f"{where}: line {number}: {line.strip()!r} is not a block name")
            if is_text_block(name):
                index = _text_block(lines, index, name, number, where, parsed)
            else:
                index = _dict_block(lines, index, name, number, where, parsed)
        else:
            raise ImportFailure(
                f"{where}: line {number}: expected a block such as `meta {{`, found {line.strip()!r}"
            )
    return parsed


def _text_block(lines: list[str], index: int, name: str, start: int, where: str, parsed: BruFile) -> int:
    body: list[str] = []
    while index < len(lines):
        line = lines[index]
        index += 1
        if line.rstrip() == "}":
            parsed.texts[name] = "\n".join(body).strip("\n")
            return index
        # Content is indented by two spaces; blank lines inside JSON or scripts are kept.
        body.append(line[2:] if line.startswith("  ") else line.lstrip())
    raise _never_closed(where, start, name, "}")


def _dict_block(lines: list[str], index: int, name: str, start: int, where: str, parsed: BruFile) -> int:
    def read(line: str, number: int) -> list[Row]:
        if not line:
            return []
        enabled = not line.startswith("~")
        line = line.lstrip("~")
        key, colon, value = line.partition(":")
        if not colon or not key.strip():
            raise ImportFailure(f"{where}: line {number}: expected `name: value` in {name!r}, found {line!r}")
        return [Row(_unquote(key.strip()), value.strip(), enabled, number)]

    return _row_block(lines, index, name, start, where, parsed, "}", read)


def _list_block(lines: list[str], index: int, name: str, start: int, where: str, parsed: BruFile) -> int:
    def read(line: str, number: int) -> list[Row]:
        parts = [part.strip() for part in line.split(",") if part.strip()]
        return [Row(part.lstrip("~"), "", not part.startswith("~"), number) for part in parts]

    return _row_block(lines, index, name, start, where, parsed, "]", read)


def _row_block(
    lines: list[str],
    index: int,
    name: str,
    start: int,
    where: str,
    parsed: BruFile,
    closer: str,
    read: Callable[[str, int], list[Row]],
) -> int:
    """The rows of a block up to its `closer` line; `read(line, number)` makes one line's rows."""
    rows: list[Row] = []
    while index < len(lines):
        line = lines[index].strip()
        number = index + 1
        index += 1
        if line == closer:
            parsed.rows[name] = rows
            return index
        rows += read(line, number)
    raise _never_closed(where, start, name, closer)


def _never_closed(where: str, start: int, name: str, closer: str) -> ImportFailure:
    what = "block" if closer == "}" else "list"
    return ImportFailure(f"{where}: line {start}: the {what} {name!r} is never closed with `{closer}`")


def _unquote(key: str) -> str:
    if len(key) >= 2 and key[0] == key[-1] and key[0] in "'\"":
        return key[1:-1]
    return key
