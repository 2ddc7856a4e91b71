"""Every documented Discourse operation answers 200 with a body the spec allows (its known defects fixed)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator
from spec_defects import DEFECTS, corrected_spec

from explorer.sandbox import demo
from explorer.sandbox.config import SandboxConfig
from explorer.sandbox.discourse import create_app

pytestmark = pytest.mark.anyio

ADMIN = {"Api-Key": demo.DISCOURSE_ADMIN_KEY, "Api-Username": demo.ADMIN_USERNAME}
BACKUP = "sandbox-2026-01-04-033000-v20251201000000.tar.gz"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
    b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)

# operationId -> how to call it against the seeded forum: path values, query, JSON body, form/multipart.
CASES: dict[str, dict[str, Any]] = {
    "listEvents": {},
    "exportEventsICS": {},
    "getBackups": {},
    "createBackup": {"json": {"with_uploads": False}},
    "sendDownloadBackupEmail": {"path": {"filename": BACKUP}},
    "downloadBackup": {"path": {"filename": BACKUP}, "query": {"token": demo.DISCOURSE_EMAILED_TOKEN}},
    "adminListBadges": {},
    "createBadge": {"json": {"name": "Sandbox Star", "badge_type_id": 2}},
    "updateBadge": {"path": {"id": 9}, "json": {"name": "API Explorer", "badge_type_id": 2}},
    "deleteBadge": {"path": {"id": 9}},
    "createCategory": {"json": {"name": "Showcase", "color": "49d9e9", "text_color": "f0fcfd"}},
    "listCategories": {},
    "updateCategory": {"path": {"id": 5}, "json": {"name": "Integrations and bots"}},
    "listCategoryTopics": {"path": {"slug": "support", "id": 3}},
    "getCategory": {"path": {"id": 3}},
    "createGroup": {"json": {"group": {"name": "docs-team"}}},
    "deleteGroup": {"path": {"id": 42}},
    "getGroup": {"path": {"name": "api-team"}},
    "updateGroup": {"path": {"id": 41}, "json": {"group": {"full_name": "API Team (updated)"}}},
    "getGroupById": {"path": {"id": 41}},
    "listGroupMembers": {"path": {"name": "api-team"}, "query": {"offset": 0, "limit": 2}},
    "addGroupMembers": {"path": {"id": 41}, "json": {"usernames": "bob,erin"}},
    "removeGroupMembers": {"path": {"id": 41}, "json": {"usernames": "alice"}},
    "listGroups": {},
    "createInvite": {"json": {"email": "friend@sandbox.invalid", "skip_email": True}},
    "createMultipleInvites": {"json": {"email": ["a@sandbox.invalid", "b@sandbox.invalid"]}},
    "getNotifications": {},
    "markNotificationsAsRead": {"json": {"id": 1}},
    "listPosts": {},
    "createTopicPostPM": {
        "json": {"title": "Schema check of a new topic", "raw": "A body long enough to post."}
    },
    "getPost": {"path": {"id": 20}},
    "updatePost": {"path": {"id": 20}, "json": {"post": {"raw": "Edited body that is long enough."}}},
    "deletePost": {"path": {"id": 21}},
    "postReplies": {"path": {"id": 7}},
    "lockPost": {"path": {"id": 20}, "json": {"locked": "true"}},
    "performPostAction": {"path": {}, "json": {"id": 20, "post_action_type_id": 2}},
    "listUserPrivateMessages": {"path": {"username": "system"}},
    "getUserSentPrivateMessages": {"path": {"username": "system"}},
    "search": {"query": {"q": "api"}},
    "getSite": {},
    "getSiteBasicInfo": {},
    "listTagGroups": {},
    "createTagGroup": {"json": {"name": "Languages"}},
    "getTagGroup": {"path": {"id": 1}},
    "updateTagGroup": {"path": {"id": 1}, "json": {"name": "Integration subjects"}},
    "listTags": {},
    "getTag": {"path": {"name": "api"}},
    "getSpecificPostsFromTopic": {"path": {"id": 10}, "query": {"post_ids[]": ["30", "31"]}},
    "getTopic": {"path": {"id": 10}},
    "removeTopic": {"path": {"id": 12}},
    "updateTopic": {"path": {"id": 10}, "json": {"topic": {"title": "A clearer title for topic ten"}}},
    "inviteToTopic": {"path": {"id": 10}, "json": {"user": "bob"}},
    "inviteGroupToTopic": {"path": {"id": 44}, "json": {"group": "api-team"}},
    "bookmarkTopic": {"path": {"id": 10}},
    "updateTopicStatus": {"path": {"id": 10}, "json": {"status": "closed", "enabled": "true"}},
    "listLatestTopics": {},
    "listTopTopics": {},
    "setNotificationLevel": {"path": {"id": 10}, "json": {"notification_level": "3"}},
    "updateTopicTimestamp": {"path": {"id": 10}, "json": {"timestamp": "1767000000"}},
    "createTopicTimer": {"path": {"id": 10}, "json": {"time": "24", "status_type": "close"}},
    "getTopicByExternalId": {"path": {"external_id": "ext-topic-10"}, "status": 301},
    "createUpload": {"multipart": {"upload_type": "composer", "synchronous": "true"}},
    "generatePresignedPut": {"json": {"type": "composer", "file_name": "a.png", "file_size": 68}},
    "completeExternalUpload": {"json": {"unique_identifier": "sandbox-upload-1"}},
    "createMultipartUpload": {
        "json": {"upload_type": "composer", "file_name": "big.zip", "file_size": 9000000}
    },
    "batchPresignMultipartParts": {"json": {"part_numbers": [1, 2], "unique_identifier": "sandbox-upload-1"}},
    "abortMultipart": {"json": {"external_upload_identifier": "sandbox-multipart-1"}},
    "completeMultipart": {
        "json": {"unique_identifier": "sandbox-upload-1", "parts": [{"part_number": 1, "etag": "e1"}]}
    },
    "listUserBadges": {"path": {"username": "alice"}},
    "createUser": {
        "json": {
            "name": "Zoe Zed",
            "email": "zoe@sandbox.invalid",
            "password": "a-long-password-1",
            "username": "zoe",
            "active": True,
            "approved": True,
        }
    },
    "getUser": {"path": {"username": "alice"}},
    "updateUser": {"path": {"username": "alice"}, "json": {"name": "Alice A. Archer"}},
    "getUserExternalId": {"path": {"external_id": "ext-alice"}},
    "getUserIdentiyProviderExternalId": {"path": {"provider": "oidc", "external_id": "ext-alice"}},
    "updateAvatar": {
        "path": {"username": "alice"},
        "json": {"upload_id": 1, "type": "uploaded"},
        "upload_first": True,
    },
    "updateEmail": {"path": {"username": "alice"}, "json": {"email": "alice.new@sandbox.invalid"}},
    "updateUsername": {"path": {"username": "bob"}, "json": {"new_username": "bobby"}},
    "listUsersPublic": {"query": {"period": "all", "order": "likes_received"}},
    "adminGetUser": {"path": {"id": 3}},
    "deleteUser": {"path": {"id": 11}, "json": {"delete_posts": True}},
    "activateUser": {"path": {"id": 4}},
    "deactivateUser": {"path": {"id": 4}},
    "suspendUser": {"path": {"id": 4}, "json": {"suspend_until": "2030-01-01", "reason": "Testing"}},
    "silenceUser": {"path": {"id": 4}, "json": {"silenced_till": "2030-01-01", "reason": "Testing"}},
    "anonymizeUser": {"path": {"id": 11}},
    "logOutUser": {"path": {"id": 4}},
    "refreshGravatar": {"path": {"username": "alice"}},
    "adminListUsers": {},
    "adminListUsersFlag": {"path": {"flag": "active"}},
    "listUserActions": {"query": {"offset": 0, "username": "carol", "filter": "4,5"}},
    "sendPasswordResetEmail": {"json": {"login": "alice"}},
    "changePassword": {
        "path": {"token": demo.DISCOURSE_EMAILED_TOKEN},
        "json": {"username": "alice", "password": "another-long-password"},
    },
    "getUserEmails": {"path": {"username": "alice"}},
}


def _operations(shared_dir: Path) -> dict[str, tuple[str, str, dict[str, Any]]]:
    spec, _ = corrected_spec(json.loads((shared_dir / "reference/discourse/openapi.json").read_text()))
    found = {}
    for path, ops in spec["paths"].items():
        for verb, op in ops.items():
            if verb != "parameters":
                found[op["operationId"]] = (verb.upper(), path, op)
    return found


@pytest.fixture(scope="module")
def operations(shared_dir: Path) -> dict[str, tuple[str, str, dict[str, Any]]]:
    return _operations(shared_dir)


def test_every_documented_operation_has_a_case(operations: dict[str, Any]) -> None:
    assert sorted(operations) == sorted(CASES)


def test_every_known_spec_defect_is_still_in_the_spec(shared_dir: Path) -> None:
    # A defect the spec has fixed should leave the list, so the sandbox is held to the corrected schema.
    _, counts = corrected_spec(json.loads((shared_dir / "reference/discourse/openapi.json").read_text()))
    assert all(counts[d.name] > 0 for d in DEFECTS), counts


async def call(client: httpx.AsyncClient, verb: str, path: str, case: dict[str, Any]) -> httpx.Response:
    url = path.format(**case.get("path", {}))
    if case.get("upload_first"):
        await client.post(
            "/uploads.json",
            headers=ADMIN,
            data={"upload_type": "avatar", "user_id": "3"},
            files={"file": ("avatar.png", PNG, "image/png")},
        )
    if "multipart" in case:
        return await client.request(
            verb, url, headers=ADMIN, data=case["multipart"], files={"file": ("pixel.png", PNG, "image/png")}
        )
    return await client.request(verb, url, headers=ADMIN, params=case.get("query"), json=case.get("json"))


@pytest.mark.parametrize("operation_id", sorted(CASES))
async def test_documented_operation_answers_with_the_spec_shape(
    operations: dict[str, Any], operation_id: str
) -> None:
    verb, path, op = operations[operation_id]
    case = CASES[operation_id]
    app = create_app(SandboxConfig(admin_rate_limit_per_minute=10_000))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://sandbox") as client:
        response = await call(client, verb, path, case)
    expected = case.get("status", 200)
    assert response.status_code == expected, response.text[:500]
    content = op["responses"].get(str(expected), {}).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    if schema is None:
        return
    errors = sorted(Draft202012Validator(schema).iter_errors(response.json()), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message[:200]}" for e in errors[:8])
