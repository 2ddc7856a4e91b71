"""The 1.1 response envelope {"succeeded", "code", "message"}, client errors, and argument parsing."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from starlette.responses import Response

from explorer.sandbox.disqus.records import THREAD_DATE

# The only error code seen in real 1.0/1.1 replies; every other code the sandbox uses is its own choice.
INPUT_INVALID = "input-invalid"
BAD_KEY = "bad-key"  # seen in Disqus' first 1.1 client, meaning not documented: used for keys without access
NOT_FOUND = "not-found"  # sandbox-defined
METHOD_NOT_ALLOWED = "method-not-allowed"  # sandbox-defined
SLASH_REQUIRED = "trailing-slash-required"  # sandbox-defined
SERVER_ERROR = "server-error"  # sandbox-defined, like the fault switch's 500


class DisqusError(Exception):
    """A client error answered with the envelope (HTTP 400 unless stated)."""

    def __init__(
        self,
        message: str,
        code: str = INPUT_INVALID,
        status: int = 400,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        self.headers = dict(headers or {})


def envelope(succeeded: bool, code: str, message: Any) -> dict[str, Any]:
    return {"succeeded": succeeded, "code": code, "message": message}


def json_response(
    body: dict[str, Any], status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    return Response(
        json.dumps(body, ensure_ascii=False),
        status_code=status,
        media_type="application/json",
        headers=dict(headers or {}),
    )


def ok(message: Any, headers: Mapping[str, str] | None = None) -> Response:
    return json_response(envelope(True, "ok", message), headers=headers)


def fail(error: DisqusError, headers: Mapping[str, str] | None = None) -> Response:
    return json_response(
        envelope(False, error.code, error.message), error.status, {**error.headers, **(headers or {})}
    )


class Args:
    """The method's arguments (query for GET; form body plus query for POST) with typed accessors."""

    def __init__(self, values: Mapping[str, str]) -> None:
        # Empty values count as absent, as Disqus' own PHP client dropped them before sending.
        self.values = {k: v for k, v in values.items() if v != ""}

    def get(self, name: str) -> str | None:
        return self.values.get(name)

    def require(self, name: str, why: str = "") -> str:
        value = self.values.get(name)
        if value is None:
            raise DisqusError(f"Missing required argument: {name}{why}")
        return value

    def integer(self, name: str, default: int, minimum: int = 0, maximum: int | None = None) -> int:
        raw = self.values.get(name)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise DisqusError(f"{name} {raw} could not be converted to an integer") from None
        if value < minimum or (maximum is not None and value > maximum):
            allowed = f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
            raise DisqusError(f"{name} must be {allowed}, got {value}")
        return value

    def clamped(self, name: str, default: int, minimum: int, maximum: int) -> int:
        """An integer argument brought into [minimum, maximum]: no bound is documented, so none is refused."""
        return min(max(self.integer(name, default, minimum=-(2**63)), minimum), maximum)

    def boolean(self, name: str) -> bool | None:
        raw = self.values.get(name)
        if raw is None:
            return None
        lowered = raw.lower()
        if lowered in ("1", "true"):
            return True
        if lowered in ("0", "false"):
            return False
        raise DisqusError(f"{name} must be 0 or 1 (Disqus booleans travel as 0/1), got {raw!r}")

    def date(self, name: str, required: bool = False) -> datetime | None:
        raw = self.require(name) if required else self.values.get(name)
        if raw is None:
            return None
        try:
            return datetime.strptime(raw, THREAD_DATE)
        except ValueError:
            raise DisqusError(
                f"{name} {raw} is not a date in the format YYYY-MM-DDTHH:MM (UTC, no seconds), "
                "for example 2009-03-30T15:41"
            ) from None

    def choices(self, name: str, allowed: tuple[str, ...]) -> list[str]:
        """A comma-joined multi-value argument (filter/exclude); every value must be allowed."""
        raw = self.values.get(name)
        if raw is None or raw == "None":
            # "None" is what django-disqus sends for an unset filter (str(None) in its query string).
            return []
        values = [v.strip() for v in raw.split(",") if v.strip()]
        unknown = [v for v in values if v not in allowed]
        if unknown:
            raise DisqusError(f"{name} value {unknown[0]!r} is not one of: {', '.join(allowed)}")
        return values
