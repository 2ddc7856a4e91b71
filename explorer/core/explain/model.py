"""The Diagnosis record and the small readers the Discourse and Disqus diagnoses share."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """What a response means. `severity` is "ok", "info", "warning" or "error"; `code` is stable for tests.

    `wait_seconds` is set when the server asked the client to wait (a 429), for a countdown.
    """

    code: str
    severity: str
    title: str
    summary: str
    causes: tuple[str, ...] = ()
    fixes: tuple[str, ...] = ()
    details: tuple[tuple[str, str], ...] = ()
    wait_seconds: float | None = None


def header_value(headers: Iterable[tuple[str, str]], name: str) -> str | None:
    lowered = name.lower()
    return next((v for k, v in headers if k.lower() == lowered), None)


def parse_json(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None


def looks_html(content_type: str, body: bytes) -> bool:
    head = body[:512].lstrip().lower()
    return "html" in content_type or head.startswith(b"<!doctype html") or head.startswith(b"<html")


def as_number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None
