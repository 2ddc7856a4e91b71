"""Choosing a viewer from the content type and the first bytes; charset and hex summaries."""

from __future__ import annotations

import pytest

from explorer.ui.body.kinds import body_kind, charset, hex_summary


@pytest.mark.parametrize(
    ("head", "content_type", "kind"),
    [
        (b'{"a": 1}', "application/json; charset=utf-8", "json"),
        (b'{"a": 1}', "application/vnd.api+json", "json"),
        (b' [1]', "text/plain", "json"),
        (b'{"a": 1}', "text/html", "json"),  # old proxies label JSON as HTML
        (b'{"a": 1}', None, "json"),
        (b"<html><p>x</p></html>", "text/html", "html"),
        (b"<!doctype html><html>", None, "html"),
        (b"plain words", "text/plain", "text"),
        (b"BM is a text", "text/plain", "text"),  # image magic only counts outside text types
        (b"\x89PNG\r\n\x1a\n....", None, "image"),
        (b"GIF89a...", "application/octet-stream", "image"),
        (b"<rss/>", "application/rss+xml", "text"),
        (b"\x00\x01\x02", None, "binary"),
        (b"\x00\x01\x02", "application/pdf", "binary"),
        (b"", "application/json", "empty"),
    ],
)
def test_body_kind(head: bytes, content_type: str | None, kind: str) -> None:
    assert body_kind(head, content_type) == kind


def test_charset() -> None:
    assert charset("text/plain; charset=ISO-8859-1") == "iso8859-1"
    assert charset('text/html; charset="UTF-8"') == "utf-8"
    assert charset("text/plain; charset=bogus") == "utf-8"
    assert charset(None) == "utf-8"


def test_hex_summary() -> None:
    dump = hex_summary(b"AB\x00" * 300, limit=32)
    lines = dump.splitlines()
    assert lines[0] == "900 bytes of binary data; first 32 shown"
    assert lines[1] == "00000000  41 42 00 41 42 00 41 42 00 41 42 00 41 42 00 41  AB.AB.AB.AB.AB.A"
    assert len(lines) == 3
