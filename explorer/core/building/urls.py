"""Base URLs per profile (including sites served from a subfolder) and path templates with escaped values."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


class BaseUrlProblem(ValueError):
    """The base URL cannot be used; the text is the user-facing message."""


def normalize_base_url(base_url: str) -> str:
    """`scheme://host[:port][/subfolder]` without a trailing slash, or BaseUrlProblem.

    A Discourse site may live in a subfolder (`https://example.com/forum`); its path is kept and the
    method's path is appended to it.
    """
    text = (base_url or "").strip()
    if not text:
        raise BaseUrlProblem("a base URL is required, for example https://forum.example.com")
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https"):
        raise BaseUrlProblem(f"must start with http:// or https://, got {text!r}")
    if not parts.hostname:
        raise BaseUrlProblem(f"has no host name: {text!r}")
    try:
        parts.port  # noqa: B018 - urlsplit only validates the port when it is read
    except ValueError:
        raise BaseUrlProblem(f"has an invalid port: {text!r}") from None
    if parts.query or parts.fragment:
        raise BaseUrlProblem(f"must not contain a query string or fragment: {text!r}")
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


def placeholders(template: str) -> list[str]:
    """Names of the `{name}` placeholders in a path template, in order."""
    return _PLACEHOLDER.findall(template)


def expand_path(template: str, values: Mapping[str, Any]) -> str:
    """Fill `{name}` placeholders, escaping each value completely so '/' or spaces cannot change the route."""
    return _PLACEHOLDER.sub(lambda m: quote(wire_text(values[m.group(1)]), safe=""), template)


def join_url(base: str, path: str) -> str:
    """The normalized base plus an absolute method path (`/latest.json`)."""
    return base + (path if path.startswith("/") else "/" + path)


def wire_text(value: Any) -> str:
    """The text form of a scalar value in a URL, query string or form field (booleans as true/false)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return str(value)
