"""The outcome of sending one request: status, headers, body (in memory or in a temp file), timing, errors."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from explorer.core.http.masking import mask_header, mask_url, request_secrets, scrub
from explorer.core.prepared import SECRET_PLACEHOLDER, PreparedRequest, is_secret_name

__all__ = ["ExecutionResult", "mask_url"]


@dataclass(frozen=True, slots=True)
class ExecutionResult:
    """What came back for one PreparedRequest.

    Exactly one of these holds: a response arrived (`status` set), the request failed before a
    complete response (`error` set, `status` may be set when the body broke off), or it was cancelled.
    Large bodies live in `body_path` (a temporary file the caller owns) and `body` is then empty.
    `sent_headers` are the headers of the last hop as they went on the wire; they hold secrets, so show
    them only through `masked()`.
    """

    request: PreparedRequest
    status: int | None = None
    reason: str = ""
    http_version: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    body_path: Path | None = None
    size: int = 0
    wire_size: int = 0
    elapsed_s: float = 0.0
    error: str | None = None
    cancelled: bool = False
    redirects: tuple[tuple[int, str], ...] = ()
    final_url: str = ""
    final_method: str = ""
    sent_headers: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()
    # The body was cut at the executor's max_body_bytes; `body`/`body_path` hold the part received.
    truncated: bool = False

    @classmethod
    def for_cancelled(cls, request: PreparedRequest, elapsed_s: float = 0.0) -> ExecutionResult:
        """The user stopped the request before an answer arrived."""
        return cls._unanswered(request, elapsed_s, cancelled=True)

    @classmethod
    def for_error(cls, request: PreparedRequest, error: str, elapsed_s: float = 0.0) -> ExecutionResult:
        """No answer arrived; `error` says why in plain words."""
        return cls._unanswered(request, elapsed_s, error=error)

    @classmethod
    def _unanswered(cls, request: PreparedRequest, elapsed_s: float, **outcome: Any) -> ExecutionResult:
        # Without a response the final URL and method are simply the ones that were tried.
        return cls(
            request=request,
            elapsed_s=elapsed_s,
            final_url=request.full_url(),
            final_method=request.method,
            **outcome,
        )

    def header(self, name: str) -> str | None:
        """The first response header called `name` (case-insensitive), or None."""
        lowered = name.lower()
        return next((v for k, v in self.headers if k.lower() == lowered), None)

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower-cased ("" when absent)."""
        raw = self.header("content-type") or ""
        return raw.split(";", 1)[0].strip().lower()

    @property
    def is_json(self) -> bool:
        ctype = self.content_type
        return ctype == "application/json" or ctype.endswith("+json")

    @property
    def ok(self) -> bool:
        """A response arrived completely with a 2xx status."""
        return self.status is not None and 200 <= self.status < 300 and not self.error and not self.cancelled

    @property
    def in_file(self) -> bool:
        return self.body_path is not None

    def read_body(self) -> bytes:
        """The whole body, read from the temporary file when it was streamed there."""
        if self.body_path is not None:
            return self.body_path.read_bytes()
        return self.body

    def text(self, errors: str = "replace") -> str:
        """The body decoded with the charset the server named (UTF-8 when it named none)."""
        charset = "utf-8"
        for part in (self.header("content-type") or "").split(";")[1:]:
            key, _, value = part.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                charset = value.strip().strip('"')
        try:
            return self.read_body().decode(charset, errors)
        except LookupError:
            return self.read_body().decode("utf-8", errors)

    def json(self) -> object:
        """The body parsed as JSON; raises ValueError when it is not JSON."""
        return json.loads(self.read_body())

    def discard_body_file(self) -> None:
        """Delete the temporary body file, if any (the result keeps pointing at the missing path)."""
        if self.body_path is not None:
            self.body_path.unlink(missing_ok=True)

    def masked(self, placeholder: str = SECRET_PLACEHOLDER) -> ExecutionResult:
        """A copy safe to show, log or store: secrets in the request, the sent and received headers,
        the final URL, the redirects, and any key the server echoed in a header, a note or the error.

        The response body is left as it came: it is what the user asked to see.
        """
        secrets = request_secrets(self.request)
        sent = tuple((k, placeholder if is_secret_name(k) and v else v) for k, v in self.sent_headers)
        received = tuple((k, mask_header(k, v, secrets, placeholder)) for k, v in self.headers)
        return replace(
            self,
            request=self.request.masked(placeholder),
            headers=received,
            sent_headers=sent,
            final_url=scrub(mask_url(self.final_url, placeholder), secrets, placeholder),
            redirects=tuple(
                (code, scrub(mask_url(url, placeholder), secrets, placeholder))
                for code, url in self.redirects
            ),
            error=scrub(self.error, secrets, placeholder) if self.error else self.error,
            notes=tuple(scrub(note, secrets, placeholder) for note in self.notes),
        )

    def __repr__(self) -> str:
        # The default repr would print the keys into test failures and log lines; show the masked copy.
        shown = self.masked()
        shown_fields = ", ".join(f"{name}={getattr(shown, name)!r}" for name in _REPR_FIELDS)
        return f"ExecutionResult({shown_fields})"


_REPR_FIELDS = tuple(f.name for f in fields(ExecutionResult))
