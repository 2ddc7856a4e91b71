"""Send a prepared request: the one coroutine every sender uses, with its observers given explicitly."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from explorer.core.explain import Diagnosis, explain_for_display
from explorer.core.lifecycle.spec import RequestSpec
from explorer.core.prepared import PreparedRequest

if TYPE_CHECKING:  # the HTTP client is loaded with the executor, not with this module
    from explorer.core.http.executor import Executor
    from explorer.core.http.result import ExecutionResult

log = logging.getLogger(__name__)

# The most of a body read to tell a Disqus envelope's `succeeded: false` (envelopes are small).
_ENVELOPE_READ_LIMIT = 1_000_000


class SendObserver(Protocol):
    """Something told about each request: history records it, a rate budget paces and counts it.

    `before_send` may wait (a budget holding a request back); `after_send` must return quickly.
    """

    async def before_send(self, request: PreparedRequest) -> None: ...

    def after_send(self, exchange: Exchange) -> None: ...


@dataclass(frozen=True)
class Exchange:
    """One request and what came of it.

    `failed` is True for no answer, an HTTP status of 400 or more, an incomplete body, a cancel, or a
    Disqus envelope with `succeeded: false` (some 1.1 servers send it with HTTP 200). `diagnosis` explains
    a failure in plain words, with every secret masked; it is None for a success.
    """

    request: PreparedRequest
    result: ExecutionResult
    spec: RequestSpec | None = None
    failed: bool = False
    diagnosis: Diagnosis | None = None
    started_at: float = 0.0


def has_failed(result: ExecutionResult) -> bool:
    if result.cancelled or result.error or result.status is None or result.status >= 400:
        return True
    return result.request.api == "disqus" and _disqus_envelope_failed(result)


def _disqus_envelope_failed(result: ExecutionResult) -> bool:
    if not result.is_json or result.size > _ENVELOPE_READ_LIMIT:
        return False
    try:
        envelope = json.loads(result.read_body())
    except (ValueError, OSError):
        return False
    return isinstance(envelope, dict) and envelope.get("succeeded") is False


def exchange_for(
    request: PreparedRequest, result: ExecutionResult, spec: RequestSpec | None, started_at: float
) -> Exchange:
    failed = has_failed(result)
    diagnosis = explain_for_display(result) if failed else None
    return Exchange(request, result, spec, failed, diagnosis, started_at)


async def send_prepared(
    request: PreparedRequest,
    executor: Executor,
    *,
    spec: RequestSpec | None = None,
    observers: Sequence[SendObserver] = (),
    timeout_s: float | None = None,
    on_progress: Callable[[int, int | None], None] | None = None,
) -> Exchange:
    """Send `request` with `executor`, tell every observer, and return the exchange.

    Never raises for HTTP or network failures (they are results). A cancel still tells the observers,
    with a cancelled result, and then propagates asyncio.CancelledError.
    """
    import asyncio  # here, not at the top: the window's first paint does not wait for asyncio's import

    from explorer.core.http.result import ExecutionResult

    started_at = time.time()
    began = time.perf_counter()
    try:
        for observer in observers:
            await observer.before_send(request)
        result = await executor.execute(request, on_progress=on_progress, timeout_s=timeout_s)
    except asyncio.CancelledError:
        cancelled = ExecutionResult.for_cancelled(request, time.perf_counter() - began)
        _tell(observers, exchange_for(request, cancelled, spec, started_at))
        raise
    exchange = exchange_for(request, result, spec, started_at)
    _tell(observers, exchange)
    return exchange


def send_sync(
    request: PreparedRequest,
    executor: Executor,
    *,
    spec: RequestSpec | None = None,
    observers: Sequence[SendObserver] = (),
    timeout_s: float | None = None,
) -> Exchange:
    """`send_prepared` on a private event loop (the CLI); the executor's connections are closed after."""

    async def run() -> Exchange:
        try:
            return await send_prepared(request, executor, spec=spec, observers=observers, timeout_s=timeout_s)
        finally:
            await executor.aclose()

    import asyncio

    return asyncio.run(run())


def _tell(observers: Sequence[SendObserver], exchange: Exchange) -> None:
    for observer in observers:
        try:
            observer.after_send(exchange)
        except Exception:  # an observer that breaks (a full disk under history) must not lose the answer
            log.exception("a send observer failed")
