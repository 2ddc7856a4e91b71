"""What the subcommands share: printing that survives closed pipes, error lines, findings."""

from __future__ import annotations

import argparse
import errno
import os
import sys
from collections.abc import Iterable
from typing import TextIO

from explorer.core.catalog.model import Api, Catalog
from explorer.core.lint import Finding


def write(text: str, *, stream: TextIO | None = None) -> None:
    """Print, tolerating a reader that went away (`explorer methods | head`) or no output at all.

    The output is dropped quietly and the command's exit status stays the documented one (0 when all
    went well), as coreutils do for a closed pipe: the reader chose to stop reading.
    """
    target = stream if stream is not None else sys.stdout
    # Started with the descriptor closed (`explorer methods >&-`), Python has no sys.stdout at all.
    if target is None or target.closed:
        return
    try:
        print(text, file=target)
        target.flush()
    except OSError as exc:
        if not isinstance(exc, BrokenPipeError) and exc.errno not in (errno.EBADF, errno.EPIPE):
            raise
        _point_at_nothing(target)


def _point_at_nothing(target: TextIO) -> None:
    """Send later writes (and Python's own flush at exit, which would complain again) to the null device."""
    try:
        fileno = target.fileno()
    except (OSError, ValueError):  # not backed by a descriptor (a StringIO), or closed meanwhile
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fileno)
    except OSError:
        pass  # the descriptor itself is gone: nothing is left to silence
    finally:
        os.close(devnull)


def fail(command: str, errors: Iterable[str]) -> int:
    """Report input errors, one line each, on standard error; the usage/input exit status (2)."""
    write("\n".join(f"explorer {command}: {error}" for error in errors), stream=sys.stderr)
    return 2


def parse_args(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace | int:
    """The parsed options, or the exit status to return: argparse has printed the usage and the problem
    (2), or the help (0)."""
    try:
        return parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)


def findings_json(findings: Iterable[Finding]) -> list[dict[str, object]]:
    """The documented `--json` shape of findings: [{code, severity, message, fix}]."""
    return [f.as_json() for f in findings]


def format_finding(finding: Finding) -> str:
    """One finding for people: `severity: code: message`, and whether a fix exists."""
    line = f"{finding.severity.value}: {finding.code}: {finding.message}"
    if finding.fix is not None:
        line += f"\n  fix available: {finding.fix.title}"
    return line


def load_catalogs(command: str) -> dict[Api, Catalog]:
    """The bundled catalogs and the user's custom methods (saved in the window), as every command sees them.

    A damaged custom methods file is one warning on stderr and the bundled methods; a bundled catalog that
    cannot be read raises CatalogError, which the command reports.
    """
    from explorer.core.catalog.custom import load_catalogs_with_custom
    from explorer.core.paths import AppPaths

    catalogs, warning = load_catalogs_with_custom(AppPaths.default().custom_methods_file)
    if warning:
        write(f"explorer {command}: warning: {warning}", stream=sys.stderr)
    return catalogs


def load_catalogs_or_fail(command: str) -> dict[Api, Catalog] | int:
    """`load_catalogs`, or the exit status 2 once a bundled catalog that cannot be read has been reported."""
    from explorer.core.catalog.loader import CatalogError

    try:
        return load_catalogs(command)
    except CatalogError as exc:
        return fail(command, [f"cannot load the catalogs: {exc}"])
