"""Sending prepared requests over HTTP and describing what came back."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from explorer.core.http.executor import CREDENTIAL_HEADERS, Executor, execute_once, execute_sync
    from explorer.core.http.masking import mask_header, mask_text, request_secrets, scrub
    from explorer.core.http.result import ExecutionResult, mask_url

# Name -> submodule. Loaded on first use, so code that only masks text (the cURL importer, the
# linter) does not pay for importing the HTTP client.
_EXPORTS = {
    "CREDENTIAL_HEADERS": "executor",
    "Executor": "executor",
    "execute_once": "executor",
    "execute_sync": "executor",
    "ExecutionResult": "result",
    "mask_url": "masking",
    "mask_header": "masking",
    "mask_text": "masking",
    "request_secrets": "masking",
    "scrub": "masking",
}

__all__ = [
    "CREDENTIAL_HEADERS",
    "ExecutionResult",
    "Executor",
    "execute_once",
    "execute_sync",
    "mask_header",
    "mask_text",
    "mask_url",
    "request_secrets",
    "scrub",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
