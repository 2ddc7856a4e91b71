"""`explorer selftest`: both APIs exercised against a real sandbox on 127.0.0.1; failures named."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from explorer.__main__ import main
from explorer.cli.selftest import run_selftest
from explorer.core.paths import resources_dir

ROOT = Path(__file__).resolve().parents[2]


def _lines(out: str) -> dict[str, str]:
    """'ok    name: detail' lines as {name: 'ok|FAIL detail'}."""
    found = {}
    for line in out.splitlines():
        match = re.fullmatch(r"(ok|FAIL)\s+([^:]+): (.*)", line)
        if match:
            found[match.group(2)] = f"{match.group(1)} {match.group(3)}"
    return found


def test_selftest_passes_and_exercises_both_apis(capsys, app_home) -> None:
    assert main(["selftest"]) == 0
    out = capsys.readouterr().out
    lines = _lines(out)
    assert out.splitlines()[-1] == "OK"
    assert list(lines) == [
        "resources",
        "catalogs",
        "sandbox start",
        "discourse listLatestTopics",
        "disqus get_forum_list",
        "sandbox stop",
        "jq worker",
    ]
    assert all(v.startswith("ok ") for v in lines.values()), out
    assert re.fullmatch(r"ok discourse \d+ methods, disqus \d+ methods", lines["catalogs"])
    assert re.fullmatch(r"ok listening on http://127\.0\.0\.1:\d+", lines["sandbox start"])
    discourse = re.fullmatch(
        r"ok built, linted \(\d+ notes\), GET HTTP 200, (\d+) topics", lines["discourse listLatestTopics"]
    )
    assert discourse and int(discourse.group(1)) > 0
    assert re.fullmatch(
        r"ok built, linted \(\d+ notes\), GET HTTP 200, succeeded, \d+ forums", lines["disqus get_forum_list"]
    )
    # The worker process filtered the same Discourse answer and agrees on its size.
    assert lines["jq worker"] == f"ok jq in a worker process counted {discourse.group(1)} topics"
    assert not any(app_home.rglob("*")), "the self-test must write nothing under the app's folders"


def test_the_sandbox_is_stopped_afterwards() -> None:
    checks = run_selftest(worker=False)
    stop = next(c for c in checks if c.name == "sandbox stop")
    assert stop.ok and stop.detail == "stopped"
    port = int(next(c for c in checks if c.name == "sandbox start").detail.rsplit(":", 1)[1])
    import socket

    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0  # nothing listens there any more
    assert all(c.name != "jq worker" for c in checks)


def test_a_broken_catalog_is_named_and_exits_one(tmp_path: Path, capsys, monkeypatch) -> None:
    resources = tmp_path / "resources"
    shutil.copytree(resources_dir(), resources)
    (resources / "catalogs" / "disqus.json").write_text('{"api": "disqus", "methods": [', encoding="utf-8")
    monkeypatch.setattr("explorer.cli.selftest.resources_dir", lambda: resources)
    assert main(["selftest", "--no-worker"]) == 1
    captured = capsys.readouterr()
    lines = _lines(captured.out)
    assert lines["resources"].startswith("ok ")
    assert lines["catalogs"].startswith("FAIL ") and "disqus.json" in lines["catalogs"]
    # Nothing after a failed prerequisite is attempted; the requests are reported as skipped.
    assert lines["discourse listLatestTopics"] == "FAIL skipped (the catalogs did not load)"
    assert "sandbox start" not in lines
    assert "OK" not in captured.out.splitlines()
    assert "FAILED: 3 of 4 checks" in captured.err and "Traceback" not in captured.err + captured.out


def test_missing_resources_are_listed(tmp_path: Path) -> None:
    (tmp_path / "catalogs").mkdir()
    checks = run_selftest(tmp_path, worker=False)
    assert not checks[0].ok
    assert "catalogs/discourse.json" in checks[0].detail and "icons/explorer.svg" in checks[0].detail


def test_bad_option_is_a_usage_error(capsys) -> None:
    assert main(["selftest", "--frobnicate"]) == 2
    assert "unrecognized arguments: --frobnicate" in capsys.readouterr().err


def test_selftest_runs_without_qt_in_a_fresh_interpreter() -> None:
    """As `explorer selftest` starts from a shell: Qt blocked, the worker spawned from a real __main__."""
    script = textwrap.dedent(
        """
        import sys
        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split('.')[0] in ('PySide6', 'qasync', 'shiboken6'):
                    raise ImportError('Qt is blocked in this check: ' + name)
        sys.meta_path.insert(0, Block())
        from explorer.__main__ import main
        if __name__ == '__main__':
            raise SystemExit(main(['selftest']))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1] == "OK"
    assert "ok    jq worker: jq in a worker process counted" in done.stdout
