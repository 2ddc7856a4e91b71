"""`--sandbox` and the built-in sandbox profiles on the command line: a sandbox for the command, then none."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.cli import request as request_command
from explorer.cli import run_collection
from explorer.core.collections.folder import write_new_collection
from explorer.core.lifecycle import Capture, RequestSpec
from explorer.sandbox import demo
from explorer.sandbox.server import SandboxError, SandboxServer
from tests.cli.cli_support import run_command

pytestmark = pytest.mark.usefixtures("app_home")

CREATE = RequestSpec(
    api="discourse",
    method_id="createTopicPostPM",
    arguments={"title": "A topic made through --sandbox {{run}}", "raw": "The first post of a sandbox run."},
    captures=(Capture("topic_id", "$.topic_id"),),
)
REPLY = RequestSpec(
    api="discourse",
    method_id="createTopicPostPM",
    arguments={"topic_id": "{{topic_id}}", "raw": "A reply to topic {{topic_id}}, chained by the run."},
    captures=(Capture("post_number", "$.post_number"),),
)
READ = RequestSpec(api="discourse", method_id="getTopic", arguments={"id": "{{topic_id}}"})
FORUMS = RequestSpec(api="disqus", method_id="get_forum_list")

KEYS = (demo.DISCOURSE_ADMIN_KEY, demo.DISQUS_USER_API_KEY, demo.DISQUS_FORUM_API_KEY)


@pytest.fixture(autouse=True)
def nothing_left_running() -> Iterator[None]:
    """Every test ends with the threads it started with: the command's sandbox (and its server thread) is
    gone once the command returns, however it ended."""
    before = set(threading.enumerate())
    yield
    left = [t.name for t in set(threading.enumerate()) - before if t.is_alive()]
    assert left == [], f"threads left running after the command: {left}"


def sandbox_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("sandbox-") and t.is_alive()]


def explorer(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    return run_command(capsys, *argv)


def test_request_with_sandbox_gets_the_latest_topics(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = explorer(capsys, "request", "discourse", "listLatestTopics", "--sandbox", "--json")
    assert code == 0, err
    answer = json.loads(out)
    assert answer["status"] == 200
    assert answer["request"]["url"].startswith("http://127.0.0.1:")
    assert answer["request"]["headers"]["Api-Username"] == demo.ADMIN_USERNAME
    assert isinstance(json.loads(answer["body"])["topic_list"]["topics"], list)
    assert not any(key in out + err for key in KEYS)


def test_request_with_sandbox_uses_the_disqus_profile_for_a_disqus_method(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = explorer(capsys, "request", "disqus", "get_forum_list", "--sandbox")
    assert code == 0, err
    assert json.loads(out)["succeeded"] is True
    assert "HTTP 200" in err


def test_a_url_with_sandbox_is_a_path_on_the_sandbox(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = explorer(capsys, "request", "--url", "/latest.json", "--sandbox")
    assert code == 0, err
    assert "topic_list" in json.loads(out)


def test_run_a_collection_folder_with_sandbox(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "chain"
    items = [("Create topic", CREATE), ("Reply", REPLY), ("Read back", READ), ("Disqus forums", FORUMS)]
    write_new_collection(folder, "Chain", {"run": "one"}, items)
    code, out, err = explorer(capsys, "run", str(folder), "--sandbox")
    assert code == 0, out + err
    lines = out.strip().splitlines()
    assert [line.split()[:2] for line in lines[:4]] == [["PASS", "200"]] * 4
    assert lines[4].startswith("4 requests: 4 passed, 0 failed")
    assert not any(key in out + err for key in KEYS)

    # Each run has a sandbox of its own, so the same collection runs again (no "title already used").
    code, out, err = explorer(capsys, "run", str(folder), "--sandbox", "--json", "--no-history")
    assert code == 0, out + err
    steps = [json.loads(line) for line in out.strip().splitlines()]
    assert [step["status"] for step in steps] == [200, 200, 200, 200]
    assert steps[0]["captured"] == ["topic_id"] and steps[1]["captured"] == ["post_number"]


def test_run_one_file_with_sandbox(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "latest.json"
    file.write_text(RequestSpec(api="discourse", method_id="listLatestTopics").dumps(), encoding="utf-8")
    code, out, err = explorer(capsys, "run", str(file), "--sandbox", "--json")
    assert code == 0, err
    assert json.loads(out)["status"] == 200


def test_the_built_in_profile_names_mean_the_sandbox(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Any case, as for saved profiles; the id works too.
    for name in ("Sandbox — Discourse", "sandbox — discourse", "sandbox-discourse"):
        code, out, err = explorer(capsys, "request", "discourse", "listLatestTopics", "--profile", name)
        assert code == 0, err
        assert "topic_list" in json.loads(out)
    code, out, err = explorer(
        capsys, "request", "disqus", "get_forum_list", "--profile", "Sandbox — Disqus 1.1"
    )
    assert code == 0, err

    # A file saved through a sandbox profile (in the window, or with --sandbox --save) runs as it is.
    file = tmp_path / "forums.json"
    code, _, err = explorer(capsys, "request", "disqus", "get_forum_list", "--sandbox", "--save", str(file))
    assert code == 0, err
    assert json.loads(file.read_text(encoding="utf-8"))["profile"] == "Sandbox — Disqus 1.1"
    code, out, err = explorer(capsys, "run", str(file), "--json")
    assert code == 0, err
    assert json.loads(out)["status"] == 200

    # So does a collection whose default profile is the sandbox's.
    folder = tmp_path / "defaulted"
    write_new_collection(
        folder,
        "Defaulted",
        {"run": "two"},
        [("Create", CREATE), ("Read", READ)],
        profile="Sandbox — Discourse",
    )
    code, out, err = explorer(capsys, "run", str(folder))
    assert code == 0, out + err

    # Of the wrong API it is refused, as a saved profile would be.
    code, _, err = explorer(capsys, "request", "disqus", "get_forum_list", "--profile", "Sandbox — Discourse")
    assert code == 2 and "profile 'Sandbox — Discourse' is for discourse, not disqus" in err


@pytest.mark.parametrize(
    ("argv", "clash"),
    [
        (["request", "discourse", "listLatestTopics", "--sandbox", "--profile", "Mine"], "--profile"),
        (
            ["request", "discourse", "listLatestTopics", "--sandbox", "--base-url", "http://127.0.0.1:9"],
            "--base-url",
        ),
        (["run", "some.json", "--sandbox", "--profile", "Mine"], "--profile"),
        (["run", "some/folder", "--base-url", "http://127.0.0.1:9", "--sandbox"], "--base-url"),
    ],
)
def test_sandbox_does_not_go_with_another_site(
    argv: list[str], clash: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = explorer(capsys, *argv)
    assert code == 2 and out == ""
    assert f"error: --sandbox sends to the built-in sandbox; it does not go with {clash}" in err
    assert "usage: explorer" in err


def test_a_sandbox_that_cannot_start_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def refuse(self: SandboxServer) -> object:
        raise SandboxError("cannot listen on 127.0.0.1:0: Address already in use")

    monkeypatch.setattr(SandboxServer, "start", refuse)
    code, out, err = explorer(capsys, "request", "discourse", "listLatestTopics", "--sandbox")
    assert code == 2 and out == ""
    assert err.strip() == (
        "explorer request: --sandbox: the built-in sandbox could not start: "
        "cannot listen on 127.0.0.1:0: Address already in use"
    )


@pytest.mark.parametrize("problem", [KeyboardInterrupt, RuntimeError])
def test_the_sandbox_stops_when_the_command_is_interrupted(
    problem: type[BaseException], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seen: list[int] = []

    def interrupted(*_args: object, **_kwargs: object) -> int:
        seen.append(len(sandbox_threads()))  # the sandbox is up while the command runs
        raise problem()

    monkeypatch.setattr(request_command, "finish", interrupted)
    before = len(sandbox_threads())
    with pytest.raises(problem):
        explorer(capsys, "request", "discourse", "listLatestTopics", "--sandbox")
    assert seen == [before + 1]
    assert len(sandbox_threads()) == before


def test_a_folder_run_stopped_by_ctrl_c_stops_its_sandbox(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "stopped"
    write_new_collection(folder, "Stopped", {"run": "three"}, [("Create", CREATE), ("Read", READ)])

    async def stopped(
        items: object, catalogs: object, target_for: object, *args: object, **kwargs: object
    ) -> object:
        assert callable(target_for)
        target_for(CREATE)  # the first request's target starts the sandbox
        assert sandbox_threads()
        raise KeyboardInterrupt

    monkeypatch.setattr(run_collection, "run_requests", stopped)
    before = len(sandbox_threads())
    code, _, err = explorer(capsys, "run", str(folder), "--sandbox")
    assert code == 130 and "explorer run: stopped" in err
    assert len(sandbox_threads()) == before
