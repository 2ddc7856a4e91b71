"""Put coerced values on the wire: base URL and escaped path, Rails-style pairs, JSON or multipart bodies."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from explorer.core.building.values import is_array
from explorer.core.catalog.model import Param
from explorer.core.prepared import Body, FilePart
from explorer.core.text import undecodable

_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


class BaseUrlProblem(ValueError):
    """The base URL cannot be used; the text is the user-facing message."""


def base_url_problem(base_url: str) -> str | None:
    """Why `base_url` cannot be a site's address, or None; the one rule for the builder and for profiles."""
    text = (base_url or "").strip()
    if not text:
        return "a base URL is required, for example https://forum.example.com"
    stray = undecodable(text)
    if stray is not None:
        return stray
    if any(ch.isspace() or ord(ch) < 0x20 or ch == "\x7f" for ch in text):
        # A space or line break would be sent as typed, or refused by the HTTP library mid-send.
        return f"must not contain spaces or control characters: {text!r}"
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - urlsplit only validates the port when it is read
    except ValueError as exc:  # a bad port, or an unclosed IPv6 bracket
        return f"is not a valid URL ({exc}): {text!r}"
    if parts.scheme not in ("http", "https"):
        return f"must start with http:// or https://, got {text!r}"
    if not parts.hostname:
        return f"has no host name: {text!r}"
    if parts.username is not None or parts.password is not None:
        # A password in the URL would be shown unmasked in dry runs, exports and the profiles file.
        return "must not contain a user name or password; pass credentials as auth fields instead"
    if parts.query or parts.fragment:
        return f"must not contain '?' or '#' (a base URL is a site address): {text!r}"
    return None


def normalize_base_url(base_url: str) -> str:
    """`scheme://host[:port][/subfolder]` without a trailing slash, or BaseUrlProblem.

    A Discourse site may live in a subfolder (`https://example.com/forum`); its path is kept and the
    method's path is appended to it.
    """
    problem = base_url_problem(base_url)
    if problem is not None:
        raise BaseUrlProblem(problem)
    parts = urlsplit(base_url.strip())
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


BODY_ENCODINGS = ("json", "form", "multipart")
Pairs = list[tuple[str, str]]
TextOf = Callable[[Any], str]


def base_name(param: Param) -> str:
    """The name without a trailing `[]`, used as the JSON key and as the root of Rails pairs."""
    return param.name[:-2] if param.name.endswith("[]") else param.name


def rails_pairs(name: str, value: Any, text_of: TextOf = wire_text) -> Pairs:
    """Rails parameter syntax: lists as repeated `name[]=`, dicts as `name[key]=`, nested to any depth."""
    if isinstance(value, dict):
        out: Pairs = []
        for key, item in value.items():
            out += rails_pairs(f"{name}[{key}]", item, text_of)
        return out
    if isinstance(value, list | tuple):
        out = []
        for item in value:
            out += rails_pairs(f"{name}[]", item, text_of)
        return out
    return [(name, text_of(value))]


def param_pairs(param: Param, value: Any, text_of: TextOf = wire_text) -> Pairs:
    """Query or form pairs for one parameter; an array name that already ends in `[]` is not doubled."""
    if is_array(param) and isinstance(value, list):
        return rails_pairs(base_name(param), value, text_of)
    return rails_pairs(param.name, value, text_of)


def json_body(items: Sequence[tuple[Param, Any]]) -> Body:
    """A JSON object keyed by parameter name (arrays under their bare name: JSON carries lists itself)."""
    document: dict[str, Any] = {}
    for param, value in items:
        document[base_name(param) if is_array(param) else param.name] = value
    return Body(kind="json", json_value=document)


def form_body(items: Sequence[tuple[Param, Any]], text_of: TextOf = wire_text) -> Body:
    fields: Pairs = []
    for param, value in items:
        fields += param_pairs(param, value, text_of)
    return Body(kind="form", fields=tuple(fields))


def multipart_body(items: Sequence[tuple[Param, Any]], text_of: TextOf = wire_text) -> Body:
    """Text fields as Rails pairs, files as file parts (an array of files repeats `name[]`)."""
    fields: Pairs = []
    files: list[FilePart] = []
    for param, value in items:
        if param.is_upload:
            parts = value if isinstance(value, list) else [value]
            name = base_name(param) + "[]" if is_array(param) else param.name
            files += [replace(part, name=name) for part in parts]
        else:
            fields += param_pairs(param, value, text_of)
    return Body(kind="multipart", fields=tuple(fields), files=tuple(files))


def encode_body(items: Sequence[tuple[Param, Any]], encoding: str, text_of: TextOf = wire_text) -> Body:
    """The body in `encoding` ("json", "form" or "multipart"); the caller has checked files fit it."""
    if encoding == "json":
        return json_body(items)
    if encoding == "form":
        return form_body(items, text_of)
    return multipart_body(items, text_of)
