"""jq filter expressions over a body, run in a worker process for large bodies (jq holds the GIL)."""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jq

# jq's Python binding never releases the GIL (measured: a thread running it stalls the UI for the whole
# run), so anything but small bodies goes to a separate process. Below this, in-process is ~30 ms.
IN_PROCESS_LIMIT = 256 * 1024


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


class FilterRunner:
    """Runs filters off the caller's thread: small bodies inline, others in one reusable worker process."""

    def __init__(self, in_process_limit: int = IN_PROCESS_LIMIT) -> None:
        self.in_process_limit = in_process_limit
        self._pool: cf.ProcessPoolExecutor | None = None

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
            self._pool = cf.ProcessPoolExecutor(max_workers=1, mp_context=context)
        payload = str(source) if isinstance(source, Path) else bytes(source)
        return self._pool.submit(run_filter, expression, payload)

    def shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
