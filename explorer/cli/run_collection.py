"""`explorer run FOLDER`: every request of a collection (or of one of its folders) in order, one line each."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path, PurePosixPath

from explorer.cli.common import fail, load_catalogs_or_fail, write
from explorer.cli.recording import history_observers
from explorer.cli.report import cli_notes
from explorer.cli.sandbox_target import sandbox_profile_name
from explorer.cli.targets import (
    ProfileTarget,
    api_of_spec,
    load_profile,
    options_target,
    print_notes,
    with_options,
)
from explorer.core.catalog.model import Api
from explorer.core.collections.folder import Collection, CollectionError, find_collection
from explorer.core.collections.runner import (
    RunItem,
    RunResult,
    RunStep,
    RunTarget,
    collection_items,
    run_requests,
)
from explorer.core.lifecycle import RequestSpec, SendObserver, new_executor
from explorer.core.paths import AppPaths
from explorer.core.settings import Settings

COMMAND = "run"


def open_folder(folder: Path) -> tuple[Collection, str] | str:
    """The collection `folder` belongs to and the part of it to run ("" for all), or a message."""
    try:
        found = find_collection(folder)
        if found is None:
            return Collection.open(folder), ""  # a folder of request files without collection.json
        collection, inside = found
    except CollectionError as exc:
        return str(exc)
    return collection, "" if inside == PurePosixPath(".") else str(inside)


def run_folder(folder: Path, args: argparse.Namespace, paths: AppPaths, settings: Settings) -> int:
    """Run every request under `folder`; 0 when all passed, 1 when any failed, 2 for unusable input."""
    opened = open_folder(folder)
    if isinstance(opened, str):
        return fail(COMMAND, [opened])
    collection, under = opened
    items = collection_items(collection, under)
    if not items:
        return fail(COMMAND, [f"{str(folder)!r}: no request files (*.json) in this folder"])
    catalogs = load_catalogs_or_fail(COMMAND)
    if isinstance(catalogs, int):
        return catalogs
    as_json = bool(args.json)
    target_for = _targets(
        args.profile, collection.profile, args.base_url, paths, settings, sandbox=bool(args.sandbox)
    )
    with history_observers(None if args.no_history else paths, settings) as recorders:
        observers: list[SendObserver] = [*recorders, _pacer(settings, as_json)]
        try:
            result = asyncio.run(
                _run(
                    items,
                    catalogs,
                    target_for,
                    settings,
                    collection_variables=collection.variables,
                    request_variables=args.var,  # --var, already parsed by explorer run
                    observers=observers,
                    bail=bool(args.bail),
                    confirm_writes=bool(args.yes),
                    unconfirmed_hint="pass --yes to send it",
                    on_step=_printer(as_json),
                    follow_redirects=args.follow_redirects,
                )
            )
        except KeyboardInterrupt:
            write("explorer run: stopped", stream=sys.stderr)
            return 130
    if not as_json:
        write(_summary(result))
    return 1 if result.failed else 0


async def _run(
    items: list[RunItem],
    catalogs: object,
    target_for: Callable[[RequestSpec], RunTarget | str],
    settings: Settings,
    *,
    follow_redirects: bool | None,
    **options: object,
) -> RunResult:
    executor = new_executor(settings, follow_redirects=follow_redirects)
    try:
        return await run_requests(items, catalogs, target_for, executor, **options)  # type: ignore[arg-type]
    finally:
        await executor.aclose()


def _targets(
    forced: str | None,
    default: str | None,
    base_url: str | None,
    paths: AppPaths,
    settings: Settings,
    *,
    sandbox: bool = False,
) -> Callable[[RequestSpec], RunTarget | str]:
    """Where each request goes: --profile (`forced`), or with `sandbox` (--sandbox) the built-in sandbox
    profile of the request's API, else the file's profile, else the collection's (`default`) when it is a
    profile of the request's API; each profile loaded once.

    The collection's profile is a default, not an order: a request of the other API (a Disqus request
    in a Discourse collection) goes without it, as a file naming no profile would. A name that matches no
    saved profile fails the requests that would use it, with a message naming collection.json.
    """
    loaded: dict[tuple[str, Api | None], ProfileTarget | str] = {}
    noted: set[str] = set()

    def load(name: str, api: Api | None) -> ProfileTarget | str:
        if (name, api) not in loaded:
            loaded[(name, api)] = found = load_profile(name, api, paths, settings)
            if not isinstance(found, str) and name not in noted:
                noted.add(name)  # a profile's notes (a missing key) are said once per run
                print_notes(found.notes)
        return loaded[(name, api)]

    def target_for(spec: RequestSpec) -> RunTarget | str:
        try:
            api = api_of_spec(spec.api)
        except ValueError as exc:
            return str(exc)
        name = forced or (sandbox_profile_name(api) if sandbox else None) or spec.profile
        if name is None and default is not None:
            found = load(default, None)
            if isinstance(found, str):
                return f"profile: collection.json names the profile {default!r}: {found}"
            if api is None or found.target.api == api:
                name = default
        if name is None:
            return RunTarget(options_target(api, base_url, {}) if api is not None else None)
        found = load(name, api)
        if isinstance(found, str):
            return f"profile: {found}"
        return RunTarget(
            with_options(found.target, base_url, {}), found.variables, found.timeout_s, found.trusted
        )

    def with_base(spec: RequestSpec) -> RunTarget | str:
        # --base-url also replaces the site a catalog request file names, as for a single file.
        return target_for(replace(spec, url="") if base_url and not spec.is_free_form else spec)

    return with_base


def _pacer(settings: Settings, quiet: bool) -> SendObserver:
    """One pacer for the whole run: requests stay inside each site's rate budget, and a 429's wait is kept."""
    from explorer.core.ratebudget import BudgetBook, RoutingPacer, waiting_text

    def on_wait(seconds: float) -> None:
        if not quiet:
            write(f"note: {waiting_text(seconds)}", stream=sys.stderr)

    return RoutingPacer(BudgetBook(lambda: settings), on_wait=on_wait)


def _printer(as_json: bool) -> Callable[[RunStep], None]:
    def show(step: RunStep) -> None:
        if as_json:
            # The notes as `explorer request` words them (how to follow a redirect, …).
            write(json.dumps({**step.as_json(), "notes": cli_notes(step.notes)}, ensure_ascii=False))
        else:
            write(step_line(step))

    return show


def step_line(step: RunStep) -> str:
    """`PASS  200   0.21 s  Topics/Create topic  lint: code` (and the error after a failure)."""
    status = str(step.status) if step.status is not None else "-"
    seconds = f"{step.seconds:6.2f} s" if step.sent else "       -"
    line = f"{'FAIL' if step.failed else 'PASS'}  {status:>3}  {seconds}  {step.label}"
    if step.lint:
        line += f"  lint: {', '.join(step.lint)}"
    if step.attempts > 1:
        line += f"  (sent {step.attempts} times: rate limited)"
    if step.error:
        line += f"\n      {step.error}"
    for note in cli_notes(step.notes):
        line += f"\n      note: {note}"
    return line


def _summary(result: RunResult) -> str:
    failed = sum(step.failed for step in result.steps)
    total = len(result.steps)
    seconds = sum(step.seconds for step in result.steps)
    plural = "s" if total != 1 else ""
    text = f"{total} request{plural}: {total - failed} passed, {failed} failed ({seconds:.2f} s)"
    if result.stopped:
        text += "; stopped at the first failure (--bail)"
    return text
