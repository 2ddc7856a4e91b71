"""Owns the asyncio task that sends the current request through the core lifecycle: send, cancel, progress."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from explorer.core.prepared import PreparedRequest

if TYPE_CHECKING:  # httpx is imported with the executor, after the window is on screen
    from explorer.core.http.executor import Executor
    from explorer.core.lifecycle.send import Exchange, SendObserver
    from explorer.core.lifecycle.spec import RequestSpec

log = logging.getLogger(__name__)


class RequestController(QObject):
    """One request in flight at a time ("latest wins"); `finished` always fires, also for cancels."""

    started = Signal(object)  # PreparedRequest
    progress = Signal(int, object)  # bytes received, total or None
    finished = Signal(object)  # ExecutionResult
    exchanged = Signal(object)  # Exchange: the request, its result and its diagnosis

    def __init__(
        self,
        executor: Callable[[], Executor],
        parent: QObject | None = None,
        observers: Sequence[SendObserver] = (),
    ) -> None:
        """`executor` returns the executor to use: settings may replace it between requests.

        `observers` are told about every request (history, rate budgets); they are given here, by the
        window that owns this controller, never found through a global.
        """
        super().__init__(parent)
        self._executor = executor
        self.observers = tuple(observers)
        self._task: asyncio.Task[None] | None = None
        self.timeout_s: float | None = None
        # Seconds to wait before sending a request answered 429 once more, or None for no second try
        # (set by the window's rate budget; the observers' pacer does the waiting).
        self.retry_wait: Callable[[Exchange], float | None] | None = None

    @property
    def busy(self) -> bool:
        return self._task is not None and not self._task.done()

    def send(
        self, request: PreparedRequest, timeout_s: float | None = None, *, spec: RequestSpec | None = None
    ) -> None:
        if self.busy:
            assert self._task is not None
            self._task.cancel()
        # The task handle is kept here: qasync's asyncSlot returns none, and Cancel needs it.
        self._task = asyncio.get_event_loop().create_task(self._run(request, timeout_s, spec))
        self.started.emit(request)  # now, not when the task first runs: Send turns into Cancel at once

    def cancel(self) -> bool:
        """Stop the request in flight; True when there was one."""
        if not self.busy:
            return False
        assert self._task is not None
        self._task.cancel()
        return True

    async def _run(self, request: PreparedRequest, timeout_s: float | None, spec: RequestSpec | None) -> None:
        from explorer.core.http.result import ExecutionResult
        from explorer.core.lifecycle.send import send_prepared

        began = time.perf_counter()

        async def send() -> Exchange:
            return await send_prepared(
                request,
                self._executor(),
                spec=spec,
                observers=self.observers,
                on_progress=lambda got, total: self.progress.emit(got, total),
                timeout_s=timeout_s if timeout_s is not None else self.timeout_s,
            )

        try:
            exchange = await send()
            if self.retry_wait is not None and self.retry_wait(exchange) is not None:
                exchange.result.discard_body_file()
                exchange = await send()
            result = exchange.result
        except asyncio.CancelledError:
            # A request replaced by a newer one ends silently; the newer one reports for both.
            if self._task is asyncio.current_task():
                self.finished.emit(ExecutionResult.for_cancelled(request, time.perf_counter() - began))
            raise
        except Exception as exc:  # the executor reports failures as results; this is a last line of defence
            log.exception("sending failed unexpectedly")
            result = ExecutionResult.for_error(
                request, f"Unexpected failure: {exc}", time.perf_counter() - began
            )
        else:
            self.exchanged.emit(exchange)
        self.finished.emit(result)

    async def aclose(self) -> None:
        """Cancel and await the request in flight (the executor itself belongs to the services)."""
        if self.busy:
            assert self._task is not None
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
