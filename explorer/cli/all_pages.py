"""`explorer request … --all-pages`: fetch every page of a list method, print the merged array, paced."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable, Mapping

from explorer.cli.common import fail, format_finding, write
from explorer.cli.recording import history_observers
from explorer.cli.report import Delivery
from explorer.core.catalog.model import Api, Catalog
from explorer.core.lifecycle import Exchange, Preparation, SendObserver, Target, new_executor
from explorer.core.lint import has_errors
from explorer.core.paging import DEFAULT_MAX_ITEMS, DEFAULT_MAX_PAGES, FetchResult, fetch_all, merged_exchange
from explorer.core.settings import Settings


def add_options(parser: argparse.ArgumentParser) -> None:
    """The --all-pages options of `explorer request`."""
    parser.add_argument(
        "--all-pages",
        action="store_true",
        help="fetch every page of a list method (as its catalog entry says it pages) and print the items "
        "as one array, each once; with --json one item per line; a summary goes to standard error",
    )
    parser.add_argument(
        "--max-pages",
        metavar="N",
        type=_positive,
        default=DEFAULT_MAX_PAGES,
        help=f"with --all-pages: stop after N pages (default {DEFAULT_MAX_PAGES})",
    )
    parser.add_argument(
        "--max-items",
        metavar="N",
        type=_positive,
        default=DEFAULT_MAX_ITEMS,
        help=f"with --all-pages: stop at N items (default {DEFAULT_MAX_ITEMS})",
    )


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def run(
    preparation: Preparation,
    target: Target | None,
    catalogs: Mapping[Api, Catalog],
    args: argparse.Namespace,
    delivery: Delivery,
    settings: Callable[[], Settings],
) -> int:
    """Fetch every page of the prepared request and print the merged items; the exit status."""
    command = delivery.command
    if args.dry_run or args.save is not None or getattr(args, "export", None):
        return fail(
            command, ["--all-pages sends the requests; it does not go with --dry-run, --save or --export"]
        )
    method = preparation.method
    if method is None or method.pagination is None:
        name = f"{method.api.value} {method.id}" if method is not None else "a free-form request"
        return fail(command, [f"--all-pages: {name} does not page (no pagination in its catalog entry)"])
    findings = list(preparation.findings)
    for finding in findings:
        write(format_finding(finding), stream=sys.stderr)
    if preparation.refusal is not None:
        return fail(command, [preparation.refusal])
    if preparation.confirmation is not None and not delivery.confirmed:
        question = preparation.confirmation.removesuffix(" Send it?").rstrip(".")
        return fail(command, [f"{question}; add --yes to send it"])
    chosen = settings()
    from explorer.core.ratebudget import BudgetBook, RoutingPacer, waiting_text

    # Every page is paced against the profile's rate budget; a 429 waits what the server said.
    pacer = RoutingPacer(
        BudgetBook(lambda: chosen), on_wait=lambda seconds: write(waiting_text(seconds), stream=sys.stderr)
    )
    with history_observers(delivery.history, chosen) as recorders:
        result = asyncio.run(_fetch(preparation, target, catalogs, args, delivery, chosen, [pacer]))
        merged = merged_exchange(result)
        if merged is not None:
            _record(recorders, merged)
    _print(result, preparation, as_json=delivery.as_json, reveal_secrets=delivery.reveal_secrets)
    lint_status = 1 if has_errors(findings) else 0
    return max(lint_status, 1 if result.failure is not None or not result.pages else 0)


async def _fetch(
    preparation: Preparation,
    target: Target | None,
    catalogs: Mapping[Api, Catalog],
    args: argparse.Namespace,
    delivery: Delivery,
    settings: Settings,
    observers: list[SendObserver],
) -> FetchResult:
    executor = new_executor(settings, follow_redirects=delivery.follow_redirects)
    try:
        return await fetch_all(
            preparation.spec,
            catalogs=catalogs,
            target=target,
            executor=executor,
            max_pages=args.max_pages,
            max_items=args.max_items,
            observers=observers,
            timeout_s=delivery.timeout_s,
        )
    finally:
        await executor.aclose()


def _record(recorders: list[SendObserver], merged: Exchange) -> None:
    # The walk goes to the history as one entry: the merged array, a note naming its pages.
    for recorder in recorders:
        recorder.after_send(merged)


def _print(result: FetchResult, preparation: Preparation, *, as_json: bool, reveal_secrets: bool) -> None:
    from explorer.core.http import request_secrets, scrub

    secrets = () if reveal_secrets or preparation.request is None else request_secrets(preparation.request)
    if as_json:
        # One item per line, each once, so `| jq -c` or a line reader can stream them.
        for item in result.items:
            write(scrub(json.dumps(item, ensure_ascii=False), secrets))
    elif result.pages:
        write(scrub(json.dumps(result.items, indent=2, ensure_ascii=False), secrets))
    write(f"explorer request: {result.summary()}", stream=sys.stderr)
    if result.rate_waits:
        write(
            f"note: the server asked to slow down {result.rate_waits} time(s); each page was sent again "
            "after the wait it named",
            stream=sys.stderr,
        )
    failure = result.failure
    if failure is not None and failure.diagnosis is not None:
        write(f"{failure.diagnosis.title}: {failure.diagnosis.summary}", stream=sys.stderr)
