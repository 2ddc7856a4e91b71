"""Profiles, builder and executor together against the real sandbox on a loopback port."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from explorer.core.builder import build_request
from explorer.core.catalog.loader import load_bundled_catalogs
from explorer.core.catalog.model import Api
from explorer.core.http import Executor
from explorer.core.paths import AppPaths
from explorer.core.profiles import MemorySecretStore, ProfileStore, install_sandbox_profiles
from explorer.sandbox.demo import DemoCredentials
from explorer.sandbox.server import SandboxServer


@pytest.fixture(scope="module")
def sandbox() -> Iterator[DemoCredentials]:
    with SandboxServer() as server:
        yield server.credentials


def test_sandbox_profiles_send_through_the_executor(sandbox: DemoCredentials, tmp_path) -> None:
    store = ProfileStore(AppPaths.under(tmp_path), MemorySecretStore())
    discourse, disqus = install_sandbox_profiles(store, sandbox)
    catalogs = load_bundled_catalogs()
    executor = Executor(timeout_s=20)

    # /new.json needs a signed-in user: a 200 with a topic list proves the profile's key and username arrived.
    new_topics = catalogs[Api.DISCOURSE].method("listNewTopics")
    creds = store.credentials(discourse)
    built = build_request(new_topics, {}, base_url=discourse.base_url, credentials=creds)
    assert built.ok, built.errors
    result = executor.execute_sync(built.request)
    assert result.status == 200, (result.error, result.body[:300])
    assert result.is_json and "topic_list" in result.json()
    anonymous = build_request(new_topics, {}, base_url=discourse.base_url, credentials={})
    assert executor.execute_sync(anonymous.request).status in (403, 404)

    who = catalogs[Api.DISQUS].method("get_user_name")
    built = build_request(who, {}, base_url=disqus.base_url, credentials=store.credentials(disqus))
    assert built.ok, built.errors
    result = executor.execute_sync(built.request)
    assert result.status == 200, (result.error, result.body[:300])
    envelope = result.json()
    assert envelope["succeeded"] is True and envelope["message"]
