"""Saving and loading the sandbox's data (`explorer sandbox --state FILE`): round trips and refusals."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import httpx
import pytest
from cli_process import sandbox_process

from explorer.cli import sandbox as sandbox_cli
from explorer.sandbox.demo import DISCOURSE_ADMIN_KEY, DISQUS_FORUM_API_KEY, DISQUS_PREFIX
from explorer.sandbox.persistence import (
    FORMAT,
    VERSION,
    StateFileError,
    load_state,
    record_fields,
    sandbox_states,
    save_state,
)
from explorer.sandbox.server import SandboxServer

ADMIN = {"Api-Key": DISCOURSE_ADMIN_KEY, "Api-Username": "system"}


def test_state_round_trip_keeps_both_apis_data(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.state"
    with SandboxServer() as first:
        topic = httpx.post(
            first.url + "/posts.json",
            headers=ADMIN,
            json={"title": "Kept across a restart of the sandbox", "raw": "This topic is saved to a file."},
        )
        assert topic.status_code == 200, topic.text
        thread = httpx.post(
            first.url + DISQUS_PREFIX + "/api/thread_by_identifier/",
            data={
                "api_version": "1.1",
                "forum_api_key": DISQUS_FORUM_API_KEY,
                "identifier": "kept",
                "title": "K",
            },
        ).json()["message"]["thread"]
        save_state(first.app, path, seed=1)
    second = SandboxServer()
    assert load_state(second.app, path) == 1
    with second:
        shown = httpx.get(f"{second.url}/t/{topic.json()['topic_id']}.json", headers=ADMIN)
        assert shown.status_code == 200 and shown.json()["title"] == "Kept across a restart of the sandbox"
        again = httpx.post(
            second.url + DISQUS_PREFIX + "/api/thread_by_identifier/",
            data={
                "api_version": "1.1",
                "forum_api_key": DISQUS_FORUM_API_KEY,
                "identifier": "kept",
                "title": "",
            },
        ).json()["message"]
        assert again == {"thread": thread, "created": False}


def test_state_file_that_is_not_sandbox_data_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.state"
    path.write_bytes(b"this is not a state file")
    assert sandbox_cli.main(["--state", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "not a sandbox state file" in err and "Traceback" not in err


class _Hostile:
    def __init__(self, target: Path) -> None:
        self.target = target

    # What a crafted file would contain: a call to run while loading.
    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return (os.mkdir, (str(self.target),))


def test_state_file_naming_other_code_is_not_run(tmp_path: Path) -> None:
    marker = tmp_path / "should-not-exist"
    path = tmp_path / "hostile.state"
    path.write_bytes(pickle.dumps({"format": "forum-api-explorer-sandbox-state", "x": _Hostile(marker)}))
    with pytest.raises(StateFileError, match="not sandbox data"):
        load_state(SandboxServer().app, path)
    assert not marker.exists()


def test_cli_saves_state_on_a_clean_stop_and_loads_it_next_time(tmp_path: Path) -> None:
    path = tmp_path / "cli.state"

    def run_once(title: str) -> dict[str, object]:
        with sandbox_process("--state", str(path)) as run:
            url = run.ready["url"] + DISQUS_PREFIX + "/api/thread_by_identifier/"
            fields = {"api_version": "1.1", "forum_api_key": DISQUS_FORUM_API_KEY, "identifier": "cli-kept"}
            answer = httpx.post(url, data={**fields, "title": title}).json()["message"]
        assert run.returncode == 0, run.stderr
        return answer

    assert run_once("first")["created"] is True
    assert path.is_file()
    second = run_once("second")
    assert second["created"] is False and second["thread"]["title"] == "first"


def test_cli_state_in_a_missing_folder_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        sandbox_cli.main(["--state", str(tmp_path / "nope" / "x.state")])
    assert exit_info.value.code == 2
    assert "--state" in capsys.readouterr().err


def _topic_titles(server: SandboxServer) -> set[str]:
    store, _ = sandbox_states(server.app)
    return {topic.title for topic in store.topics.values()}


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (
            {"format": FORMAT, "version": VERSION, "seed": 1, "discourse": {"topics": 5}, "disqus": {}},
            "fields",
        ),
        ({"format": FORMAT, "version": VERSION + 1, "seed": 1}, "format version"),
        ({"format": FORMAT, "version": VERSION, "seed": "one"}, "seed"),
    ],
)
def test_a_file_of_the_wrong_shape_is_refused_and_changes_nothing(
    tmp_path: Path, payload: dict[str, object], reason: str
) -> None:
    path = tmp_path / "odd.state"
    path.write_bytes(pickle.dumps(payload))
    server = SandboxServer()
    before = _topic_titles(server)
    with pytest.raises(StateFileError, match=reason):
        load_state(server.app, path)
    assert _topic_titles(server) == before


def test_a_field_of_the_wrong_type_is_named(tmp_path: Path) -> None:
    source = SandboxServer()
    path = tmp_path / "typed.state"
    save_state(source.app, path, seed=1)
    payload = pickle.loads(path.read_bytes())
    payload["disqus"]["threads"] = ["not", "a", "mapping"]
    path.write_bytes(pickle.dumps(payload))
    with pytest.raises(StateFileError, match="disqus field 'threads' holds list, expected dict"):
        load_state(SandboxServer().app, path)


def test_a_function_of_the_sandbox_named_in_a_file_is_not_called(tmp_path: Path) -> None:
    target = tmp_path / "written-by-the-file.state"
    path = tmp_path / "calls.state"

    class _CallsSaveState:
        # What a crafted file would hold: a call to one of the sandbox's own functions while loading.
        def __reduce__(self) -> tuple[object, tuple[object, ...]]:
            return (save_state, (None, target, 1))

    path.write_bytes(pickle.dumps({"format": FORMAT, "x": _CallsSaveState()}))
    with pytest.raises(StateFileError, match="not sandbox data"):
        load_state(SandboxServer().app, path)
    assert not target.exists()


def test_a_file_saved_when_records_had_other_fields_is_refused(tmp_path: Path) -> None:
    # Slotted records are pickled by position, so an older field list would shift values into wrong fields.
    path = tmp_path / "older.state"
    save_state(SandboxServer().app, path, seed=1)
    payload = pickle.loads(path.read_bytes())
    topic = "explorer.sandbox.discourse.model.Topic"
    assert payload["records"] == record_fields() and topic in payload["records"]
    payload["records"][topic] = [f for f in payload["records"][topic] if f != "allowed_group_ids"]
    path.write_bytes(pickle.dumps(payload))
    server = SandboxServer()
    before = _topic_titles(server)
    with pytest.raises(StateFileError, match="records have other fields"):
        load_state(server.app, path)
    assert _topic_titles(server) == before


def test_a_file_without_the_field_list_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "first-format.state"
    source = SandboxServer()
    sandbox_states(source.app)[0].topics[1].title = "Renamed before saving"
    save_state(source.app, path, seed=1)
    payload = pickle.loads(path.read_bytes())
    del payload["records"]
    path.write_bytes(pickle.dumps(payload))
    server = SandboxServer()
    assert load_state(server.app, path) == 1
    assert "Renamed before saving" in _topic_titles(server)
