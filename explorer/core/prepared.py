"""The prepared request: a plain data object shared by the builder, linter, executor, history and export."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

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


def is_secret_name(name: str) -> bool:
    """True for header, query or form names whose values must never be shown or stored."""
    norm = name.strip().lower().replace("_", "-")
    if norm.endswith("[]"):
        norm = norm[:-2]
    return norm in _SECRET_NAMES


@dataclass(frozen=True, slots=True)
class FilePart:
    """A file field of a multipart body; `data` is held in memory (uploads are small)."""

    name: str
    filename: str
    data: bytes
    content_type: str = "application/octet-stream"


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
            lines += [f"{f.name}=@{f.filename} ({len(f.data)} bytes)" for f in self.files]
            return "\n".join(lines)
        return self.raw


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

        def mask_pairs(pairs: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
            return tuple((k, placeholder if is_secret_name(k) and v else v) for k, v in pairs)

        body = self.body
        if body is not None:
            if body.kind == "json" and isinstance(body.json_value, dict):
                masked_json = {
                    k: (placeholder if is_secret_name(k) and v else v) for k, v in body.json_value.items()
                }
                body = replace(body, json_value=masked_json)
            elif body.kind in ("form", "multipart"):
                body = replace(body, fields=mask_pairs(body.fields))
        return replace(self, query=mask_pairs(self.query), headers=mask_pairs(self.headers), body=body)
