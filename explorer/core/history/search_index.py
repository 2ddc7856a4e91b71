"""The text history's full-text index holds for an entry, and a typed search turned into an FTS5 query."""

from __future__ import annotations

import re
from collections.abc import Iterable

# The most of a body's text that is indexed: the start of a huge body is what people search for, and the
# index stays small. The body itself is kept whole (up to the store's cap) outside the index.
INDEX_BODY_BYTES = 1 * 2**20

# What the unicode61 tokenizer keeps as a token: runs of letters and digits (underscore separates).
_TOKEN = re.compile(r"[^\W_]+")
# Shorter words are looked up exactly: as prefixes they would match most of the index.
_PREFIX_MIN = 3

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
        parts.append(body[:INDEX_BODY_BYTES].decode("utf-8", "ignore"))
    return "\n".join(parts)


def status_text(status: int | None, reason: str, cancelled: bool) -> str:
    if status is not None:
        return f"{status} {reason}".strip()
    return "cancelled" if cancelled else "no response"


def fts_query(text: str) -> str | None:
    """An FTS5 query for typed words: every word must occur (as a prefix from three letters on); None when
    the text has no word at all. Words are quoted, so nothing typed is read as query syntax."""
    words = list(dict.fromkeys(w.lower() for w in _TOKEN.findall(text)))
    if not words:
        return None
    return " AND ".join(f'"{w}"*' if len(w) >= _PREFIX_MIN else f'"{w}"' for w in words)
