"""Exchanges for the history tests, made the way the lifecycle makes them (no network)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from explorer.core.http.result import ExecutionResult
from explorer.core.lifecycle import Exchange, RequestSpec
from explorer.core.prepared import PreparedRequest

ADMIN_KEY = "9f" * 32  # the shape of a Discourse admin key


def topic_list(*titles: str) -> bytes:
    topics = [{"id": n, "title": t, "slug": t.lower().replace(" ", "-")} for n, t in enumerate(titles, 1)]
    return json.dumps({"topic_list": {"topics": topics}}).encode()


def exchange(
    *,
    method_id: str | None = "listLatestTopics",
    api: str | None = "discourse",
    verb: str = "GET",
    url: str = "https://forum.example.org/latest.json",
    query: tuple[tuple[str, str], ...] = (),
    status: int | None = 200,
    body: bytes = b"",
    content_type: str = "application/json",
    started_at: float = 1_700_000_000.0,
    profile: str | None = "Forum",
    cancelled: bool = False,
    error: str | None = None,
    key: str = ADMIN_KEY,
    spec: RequestSpec | None = None,
    body_path: Path | None = None,
) -> Exchange:
    request = PreparedRequest(
        verb,
        url,
        query=query,
        headers=(("Api-Key", key), ("Api-Username", "system")),
        api=api,
        method_id=method_id,
    )
    if cancelled:
        result = ExecutionResult.for_cancelled(request, 0.25)
    elif status is None:
        result = ExecutionResult.for_error(request, error or "Could not connect", 0.5)
    else:
        result = ExecutionResult(
            request,
            status=status,
            reason={200: "OK", 404: "Not Found", 500: "Internal Server Error"}.get(status, ""),
            http_version="HTTP/1.1",
            headers=(("Content-Type", content_type), ("X-Request-Id", "req-1")),
            body=b"" if body_path is not None else body,
            body_path=body_path,
            size=len(body),
            wire_size=len(body),
            elapsed_s=0.125,
            final_url=request.full_url(),
            final_method=verb,
            sent_headers=(("Host", "forum.example.org"), *request.headers),
        )
    if spec is None:
        spec = (
            RequestSpec(api=api, method_id=method_id, profile=profile)
            if method_id
            else RequestSpec(api=api, verb=verb, url=url, profile=profile)
        )
    return Exchange(request, result, spec, failed=result.status is None, started_at=started_at)


def fts_check(path: Path) -> None:
    """The database and its full-text index are whole (raises otherwise)."""
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        db.execute("INSERT INTO entries_fts (entries_fts) VALUES ('integrity-check')")
    finally:
        db.close()
