"""Journey: finding undocumented endpoints: X-Discourse-Route on every answer, network-tab requests."""

from __future__ import annotations

import asyncio
import re

from journeys_kit import ADMIN, CATALOGS, body_json, send

from explorer.core.builder import build_request
from explorer.core.catalog.model import Api, Method
from explorer.core.curl import import_curl
from explorer.core.http import ExecutionResult, Executor
from explorer.core.lint import has_errors
from explorer.sandbox.demo import DemoCredentials

ROUTE = re.compile(r"^[a-z_]+(/[a-z_]+)*/[a-z_]+$")  # controller/action, e.g. list/latest, admin/users/show


def _send_all(methods: list[Method], base: str) -> list[ExecutionResult]:
    async def run() -> list[ExecutionResult]:
        executor = Executor(timeout_s=20)
        try:
            results = []
            for m in methods:
                built = build_request(m, m.example, base_url=base, credentials=ADMIN)
                assert built.ok and built.request is not None, (m.id, built.errors)
                results.append(await executor.execute(built.request))
            return results
        finally:
            await executor.aclose()

    return asyncio.run(run())


def test_every_read_names_the_controller_action_that_answered(reading_sandbox: DemoCredentials) -> None:
    reads = [m for m in CATALOGS[Api.DISCOURSE].methods if m.verb == "GET"]
    results = _send_all(reads, reading_sandbox.url)
    for m, result in zip(reads, results, strict=True):
        assert result.status is not None and result.status < 500, (m.id, result.status)
        route = result.masked().header("X-Discourse-Route")  # what the window and history show
        assert route is not None and ROUTE.match(route), (m.id, route)
    by_id = {m.id: r.header("X-Discourse-Route") for m, r in zip(reads, results, strict=True)}
    assert by_id["listLatestTopics"] == "list/latest"
    assert by_id["getTopic"] == "topics/show"
    assert by_id["getUser"] == "users/show"


def test_a_request_copied_from_the_network_tab(reading_sandbox: DemoCredentials) -> None:
    # Devtools' "Copy as cURL" of a call the catalog does not list, with the browser's own headers.
    imported = import_curl(
        f"curl '{reading_sandbox.url}/session/csrf.json' "
        "-H 'accept: application/json, text/javascript, */*; q=0.01' "
        "-H 'x-requested-with: XMLHttpRequest' -H 'discourse-present: true' --compressed"
    )
    assert imported.match is None  # not a catalog method: sent as it is
    assert not has_errors(list(imported.findings))
    result = send(imported.request)
    assert result.status == 200
    assert result.header("X-Discourse-Route") == "session/csrf"
    assert "csrf" in body_json(result)


def test_a_copied_url_with_an_id_is_recognised_as_its_catalog_method(
    reading_sandbox: DemoCredentials,
) -> None:
    imported = import_curl(f"curl '{reading_sandbox.url}/t/some-topic-slug/12.json?print=true'")
    assert imported.match is not None and imported.match.method_id == "getTopicBySlug"
    result = send(imported.request)
    assert result.status == 200 and body_json(result)["id"] == 12
    assert result.header("X-Discourse-Route") == "topics/show"
