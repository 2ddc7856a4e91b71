"""The runner's polish: a run's production writes listed before it starts, writes skipped in a run of reads
only (not failures), and request-level values (`--var`) under a file's own and over the collection's."""

from __future__ import annotations

from dataclasses import replace

from explorer.core.catalog.model import Api
from explorer.core.collections.runner import RunItem, RunTarget, production_writes
from explorer.core.lifecycle import BodySpec, RequestSpec, Target
from explorer.sandbox import demo
from explorer.sandbox.demo import DemoCredentials
from tests.core.test_collections_runner import CATALOGS, run

CREATE = RequestSpec(
    api="discourse", method_id="createTopicPostPM", arguments={"title": "Skipped or sent", "raw": "Body."}
)
LATEST = RequestSpec(api="discourse", method_id="listLatestTopics")
FREE_DELETE = RequestSpec(api="discourse", verb="DELETE", url="/t/1.json")
FREE_POST = RequestSpec(
    api="discourse", verb="POST", url="/posts.json", body=BodySpec("json", '{"raw": "x"}')
)
UNKNOWN = RequestSpec(api="discourse", method_id="noSuchMethod")
READ = RequestSpec(api="discourse", method_id="getTopic", arguments={"id": "{{topic_id}}"})


def _target(url: str, **guards: bool) -> Target:
    return Target(
        Api.DISCOURSE,
        url,
        {"api_key": demo.DISCOURSE_ADMIN_KEY, "api_username": demo.ADMIN_USERNAME},
        profile_name="Live forum",
        **guards,
    )


def test_production_writes_are_the_write_verbs_through_a_production_target() -> None:
    items = [
        RunItem("Create", CREATE),
        RunItem("Latest", LATEST),
        RunItem("Delete", FREE_DELETE),
        RunItem("Unknown", UNKNOWN),  # fails its step without sending: nothing to ask about
        RunItem("Damaged", None, "not JSON"),
    ]
    production = _target("https://forum.example.org", production=True)
    found = production_writes(items, CATALOGS, lambda spec: RunTarget(production))
    assert [(w.label, w.verb) for w in found] == [("Create", "POST"), ("Delete", "DELETE")]
    assert all(w.target is production for w in found)

    # Not production, read-only (refused anyway) or no target at all: nothing to ask.
    for target in (
        _target("https://forum.example.org"),
        _target("https://x.org", production=True, read_only=True),
    ):
        assert production_writes(items, CATALOGS, lambda spec, t=target: RunTarget(t)) == []
    assert production_writes(items, CATALOGS, lambda spec: "no profile") == []


def test_a_run_of_reads_only_skips_production_writes_without_failing(sandbox_server: DemoCredentials) -> None:
    items = [RunItem("Create", CREATE), RunItem("Post", FREE_POST), RunItem("Latest", LATEST)]
    result = run(items, _target(sandbox_server.url, production=True), skip_writes=True)
    create, post, latest = result.steps
    assert not result.failed
    assert create.skipped and post.skipped and not create.sent and not post.sent
    assert create.error is not None and create.error.startswith("not sent (reads only): POST changes")
    assert latest.sent and latest.status == 200 and not latest.skipped

    # Without the choice, the write is a failed step, as before.
    result = run(items[:1], _target(sandbox_server.url, production=True))
    assert result.failed and "confirm writes to send it" in (result.steps[0].error or "")


def test_request_values_come_after_the_files_own_and_before_the_collections(
    sandbox_server: DemoCredentials,
) -> None:
    target = _target(sandbox_server.url)
    result = run(
        [RunItem("Read", READ)],
        target,
        request_variables={"topic_id": "1"},
        collection_variables={"topic_id": "987654"},
    )
    assert result.steps[0].status == 200, result.steps[0]
    own = replace(READ, variables={"topic_id": "987654"})
    result = run([RunItem("Read", own)], target, request_variables={"topic_id": "1"})
    assert result.steps[0].status == 404
