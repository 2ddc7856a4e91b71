"""The suite's own guards are live: a Qt warning fails a test, and a run can neither hang nor outlive its
session timeout. Each case runs pytest in a subprocess on a small throwaway folder, with this project's
[tool.pytest.ini_options] and a copy of tests/conftest.py."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = REPO_ROOT / "pyproject.toml"
CONFTEST = Path(__file__).resolve().with_name("conftest.py")
UI_CONFTEST = CONFTEST.parent / "ui" / "conftest.py"

# Far above what each case takes (seconds) yet far below a hang; a run past it counts as hung.
RUN_LIMIT_S = 150.0


def run_pytest(folder: Path, *args: str) -> tuple[int, str, float]:
    """Run pytest on `folder` with the project's configuration: (exit code, output, seconds taken)."""
    (folder / "conftest.py").write_text(CONFTEST.read_text(encoding="utf-8"), encoding="utf-8")
    # The inner run must not believe it is an xdist worker of this one, nor pick up our options.
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST_", "COV_"))}
    command = [sys.executable, "-m", "pytest", "-c", str(PYPROJECT), "--rootdir", str(folder)]
    command += ["-p", "no:cacheprovider", *args, str(folder)]
    started = time.monotonic()
    # A session of its own, so a hung run's workers can be killed along with it.
    process = subprocess.Popen(
        command,
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=RUN_LIMIT_S)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
        pytest.fail(f"the run was still going after {RUN_LIMIT_S:.0f} s:\n{output[-3000:]}")
    return process.returncode, output, time.monotonic() - started


def test_a_qt_warning_fails_the_test_and_qt_noise_on_the_allow_list_does_not(tmp_path: Path) -> None:
    (tmp_path / "test_warnings.py").write_text(
        textwrap.dedent(
            """
            import pytest
            from PySide6.QtCore import qWarning

            @pytest.fixture
            def warns_at_teardown():
                yield
                qWarning("a timer outlived its widget")

            def test_warns_in_the_call():
                qWarning("QObject::connect: No such signal")

            def test_warns_at_teardown(warns_at_teardown):
                pass

            def test_only_offscreen_noise():
                qWarning("This plugin does not support propagateSizeHints()")

            @pytest.mark.qt_log_ignore("^an expected warning$")
            def test_marked_as_expected():
                qWarning("an expected warning")
            """
        ),
        encoding="utf-8",
    )
    code, output, _ = run_pytest(tmp_path, "-n", "0", "-rA")
    assert code == 1, output
    assert "FAILED test_warnings.py::test_warns_in_the_call" in output
    assert "QtWarningMsg: QObject::connect: No such signal" in output
    assert "ERROR test_warnings.py::test_warns_at_teardown" in output
    assert "emitted during teardown:\nQtWarningMsg: a timer outlived its widget" in output
    assert "PASSED test_warnings.py::test_only_offscreen_noise" in output
    assert "PASSED test_warnings.py::test_marked_as_expected" in output


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_crashed_worker_fails_the_run_at_once(tmp_path: Path, workers: str) -> None:
    # The crash comes in the last file, after the worker finished others: without --max-worker-restart=0,
    # xdist 3.8 hands the replacement worker that finished work and waits for it forever (every time with
    # one worker, in about one run of four with two, as `make test` runs).
    for name in ("a", "b", "c"):
        (tmp_path / f"test_{name}.py").write_text(
            f"def test_{name}_first():\n    pass\n\n\ndef test_{name}_second():\n    pass\n", encoding="utf-8"
        )
    (tmp_path / "test_z_crash.py").write_text(
        textwrap.dedent(
            """
            import os
            import signal

            def test_before():
                pass

            def test_crash():
                os.kill(os.getpid(), signal.SIGSEGV)

            def test_after():
                pass
            """
        ),
        encoding="utf-8",
    )
    code, output, seconds = run_pytest(tmp_path, "-n", workers, "--dist", "loadfile")
    assert code != 0, output
    assert "crashed while running 'test_z_crash.py::test_crash'" in output
    assert "Segmentation fault" in output  # faulthandler's report of the crash reaches the log
    assert seconds < RUN_LIMIT_S


def test_an_xdist_run_past_its_session_timeout_is_ended_with_every_stack(tmp_path: Path) -> None:
    # A test that outlasts the session: nothing between tests can stop it (per-test timeout off), so only
    # the controller's watchdog ends the run, one tenth of the session timeout after it.
    (tmp_path / "test_stuck.py").write_text(
        "import time\n\n\ndef test_stuck():\n    time.sleep(600)\n", encoding="utf-8"
    )
    code, output, seconds = run_pytest(tmp_path, "-n", "1", "-o", "timeout=0", "-o", "session_timeout=3")
    assert code != 0, output
    assert "Timeout (0:00:03" in output  # faulthandler's header, then the controller's threads
    assert "Thread 0x" in output or "Current thread 0x" in output
    assert seconds < 60


def test_a_closed_qloop_leaves_no_qt_timer_behind_for_another_thread_to_free(tmp_path: Path) -> None:
    # The `qloop` fixture of tests/ui must delete its loop's timer object itself: left to the garbage
    # collector in another thread, the object is freed while its Qt timer still fires in the GUI thread.
    ui = tmp_path / "ui"
    ui.mkdir()
    (ui / "conftest.py").write_text(UI_CONFTEST.read_text(encoding="utf-8"), encoding="utf-8")
    (ui / "test_loop.py").write_text(
        textwrap.dedent(
            """
            import gc
            import threading
            import time

            import pytest

            @pytest.fixture
            def timer_pending_at_close(qloop):
                yield
                # Like an HTTP timeout still armed: due after this test's last processEvents.
                qloop.call_later(0.3, print, "never runs: the loop closes first")

            def test_leaves_a_timer_pending_when_the_loop_closes(timer_pending_at_close):
                pass

            def test_a_later_test_processes_events(qapp):
                time.sleep(0.4)  # not awaiting anything: makes that Qt timer due
                collector = threading.Thread(target=gc.collect)  # the closed loop dies in another thread
                collector.start()
                collector.join()
                qapp.processEvents()
            """
        ),
        encoding="utf-8",
    )
    code, output, _ = run_pytest(tmp_path, "-n", "0")
    assert code == 0, output
    assert "2 passed" in output
