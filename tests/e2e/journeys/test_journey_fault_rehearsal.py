"""Journey: a bot author rehearses failures (500s, 429 storms, proxy pages, cut-off bodies) first."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from journeys_kit import ADMIN, DISQUS_KEYS, body_json, build, send

from explorer.core.explain import explain_result
from explorer.core.http import ExecutionResult, execute_sync
from explorer.core.prepared import PreparedRequest
from explorer.sandbox.config import FaultSettings
from explorer.sandbox.server import SandboxServer

OFF = FaultSettings()


@pytest.fixture(scope="module")
def rehearsal_server() -> Iterator[SandboxServer]:
    """A server of this module's own, so switching faults on never disturbs other tests."""
    with SandboxServer() as server:
        yield server


@pytest.fixture
def rehearsal(rehearsal_server: SandboxServer) -> Iterator[SandboxServer]:
    rehearsal_server.faults = OFF
    try:
        yield rehearsal_server
    finally:
        rehearsal_server.faults = OFF  # a failed test must not leave its fault switched on


def _latest(server: SandboxServer) -> PreparedRequest:
    return build("discourse", "listLatestTopics", base_url=server.url, credentials=ADMIN)


def _forums(server: SandboxServer) -> PreparedRequest:
    return build(
        "disqus", "get_forum_list", base_url=server.credentials.disqus_base_url, credentials=DISQUS_KEYS
    )


def _send_anyway(request: PreparedRequest) -> ExecutionResult:
    """Send, tolerating a transport error (a cut-off body is what is being rehearsed)."""
    return execute_sync(request, timeout_s=20)


def test_server_errors_are_explained_and_stop_when_switched_off(rehearsal: SandboxServer) -> None:
    rehearsal.faults = FaultSettings(error_rate=1.0)
    crashed = send(_latest(rehearsal))
    assert crashed.status == 500
    diagnosis = explain_result(crashed)
    assert diagnosis.code == "server-error"
    assert "not caused by your credentials" in diagnosis.summary

    disqus = send(_forums(rehearsal))
    assert disqus.status == 500
    sentry_id = disqus.header("X-Sentry-ID")
    assert sentry_id
    assert ("X-Sentry-ID (reference)", sentry_id) in explain_result(disqus, "disqus").details

    rehearsal.faults = OFF
    assert send(_latest(rehearsal)).status == 200
    assert body_json(send(_forums(rehearsal)))["succeeded"] is True


def test_a_429_storm_gives_the_wait_and_clears(rehearsal: SandboxServer) -> None:
    rehearsal.faults = FaultSettings(rate_limit_storm=True)
    limited = send(_latest(rehearsal))
    assert limited.status == 429
    retry_after = float(limited.header("Retry-After") or "nan")
    diagnosis = explain_result(limited)
    assert diagnosis.code == "discourse-rate-limit"
    assert diagnosis.wait_seconds == retry_after == body_json(limited)["extras"]["wait_seconds"]

    rehearsal.faults = OFF
    assert send(_latest(rehearsal)).status == 200


def test_a_proxy_error_page_in_front_of_discourse(rehearsal: SandboxServer) -> None:
    rehearsal.faults = FaultSettings(html_error_page=True)
    page = send(_latest(rehearsal))
    assert page.status == 502 and page.content_type == "text/html"
    diagnosis = explain_result(page)
    assert diagnosis.code == "html-instead-of-json"
    assert any("proxy" in cause for cause in diagnosis.causes)


def test_a_proxy_error_page_in_front_of_disqus(rehearsal: SandboxServer) -> None:
    rehearsal.faults = FaultSettings(html_error_page=True)
    page = send(_forums(rehearsal))
    assert page.status == 502 and page.content_type == "text/html"
    assert explain_result(page, "disqus").code == "html-instead-of-json"


def test_a_cut_off_body_is_reported_as_an_error(rehearsal: SandboxServer) -> None:
    rehearsal.faults = FaultSettings(truncated_body=True)
    broken = _send_anyway(_latest(rehearsal))
    assert broken.status == 200  # the status line arrived ...
    assert broken.error and "closed the connection early" in broken.error  # ... the body did not
    assert not broken.ok
    with pytest.raises(ValueError):
        broken.json()

    rehearsal.faults = OFF
    whole = send(_latest(rehearsal))
    assert whole.ok and body_json(whole)["topic_list"]["topics"]


def test_explain_does_not_call_a_cut_off_body_a_success(rehearsal: SandboxServer) -> None:
    rehearsal.faults = FaultSettings(truncated_body=True)
    broken = _send_anyway(_latest(rehearsal))
    assert broken.status == 200 and broken.error
    diagnosis = explain_result(broken)
    assert diagnosis.code != "ok" and diagnosis.severity in ("warning", "error")
    assert "incomplete" in (diagnosis.title + diagnosis.summary).lower() or broken.error in diagnosis.summary
