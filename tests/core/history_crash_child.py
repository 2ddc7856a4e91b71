"""Child process of test_history_crash: forks recorders that write without pause and report each id written.

It imports once and forks a fresh recorder for every run (a new interpreter per run would spend most of
the test starting up). Each line on standard input names a FIFO; the forked recorder writes there the id
of every entry once flush() says it is written; this process prints the recorder's pid, then, when it has
died, its wait status.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from explorer.core.history.recorder import HistoryRecorder  # noqa: E402
from explorer.core.history.store import HistoryStore  # noqa: E402
from explorer.core.http.result import ExecutionResult  # noqa: E402
from explorer.core.prepared import PreparedRequest  # noqa: E402


@dataclass(frozen=True)
class Exchange:
    """The fields of the lifecycle's Exchange the recorder reads: the child starts without loading the
    lifecycle package (half a second per start, twenty starts)."""

    request: PreparedRequest
    result: ExecutionResult
    spec: None = None
    failed: bool = False
    started_at: float = 0.0


def record(path: Path, report: Path) -> None:
    written: list[int] = []
    recorder = HistoryRecorder(lambda: HistoryStore(path), on_recorded=written.append)
    request = PreparedRequest(
        "GET",
        "https://forum.example.org/latest.json",
        headers=(("Api-Key", "f" * 64),),
        api="discourse",
        method_id="listLatestTopics",
    )
    printed = 0
    n = 0
    with report.open("w") as out:  # waits until the test opens the FIFO for reading
        while True:
            for _ in range(1 + n % 3):  # batches of one to three entries
                n += 1
                body = json.dumps(
                    {"topic_list": {"topics": [{"id": n, "title": f"crash topic {n}"}]}}
                ).encode()
                result = ExecutionResult(
                    request,
                    status=200,
                    reason="OK",
                    body=body,
                    size=len(body),
                    headers=(("Content-Type", "application/json"),),
                )
                recorder.after_send(Exchange(request, result, started_at=1_700_000_000.0 + n))
            if recorder.flush(timeout=30):
                for entry_id in written[printed:]:
                    print(entry_id, file=out, flush=True)
                printed = len(written)


def serve(path: Path) -> None:
    for line in sys.stdin:
        pid = os.fork()  # this process has no thread and no open database, so forking it is safe
        if pid == 0:
            try:
                record(path, Path(line.strip()))
            except BaseException:
                traceback.print_exc()  # the test then sees an empty report and says so
            finally:
                os._exit(1)
        print(pid, flush=True)
        print(os.waitpid(pid, 0)[1], flush=True)


if __name__ == "__main__":
    serve(Path(sys.argv[1]))
