"""Error answers exactly as the real server words them (`lib/json_error.rb`, `server.en.yml`)."""

from __future__ import annotations

import html
import json
import math
from typing import Any

from starlette.responses import Response

JSON_TYPE = "application/json; charset=utf-8"
# What Rails' `render body: nil` and `head` send: an empty body still names its type, and clients read it.
TEXT_TYPE = "text/plain; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"

NOT_FOUND = "The requested URL or resource could not be found."
INVALID_ACCESS = "You are not permitted to view the requested resource."
INVALID_API_CREDENTIALS = (
    "You are not permitted to view the requested resource. The API username or key is invalid."
)
NOT_LOGGED_IN = "You need to be logged in to do that."


def dump(data: Any) -> bytes:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(dump(data), status_code=status, media_type=JSON_TYPE, headers=headers)


def empty_response(status: int = 200) -> Response:
    """An answer with no body, as `render body: nil` gives it (Content-Type text/plain)."""
    return Response(b"", status_code=status, media_type=TEXT_TYPE)


def redirect(location: str, status: int = 301) -> Response:
    """Rails' `redirect_to`: a Location header and its small HTML body."""
    body = f'<html><body>You are being <a href="{html.escape(location)}">redirected</a>.</body></html>'
    return Response(body, status_code=status, media_type=HTML_TYPE, headers={"Location": location})


class ApiError(Exception):
    """Raised by handlers and the auth layer; turned into the matching response by the dispatcher."""

    def __init__(
        self, status: int, body: Any, *, text: bool = False, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(status)
        self.status = status
        self.body = body
        self.text = text
        self.headers = headers or {}

    def response(self) -> Response:
        if self.text:
            return Response(
                self.body,
                status_code=self.status,
                media_type=TEXT_TYPE,
                headers=self.headers,
            )
        return json_response(self.body, self.status, self.headers)


def not_found() -> ApiError:
    return ApiError(404, {"errors": [NOT_FOUND], "error_type": "not_found"})


def invalid_access() -> ApiError:
    return ApiError(403, {"errors": [INVALID_ACCESS], "error_type": "invalid_access"})


def invalid_credentials() -> ApiError:
    return ApiError(403, {"errors": [INVALID_API_CREDENTIALS], "error_type": "invalid_access"})


def not_logged_in() -> ApiError:
    return ApiError(403, {"errors": [NOT_LOGGED_IN], "error_type": "not_logged_in"})


def bad_csrf() -> ApiError:
    # Rails' forgery protection answers plain text, not JSON: clients that parse every 403 as JSON trip here.
    return ApiError(403, '["BAD CSRF"]', text=True)


def unprocessable(*messages: str, **extra: Any) -> ApiError:
    return ApiError(422, {**extra, "errors": list(messages)})


def missing_param(name: str) -> ApiError:
    return ApiError(400, {"errors": [f"param is missing or the value is empty: {name}"]})


def invalid_params(name: str) -> ApiError:
    message = f"You supplied invalid parameters to the request: {name}"
    return ApiError(400, {"errors": [message], "error_type": "invalid_parameters"})


def time_left(seconds: int) -> str:
    """`RateLimiter::LimitExceeded#time_left` wording."""
    if seconds <= 3:
        return "a few seconds"
    if seconds < 60:
        return f"{seconds} seconds"
    if seconds < 3600:
        return f"{math.ceil(seconds / 60)} minutes"
    return f"{math.ceil(seconds / 3600)} hours"


def rate_limited(wait_seconds: int, error_code: str) -> ApiError:
    left = time_left(wait_seconds)
    body = {
        "errors": [
            f"You\u2019ve performed this action too many times. Please wait {left} before trying again."
        ],
        "error_type": "rate_limit",
        "extras": {"wait_seconds": wait_seconds, "time_left": left},
    }
    headers = {"Retry-After": str(wait_seconds), "Discourse-Rate-Limit-Error-Code": error_code}
    return ApiError(429, body, headers=headers)


def ip_rate_limited(wait_seconds: int, error_code: str) -> ApiError:
    """The request-tracker middleware's answer: plain text, before any controller runs."""
    text = (
        "Slow down, too many requests from this IP address.\n"
        f"Please retry again in {wait_seconds} seconds.\n"
        f"Error code: {error_code}.\n"
    )
    headers = {"Retry-After": str(wait_seconds), "Discourse-Rate-Limit-Error-Code": error_code}
    return ApiError(429, text, text=True, headers=headers)
