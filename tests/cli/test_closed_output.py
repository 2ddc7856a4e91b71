"""Output nobody reads: a closed pipe (`explorer methods | head -1`) or no standard output at all."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.cli.common import write


def test_write_without_a_standard_output_is_quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdout", None)
    write("dropped")  # Python sets sys.stdout to None when started with the descriptor closed


def test_write_to_a_closed_stream_is_quiet() -> None:
    stream = io.StringIO()
    stream.close()
    write("dropped", stream=stream)


def test_write_to_a_broken_pipe_silences_the_descriptor(tmp_path: Path) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    with open(write_end, "w", encoding="utf-8") as stream:
        write("x" * 100_000, stream=stream)  # more than the pipe holds, so the write itself fails
        write("later lines go nowhere", stream=stream)


def _explorer(tmp_path: Path, **kw: object) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "EXPLORER_HOME": str(tmp_path)}
    return subprocess.run(
        [sys.executable, "-m", "explorer", "methods", "--json"], env=env, stderr=subprocess.PIPE, **kw
    )


def test_explorer_methods_with_stdout_closed_exits_zero_without_a_traceback(tmp_path: Path) -> None:
    done = _explorer(tmp_path, stdout=None, preexec_fn=lambda: os.close(1), timeout=120)
    assert b"Traceback" not in done.stderr
    assert done.returncode == 0


def test_explorer_methods_into_a_reader_that_stops_exits_zero(tmp_path: Path) -> None:
    env = {**os.environ, "EXPLORER_HOME": str(tmp_path)}
    child = subprocess.Popen(
        [sys.executable, "-m", "explorer", "methods", "--json"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.read(1)
    child.stdout.close()  # `| head -c 1`
    err = child.stderr.read()
    assert child.wait(timeout=120) == 0
    assert b"Traceback" not in err


def test_selftest_into_a_closed_pipe_keeps_its_status(monkeypatch: pytest.MonkeyPatch) -> None:
    from explorer.cli import selftest

    checks = [selftest.Check("resources", True, "found"), selftest.Check("catalogs", True, "loaded")]
    monkeypatch.setattr(selftest, "run_selftest", lambda worker: checks)
    read_end, write_end = os.pipe()
    os.close(read_end)
    with open(write_end, "w", encoding="utf-8") as stream:
        monkeypatch.setattr(sys, "stdout", stream)
        assert selftest.main([]) == 0
