"""Journey: SSO sites: undocumented endpoints, users by external id, trust levels, signed sync_sso."""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import urlencode

from journeys_kit import ADMIN, CATALOGS, body_json, build, method, send

from explorer.core.catalog.model import Api
from explorer.core.explain import explain_result
from explorer.sandbox import demo
from explorer.sandbox.demo import DemoCredentials

# The DiscourseConnect secret the catalog's syncSso example is signed with (see that method's notes).
CONNECT_SECRET = "example-connect-secret"


def _payload(**fields: str) -> str:
    """What an SSO provider sends: base64 of the URL-encoded fields."""
    return base64.b64encode(urlencode(fields).encode()).decode()


def _sign(payload: str, secret: str = CONNECT_SECRET) -> str:
    return hmac.new(secret.encode(), payload.encode(), hashlib.sha256).hexdigest()


def test_the_endpoints_sso_sites_use_are_in_the_catalog_marked_undocumented() -> None:
    catalog = CATALOGS[Api.DISCOURSE]
    for method_id, verb, path in (
        ("syncSso", "POST", "/admin/users/sync_sso"),
        ("setTrustLevel", "PUT", "/admin/users/{id}/trust_level"),
    ):
        found = catalog.method(method_id)
        assert found is not None and (found.verb, found.path) == (verb, path)
        assert found.documented is False
        assert any("Undocumented" in note for note in found.notes)
    by_external = method("discourse", "getUserExternalId")
    assert by_external.documented is True and by_external.path == "/u/by-external/{external_id}.json"
    assert CONNECT_SECRET in " ".join(method("discourse", "syncSso").notes)


def test_find_a_user_by_external_id(reading_sandbox: DemoCredentials) -> None:
    found = send(
        build("discourse", "getUserExternalId", {"external_id": "ext-carol"}, base_url=reading_sandbox.url)
    )
    assert found.status == 200
    assert body_json(found)["user"]["username"] == "carol"

    missing = send(
        build("discourse", "getUserExternalId", {"external_id": "no-such-id"}, base_url=reading_sandbox.url)
    )
    assert missing.status == 404
    assert explain_result(missing).code == "discourse-not-found"


def test_the_catalog_example_finds_a_sandbox_user(reading_sandbox: DemoCredentials) -> None:
    example = method("discourse", "getUserExternalId").example
    result = send(build("discourse", "getUserExternalId", example, base_url=reading_sandbox.url))
    assert result.status == 200


def test_act_as_a_user_named_by_external_id(reading_sandbox: DemoCredentials) -> None:
    credentials = {"api_key": demo.DISCOURSE_ADMIN_KEY, "api_user_external_id": "ext-carol"}
    request = build("discourse", "getCurrentSession", base_url=reading_sandbox.url, credentials=credentials)
    assert request.header("Api-User-External-Id") == "ext-carol"
    result = send(request)
    assert result.status == 200
    assert body_json(result)["current_user"]["username"] == "carol"


def test_update_a_trust_level(journey_sandbox: DemoCredentials) -> None:
    base = journey_sandbox.url
    alice = body_json(
        send(build("discourse", "getUser", {"username": "alice"}, base_url=base, credentials=ADMIN))
    )
    user_id = alice["user"]["id"]
    new_level = 4 if alice["user"]["trust_level"] != 4 else 2

    changed = send(
        build(
            "discourse",
            "setTrustLevel",
            {"id": user_id, "level": new_level},
            base_url=base,
            credentials=ADMIN,
        )
    )
    assert changed.status == 200
    assert body_json(changed)["admin_user"]["trust_level"] == new_level
    shown = send(build("discourse", "adminGetUser", {"id": user_id}, base_url=base, credentials=ADMIN))
    assert body_json(shown)["trust_level"] == new_level

    # Not an admin: the admin route hides itself.
    as_alice = {"api_key": demo.DISCOURSE_ADMIN_KEY, "api_username": "alice"}
    refused = send(
        build("discourse", "setTrustLevel", {"id": user_id, "level": 1}, base_url=base, credentials=as_alice)
    )
    assert refused.status == 404
    assert explain_result(refused).code == "discourse-admin-404"


def test_sync_sso_creates_then_updates_a_user(journey_sandbox: DemoCredentials) -> None:
    base = journey_sandbox.url
    payload = _payload(external_id="crm-7781", email="dana@example.com", username="dana_sso", name="Dana")
    created = send(
        build(
            "discourse", "syncSso", {"sso": payload, "sig": _sign(payload)}, base_url=base, credentials=ADMIN
        )
    )
    assert created.status == 200, created.text()[:300]
    assert body_json(created)["username"] == "dana_sso"

    found = body_json(
        send(build("discourse", "getUserExternalId", {"external_id": "crm-7781"}, base_url=base))
    )
    assert found["user"]["username"] == "dana_sso" and found["user"]["name"] == "Dana"

    renamed = _payload(external_id="crm-7781", email="dana@example.com", name="Dana Example")
    assert (
        send(
            build(
                "discourse",
                "syncSso",
                {"sso": renamed, "sig": _sign(renamed)},
                base_url=base,
                credentials=ADMIN,
            )
        ).status
        == 200
    )
    found = body_json(
        send(build("discourse", "getUserExternalId", {"external_id": "crm-7781"}, base_url=base))
    )
    assert found["user"]["username"] == "dana_sso" and found["user"]["name"] == "Dana Example"


def test_sync_sso_with_a_wrong_secret_is_refused(journey_sandbox: DemoCredentials) -> None:
    base = journey_sandbox.url
    payload = _payload(external_id="crm-9999", email="mallory@example.com", username="mallory")
    forged = _sign(payload, "not-the-site-secret")
    result = send(
        build("discourse", "syncSso", {"sso": payload, "sig": forged}, base_url=base, credentials=ADMIN)
    )
    assert result.status == 422
    assert body_json(result)["errors"]
    assert (
        send(build("discourse", "getUserExternalId", {"external_id": "crm-9999"}, base_url=base)).status
        == 404
    )
