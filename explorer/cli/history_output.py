"""How `explorer history` shows entries: an aligned list, one entry in full, and their JSON shapes."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from explorer.core.text import format_size

if TYPE_CHECKING:
    from explorer.core.history import HistoryEntry

JsonObject = dict[str, object]


def iso_time(created_at: float) -> str:
    """ISO 8601 in UTC, to the millisecond: `2024-05-01T12:00:03.125Z`."""
    moment = datetime.fromtimestamp(created_at, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def local_time(created_at: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(created_at))


def outcome(entry: HistoryEntry) -> str:
    """The status, or what happened instead of one."""
    if entry.status is not None:
        return str(entry.status)
    return "cancelled" if entry.cancelled else "no answer"


def entry_json(entry: HistoryEntry) -> JsonObject:
    """The documented `--json` line: id, time, api, method, verb, url, status, duration_ms, size."""
    return {
        "id": entry.id,
        "time": iso_time(entry.created_at),
        "api": entry.api,
        "method": entry.method_id,
        "verb": entry.verb,
        "url": entry.url,
        "status": entry.status,
        "duration_ms": round(entry.duration_ms, 3),
        "size": entry.size,
    }


def detail_json(entry: HistoryEntry) -> JsonObject:
    """`history show --json`: the list's fields and everything else the entry keeps."""
    request = entry.request
    return {
        **entry_json(entry),
        "reason": entry.reason,
        "profile": entry.profile,
        "pinned": entry.pinned,
        "error": entry.error,
        "cancelled": entry.cancelled,
        "content_type": entry.content_type,
        "body_truncated": entry.body_truncated,
        "request": {
            "method": entry.verb,
            "url": entry.url,
            "headers": _object(entry.request_headers),
            "body": entry.request_body,
        },
        "response_headers": _object(entry.response_headers),
        "notes": list(entry.notes),
        "spec": entry.spec.as_json() if entry.spec is not None else None,
        "request_notes": list(request.notes) if request is not None else [],
    }


def body_json(body: bytes) -> JsonObject:
    """The stored body for JSON: as text when it is UTF-8, else base64."""
    try:
        return {"body": body.decode("utf-8")}
    except UnicodeDecodeError:
        import base64

        return {"body_base64": base64.b64encode(body).decode("ascii")}


def table(entries: list[HistoryEntry]) -> list[str]:
    """Aligned rows, newest first: id (with * when pinned), local time, status, verb, method, URL,
    duration and size."""
    rows = [
        (
            f"{e.id}{'*' if e.pinned else ''}",
            local_time(e.created_at),
            outcome(e),
            e.verb,
            f"{e.api}:{e.method_id}" if e.method_id else "-",
            e.url,
            f"{e.duration_ms:,.0f} ms",
            format_size(e.size),
        )
        for e in entries
    ]
    header = ("ID", "TIME", "STATUS", "VERB", "METHOD", "URL", "TIME TAKEN", "SIZE")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    right = {0, 6, 7}
    return [
        "  ".join(
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i]) for i, cell in enumerate(row)
        ).rstrip()
        for row in [header, *rows]
    ]


def details(entry: HistoryEntry) -> list[str]:
    """One entry for people: what was sent, what came back, masked as it was stored."""
    lines = [
        f"#{entry.id}  {local_time(entry.created_at)} ({iso_time(entry.created_at)})"
        + (f"  profile {entry.profile}" if entry.profile else "")
        + ("  pinned" if entry.pinned else ""),
    ]
    if entry.method_id:
        lines.append(f"{entry.api} {entry.method_id}")
    lines.append(f"{entry.verb} {entry.url}")
    lines += [f"  {name}: {value}" for name, value in entry.request_headers]
    if entry.request_body:
        lines += ["", *entry.request_body.splitlines()]
    lines.append("")
    if entry.status is not None:
        summary = f"HTTP {entry.status} {entry.reason}".rstrip()
        summary += f"  {entry.duration_ms:,.0f} ms  {format_size(entry.size)}"
        if entry.content_type:
            summary += f"  {entry.content_type}"
        if entry.body_truncated:
            summary += "  (body kept in part)"
        lines.append(summary)
        lines += [f"  {name}: {value}" for name, value in entry.response_headers]
    else:
        lines.append("cancelled" if entry.cancelled else "no answer")
    if entry.error:
        lines.append(f"error: {entry.error}")
    lines += [f"note: {note}" for note in entry.notes]
    return lines


def _object(pairs: tuple[tuple[str, str], ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in pairs:
        out[name] = f"{out[name]}, {value}" if name in out else value
    return out


def dumps(data: JsonObject) -> str:
    return json.dumps(data, ensure_ascii=False)
