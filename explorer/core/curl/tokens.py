"""Split a pasted shell command line into words as a POSIX shell would (quotes, escapes, continuations)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from explorer.core.text import position

# Characters a word can hold without quoting or escaping (taken in one step by _read_word).
_PLAIN_RUN = re.compile(r"[^ \t\r\n\\'\"$]+")
# A backslash ending a line, perhaps followed by stray spaces, or ending the text.
_CONTINUATION = re.compile(r"\\[ \t]*(?:\r?\n|\Z)")
# Characters that end a simple command when they start a word (pipes, lists, redirections).
_OPERATOR_START = "|;&<>"
_ANSI_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "'": "'", '"': '"', "a": "\a", "b": "\b",
                 "e": "\x1b", "E": "\x1b", "f": "\f", "v": "\v", "?": "?"}  # fmt: skip


class CurlError(ValueError):
    """A cURL command line that cannot be imported; the message names the problem and where it is."""


@dataclass(frozen=True, slots=True)
class Word:
    """One shell word after quote removal; `start` is its offset in the original text."""

    text: str
    start: int
    quoted: bool = False


@dataclass(frozen=True, slots=True)
class Split:
    words: tuple[Word, ...]
    # What the shell would have done differently, or what was cut off (a pipe into jq, a redirection).
    notes: tuple[str, ...] = ()


def split_words(text: str) -> Split:
    """Words of the first simple command in `text`.

    Newlines between words count as spaces: a pasted command is often wrapped without backslashes.
    Everything from an unquoted `|`, `;`, `&&`, `>` … onwards is dropped with a note.
    """
    words: list[Word] = []
    notes: list[str] = []
    # A byte order mark (text copied from a file saved as "UTF-8 with BOM") is not part of the command;
    # kept, it would glue itself to `curl` and make the real URL a second one.
    i, n = (1 if text.startswith("\ufeff") else 0), len(text)
    while i < n:
        ch = text[i]
        if ch in " \t\r\n":
            i += 1
            continue
        if ch == "\\":
            continued = _CONTINUATION.match(text, i)
            if continued is not None:
                # `\` then only spaces up to the end of the line (or of the text): a line continuation,
                # with the trailing spaces an editor or a copy left behind.
                i = continued.end()
                continue
        if ch == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        if ch in _OPERATOR_START:
            notes.append(
                f"Ignored everything from {ch!r} at {position(text, i)}: only the curl command is imported."
            )
            break
        word, i = _read_word(text, i)
        words.append(word)
    return Split(tuple(words), tuple(notes))


def _read_word(text: str, start: int) -> tuple[Word, int]:
    out: list[str] = []
    quoted = False
    i, n = start, len(text)
    while i < n:
        ch = text[i]
        if ch in " \t\r\n":
            break
        if ch == "\\":
            if i + 1 >= n:
                i += 1
                continue
            nxt = text[i + 1]
            if nxt == "\n":
                i += 2  # line continuation inside a word
            elif text.startswith("\r\n", i + 1):
                i += 3
            else:
                out.append(nxt)
                i += 2
            continue
        if ch == "'":
            end = text.find("'", i + 1)
            if end < 0:
                raise CurlError(f"Unterminated single quote starting at {position(text, i)}.")
            out.append(text[i + 1 : end])
            quoted, i = True, end + 1
            continue
        if ch == "$" and text.startswith("$'", i):
            value, i = _read_ansi(text, i)
            out.append(value)
            quoted = True
            continue
        if ch == '"':
            value, i = _read_double(text, i)
            out.append(value)
            quoted = True
            continue
        plain = _PLAIN_RUN.match(text, i)
        if plain is None:  # a lone `$` that does not start $'...'
            out.append(ch)
            i += 1
        else:  # a run without quotes, escapes or spaces is taken in one step
            out.append(plain[0])
            i = plain.end()
    return Word("".join(out), start, quoted), i


def _read_double(text: str, start: int) -> tuple[str, int]:
    out: list[str] = []
    i, n = start + 1, len(text)
    while i < n:
        ch = text[i]
        if ch == '"':
            return "".join(out), i + 1
        if ch == "\\" and i + 1 < n:
            nxt = text[i + 1]
            if nxt == "\n":
                i += 2
                continue
            if nxt in '"\\$`':
                out.append(nxt)
                i += 2
                continue
        out.append(ch)
        i += 1
    raise CurlError(f"Unterminated double quote starting at {position(text, start)}.")


def _read_ansi(text: str, start: int) -> tuple[str, int]:
    """A bash `$'...'` string with the common escapes (\\n, \\t, \\xHH, \\uHHHH, \\', \\\\ …)."""
    out: list[str] = []
    i, n = start + 2, len(text)
    while i < n:
        ch = text[i]
        if ch == "'":
            return "".join(out), i + 1
        if ch != "\\" or i + 1 >= n:
            out.append(ch)
            i += 1
            continue
        nxt = text[i + 1]
        if nxt in _ANSI_ESCAPES:
            out.append(_ANSI_ESCAPES[nxt])
            i += 2
            continue
        width = {"x": 2, "u": 4, "U": 8}.get(nxt)
        if width is None:
            raise CurlError(f"Unsupported escape \\{nxt} in a $'...' string at {position(text, i)}.")
        digits = ""
        j = i + 2
        while j < n and len(digits) < width and text[j] in "0123456789abcdefABCDEF":
            digits += text[j]
            j += 1
        if not digits:
            raise CurlError(f"\\{nxt} without hex digits in a $'...' string at {position(text, i)}.")
        if int(digits, 16) > 0x10FFFF:
            raise CurlError(f"\\{nxt}{digits} is not a Unicode character ({position(text, i)}).")
        out.append(chr(int(digits, 16)))
        i = j
    raise CurlError(f"Unterminated $'...' string starting at {position(text, start)}.")
