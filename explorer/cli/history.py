"""`explorer history`: list and search the request history, show one entry, remove entries or all."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from explorer.cli import history_output as output
from explorer.cli.common import fail, parse_args, write
from explorer.cli.targets import load_cli_settings
from explorer.core.paths import AppPaths

if TYPE_CHECKING:
    from explorer.core.history import HistoryStore

COMMAND = "history"
ACTIONS = ("show", "rm", "clear")
STATUS_CHOICES = ("2xx", "3xx", "4xx", "5xx", "none")


def build_list_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="explorer history",
        description="List the requests the window and `explorer request`/`run` recorded, newest first, "
        "optionally searching URL, method, status, headers and body text for QUERY (every word must "
        "occur; the last also as the start of a longer word). Other forms: "
        "`explorer history show ID [--body] [--json]`, `explorer history rm ID...`, "
        "`explorer history clear --yes`; `explorer history -- show` searches for the word show. Exit "
        "status: 0 ok, 1 an entry not found, 2 bad usage.",
    )
    parser.add_argument("query", metavar="QUERY", nargs="*", help="words to search for")
    parser.add_argument("--api", choices=("discourse", "disqus"), help="only this API")
    parser.add_argument("--method", metavar="ID", help="only this catalog method id")
    parser.add_argument("--profile", metavar="NAME", help="only requests sent through this profile")
    parser.add_argument(
        "--status", choices=STATUS_CHOICES, help="only this class of status (none: no answer at all)"
    )
    parser.add_argument("--limit", metavar="N", type=_positive, default=50, help="at most N entries (50)")
    parser.add_argument(
        "--before",
        metavar="ID",
        type=_positive,
        help="only entries recorded before entry ID: the next page after a list that ended at ID",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="one JSON object per line: {id, time, api, method, verb, url, status, duration_ms, size}",
    )
    return parser


def build_action_parser(action: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"explorer history {action}")
    if action == "show":
        parser.description = "Show one recorded request and its answer, keys masked as they were stored."
        parser.add_argument("id", metavar="ID", type=int)
        parser.add_argument(
            "--body", action="store_true", help="print the stored response body only (with --json: add it)"
        )
        parser.add_argument("--json", action="store_true", help="print one JSON object")
    elif action == "rm":
        parser.description = "Remove recorded requests (pinned ones too)."
        parser.add_argument("ids", metavar="ID", type=int, nargs="+")
    else:
        parser.description = "Remove every recorded request, pinned ones too."
        parser.add_argument("--yes", action="store_true", help="really remove everything")
    return parser


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def main(argv: list[str]) -> int:
    action = argv[0] if argv and argv[0] in ACTIONS else None
    if action is None:
        args = parse_args(build_list_parser(), argv[1:] if argv[:1] == ["--"] else argv)
    else:
        args = parse_args(build_action_parser(action), argv[1:])
    if isinstance(args, int):
        return args
    if action == "clear" and not args.yes:
        return fail(COMMAND, ["clear removes every recorded request, pinned ones too; add --yes to do it"])
    paths = AppPaths.default()
    with _store(paths) as store:
        if action == "show":
            return _show(store, args)
        if action == "rm":
            return _remove(store, args.ids)
        if action == "clear":
            removed = store.clear() if store is not None else 0
            write(f"removed {removed} {'entry' if removed == 1 else 'entries'}", stream=sys.stderr)
            return 0
        return _list(store, args)


@contextmanager
def _store(paths: AppPaths) -> Iterator[HistoryStore | None]:
    """The history, or None when nothing was ever recorded (a command that only reads creates no file)."""
    if not paths.history_file.exists():
        yield None
        return
    from explorer.core.history import open_history

    store, notice = open_history(paths.history_file, **load_cli_settings(paths).history_options())
    if notice is not None:
        write(f"note: {notice}", stream=sys.stderr)
    try:
        yield store
    finally:
        store.close()


def _list(store: HistoryStore | None, args: argparse.Namespace) -> int:
    from explorer.core.history import HistoryFilter

    flt = HistoryFilter(
        text=" ".join(args.query),
        api=args.api,
        method_id=args.method,
        profile=args.profile,
        status_class=args.status,
    )
    # One more than asked, to know whether another page follows (read by key: as quick deep down as on top).
    entries = store.search(flt, limit=args.limit + 1, before=args.before) if store is not None else []
    more, entries = len(entries) > args.limit, entries[: args.limit]
    if args.json:
        for entry in entries:
            write(output.dumps(output.entry_json(entry)))
        return 0
    if not entries:
        nothing = "nothing recorded yet" if store is None or store.count() == 0 else "no entry matches"
        if args.before is not None and store is not None and store.count() > 0:
            nothing = f"no entry matches before {args.before}"
        write(nothing, stream=sys.stderr)
        return 0
    assert store is not None
    for line in output.table(entries):
        write(line)
    total = store.count(flt)
    hint = ""
    if more:
        hint = f"; --before {entries[-1].id} lists the next ones"
        if args.before is None:
            hint += f", --limit {total} shows all"
    where = f" before {args.before}" if args.before is not None else ""
    write(f"{len(entries)}{where} of {total} {'entry' if total == 1 else 'entries'}, newest first{hint}")
    return 0


def _show(store: HistoryStore | None, args: argparse.Namespace) -> int:
    entry = store.get(args.id) if store is not None else None
    if store is None or entry is None:
        write(f"explorer {COMMAND}: no entry {args.id}", stream=sys.stderr)
        return 1
    body = store.body(entry.id) if args.body else None
    if args.json:
        data = output.detail_json(entry)
        if body is not None:
            data.update(output.body_json(body))
        write(output.dumps(data))
    elif body is not None:
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
    else:
        for line in output.details(entry):
            write(line)
    return 0


def _remove(store: HistoryStore | None, ids: list[int]) -> int:
    found = {i for i in ids if store is not None and store.get(i) is not None}
    removed = store.delete(sorted(found)) if store is not None and found else 0
    write(f"removed {removed} {'entry' if removed == 1 else 'entries'}", stream=sys.stderr)
    missing = [i for i in dict.fromkeys(ids) if i not in found]
    for entry_id in missing:
        write(f"explorer {COMMAND}: no entry {entry_id}", stream=sys.stderr)
    return 1 if missing else 0
