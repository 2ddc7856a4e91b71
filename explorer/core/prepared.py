"""The prepared request: a plain data object shared by the builder, linter, executor, history and export."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, fields, replace
from typing import Any
from urllib.parse import urlencode

from explorer.core.text import format_size

SECRET_PLACEHOLDER = "<redacted>"

# Header and parameter names whose values are secrets (compared case-insensitively, with '_' == '-').
_SECRET_NAMES = frozenset(
    {
        "api-key",
        "user-api-key",
        "authorization",
        "cookie",
        "forum-api-key",
        "partner-api-key",
        "access-token",
        "api-secret",
    }
)


# A `name=value` pair of a form-encoded text (a raw body with a custom Content-Type).
_FORM_PAIR = re.compile(r"(?P<lead>^|&)(?P<name>[^=&]+)=(?P<value>[^&]*)")
# A `"name": value` member of JSON text (a raw body typed as JSON): each part is matched in one pass, so
# masking stays linear however long or odd the text is; the value is a string or a bare word/number.
_JSON_MEMBER = re.compile(
    r'"(?P<name>(?:[^"\\]|\\.)*)"(?P<sep>\s*:\s*)(?P<value>"(?:[^"\\]|\\.)*"|[\w.+-]+)'
)


def is_secret_name(name: str) -> bool:
    """True for header, query or form names whose values must never be shown or stored."""
    norm = name.strip().lower().replace("_", "-")
    if norm.endswith("[]"):
        norm = norm[:-2]
    return norm in _SECRET_NAMES


@dataclass(frozen=True, slots=True)
class FilePart:
    """A file field of a multipart body; `data` is held in memory (uploads are small).

    `path` is the full local path the data was read from, when known: the cURL export points at it so
    the command works from any directory. It is provenance only and takes no part in equality.
    """

    name: str
    filename: str
    data: bytes
    content_type: str = "application/octet-stream"
    path: str | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Body:
    """A request body in one of the encodings the APIs accept.

    kind: "json" (value in `json_value`), "form" (pairs in `fields`), "multipart" (`fields` plus
    `files`) or "raw" (`raw` text sent as-is with `content_type`).
    """

    kind: str
    json_value: Any = None
    fields: tuple[tuple[str, str], ...] = ()
    files: tuple[FilePart, ...] = ()
    raw: str = ""
    content_type: str | None = None

    def media_type(self) -> str:
        if self.content_type:
            return self.content_type
        return {
            "json": "application/json",
            "form": "application/x-www-form-urlencoded",
            "multipart": "multipart/form-data",
        }.get(self.kind, "text/plain")

    def text(self) -> str:
        """A readable rendering of the body (multipart files shown by name and size)."""
        if self.kind == "json":
            return json.dumps(self.json_value, ensure_ascii=False)
        if self.kind == "form":
            return urlencode(list(self.fields))
        if self.kind == "multipart":
            lines = [f"{k}={v}" for k, v in self.fields]
            lines += [f"{f.name}=@{f.filename} ({format_size(len(f.data))})" for f in self.files]
            return "\n".join(lines)
        return self.raw

    def masked(self, placeholder: str = SECRET_PLACEHOLDER) -> Body:
        """A copy with the values of secret fields replaced (JSON at any depth, form-like raw text too)."""
        if self.kind == "json":
            return replace(self, json_value=_mask_json(self.json_value, placeholder))
        if self.kind in ("form", "multipart"):
            return replace(self, fields=_mask_pairs(self.fields, placeholder))
        raw = self.raw
        if raw and '"' in raw and ":" in raw:  # JSON text, e.g. typed in the Body tab as raw
            raw = _mask_json_text(raw, placeholder)
        if raw and "=" in raw:
            raw = _mask_form_text(raw, placeholder)
        return self if raw == self.raw else replace(self, raw=raw)

    def __repr__(self) -> str:
        return _masked_repr(self, self.masked())


@dataclass(frozen=True, slots=True)
class PreparedRequest:
    """Everything needed to send one HTTP request, and where it came from.

    `url` holds scheme, host and path, without the query; `query` holds the query pairs in order.
    """

    method: str
    url: str
    query: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    body: Body | None = None
    api: str | None = None
    method_id: str | None = None
    notes: tuple[str, ...] = field(default=())

    def full_url(self) -> str:
        if not self.query:
            return self.url
        sep = "&" if "?" in self.url else "?"
        return f"{self.url}{sep}{urlencode(list(self.query))}"

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        return next((v for k, v in self.headers if k.lower() == lowered), None)

    def masked(self, placeholder: str = SECRET_PLACEHOLDER) -> PreparedRequest:
        """A copy with every secret value replaced by `placeholder` (for display, logs, history, export)."""
        body = self.body.masked(placeholder) if self.body is not None else None
        return replace(
            self,
            query=_mask_pairs(self.query, placeholder),
            headers=_mask_pairs(self.headers, placeholder),
            body=body,
        )

    def __repr__(self) -> str:
        # The default repr would put the keys into test failures, tracebacks and log lines.
        return _masked_repr(self, self.masked())


def _mask_pairs(pairs: tuple[tuple[str, str], ...], placeholder: str) -> tuple[tuple[str, str], ...]:
    return tuple((k, placeholder if is_secret_name(k) and v else v) for k, v in pairs)


def _mask_json(value: Any, placeholder: str) -> Any:
    # Nested objects too: `{"auth": {"api_key": …}}` is as secret as a top-level key.
    if isinstance(value, dict):
        return {
            k: placeholder if is_secret_name(str(k)) and v not in (None, "") else _mask_json(v, placeholder)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_mask_json(v, placeholder) for v in value]
    return value


def _mask_form_text(text: str, placeholder: str) -> str:
    def one(match: re.Match[str]) -> str:
        if not match["value"] or not is_secret_name(match["name"]):
            return match[0]
        return f"{match['lead']}{match['name']}={placeholder}"

    return _FORM_PAIR.sub(one, text)


def _mask_json_text(text: str, placeholder: str) -> str:
    """JSON text with the values of secret-named members replaced, its layout kept as typed."""

    def one(match: re.Match[str]) -> str:
        value = match["value"]
        if value in ('""', "null") or not is_secret_name(match["name"]):
            return match[0]
        return f'"{match["name"]}"{match["sep"]}"{placeholder}"'

    return _JSON_MEMBER.sub(one, text)


def _masked_repr(original: object, shown: object) -> str:
    """The dataclass-style repr of `shown` (a masked copy of `original`)."""
    parts = ", ".join(f"{f.name}={getattr(shown, f.name)!r}" for f in fields(shown))  # type: ignore[arg-type]
    return f"{type(original).__name__}({parts})"
