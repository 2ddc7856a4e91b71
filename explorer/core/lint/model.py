"""What the linter reports: a Finding with a stable code, a severity, a message and an optional Fix."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from explorer.core.prepared import PreparedRequest


class Severity(StrEnum):
    """How bad a finding is; `error` means the request will not do what the user expects."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for the most severe, so findings sort errors first."""
        return (Severity.ERROR, Severity.WARNING, Severity.INFO).index(self)


@dataclass(frozen=True, slots=True)
class Fix:
    """An automatic repair: `title` is the button text, `apply` returns the repaired request."""

    title: str
    transform: Callable[[PreparedRequest], PreparedRequest]

    def apply(self, request: PreparedRequest) -> PreparedRequest:
        return self.transform(request)


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem with one request.

    `code` is stable (tests, scripts and documentation refer to it); `message` says in plain language
    what goes wrong on the real server and why; `subject` names the header or parameter concerned.
    """

    code: str
    severity: Severity
    message: str
    fix: Fix | None = None
    subject: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The shape `explorer lint --json` prints: code, severity, message and the fix title (or null)."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "fix": self.fix.title if self.fix else None,
        }
