"""Values written as Python, Ruby or JavaScript source, with secrets read from environment variables."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from explorer.core.codegen.secrets import EnvVar, Sealed

INDENT = "    "
WIDTH = 100  # a value longer than this on one line is spread over several


@dataclass(frozen=True)
class Syntax:
    """How one language writes literals and reads an environment variable."""

    string: Callable[[str], str]
    env: Callable[[str], str]
    true: str
    false: str
    null: str
    pair: str  # between a key and its value: ": " or " => "
    indent: str = INDENT
    pair_brackets: str = "[]"  # around a (name, value) pair


def _json_string(text: str) -> str:
    """A double-quoted string with JSON's escapes, which Python and JavaScript read alike."""
    return json.dumps(text, ensure_ascii=False)


PYTHON = Syntax(
    string=_json_string,
    env=lambda name: f'os.environ["{name}"]',
    true="True",
    false="False",
    null="None",
    pair=": ",
    pair_brackets="()",
)
# "#{", "#@" and "#$" interpolate inside Ruby's double quotes: every # is escaped, which Ruby reads as #.
RUBY = Syntax(
    string=lambda s: _json_string(s).replace("#", "\\#"),
    env=lambda name: f'ENV.fetch("{name}")',
    true="true",
    false="false",
    null="nil",
    pair=" => ",
    indent="  ",
)
JAVASCRIPT = Syntax(
    string=_json_string,
    env=lambda name: f"process.env.{name}",
    true="true",
    false="false",
    null="null",
    pair=": ",
    indent="  ",
)


class Writer:
    """Writes values of a sealed request in one language; a marked secret becomes the variable's read."""

    def __init__(self, syntax: Syntax, sealed: Sealed) -> None:
        self.syntax = syntax
        self.sealed = sealed

    def text(self, value: str) -> str:
        """A string; a secret in it is joined in with + (Python, Ruby and JavaScript all concatenate so)."""
        pieces = self.sealed.parts(value)
        if not pieces:
            return self.syntax.string("")
        return " + ".join(
            self.syntax.env(p.name) if isinstance(p, EnvVar) else self.syntax.string(p) for p in pieces
        )

    def value(self, value: Any, level: int = 0) -> str:
        """Any JSON value (str, number, bool, None, list, dict), spread over lines when long."""
        inline = self._inline(value)
        if self._fits(inline, level) or not isinstance(value, dict | list):
            return inline
        if isinstance(value, dict):
            items = [
                f"{self.text(str(k))}{self.syntax.pair}{self.value(v, level + 1)}" for k, v in value.items()
            ]
            opening, closing = "{", "}"
        else:
            items = [self.value(v, level + 1) for v in value]
            opening, closing = "[", "]"
        return self._spread(opening, items, closing, level)

    def pairs(self, pairs: tuple[tuple[str, str], ...] | list[tuple[str, str]], level: int = 0) -> str:
        """Name/value pairs as a list of pairs (keeps their order and repeated names)."""
        opening, closing = self.syntax.pair_brackets[0], self.syntax.pair_brackets[1]
        items = [f"{opening}{self.text(k)}, {self.text(v)}{closing}" for k, v in pairs]
        inline = "[" + ", ".join(items) + "]"
        return inline if self._fits(inline, level) else self._spread("[", items, "]", level)

    def _fits(self, inline: str, level: int) -> bool:
        return len(inline) + len(self.syntax.indent) * level <= WIDTH

    def _spread(self, opening: str, items: list[str], closing: str, level: int) -> str:
        """Items one a line, a level deeper than the brackets, each followed by a comma."""
        inner = self.syntax.indent * (level + 1)
        body = "".join(f"{inner}{item},\n" for item in items)
        return f"{opening}\n{body}{self.syntax.indent * level}{closing}"

    def _inline(self, value: Any) -> str:
        if isinstance(value, str):
            return self.text(value)
        if value is True:
            return self.syntax.true
        if value is False:
            return self.syntax.false
        if value is None:
            return self.syntax.null
        if isinstance(value, int | float):
            return json.dumps(value)
        if isinstance(value, dict):
            inner = ", ".join(
                f"{self.text(str(k))}{self.syntax.pair}{self._inline(v)}" for k, v in value.items()
            )
            return "{" + inner + "}"
        if isinstance(value, list | tuple):
            return "[" + ", ".join(self._inline(v) for v in value) + "]"
        return self.text(str(value))
