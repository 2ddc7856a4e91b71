"""jq filters: results as one JSON array, inline error messages, worker process for large bodies."""

from __future__ import annotations

import json
from pathlib import Path

from explorer.core.jsontree.filter import FilterRunner, check_expression, run_filter

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
