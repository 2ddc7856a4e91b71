"""Run collection in the window: one question before a run that writes to production (Run / Run reads only /
Cancel), read-only profiles still refusing writes, and the profile each run goes through (the collection's
default, or the one picked in the dialog)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from explorer.core.catalog.model import Api
from explorer.core.collections.folder import Collection
from explorer.core.lifecycle import RequestSpec
from explorer.core.profiles import Profile
from explorer.sandbox import demo
from explorer.sandbox.demo import DemoCredentials
from explorer.ui.widgets.collections_panel import ROOT
from explorer.ui.widgets.production_band import site_of
from explorer.ui.widgets.run_dialog import RunDialog
from tests.ui.conftest import signal_future

CREATE = RequestSpec(
    api="discourse",
    method_id="createTopicPostPM",
    arguments={"title": "Made by a run asked about first", "raw": "First post of the asked run."},
)
REPLY = RequestSpec(
    api="discourse",
    method_id="createTopicPostPM",
    arguments={"topic_id": "1", "raw": "A reply, asked first."},
)
LATEST = RequestSpec(api="discourse", method_id="listLatestTopics")
READ = RequestSpec(api="discourse", method_id="getTopic", arguments={"id": "{{topic_id}}"})


def _profile(window: Any, sandbox: DemoCredentials, name: str, **options: Any) -> Profile:
    profile = Profile(
        name=name,
        api=Api.DISCOURSE,
        base_url=sandbox.url,
        auth_kind="api_key",
        fields={"api_username": demo.ADMIN_USERNAME},
        **options,
    )
    saved = window.services.profiles.save(profile, {"api_key": demo.DISCOURSE_ADMIN_KEY})
    window.load_profiles()
    return saved


def _collection(root: Path, *items: tuple[str, RequestSpec], profile: str | None = None) -> Collection:
    collection = Collection.create(root / "run", "Run")
    for name, spec in items:
        collection.save_request(name, spec)
    if profile is not None:
        collection.set_profile(profile)
    return collection


def _open_run(window: Any, collection: Collection) -> RunDialog:
    opened = window.collections.open_folder(collection.directory)
    window.collections.run(opened, ROOT)
    dialog = window.collections.dialog
    assert isinstance(dialog, RunDialog) and dialog.isVisible()
    return dialog


def _answer(qloop: Any, dialog: RunDialog, button: str) -> Any:
    """Click a button of the production question and wait for the run it starts."""

    async def go() -> Any:
        done = signal_future(dialog.finished_run)
        dialog.question_buttons[button].click()
        return (await asyncio.wait_for(done, 30))[0]

    return qloop.run_until_complete(go())


def _wait_run(qloop: Any, dialog: RunDialog, start: Any) -> Any:
    async def go() -> Any:
        done = signal_future(dialog.finished_run)
        start()
        return (await asyncio.wait_for(done, 30))[0]

    return qloop.run_until_complete(go())


def test_a_run_that_writes_to_production_asks_once_before_anything_is_sent(
    qloop: Any, make_window: Any, fresh_sandbox: DemoCredentials, tmp_path: Path
) -> None:
    window = make_window(demo=fresh_sandbox)
    live = _profile(window, fresh_sandbox, "Live forum", production=True)
    window.choose_profile(live.id)
    collection = _collection(tmp_path, ("01 Create", CREATE), ("02 Reply", REPLY), ("03 Latest", LATEST))

    dialog = _open_run(window, collection)
    question = dialog.question
    assert question is not None and dialog.task is None  # nothing is sent before the answer
    site = site_of(fresh_sandbox.url)
    assert question.text() == f"Send 2 writes to {site}?"
    assert "Live forum" in question.informativeText() and "01 Create (POST)" in question.informativeText()
    assert [b.text() for b in question.buttons()].count("Run reads only") == 1
    assert not dialog.run_button.isEnabled() and not dialog.profile_boxes[Api.DISCOURSE].isEnabled()

    # Cancel: not run, nothing sent; the dialog can start again.
    dialog.question_buttons["cancel"].click()
    assert dialog.question is None and dialog.task is None and dialog.row_texts() == []
    assert dialog.summary.text() == "Not run: nothing was sent." and dialog.run_button.isEnabled()

    # Run reads only: the writes are rows that say so, not failures; the read is sent.
    dialog.run_button.click()
    result = _answer(qloop, dialog, "reads")
    assert result is not None and not result.failed
    rows = dialog.row_texts()
    assert [(r[0], r[1]) for r in rows] == [("01 Create", "—"), ("02 Reply", "—"), ("03 Latest", "200")]
    assert rows[0][4].startswith("not sent (reads only): POST changes the production site")
    assert "2 writes to production not sent (reads only)" in dialog.summary.text()

    # Run: every request is sent.
    dialog.run_button.click()
    result = _answer(qloop, dialog, "run")
    assert result is not None and not result.failed, dialog.row_texts()
    assert [r[1] for r in dialog.row_texts()] == ["200", "200", "200"]
    dialog.close()


def test_a_read_only_profile_still_refuses_writes_without_a_question(
    qloop: Any, make_window: Any, fresh_sandbox: DemoCredentials, tmp_path: Path
) -> None:
    window = make_window(demo=fresh_sandbox)
    guarded = _profile(window, fresh_sandbox, "Guarded forum", production=True, read_only=True)
    window.choose_profile(guarded.id)
    collection = _collection(tmp_path, ("01 Create", CREATE), ("02 Latest", LATEST))

    async def go() -> tuple[RunDialog, Any]:
        opened = window.collections.open_folder(collection.directory)
        window.collections.run(opened, ROOT)
        dialog = window.collections.dialog
        assert dialog.question is None  # nothing to ask: the write is refused anyway
        done = signal_future(dialog.finished_run)
        return dialog, (await asyncio.wait_for(done, 30))[0]

    dialog, result = qloop.run_until_complete(go())
    rows = dialog.row_texts()
    assert result.failed and rows[0][1] == "—" and "is read-only" in rows[0][4]
    assert rows[1][1] == "200"
    dialog.close()


def test_the_collections_profile_runs_and_another_can_be_picked(
    qloop: Any, make_window: Any, fresh_sandbox: DemoCredentials, tmp_path: Path
) -> None:
    window = make_window(demo=fresh_sandbox)
    # Only this profile knows {{topic_id}}: a run that passes went through it.
    team = _profile(window, fresh_sandbox, "Team sandbox", variables={"topic_id": "1"})
    active = window.active_profile(Api.DISCOURSE)
    assert active is not None and active.id != team.id
    collection = _collection(tmp_path, ("Read", READ), profile="Team sandbox")

    dialog = _open_run(window, collection)
    box = dialog.profile_boxes[Api.DISCOURSE]
    assert box.currentText() == "Team sandbox" and "collection's default" in box.toolTip()
    assert not box.isEnabled()  # not while it runs
    result = _wait_run(qloop, dialog, lambda: None)
    assert result is not None and not result.failed, dialog.row_texts()
    assert dialog.run_button.text() == "Run again" and box.isEnabled()

    box.setCurrentIndex(box.findData(active.id))
    result = _wait_run(qloop, dialog, dialog.run_button.click)
    assert result.failed and "unknown variable {{topic_id}}" in dialog.row_texts()[0][4]
    dialog.close()


def test_a_collection_profile_that_is_not_saved_is_said_and_the_windows_is_used(
    qloop: Any, make_window: Any, fresh_sandbox: DemoCredentials, tmp_path: Path
) -> None:
    window = make_window(demo=fresh_sandbox)
    collection = _collection(tmp_path, ("Latest", LATEST), profile="Gone forum")
    dialog = _open_run(window, collection)
    assert dialog.profile_note.isVisible()
    assert "collection.json names the profile 'Gone forum', which is not saved" in dialog.profile_note.text()
    active = window.active_profile(Api.DISCOURSE)
    assert dialog.profile_boxes[Api.DISCOURSE].currentText() == active.name
    result = _wait_run(qloop, dialog, lambda: None)
    assert result is not None and not result.failed
    dialog.close()
