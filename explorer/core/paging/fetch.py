"""Fetch every page of a list, within caps on pages and items, paced by the observers, cancellable."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from explorer.core.catalog.model import Api, Catalog, Method
from explorer.core.lifecycle.prepare import find_method, prepare
from explorer.core.lifecycle.send import Exchange, SendObserver, send_prepared
from explorer.core.lifecycle.spec import RequestSpec
from explorer.core.lifecycle.target import Target
from explorer.core.paging.merge import Merged
from explorer.core.paging.pages import Pager, items_path, path_references

if TYPE_CHECKING:
    from explorer.core.collections.variables import VariableScopes
    from explorer.core.http.executor import Executor

DEFAULT_MAX_PAGES = 100
DEFAULT_MAX_ITEMS = 10_000
# How many times one page is sent again after a 429 before the walk gives up (each time the pacer waits
# what the server said first, so this only ends a server that keeps refusing).
MAX_RATE_RETRIES = 5

# Headers of the first page that describe its body, not the merged one.
_BODY_HEADERS = ("content-type", "content-length", "content-encoding", "transfer-encoding", "etag")

# Why a walk stopped (FetchResult.stop).
LAST_PAGE = "last_page"
MAX_PAGES = "max_pages"
MAX_ITEMS = "max_items"
CANCELLED = "cancelled"
FAILED = "failed"


@dataclass(frozen=True)
class PageRecord:
    """One page fetched: its number (from 1), the URL sent (keys masked), status, items and new items."""

    number: int
    url: str
    status: int | None
    items: int
    added: int
    elapsed_s: float


@dataclass
class FetchResult:
    """What a fetch-all gathered: the merged items, a record per page, and why it stopped.

    `first` is the first page's exchange (its request and headers stand for the whole); `failure` the
    exchange that ended the walk with an error, if one did. `message` says in plain words why it stopped.
    """

    spec: RequestSpec
    method: Method | None
    items: list[object] = field(default_factory=list)
    pages: list[PageRecord] = field(default_factory=list)
    duplicates: int = 0
    stop: str = LAST_PAGE
    message: str = ""
    first: Exchange | None = None
    failure: Exchange | None = None
    rate_waits: int = 0

    @property
    def complete(self) -> bool:
        """Every page was fetched."""
        return self.stop == LAST_PAGE

    def summary(self) -> str:
        """One line: pages, items, duplicates dropped, and why it stopped."""
        pages = f"{len(self.pages)} page{'s' if len(self.pages) != 1 else ''}"
        items = f"{len(self.items)} item{'s' if len(self.items) != 1 else ''}"
        dupes = f" ({self.duplicates} seen twice, kept once)" if self.duplicates else ""
        return f"{pages}, {items}{dupes}; {self.message}"


def _can_pace(observers: Sequence[SendObserver]) -> bool:
    # A rate pacer (explorer.core.ratebudget.Pacer) says how long a 429 asks to wait and waits in its
    # before_send; without one a 429 ends the walk rather than hammering the server.
    return any(callable(getattr(o, "retry_after", None)) for o in observers)


async def _send_or_cancel(
    send: asyncio.Future[Exchange] | asyncio.Task[Exchange], cancel: asyncio.Event | None
) -> Exchange | None:
    """The exchange, or None when `cancel` was set first (the request in flight is then cancelled)."""
    if cancel is None:
        return await send
    waiter = asyncio.ensure_future(cancel.wait())
    pending: set[asyncio.Future[object]] = {send, waiter}  # type: ignore[arg-type]
    try:
        await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
    finally:
        waiter.cancel()
    if send.done():
        return send.result()
    send.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await send
    return None


async def fetch_all(
    spec: RequestSpec,
    *,
    catalogs: Mapping[Api, Catalog],
    target: Target | None,
    executor: Executor,
    max_pages: int = DEFAULT_MAX_PAGES,
    max_items: int = DEFAULT_MAX_ITEMS,
    observers: Sequence[SendObserver] = (),
    on_progress: Callable[[int, int], None] | None = None,
    cancel: asyncio.Event | None = None,
    variables: VariableScopes | None = None,
    timeout_s: float | None = None,
) -> FetchResult:
    """Send `spec` and each next page in turn; the merged items and why the walk stopped.

    Every page goes through prepare and send_prepared, telling `observers` (a rate pacer waits in its
    before_send; on a 429 the same page is sent again and the pacer waits what the server asked).
    `on_progress(pages, items)` follows each page. Setting `cancel` stops at once, cancelling the request
    in flight; what was gathered so far is kept. Never raises for HTTP failures: they end the walk.
    """
    found = find_method(spec, catalogs)
    method = found if isinstance(found, Method) else None
    result = FetchResult(spec, method)
    if method is None or method.pagination is None:
        name = spec.method_id or f"{spec.verb} {spec.url}".strip()
        return _stopped(result, FAILED, f"{name} does not page (the catalog declares no pagination for it)")
    if items_path(spec, method) is None:  # nothing to send until the list's place is named
        return _stopped(result, FAILED, _no_list(spec, method, 1))
    pager = Pager(spec, method, catalogs)
    merged = Merged(key=method.pagination.key)
    current = spec
    retries = 0
    while True:
        if cancel is not None and cancel.is_set():
            return _finish(result, merged, CANCELLED, "cancelled")
        preparation = prepare(current, catalogs, target, variables=variables)
        if preparation.request is None or preparation.errors:
            problems = "; ".join(f"{k}: {v}" for k, v in preparation.errors.items()) or "it cannot be built"
            return _finish(result, merged, FAILED, f"page {len(result.pages) + 1} was not sent: {problems}")
        send = asyncio.ensure_future(
            send_prepared(
                preparation.request, executor, spec=current, observers=observers, timeout_s=timeout_s
            )
        )
        exchange = await _send_or_cancel(send, cancel)
        if exchange is None:
            return _finish(result, merged, CANCELLED, "cancelled")
        sent = exchange.result
        number = len(result.pages) + 1
        if sent.status == 429 and _can_pace(observers) and retries < MAX_RATE_RETRIES:
            retries += 1
            result.rate_waits += 1
            sent.discard_body_file()
            continue  # the same page again: the pacer's before_send waits what the server said
        retries = 0
        if result.first is None:
            result.first = exchange
        if exchange.failed:
            result.failure = exchange
            sent.discard_body_file()
            return _finish(result, merged, FAILED, f"page {number} failed: {_failure_text(exchange)}")
        try:
            document = sent.json()
        except (ValueError, OSError):
            document = None
        finally:
            sent.discard_body_file()
        items = pager.items(document)
        if items is None:
            return _finish(result, merged, FAILED, _no_list(spec, method, number))
        room = max(max_items - len(merged.items), 0)
        added = merged.add(items, room)
        result.pages.append(
            PageRecord(
                number, sent.request.masked().full_url(), sent.status, len(items), added, sent.elapsed_s
            )
        )
        if on_progress is not None:
            on_progress(len(result.pages), len(merged.items))
        following = pager.next_spec(document)
        if following is None:
            return _finish(result, merged, LAST_PAGE, "every page fetched")
        if len(merged.items) >= max_items:
            return _finish(result, merged, MAX_ITEMS, f"stopped at the cap of {max_items} items")
        if len(result.pages) >= max_pages:
            return _finish(result, merged, MAX_PAGES, f"stopped at the cap of {max_pages} pages")
        if items and added == 0 and merged.duplicates:
            # A server that ignores the page argument answers the same page forever.
            return _finish(result, merged, FAILED, f"page {number} repeated items already fetched; stopped")
        current = following


def _no_list(spec: RequestSpec, method: Method, number: int) -> str:
    assert method.pagination is not None
    where = method.pagination.items
    if items_path(spec, method) is None:
        names = ", ".join(path_references(where))
        return f"set {names} first: the list to page is at {where}"
    return f"page {number} has no list at {where}"


def _failure_text(exchange: Exchange) -> str:
    sent = exchange.result
    if exchange.diagnosis is not None:
        return exchange.diagnosis.title
    if sent.error:
        return sent.error
    return f"HTTP {sent.status} {sent.reason}".rstrip()


def _stopped(result: FetchResult, stop: str, message: str) -> FetchResult:
    result.stop = stop
    result.message = message
    return result


def _finish(result: FetchResult, merged: Merged, stop: str, message: str) -> FetchResult:
    result.items = merged.items
    result.duplicates = merged.duplicates
    return _stopped(result, stop, message)


def merged_exchange(result: FetchResult) -> Exchange | None:
    """The whole walk as one exchange, for the history and the response pane: the first page's request
    and headers, the merged array as the body, the time of all pages, and a note saying how many pages."""
    first = result.first
    if first is None:
        return None
    body = json.dumps(result.items, ensure_ascii=False).encode("utf-8")
    headers = tuple((k, v) for k, v in first.result.headers if k.lower() not in _BODY_HEADERS)
    note = f"Fetch all: {result.summary()}."
    merged = replace(
        first.result,
        headers=(*headers, ("Content-Type", "application/json; charset=utf-8")),
        body=body,
        body_path=None,
        size=len(body),
        wire_size=len(body),
        elapsed_s=sum(p.elapsed_s for p in result.pages),
        notes=(*first.result.notes, note),
        truncated=False,
    )
    failed = not result.pages
    diagnosis = first.diagnosis if failed else None
    return replace(first, result=merged, spec=result.spec, failed=failed, diagnosis=diagnosis)
