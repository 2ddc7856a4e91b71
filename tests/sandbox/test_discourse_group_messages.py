"""Personal messages to groups: target_recipients names groups too, and group members can read them."""

from __future__ import annotations

import httpx
import pytest

from explorer.sandbox import demo

pytestmark = pytest.mark.anyio


def as_user(username: str) -> dict[str, str]:
    return {"Api-Key": demo.DISCOURSE_ADMIN_KEY, "Api-Username": username}


def message(recipients: str, **extra: str) -> dict[str, str]:
    return {
        "title": "Release notes for the integrators",
        "raw": "Here is what changes for API users in the next release.",
        "archetype": "private_message",
        "target_recipients": recipients,
        **extra,
    }


async def test_a_message_to_a_user_and_a_group_reaches_both(client: httpx.AsyncClient) -> None:
    # carol is in api-team but was not named; bob is in neither.
    created = await client.post("/posts.json", json=message("alice,api-team"), headers=as_user("system"))
    assert created.status_code == 200, created.text
    topic_id = created.json()["topic_id"]
    for reader in ("alice", "carol"):
        assert (await client.get(f"/t/{topic_id}.json", headers=as_user(reader))).status_code == 200, reader
    outsider = await client.get(f"/t/{topic_id}.json", headers=as_user("bob"))
    assert outsider.status_code == 403


async def test_an_unknown_recipient_is_still_refused(client: httpx.AsyncClient) -> None:
    response = await client.post("/posts.json", json=message("alice,no-such-team"), headers=as_user("system"))
    assert response.status_code == 422
    assert response.json()["errors"] == ["The user 'no-such-team' could not be found."]


async def test_the_old_target_usernames_takes_users_only(client: httpx.AsyncClient) -> None:
    body = message("", target_usernames="api-team")
    response = await client.post("/posts.json", json=body, headers=as_user("system"))
    assert response.status_code == 422
    assert response.json()["errors"] == ["The user 'api-team' could not be found."]


async def test_a_group_invited_to_a_message_can_read_it(client: httpx.AsyncClient) -> None:
    # Message 44 is between alice and mod_maria; carol joins through api-team.
    assert (await client.get("/t/44.json", headers=as_user("carol"))).status_code == 403
    invite = {"group": "api-team"}
    invited = await client.post("/t/44/invite-group.json", json=invite, headers=as_user("system"))
    assert invited.status_code == 200
    assert (await client.get("/t/44.json", headers=as_user("carol"))).status_code == 200
