"""Deciding how to show a body: JSON, HTML, text, image or binary, from its content type and first bytes."""

from __future__ import annotations

import codecs
from typing import Any

JSON, HTML, TEXT, IMAGE, BINARY, EMPTY = "json", "html", "text", "image", "binary", "empty"

_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"BM", b"RIFF")
_TEXT_TYPES = ("text/", "application/xml", "application/javascript", "application/x-www-form-urlencoded")


def media_type(content_type: str | None) -> str:
    """`application/json; charset=utf-8` -> `application/json`."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def charset(content_type: str | None) -> str:
    """The `charset=` parameter if Python knows it (`text/plain; charset=ISO-8859-1`), else utf-8."""
    for param in (content_type or "").split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            try:
                return codecs.lookup(value.strip().strip('"')).name
            except LookupError:
                break
    return "utf-8"


def body_kind(head: Any, content_type: str | None) -> str:
    """Classify by the declared type first, then by sniffing the first bytes (servers often mislabel)."""
    head = bytes(head[:4096])
    if not head:
        return EMPTY
    mtype = media_type(content_type)
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if mtype == "application/json" or mtype.endswith("+json") or mtype.endswith("/json"):
        return JSON
    if mtype.startswith("image/") or (not mtype.startswith("text/") and head.startswith(_IMAGE_MAGIC)):
        return IMAGE
    if stripped[:1] in (b"{", b"[") and (not mtype or mtype.startswith("text/")
                                         or mtype == "application/octet-stream"):
        return JSON  # e.g. Disqus and older Discourse proxies answering JSON as text/plain or text/html
    if mtype in ("text/html", "application/xhtml+xml"):
        return HTML
    if mtype.startswith(_TEXT_TYPES) or mtype.endswith(("+xml", "/xml")):
        return TEXT
    if not mtype and stripped[:1] == b"<" and b"<html" in head.lower():
        return HTML
    return TEXT if _looks_textual(head) and mtype in ("", "application/octet-stream") else BINARY


def _looks_textual(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3  # a character cut at the end of the sample
    return True


def hex_summary(data: Any, limit: int = 512) -> str:
    """Size plus a classic offset/hex/ASCII dump of the first `limit` bytes."""
    size = len(data)
    sample = bytes(data[:limit])
    lines = [f"{size:,} bytes of binary data" + (f"; first {len(sample)} shown" if size > limit else "")]
    for offset in range(0, len(sample), 16):
        chunk = sample[offset:offset + 16]
        hexes = " ".join(f"{b:02x}" for b in chunk)
        text = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
        lines.append(f"{offset:08x}  {hexes:<47}  {text}")
    return "\n".join(lines)
