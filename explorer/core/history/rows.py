"""Turning the history's rows into entries, and an entry's stored values into its index text."""

from __future__ import annotations

import logging
import zlib
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from explorer.core.history import codec
from explorer.core.history.entry import HistoryEntry
from explorer.core.history.search_index import index_document, status_text

if TYPE_CHECKING:  # the lifecycle is loaded when an entry is opened, not with the store
    from explorer.core.lifecycle.spec import RequestSpec

log = logging.getLogger(__name__)

# The columns get() reads, in the order full_entry takes them (the summary's, then the details).
DETAIL_COLUMNS = "e.reason, e.http_version, e.wire_size, e.request, e.spec, e.response"
# The stored values the index text is rebuilt from when an entry is removed, in document_from_row's order.
INDEX_COLUMNS = (
    "e.id, e.url, e.api, e.method_id, e.verb, e.status, e.reason, e.cancelled, e.profile, e.error, "
    "e.request, e.response, e.content_type, b.data"
)


def summary_entry(row: tuple[Any, ...]) -> HistoryEntry:
    """A list row (query.SUMMARY_COLUMNS) as an entry without details."""
    return HistoryEntry(
        id=int(row[0]),
        created_at=float(row[1]),
        api=row[2],
        method_id=row[3],
        verb=row[4],
        url=row[5],
        status=row[6],
        duration_ms=float(row[7]),
        size=int(row[8]),
        profile=row[9],
        pinned=bool(row[10]),
        error=row[11],
        cancelled=bool(row[12]),
        body_truncated=bool(row[13]),
        content_type=row[14],
    )


def full_entry(row: tuple[Any, ...]) -> HistoryEntry:
    """A row of SUMMARY_COLUMNS + DETAIL_COLUMNS as an entry with everything get() promises."""
    summary = summary_entry(row)
    reason, http_version, wire_size, request_text, spec_text, response_text = row[15:21]
    request = codec.request_from_json(codec.loads(unpack(request_text)))
    response = codec.loads(unpack(response_text))
    response = response if isinstance(response, dict) else {}
    sent = codec.pairs(response.get("sent_headers"))
    request_headers = sent or (request.headers if request is not None else ())
    body = request.body if request is not None else None
    return replace(
        summary,
        spec=_spec(unpack(spec_text)),
        request_headers=request_headers,
        request_body=body.text() if body is not None else None,
        response_headers=codec.pairs(response.get("headers")),
        notes=tuple(str(n) for n in response.get("notes") or ()),
        reason=reason,
        http_version=http_version,
        wire_size=int(wire_size),
        request=request,
        sent_headers=sent,
        redirects=tuple(
            (int(r[0]), str(r[1]))
            for r in response.get("redirects") or ()
            if isinstance(r, list) and len(r) == 2
        ),
        final_url=str(response.get("final_url") or ""),
        final_method=str(response.get("final_method") or ""),
    )


def _spec(text: str | None) -> RequestSpec | None:
    if not text:
        return None
    from explorer.core.lifecycle.spec import RequestSpec, SpecError

    try:
        return RequestSpec.from_json(codec.loads(text))
    except SpecError as exc:  # a specification the app can no longer read: the entry is still shown
        log.warning("history: a stored request specification cannot be read: %s", exc)
        return None


def compress(body: bytes) -> bytes:
    return zlib.compress(body, 6)


def decompress(data: bytes | None) -> bytes:
    return zlib.decompress(data) if data else b""


def pack(text: str) -> bytes:
    """An entry's stored JSON (request, specification, response details), compressed since version 2."""
    return zlib.compress(text.encode("utf-8"), 6)


def unpack(value: str | bytes | None) -> str | None:
    """Stored JSON as text: version 1 kept it as text, version 2 compresses it."""
    if value is None or isinstance(value, str):
        return value
    return zlib.decompress(value).decode("utf-8")


def stored_document(
    *,
    url: str,
    api: str | None,
    method_id: str | None,
    verb: str,
    status: int | None,
    reason: str,
    cancelled: bool,
    profile: str | None,
    error: str | None,
    request_json: str,
    response_json: str,
    content_type: str,
    body: bytes,
) -> str:
    """The index text of an entry from its stored values: used when it is written and when it is removed,
    so both hand the index exactly the same text."""
    request = codec.loads(request_json)
    response = codec.loads(response_json)
    headers = list(codec.pairs(request.get("headers") if isinstance(request, dict) else None))
    headers += codec.pairs(response.get("headers") if isinstance(response, dict) else None)
    return index_document(
        url=url,
        api=api,
        method_id=method_id,
        verb=verb,
        status_text=status_text(status, reason, bool(cancelled)),
        profile=profile,
        error=error,
        headers=headers,
        content_type=content_type,
        body=body,
    )


def document_from_row(row: tuple[Any, ...]) -> str:
    """The index text of a row of INDEX_COLUMNS (after its id)."""
    return stored_document(
        url=row[1],
        api=row[2],
        method_id=row[3],
        verb=row[4],
        status=row[5],
        reason=row[6],
        cancelled=bool(row[7]),
        profile=row[8],
        error=row[9],
        request_json=unpack(row[10]) or "",
        response_json=unpack(row[11]) or "",
        content_type=row[12],
        body=decompress(row[13]),
    )
