"""A recorded request as the history store gives it back, and the filter its list and search take."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from explorer.core.prepared import PreparedRequest
from explorer.core.text import format_size

if TYPE_CHECKING:  # the lifecycle and the HTTP result load when an entry is opened, not with this module
    from explorer.core.http.result import ExecutionResult
    from explorer.core.lifecycle.spec import RequestSpec

# HistoryFilter.status_class values: a class of HTTP status, or "none" for no response at all.
STATUS_CLASSES = ("2xx", "3xx", "4xx", "5xx", "none")

Headers = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class HistoryFilter:
    """Which entries a list, a count or a bulk delete covers; every field left at its default matches all.

    `text` is searched in the URL, method id, verb, status, headers and body text (every word must occur;
    the last one, from three letters on, also matches as the start of a longer word, as it is being
    typed). `since` is inclusive and `until` exclusive, both in seconds since the epoch.
    """

    text: str = ""
    api: str | None = None
    method_id: str | None = None
    profile: str | None = None
    status_class: str | None = None
    since: float | None = None
    until: float | None = None

    def __post_init__(self) -> None:
        if self.status_class is not None and self.status_class not in STATUS_CLASSES:
            raise ValueError(f"status_class: {self.status_class!r} is not one of {', '.join(STATUS_CLASSES)}")


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One recorded request and what came of it, every secret already replaced by `<redacted>`.

    `search()` fills the summary fields (and `content_type`, `body_truncated`); `get()` fills the rest:
    the specification, the request as sent and the response headers, which `as_result` needs.
    """

    id: int
    created_at: float
    api: str | None
    method_id: str | None
    verb: str
    url: str
    status: int | None
    duration_ms: float
    size: int
    profile: str | None
    pinned: bool
    error: str | None
    cancelled: bool
    spec: RequestSpec | None = None
    request_headers: Headers = ()
    request_body: str | None = None
    response_headers: Headers = ()
    notes: tuple[str, ...] = ()
    body_truncated: bool = False
    content_type: str = ""
    # Also filled by get(), so that as_result can rebuild the response exactly as it was shown.
    reason: str = ""
    http_version: str = ""
    wire_size: int = 0
    request: PreparedRequest | None = None
    sent_headers: Headers = ()
    redirects: tuple[tuple[int, str], ...] = ()
    final_url: str = ""
    final_method: str = ""

    @property
    def label(self) -> str:
        """A short name for lists: the method id, or the verb and URL."""
        return self.method_id or f"{self.verb} {self.url}"

    def as_result(self, body: bytes) -> ExecutionResult:
        """The ExecutionResult this entry recorded (masked), with `body` (from `HistoryStore.body`).

        A body kept only in part says so in the notes, as the response pane shows them.
        """
        from explorer.core.http.result import ExecutionResult

        notes = self.notes
        if self.body_truncated:
            notes = (
                *notes,
                f"History kept the first {format_size(len(body))} of this {format_size(self.size)} body.",
            )
        return ExecutionResult(
            request=self.request or self._summary_request(),
            status=self.status,
            reason=self.reason,
            http_version=self.http_version,
            headers=self.response_headers,
            body=body,
            size=self.size,
            wire_size=self.wire_size,
            elapsed_s=self.duration_ms / 1000,
            error=self.error,
            cancelled=self.cancelled,
            redirects=self.redirects,
            final_url=self.final_url or self.url,
            final_method=self.final_method or self.verb,
            sent_headers=self.sent_headers,
            notes=notes,
        )

    def _summary_request(self) -> PreparedRequest:
        # An entry from search() has no stored request: the verb and the (masked) URL are all it knows.
        parts = urlsplit(self.url)
        return PreparedRequest(
            method=self.verb,
            url=urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")),
            query=tuple(parse_qsl(parts.query, keep_blank_values=True)),
            api=self.api,
            method_id=self.method_id,
        )
