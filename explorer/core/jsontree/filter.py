"""jq filter expressions over a body, run in a worker process for large bodies (jq holds the GIL)."""

from __future__ import annotations

import atexit
import concurrent.futures as cf
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jq

# jq's Python binding never releases the GIL (measured: a thread running it stalls the UI for the whole
# run), so anything but small bodies goes to a separate process. Below this, in-process is ~30 ms.
IN_PROCESS_LIMIT = 256 * 1024
PR_SET_PDEATHSIG = 1  # linux/prctl.h
WORKER_STOP_S = 2.0  # how long shutdown waits for a terminated worker before killing it


@dataclass(frozen=True)
class FilterResult:
    """`output` is one JSON array holding every value the expression produced (jq emits a stream)."""

    expression: str
    output: bytes | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def _clean_error(message: str) -> str:
    # jq reports compile errors over several lines ending in "jq: 1 compile error"; keep the useful part.
    lines = [line for line in message.strip().splitlines() if line.strip() and "compile error" not in line]
    return " ".join(line.strip() for line in lines).removeprefix("jq: error: ") or message


def check_expression(expression: str) -> str | None:
    """A syntax error message for `expression`, or None when it compiles."""
    if not expression.strip():
        return "empty filter expression"
    try:
        jq.compile(expression)
    except ValueError as exc:
        return _clean_error(str(exc))
    return None


def run_filter(expression: str, source: bytes | str | Path) -> FilterResult:
    """Apply `expression` to a JSON body (bytes or a file path); never raises for bad input."""
    problem = check_expression(expression)
    if problem is not None:
        return FilterResult(expression, error=problem)
    try:
        raw = Path(source).read_bytes() if isinstance(source, str | Path) else source
        text = bytes(raw).decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return FilterResult(expression, error=f"cannot read the body: {exc}")
    try:
        # Wrapping in [...] turns jq's output stream into one JSON document the viewer can open lazily.
        output = jq.compile(f"[{expression}\n]").input_text(text).text()
    except ValueError as exc:
        return FilterResult(expression, error=_clean_error(str(exc)))
    return FilterResult(expression, output=output.encode("utf-8"))


def _die_with_parent(parent: int) -> None:
    """Worker start-up: end this process when the window's process ends, however that ends.

    A worker holds a copy of the body (hundreds of MB) and keeps multiprocessing's resource tracker
    alive; orphaned by a killed or crashed window they would run on. On Linux the kernel sends SIGKILL
    when the parent goes (even mid-filter: jq holds the GIL, so no Python code could notice); elsewhere
    a thread checks the parent between filters.
    """
    watched = False
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            watched = libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
        except (OSError, AttributeError):
            watched = False
    if os.getppid() != parent:
        os._exit(0)  # the parent is gone already (before prctl took effect)
    if not watched:
        threading.Thread(target=_watch_parent, args=(parent,), name="parent-watch", daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


_RUNNERS: weakref.WeakSet[FilterRunner] = weakref.WeakSet()


def shutdown_all() -> None:
    """Stop the worker of every FilterRunner (the window calls this on every way out)."""
    for runner in list(_RUNNERS):
        runner.shutdown()


# The fallback for an interpreter exit that skipped the window's own shutdown.
atexit.register(shutdown_all)


class FilterRunner:
    """Runs filters off the caller's thread: small bodies inline, others in one reusable worker process."""

    def __init__(self, in_process_limit: int = IN_PROCESS_LIMIT) -> None:
        self.in_process_limit = in_process_limit
        self._pool: cf.ProcessPoolExecutor | None = None
        _RUNNERS.add(self)

    def submit(self, expression: str, source: Any) -> cf.Future[FilterResult]:
        """Start a filter; `source` is bytes-like (an mmap is fine) or a Path to the body on disk."""
        size = source.stat().st_size if isinstance(source, Path) else len(source)
        problem = check_expression(expression)
        if problem is not None or size <= self.in_process_limit:
            future: cf.Future[FilterResult] = cf.Future()
            if problem is not None:
                future.set_result(FilterResult(expression, error=problem))
            else:
                body = source if isinstance(source, Path) else bytes(source)
                future.set_result(run_filter(expression, body))
            return future
        if self._pool is None:
            # spawn, not fork: forking a process that runs Qt threads is unsafe.
            context = multiprocessing.get_context("spawn")
            self._pool = cf.ProcessPoolExecutor(
                max_workers=1, mp_context=context, initializer=_die_with_parent, initargs=(os.getpid(),)
            )
        payload = str(source) if isinstance(source, Path) else bytes(source)
        return self._pool.submit(run_filter, expression, payload)

    def worker_pids(self) -> list[int]:
        """Process ids of the live worker processes (none until a large body is filtered)."""
        processes = getattr(self._pool, "_processes", None) or {}
        return [process.pid for process in list(processes.values()) if process.is_alive()]

    def shutdown(self) -> None:
        """End the worker now, even in the middle of a filter: nobody waits for its answer any more."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        # The executor can only wait for a running task to finish; its process table is the one way to
        # stop a long jq run (Python 3.14 adds terminate_workers() for this).
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join(WORKER_STOP_S)
            if process.is_alive():
                process.kill()
                process.join(WORKER_STOP_S)
