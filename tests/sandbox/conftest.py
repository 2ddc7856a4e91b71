"""Fixtures shared by the sandbox tests: the anyio backend and an in-process Discourse client."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from explorer.sandbox.config import SandboxConfig
from explorer.sandbox.discourse import create_app


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    """The Discourse side without a socket; a roomy admin budget so no test trips the 60-a-minute limit."""
    app = create_app(SandboxConfig(admin_rate_limit_per_minute=10_000))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://sandbox") as c:
        yield c
