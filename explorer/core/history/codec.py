"""The JSON the history store keeps for a request and its response headers, and reading it back."""

from __future__ import annotations

import json
from typing import Any

from explorer.core.prepared import Body, FilePart, PreparedRequest

Pairs = tuple[tuple[str, str], ...]


def request_to_json(request: PreparedRequest) -> dict[str, Any]:
    """A (masked) request as JSON-ready data. Uploaded files keep their name, type and size, not their
    bytes: history is about what was asked, and an upload can be large or private."""
    body: dict[str, Any] | None = None
    if request.body is not None:
        b = request.body
        body = {"kind": b.kind, "content_type": b.content_type}
        if b.kind == "json":
            body["json_value"] = b.json_value
        elif b.kind in ("form", "multipart"):
            body["fields"] = [list(pair) for pair in b.fields]
            body["files"] = [
                {"name": f.name, "filename": f.filename, "content_type": f.content_type, "size": len(f.data)}
                for f in b.files
            ]
        else:
            body["raw"] = b.raw
    return {
        "method": request.method,
        "url": request.url,
        "query": [list(pair) for pair in request.query],
        "headers": [list(pair) for pair in request.headers],
        "body": body,
        "api": request.api,
        "method_id": request.method_id,
        "notes": list(request.notes),
    }


def request_from_json(data: Any) -> PreparedRequest | None:
    """The request `request_to_json` wrote, or None for data it did not write."""
    if not isinstance(data, dict):
        return None
    try:
        body = _body(data.get("body"))
        notes = tuple(str(n) for n in data.get("notes") or ())
        if body is not None and body.files:
            notes += ("History keeps the names of uploaded files, not their contents.",)
        return PreparedRequest(
            method=str(data["method"]),
            url=str(data["url"]),
            query=pairs(data.get("query")),
            headers=pairs(data.get("headers")),
            body=body,
            api=_optional(data.get("api")),
            method_id=_optional(data.get("method_id")),
            notes=notes,
        )
    except (KeyError, TypeError, ValueError):
        return None


def _body(data: Any) -> Body | None:
    if not isinstance(data, dict):
        return None
    kind = str(data["kind"])
    content_type = _optional(data.get("content_type"))
    if kind == "json":
        return Body(kind=kind, json_value=data.get("json_value"), content_type=content_type)
    if kind in ("form", "multipart"):
        # The bytes of an upload were not kept (request_notes says so), only its name and type.
        files = tuple(
            FilePart(str(f["name"]), str(f["filename"]), b"", str(f["content_type"]))
            for f in data.get("files") or ()
        )
        return Body(kind=kind, fields=pairs(data.get("fields")), files=files, content_type=content_type)
    return Body(kind=kind, raw=str(data.get("raw", "")), content_type=content_type)


def pairs(data: Any) -> Pairs:
    """[[name, value], ...] as a tuple of pairs; anything else as none."""
    if not isinstance(data, list):
        return ()
    return tuple((str(p[0]), str(p[1])) for p in data if isinstance(p, list | tuple) and len(p) == 2)


def _optional(value: Any) -> str | None:
    return None if value is None else str(value)


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def loads(text: str | None) -> Any:
    """Parsed JSON, or None for a missing or damaged value (one bad row must not break a list)."""
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None
