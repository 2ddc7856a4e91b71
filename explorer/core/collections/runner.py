"""Run saved requests in order, each prepared and sent through the lifecycle, captures feeding the next."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Protocol, cast

from explorer.core.catalog.model import Api, Catalog
from explorer.core.collections.captures import capture_all
from explorer.core.collections.folder import Collection, CollectionItem
from explorer.core.collections.variables import VariableScopes
from explorer.core.lifecycle import (
    Exchange,
    RequestSpec,
    SendObserver,
    Target,
    find_method,
    prepare,
    send_prepared,
)
from explorer.core.prepared import PreparedRequest
from explorer.core.profiles.model import is_write
from explorer.core.ratebudget.throttle import TOO_MANY_REQUESTS, read_throttle

if TYPE_CHECKING:
    from explorer.core.http.executor import Executor

# How many times one request is sent again after a 429 before the run gives up on it.
MAX_RATE_RETRIES = 3
# A step's error is one line in a terminal or a list: a server's long explanation is cut.
_MAX_ERROR_CHARS = 300
Sleep = Callable[[float], Awaitable[Any]]


@dataclass(frozen=True)
class RunItem:
    """One request to run: its label ("Topics/Create topic"), its specification or why it has none."""

    label: str
    spec: RequestSpec | None
    error: str | None = None

    @classmethod
    def of(cls, item: CollectionItem) -> RunItem:
        label = str(item.relative.with_suffix("")) if not item.is_folder else str(item.relative)
        return cls(label, item.spec, item.error)


def collection_items(collection: Collection, under: str = "") -> list[RunItem]:
    """The requests of `collection` in run order; with `under`, only that file or the files in that folder."""
    prefix = under.strip("/")
    return [
        RunItem.of(item)
        for item in collection.requests()
        if not prefix
        or str(item.relative) in (prefix, prefix + ".json")
        or str(item.relative).startswith(prefix + "/")
    ]


@dataclass(frozen=True)
class RunTarget:
    """Where a request of the run goes, and the variables of the profile it goes through; that profile's
    own deadline (None: the run's) and trusted certificate as (its site, PEM), for this request only."""

    target: Target | None
    variables: Mapping[str, str] = field(default_factory=dict)
    timeout_s: float | None = None
    trusted: tuple[str, str] | None = None


@dataclass(frozen=True)
class RunStep:
    """What came of one request. `lint` holds the codes of its findings; `captured` the names of the
    variables it set (never their values); `attempts` counts sends (more than one after a 429); `notes`
    are the HTTP layer's (a redirect not followed, a body cut at the size limit), keys masked."""

    label: str
    status: int | None = None
    seconds: float = 0.0
    lint: tuple[str, ...] = ()
    error: str | None = None
    failed: bool = False
    sent: bool = False
    captured: tuple[str, ...] = ()
    attempts: int = 0
    notes: tuple[str, ...] = ()
    truncated: bool = False

    @property
    def skipped(self) -> bool:
        """Not sent on purpose (a write to a production site in a run of reads only): no failure."""
        return not self.sent and not self.failed and self.error is not None

    def as_json(self) -> dict[str, object]:
        return {
            "label": self.label,
            "status": self.status,
            "seconds": round(self.seconds, 3),
            "lint": list(self.lint),
            "error": self.error,
            "failed": self.failed,
            "sent": self.sent,
            "captured": list(self.captured),
            "attempts": self.attempts,
            "notes": list(self.notes),
            "truncated": self.truncated,
        }


@dataclass(frozen=True)
class RunResult:
    """Every step in order; `stopped` is True when --bail ended the run early. The captured values stay
    in memory only (they may be secrets a later request sends)."""

    steps: tuple[RunStep, ...]
    captures: Mapping[str, str] = field(default_factory=dict)
    stopped: bool = False

    @property
    def failed(self) -> bool:
        return any(step.failed for step in self.steps)


async def run_requests(
    items: Sequence[RunItem],
    catalogs: Mapping[Api, Catalog],
    target_for: Callable[[RequestSpec], RunTarget | str],
    executor: Executor,
    *,
    collection_variables: Mapping[str, str] | None = None,
    request_variables: Mapping[str, str] | None = None,
    observers: Sequence[SendObserver] = (),
    bail: bool = False,
    confirm_writes: bool = False,
    skip_writes: bool = False,
    unconfirmed_hint: str = "confirm writes to send it",
    sleep: Sleep = asyncio.sleep,
    max_retries: int = MAX_RATE_RETRIES,
    timeout_s: float | None = None,
    on_step: Callable[[RunStep], None] | None = None,
    on_exchange: Callable[[RunItem, Exchange], None] | None = None,
) -> RunResult:
    """Prepare and send `items` in order; what each captures is a variable for those after it.

    `target_for` gives a request's target and profile variables (or a message why it has none).
    `request_variables` are request-level values for every request (the command line's --var); a file's
    own `variables` still come first. A write to a production profile is sent only with `confirm_writes`;
    without it, it is a failed step saying `unconfirmed_hint` (how to confirm, in the caller's words), or
    a skipped one with `skip_writes` (the user chose to run the reads only). A 429 sends the same request
    again, up to `max_retries` times: a pacer among `observers` (anything with `retry_after`) waits in
    its before_send; without one, the run sleeps what the server said (Retry-After,
    extras.wait_seconds) and gives up when it said nothing. Cancelling the task stops the run (the
    request in flight is cancelled).
    `on_exchange` sees each final exchange (to show its response) before a streamed body file is deleted.
    """
    captures: dict[str, str] = {}
    steps: list[RunStep] = []
    scopes = VariableScopes(
        request=dict(request_variables or {}), collection=dict(collection_variables or {})
    )
    how = _Sending(
        observers, confirm_writes, skip_writes, unconfirmed_hint, sleep, max_retries, timeout_s, on_exchange
    )
    for item in items:
        # Each request sees a copy of the captures so far; `captures` itself takes what it captures.
        step = await _run_one(
            item, catalogs, target_for, executor, replace(scopes, captures=dict(captures)), captures, how
        )
        steps.append(step)
        if on_step is not None:
            on_step(step)
        if step.failed and bail:
            return RunResult(tuple(steps), captures, stopped=len(steps) < len(items))
    return RunResult(tuple(steps), captures)


@dataclass(frozen=True)
class _Sending:
    observers: Sequence[SendObserver]
    confirm_writes: bool
    skip_writes: bool
    unconfirmed_hint: str
    sleep: Sleep
    max_retries: int
    timeout_s: float | None
    on_exchange: Callable[[RunItem, Exchange], None] | None


async def _run_one(
    item: RunItem,
    catalogs: Mapping[Api, Catalog],
    target_for: Callable[[RequestSpec], RunTarget | str],
    executor: Executor,
    scopes: VariableScopes,
    captures: dict[str, str],
    how: _Sending,
) -> RunStep:
    if item.spec is None:
        return RunStep(item.label, error=item.error or "the file holds no request", failed=True)
    spec = item.spec
    where = target_for(spec)
    if isinstance(where, str):
        return RunStep(item.label, error=where, failed=True)
    scopes = replace(scopes, profile=dict(where.variables))
    preparation = prepare(spec, catalogs, where.target, variables=scopes)
    lint = tuple(finding.code for finding in preparation.findings)
    if preparation.errors or preparation.request is None:
        fields = "; ".join(f"{name}: {message}" for name, message in preparation.errors.items())
        return RunStep(item.label, lint=lint, error=fields or "the request could not be built", failed=True)
    if preparation.refusal is not None:
        return RunStep(item.label, lint=lint, error=preparation.refusal, failed=True)
    if preparation.confirmation is not None and not how.confirm_writes:
        question = preparation.confirmation.removesuffix(" Send it?")
        if how.skip_writes:
            return RunStep(item.label, lint=lint, error=f"not sent (reads only): {question}")
        return RunStep(
            item.label, lint=lint, error=f"not sent: {question} ({how.unconfirmed_hint})", failed=True
        )
    if where.timeout_s is not None:
        how = replace(how, timeout_s=where.timeout_s)
    with _trusting(executor, where.trusted):
        exchange, attempts = await _send(preparation.request, spec, executor, how)
    result = exchange.result
    error: str | None = _failure_text(exchange) if exchange.failed else None
    captured: tuple[str, ...] = ()
    if not exchange.failed and spec.captures:
        values, problems = _captures_of(exchange, spec)
        captures.update(values)
        captured = tuple(values)
        if problems:
            error = "; ".join(f"capture {name}: {message}" for name, message in problems.items())
    if how.on_exchange is not None:
        how.on_exchange(item, exchange)
    result.discard_body_file()
    return RunStep(
        item.label,
        status=result.status,
        seconds=result.elapsed_s,
        lint=lint,
        error=error,
        failed=exchange.failed or error is not None,
        sent=True,
        captured=captured,
        attempts=attempts,
        notes=result.masked().notes,
        truncated=result.truncated,
    )


@dataclass(frozen=True)
class ProductionWrite:
    """A request of a run that writes to a production site, so the run asks before sending it."""

    label: str
    verb: str
    target: Target


def production_writes(
    items: Sequence[RunItem],
    catalogs: Mapping[Api, Catalog],
    target_for: Callable[[RequestSpec], RunTarget | str],
) -> list[ProductionWrite]:
    """The writes among `items` that would go through a production profile (read-only ones are refused
    anyway, so they are not counted): what to ask about before a run starts.

    Found from the verb alone, before any variable is filled in (a capture is only known mid-run); the
    rule is the one `prepare` asks by: a write verb through a production target.
    """
    found: list[ProductionWrite] = []
    for item in items:
        if item.spec is None:
            continue
        where = target_for(item.spec)
        target = where.target if isinstance(where, RunTarget) else None
        if target is None or not target.production or target.read_only:
            continue
        method = find_method(item.spec, catalogs)
        if isinstance(method, str):
            continue  # an unknown method fails its step without sending
        verb = method.verb if method is not None else item.spec.verb
        if is_write(verb):
            found.append(ProductionWrite(item.label, verb.upper(), target))
    return found


@contextlib.contextmanager
def _trusting(executor: Executor, trusted: tuple[str, str] | None) -> Iterator[None]:
    """The profile's trusted certificate for its site during one send, then what the executor trusted
    before: another profile's request to the same site must not trust it."""
    if trusted is None:
        yield
        return
    before = dict(executor.trusted_certificates)
    executor.trust_certificate(*trusted)
    changed = [key for key, pem in executor.trusted_certificates.items() if before.get(key) != pem]
    try:
        yield
    finally:
        for key in changed:
            if key in before:
                executor.trusted_certificates[key] = before[key]
            else:
                executor.trusted_certificates.pop(key, None)


class _Retrying(Protocol):
    """A pacer: it learns a 429's wait in retry_after and waits it in its before_send."""

    def retry_after(self, exchange: Exchange) -> float | None: ...


async def _send(
    request: PreparedRequest, spec: RequestSpec, executor: Executor, how: _Sending
) -> tuple[Exchange, int]:
    pacers = [cast(_Retrying, o) for o in how.observers if callable(getattr(o, "retry_after", None))]
    attempts = 0
    while True:
        attempts += 1
        exchange = await send_prepared(
            request, executor, spec=spec, observers=how.observers, timeout_s=how.timeout_s
        )
        if exchange.result.status != TOO_MANY_REQUESTS or attempts > how.max_retries:
            return exchange, attempts
        if pacers:
            for pacer in pacers:
                pacer.retry_after(exchange)  # it learns the wait; its before_send does the waiting
        else:
            throttle = read_throttle(exchange.result)
            if throttle is None or throttle.wait_s is None:
                return exchange, attempts  # the server did not say how long: never a guessed backoff
            await how.sleep(throttle.wait_s)
        exchange.result.discard_body_file()


def _captures_of(exchange: Exchange, spec: RequestSpec) -> tuple[dict[str, str], dict[str, str]]:
    result = exchange.result
    try:
        document = json.loads(result.read_body())
    except (ValueError, OSError):
        return {}, {c.name: "the response is not JSON" for c in spec.captures}
    return capture_all(document, spec.captures)


def _failure_text(exchange: Exchange) -> str:
    """One line on why the request failed, with every secret masked (it is printed and shown)."""
    result = exchange.result.masked()
    if result.cancelled:
        return "cancelled"
    if result.error:
        return result.error
    if exchange.diagnosis is not None:
        text = f"{exchange.diagnosis.title}: {exchange.diagnosis.summary}"
        return text if len(text) <= _MAX_ERROR_CHARS else text[: _MAX_ERROR_CHARS - 1] + "…"
    return f"HTTP {result.status} {result.reason}".strip()
