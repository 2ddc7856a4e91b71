"""`explorer selftest`: a quick end-to-end check that an installed or bundled copy works, without Qt."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from explorer.cli.common import parse_args, write
from explorer.core.catalog.loader import load_catalog
from explorer.core.catalog.model import Api, Catalog
from explorer.core.jsontree.filter import FilterRunner
from explorer.core.lifecycle import RequestSpec, Target, new_executor, prepare, send_sync
from explorer.core.lint import has_errors
from explorer.core.paths import resources_dir
from explorer.sandbox.demo import DemoCredentials
from explorer.sandbox.server import SandboxServer

# How long the jq worker process may take to start and answer. Generous: a cold start of a frozen bundle
# on a busy machine unpacks nothing but still imports jq from disk.
WORKER_TIMEOUT_S = 120.0


@dataclass(frozen=True)
class Check:
    """One line of the report: what was checked, whether it passed, and the evidence (or the problem)."""

    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{'ok  ' if self.ok else 'FAIL'}  {self.name}: {self.detail}"


class _Failed(Exception):
    """A check failed; the message says why, in words for the person running the test."""


@dataclass(frozen=True)
class _Probe:
    """One request per API: the method, its arguments, where and with which demo keys it goes, and how to
    read the answer."""

    api: Api
    method_id: str
    values: Mapping[str, str]
    base_url: Callable[[DemoCredentials], str]
    credentials: Callable[[DemoCredentials], Mapping[str, str]]
    # Reads the decoded JSON answer and says what it holds, or raises _Failed.
    summarize: Callable[[Any], str]


def _discourse_topics(data: Any) -> str:
    topics = data.get("topic_list", {}).get("topics") if isinstance(data, dict) else None
    if not isinstance(topics, list):
        raise _Failed("the answer has no topic_list.topics list")
    return f"{len(topics)} topics"


def _disqus_forums(data: Any) -> str:
    if not isinstance(data, dict) or data.get("succeeded") is not True:
        raise _Failed(f"the 1.1 envelope does not say succeeded: {str(data)[:200]}")
    forums = data.get("message")
    count = len(forums) if isinstance(forums, list | dict) else 0
    return f"succeeded, {count} forums"


PROBES = (
    _Probe(
        Api.DISCOURSE,
        "listLatestTopics",
        {},
        lambda c: c.discourse_base_url,
        lambda c: {"api_key": c.discourse_admin_key, "api_username": c.admin_username},
        _discourse_topics,
    ),
    _Probe(
        Api.DISQUS,
        "get_forum_list",
        {},
        lambda c: c.disqus_base_url,
        lambda c: {"user_api_key": c.disqus_user_api_key},
        _disqus_forums,
    ),
)


class _Run:
    """The checks in order; a check whose prerequisite failed is reported as skipped, never attempted."""

    def __init__(self, resources: Path, worker: bool) -> None:
        self.resources = resources
        self.worker = worker
        self.checks: list[Check] = []
        self.catalogs: dict[Api, Catalog] = {}
        self.discourse_body: bytes | None = None
        self.discourse_topics: int | None = None

    def step(self, name: str, action: Callable[[], str]) -> bool:
        try:
            detail = action()
        except _Failed as exc:
            self.checks.append(Check(name, False, str(exc)))
            return False
        except Exception as exc:  # noqa: BLE001 - a self-test reports every failure as a line, never a traceback
            self.checks.append(Check(name, False, f"{type(exc).__name__}: {exc}"))
            return False
        self.checks.append(Check(name, True, detail))
        return True

    def skip(self, name: str, because: str) -> None:
        self.checks.append(Check(name, False, f"skipped ({because})"))

    # -- the checks --------------------------------------------------------------------------------------

    def check_resources(self) -> str:
        missing = [
            rel
            for rel in ("catalogs/discourse.json", "catalogs/disqus.json", "icons/explorer.svg")
            if not (self.resources / rel).is_file()
        ]
        if missing:
            raise _Failed(f"missing under {self.resources}: {', '.join(missing)}")
        return str(self.resources)

    def check_catalogs(self) -> str:
        for api in Api:
            self.catalogs[api] = load_catalog(self.resources / "catalogs" / f"{api.value}.json")
            if not self.catalogs[api].methods:
                raise _Failed(f"{api.value}.json has no methods")
        return ", ".join(f"{api.value} {len(c.methods)} methods" for api, c in self.catalogs.items())

    def check_probe(self, probe: _Probe, sandbox: DemoCredentials) -> str:
        # The same lifecycle the window and `explorer request` use: specification, preparation, send.
        spec = RequestSpec(api=probe.api.value, method_id=probe.method_id, arguments=dict(probe.values))
        target = Target(probe.api, probe.base_url(sandbox), probe.credentials(sandbox))
        preparation = prepare(spec, self.catalogs, target)
        request = preparation.request
        if request is None or preparation.errors:
            problems = preparation.errors.items()
            raise _Failed("not built: " + "; ".join(f"{name}: {message}" for name, message in problems))
        findings = list(preparation.findings)
        if has_errors(findings):
            raise _Failed("lint errors: " + "; ".join(f.code for f in findings))
        result = send_sync(request, new_executor(timeout_s=30.0), spec=spec).result
        try:
            body = result.read_body() if result.status is not None else b""
        finally:
            result.discard_body_file()
        if result.status != 200:
            raise _Failed(f"{request.method} {result.error or f'HTTP {result.status} {body[:200]!r}'}")
        try:
            data = json.loads(body)
        except ValueError:
            raise _Failed(f"the answer is not JSON: {body[:200]!r}") from None
        summary = probe.summarize(data)
        if probe.api is Api.DISCOURSE:
            self.discourse_body = body
            self.discourse_topics = len(data["topic_list"]["topics"])
        return f"built, linted ({len(findings)} notes), {request.method} HTTP 200, {summary}"

    def check_worker(self) -> str:
        if self.discourse_body is None:
            raise _Failed("no Discourse answer to filter")
        # in_process_limit=0 sends even this small body to the worker process, as large bodies are in the
        # viewer: a frozen bundle without multiprocessing.freeze_support() fails exactly here.
        runner = FilterRunner(in_process_limit=0)
        try:
            future = runner.submit(".topic_list.topics | length", self.discourse_body)
            result = future.result(WORKER_TIMEOUT_S)
        finally:
            runner.shutdown()
        if not result.ok or result.output is None:
            raise _Failed(f"jq: {result.error}")
        counted = json.loads(result.output)
        if counted != [self.discourse_topics]:
            raise _Failed(f"jq counted {counted}, the answer has {self.discourse_topics} topics")
        return f"jq in a worker process counted {counted[0]} topics"

    def run(self) -> list[Check]:
        if not self.step("resources", self.check_resources) or not self.step("catalogs", self.check_catalogs):
            for probe in PROBES:
                self.skip(f"{probe.api.value} {probe.method_id}", "the catalogs did not load")
            return self.checks
        server = SandboxServer(host="127.0.0.1", port=0)
        if not self.step("sandbox start", lambda: f"listening on {server.start().url}"):
            for probe in PROBES:
                self.skip(f"{probe.api.value} {probe.method_id}", "no sandbox")
            return self.checks
        try:
            for probe in PROBES:
                self.step(
                    f"{probe.api.value} {probe.method_id}",
                    partial(self.check_probe, probe, server.credentials),
                )
        finally:
            self.step("sandbox stop", lambda: self._stop(server))
        if self.worker:
            self.step("jq worker", self.check_worker)
        return self.checks

    @staticmethod
    def _stop(server: SandboxServer) -> str:
        server.stop()
        if server.running:
            raise _Failed("the sandbox thread is still running")
        return "stopped"


def run_selftest(resources: Path | None = None, *, worker: bool = True) -> list[Check]:
    """Every check, in order; `resources` defaults to the app's own (a checkout or a frozen bundle)."""
    return _Run(resources or resources_dir(), worker).run()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="explorer selftest",
        description="Check that this copy works end to end without a display: load both catalogs, build "
        "and lint one Discourse and one Disqus request, send them to the sandbox on 127.0.0.1, and run a "
        "jq filter in a worker process. Prints one line per check. Exit status: 0 all passed, 1 a check "
        "failed, 2 invalid arguments.",
    )
    parser.add_argument("--no-worker", action="store_true", help="skip the jq worker-process check")
    return parser


def main(argv: list[str]) -> int:
    args = parse_args(build_parser(), argv)
    if isinstance(args, int):
        return args
    checks = run_selftest(worker=not args.no_worker)
    # write() flushes each line and survives a reader that stops early (`explorer selftest | head -1`).
    for check in checks:
        write(check.line())
    failed = [c for c in checks if not c.ok]
    if failed:
        write(f"FAILED: {len(failed)} of {len(checks)} checks", stream=sys.stderr)
        return 1
    write("OK")
    return 0
