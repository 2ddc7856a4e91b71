"""The HTTP executor a sender passes to send_prepared/send_sync, made from the app's settings."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from explorer.core.settings import Settings

if TYPE_CHECKING:  # the HTTP client is loaded when an executor is made, not with this module
    import httpx

    from explorer.core.http.executor import Executor
    from explorer.core.logmask import SecretMemory


def new_executor(
    settings: Settings | None = None,
    *,
    timeout_s: float | None = None,
    follow_redirects: bool | None = None,
    temp_dir: Path | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    secret_memory: SecretMemory | None = None,
) -> Executor:
    """An executor with `settings`' timeout, redirect, TLS and body-size choices (the defaults without).

    The keyword arguments override single settings (a test's short timeout, a journey that follows
    redirects). Senders make executors here so that sending itself stays in this package.
    """
    from explorer.core.http.executor import Executor

    options = (settings or Settings()).executor_options()
    if timeout_s is not None:
        options["timeout_s"] = timeout_s
    if follow_redirects is not None:
        options["follow_redirects"] = follow_redirects
    return Executor(**options, temp_dir=temp_dir, transport=transport, secret_memory=secret_memory)
