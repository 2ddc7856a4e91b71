"""Sending prepared requests over HTTP and describing what came back."""

from __future__ import annotations

from explorer.core.http.executor import CREDENTIAL_HEADERS, Executor, execute_once, execute_sync
from explorer.core.http.masking import mask_header, request_secrets, scrub
from explorer.core.http.result import ExecutionResult, mask_url

__all__ = [
    "CREDENTIAL_HEADERS",
    "ExecutionResult",
    "Executor",
    "execute_once",
    "execute_sync",
    "mask_header",
    "mask_url",
    "request_secrets",
    "scrub",
]
