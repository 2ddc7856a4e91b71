"""Killed in the middle of writing, twenty times in a row, the history opens whole with every entry reported.

A child process records entries without pause and reports each id once flush() says it was written; the
test reads a random number of those reports and sends SIGKILL at once, so the kill lands anywhere in the
write cycle (queueing, redacting, inside a transaction, committing, checkpointing). The recorders are
forked from one helper process (history_crash_child.py), so the twenty runs take a second, not twenty
interpreter start-ups.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.core.history import HistoryFilter, HistoryStore

CHILD = Path(__file__).with_name("history_crash_child.py")
RUNS = 20


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forks recorders and kills them with SIGKILL (POSIX)")
def test_every_reported_entry_survives_a_kill_and_the_file_stays_whole(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    seed = random.randrange(2**32)
    rng = random.Random(seed)
    reported: set[int] = set()
    helper = subprocess.Popen(
        [sys.executable, str(CHILD), str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert helper.stdin is not None and helper.stdout is not None
    try:
        for run in range(RUNS):
            fifo = tmp_path / f"run-{run}.ids"
            os.mkfifo(fifo)
            helper.stdin.write(f"{fifo}\n")
            helper.stdin.flush()
            pid = int(helper.stdout.readline())
            with fifo.open("rb") as reports:
                lines = [reports.readline() for _ in range(rng.randint(1, 12))]
                os.kill(pid, signal.SIGKILL)
                # Reports the recorder finished before it died count too; a half-written last one does not.
                printed = b"".join(lines) + reports.read()
            status = int(helper.stdout.readline())
            assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (run, status)
            ids = {int(line) for line in printed.split(b"\n")[:-1]}
            assert ids, f"run {run}: the recorder reported nothing (seed {seed})"
            reported |= ids
            _check(path, reported, f"run {run}, seed {seed}")
    finally:
        helper.stdin.close()
        helper.wait(timeout=30)
    store = HistoryStore(path)
    try:
        assert store.count(HistoryFilter(text="crash topic")) == store.count() >= len(reported)
    finally:
        store.close()


def _check(path: Path, reported: set[int], where: str) -> None:
    """The file is whole (database and index) and holds every reported entry, each with its body."""
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)], where
        db.execute("INSERT INTO entries_fts (entries_fts) VALUES ('integrity-check')")
        stored = {entry_id for (entry_id,) in db.execute("SELECT id FROM entries")}
        bodies = {entry_id for (entry_id,) in db.execute("SELECT entry_id FROM bodies")}
    finally:
        db.close()
    assert not reported - stored, f"{where}: reported but lost: {sorted(reported - stored)}"
    assert bodies == stored, where
