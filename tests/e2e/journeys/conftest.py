"""Sandboxes for the journey tests: a shared read-only one and a writable one per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from explorer.sandbox.config import SandboxConfig
from explorer.sandbox.demo import DemoCredentials
from explorer.sandbox.server import SandboxServer

# Admin-key requests share one budget per server (60 a minute by default). These servers get a budget no
# journey reaches, so the folder never spends the session-wide `sandbox_server`'s budget that other tests
# rely on; the rate-limit journey uses small-budget servers of its own.
ROOMY = SandboxConfig(admin_rate_limit_per_minute=100_000)


@pytest.fixture(scope="package")
def reading_sandbox() -> Iterator[DemoCredentials]:
    """The sandbox for journeys that only read (or whose writes are refused)."""
    with SandboxServer(ROOMY) as server:
        yield server.credentials


@pytest.fixture(scope="module")
def journey_sandbox() -> Iterator[DemoCredentials]:
    """A writable sandbox shared by one journey module, whose tests each write to their own topics, users
    and threads; starting one server per test would cost most of the folder's time."""
    with SandboxServer(ROOMY) as server:
        yield server.credentials
