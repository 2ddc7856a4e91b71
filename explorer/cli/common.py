"""What the subcommands share: printing that survives closed pipes, error lines, findings."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from typing import TextIO

from explorer.core.lint import Finding


def write(text: str, *, stream: TextIO | None = None) -> None:
    """Print, tolerating a reader that went away (`explorer methods | head`)."""
    target = stream or sys.stdout
    try:
        print(text, file=target)
        target.flush()
    except BrokenPipeError:
        # Python would complain again when flushing at exit; point the stream at nothing instead.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, target.fileno())


def fail(command: str, errors: Iterable[str]) -> int:
    """Report input errors, one line each, on standard error; the usage/input exit status (2)."""
    write("\n".join(f"explorer {command}: {error}" for error in errors), stream=sys.stderr)
    return 2


def findings_json(findings: Iterable[Finding]) -> list[dict[str, object]]:
    """The documented `--json` shape of findings: [{code, severity, message, fix}]."""
    return [f.as_json() for f in findings]


def format_finding(finding: Finding) -> str:
    """One finding for people: `severity: code: message`, and whether a fix exists."""
    line = f"{finding.severity.value}: {finding.code}: {finding.message}"
    if finding.fix is not None:
        line += f"\n  fix available: {finding.fix.title}"
    return line
