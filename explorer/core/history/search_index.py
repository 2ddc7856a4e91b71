"""The text history's full-text index holds for an entry, and a typed search turned into an FTS5 query."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

# The most of a body's text that is indexed: the start of a huge body is what people search for, and the
# index stays small. The body itself is kept whole (up to the store's cap) outside the index.
INDEX_BODY_BYTES = 1 * 2**20

# What the unicode61 tokenizer keeps as a token: runs of letters and digits (underscore separates).
_TOKEN = re.compile(r"[^\W_]+")
# Shorter words are looked up exactly: as prefixes they would match most of the index.
_PREFIX_MIN = 3
# A word typed last stands for at most this many indexed words that begin with it, each looked up exactly;
# beyond that it is an FTS5 prefix query, which gathers every match before the first page. Measured on
# the benchmark's 100,000 entries (benchmarks/history.py): stems that begin 270-590 user names take about
# half to two thirds as long expanded as a prefix query. Finding out that a word begins more costs a read
# of this many vocabulary rows (10-25 ms there) on top of the prefix query.
EXPANSION_LIMIT = 1024

# Index words that begin with a prefix: at most EXPANSION_LIMIT of them, or None when there are more.
Expander = Callable[[str], Sequence[str] | None]

# A JSON escape of one character (`\u00e9`): many servers write every non-ASCII character so.
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")

_TEXT_TYPES = ("text/", "application/json", "application/xml", "application/javascript")
_TEXT_SUFFIXES = ("+json", "+xml")


def is_text(content_type: str, body: bytes) -> bool:
    """Whether a body is text worth indexing: a textual media type, or no type and valid UTF-8."""
    kind = content_type.lower()
    if (
        kind.startswith(_TEXT_TYPES)
        or kind.endswith(_TEXT_SUFFIXES)
        or kind == ("application/x-www-form-urlencoded")
    ):
        return True
    if kind:
        return False
    try:
        body[:INDEX_BODY_BYTES].decode("utf-8")
    except UnicodeDecodeError as exc:
        # A cut through the last character is still text.
        return exc.start >= min(len(body), INDEX_BODY_BYTES) - 3
    return True


def index_document(
    *,
    url: str,
    api: str | None,
    method_id: str | None,
    verb: str,
    status_text: str,
    profile: str | None,
    error: str | None,
    headers: Iterable[tuple[str, str]],
    content_type: str,
    body: bytes,
) -> str:
    """The one text column indexed for an entry.

    It must be the same every time for the same stored entry: the index keeps no copy of it (a contentless
    FTS5 table), so removing an entry hands it the same text again, rebuilt from the stored row and body.
    Changing what goes in here needs a schema migration that rebuilds the index.
    """
    parts = [verb, url, api or "", method_id or "", status_text, profile or "", error or ""]
    parts += [f"{name}: {value}" for name, value in headers]
    if body and is_text(content_type, body):
        text = body[:INDEX_BODY_BYTES].decode("utf-8", "ignore")
        if "json" in content_type.lower():
            text = _JSON_ESCAPE.sub(_unescape, text)  # so `Caf\u00e9` is found as café
        parts.append(text)
    return "\n".join(parts)


def _unescape(match: re.Match[str]) -> str:
    code = int(match[1], 16)
    # Half of a surrogate pair is no character on its own (and SQLite could not store it).
    return " " if 0xD800 <= code <= 0xDFFF else chr(code)


def status_text(status: int | None, reason: str, cancelled: bool) -> str:
    if status is not None:
        return f"{status} {reason}".strip()
    return "cancelled" if cancelled else "no response"


def fts_query(text: str, expand: Expander | None = None) -> str | None:
    """An FTS5 query for typed words, or None when the text has no word at all.

    Every word must occur. The last one (still being typed) also matches as the start of a longer word
    from three letters on: `expand` lists the index words it begins (so each is looked up exactly, and
    the newest matches come first without gathering the rest); without `expand`, or when it begins too
    many, it is a prefix query. Words are quoted, so nothing typed is read as query syntax.
    """
    words = list(dict.fromkeys(w.lower() for w in _TOKEN.findall(text)))
    if not words:
        return None
    *whole, last = words
    return " AND ".join([*(f'"{w}"' for w in whole), _last_word(last, expand)])


def _last_word(word: str, expand: Expander | None) -> str:
    if len(word) < _PREFIX_MIN:
        return f'"{word}"'
    # The index folds accents away; a word with any is left to FTS5's own prefix matching.
    terms = expand(word) if expand is not None and word.isascii() else None
    if not terms:  # too many to list, or none under this spelling
        return f'"{word}"*'
    return "(" + " OR ".join(f'"{term}"' for term in terms) + ")"


def prefix_range(word: str) -> tuple[str, str]:
    """The terms that begin with `word` (ASCII) lie in [low, high)."""
    return word, word[:-1] + chr(ord(word[-1]) + 1)
