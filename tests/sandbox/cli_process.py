"""Test helper: run `explorer sandbox --ready-json` as a real process and stop it with SIGINT."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class CliRun:
    """The ready line at once; the rest of stdout, stderr and the exit code once the block has ended."""

    ready: dict[str, Any]
    rest_of_stdout: str = ""
    stderr: str = ""
    returncode: int | None = None


@contextmanager
def sandbox_process(*args: str) -> Iterator[CliRun]:
    """Start the command, yield once its JSON line is read, then send SIGINT and collect the outcome."""
    process = subprocess.Popen(
        [sys.executable, "-m", "explorer", "sandbox", "--ready-json", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO_ROOT,  # `-m explorer` works from the checkout even when the package is not installed
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # blocks until the server accepts connections
        run = CliRun(ready=json.loads(line))
        yield run
        process.send_signal(signal.SIGINT)
        run.rest_of_stdout, run.stderr = process.communicate(timeout=30)
        run.returncode = process.returncode
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
