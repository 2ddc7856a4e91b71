"""jq filters: results as one JSON array, inline error messages, worker process for large bodies."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from explorer.core.jsontree.filter import FilterRunner, check_expression, run_filter, shutdown_all

POSTS = [{"id": 1, "username": "a"}, {"id": 2, "username": "b"}]
BODY = json.dumps({"post_stream": {"posts": POSTS}}).encode()


def test_filter_results_are_one_json_array() -> None:
    result = run_filter(".post_stream.posts[].id", BODY)
    assert result.ok and json.loads(result.output) == [1, 2]
    assert json.loads(run_filter(".post_stream.posts | length", BODY).output) == [2]


def test_syntax_errors_are_short_messages() -> None:
    message = check_expression(".post_stream.posts[")
    assert message is not None and "syntax error" in message and "compile error" not in message
    assert check_expression("   ") == "empty filter expression"
    assert check_expression(".a") is None
    assert run_filter(".a[", BODY).error == check_expression(".a[")


def test_runtime_and_input_errors_do_not_raise() -> None:
    assert "Cannot index" in run_filter(".post_stream.posts.id", BODY).error
    assert "parse error" in run_filter(".", b'{"a": ').error


def test_filter_reads_a_body_file(tmp_path: Path) -> None:
    path = tmp_path / "body.json"
    path.write_bytes(BODY)
    assert json.loads(run_filter(".post_stream.posts[0].username", path).output) == ["a"]


def test_runner_uses_a_worker_process_above_the_limit() -> None:
    runner = FilterRunner(in_process_limit=0)
    try:
        future = runner.submit(".post_stream.posts[1].id", BODY)
        assert runner._pool is not None  # really went to the worker
        assert json.loads(future.result(timeout=120).output) == [2]
        bad = runner.submit(".[", BODY)
        assert bad.done() and "syntax error" in bad.result().error  # checked before any process work
    finally:
        runner.shutdown()


SLOW = "last(range(1e12))"  # runs far longer than any test: only a kill ends it


@pytest.fixture
def workers() -> Iterator[list[psutil.Process]]:
    """Workers a test started; any left alive are killed, so a failing test cannot hang the run's exit."""
    started: list[psutil.Process] = []
    yield started
    for process in started:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.kill()


def _started_worker(runner: FilterRunner, workers: list[psutil.Process]) -> psutil.Process:
    future = runner.submit(SLOW, BODY)
    (pid,) = runner.worker_pids()  # spawned by submit() itself
    worker = psutil.Process(pid)
    workers.append(worker)
    assert worker.is_running() and not future.done()
    return worker


def test_shutdown_ends_a_worker_in_the_middle_of_a_filter(workers: list[psutil.Process]) -> None:
    runner = FilterRunner(in_process_limit=0)
    worker = _started_worker(runner, workers)
    runner.shutdown()
    _, alive = psutil.wait_procs([worker], timeout=30)
    assert not alive
    assert runner.worker_pids() == []


def test_shutdown_all_reaches_every_runner(workers: list[psutil.Process]) -> None:
    runners = [FilterRunner(in_process_limit=0) for _ in range(2)]
    started = [_started_worker(runner, workers) for runner in runners]
    shutdown_all()
    _, alive = psutil.wait_procs(started, timeout=30)
    assert not alive


ORPHAN = """
import json, os, sys
from explorer.core.jsontree.filter import FilterRunner
runner = FilterRunner(in_process_limit=0)
runner.submit(sys.argv[1], json.dumps([1, 2, 3]).encode())
print(*runner.worker_pids(), flush=True)
sys.stdin.readline()  # the test kills this process while it waits here
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signals are Linux only")
def test_the_worker_dies_with_a_killed_parent() -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", ORPHAN, SLOW], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    family: list[psutil.Process] = []
    try:
        worker = psutil.Process(int(parent.stdout.readline()))
        family += psutil.Process(parent.pid).children(recursive=True)  # the worker and the resource tracker
        assert worker in family
        parent.kill()  # no cleanup at all: SIGKILL
        parent.wait(timeout=30)
        _, alive = psutil.wait_procs(family, timeout=30)
        assert not alive, [p.cmdline() for p in alive]
    finally:
        parent.kill()
        parent.wait(timeout=30)
        for process in family:  # whatever outlived the test (when the parent-death signal fails)
            with contextlib.suppress(psutil.NoSuchProcess):
                process.kill()
