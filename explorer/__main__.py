"""Command-line entry point: `explorer` opens the window; subcommands serve scripts and checks."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from explorer import __version__

SUBCOMMANDS = (
    "methods",
    "request",
    "run",
    "import",
    "history",
    "lint",
    "sandbox",
    "selftest",
    "check-display",
)


def _window_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="explorer",
        description="Forum API Explorer. With no arguments, opens the window. "
        f"Subcommands: {', '.join(SUBCOMMANDS)} (see `explorer SUBCOMMAND --help`).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--screenshot", metavar="PATH", help="save a PNG of the window and exit")
    parser.add_argument(
        "--method", metavar="API:ID", help="open this method, e.g. discourse:listLatestTopics"
    )
    parser.add_argument("--send", action="store_true", help="send the method before the screenshot")
    parser.add_argument(
        "--arg", metavar="NAME=VALUE", action="append", dest="args", help="fill an argument (repeatable)"
    )
    parser.add_argument(
        "--tab",
        choices=("body", "table", "raw", "headers", "request", "explain", "collections"),
        help="the response tab shown in the screenshot (table: the Body's Table tab; collections: the "
        "sidebar's Collections tab)",
    )
    parser.add_argument(
        "--open", metavar="FILE", dest="open_file", help="open a saved JSON file in the viewer"
    )
    parser.add_argument(
        "--request",
        metavar="FILE",
        dest="request_file",
        help="open a saved request (from `explorer request --save` or Save request as…) in the editor",
    )
    parser.add_argument(
        "--collection",
        metavar="DIR",
        help="open the folder DIR as a collection in the Collections tab",
    )
    parser.add_argument("--home", metavar="DIR", help="keep settings and profiles under DIR (for tests)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in SUBCOMMANDS:
        return _run_subcommand(args[0], args[1:])
    options = _window_parser().parse_args(args)
    # Qt is imported only here, so the CLI and the sandbox run without a display.
    from explorer.ui.app import run_window

    return run_window(options)


def _run_subcommand(name: str, rest: list[str]) -> int:
    if name == "methods":
        from explorer.cli import methods as command
    elif name == "request":
        from explorer.cli import request as command
    elif name == "run":
        from explorer.cli import run as command
    elif name == "import":
        from explorer.cli import import_command as command
    elif name == "history":
        from explorer.cli import history as command
    elif name == "lint":
        from explorer.cli import lint as command
    elif name == "selftest":
        from explorer.cli import selftest as command
    elif name == "check-display":
        from explorer.cli import qt_check as command
    else:
        from explorer.cli import sandbox as command
    return command.main(rest)


if __name__ == "__main__":
    raise SystemExit(main())
