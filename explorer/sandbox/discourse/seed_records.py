"""Seed badges, notifications, invites, backups and the demo API keys of the sandbox forum."""

from __future__ import annotations

from typing import TYPE_CHECKING

from explorer.sandbox.demo import (
    DISCOURSE_ADMIN_KEY,
    DISCOURSE_GRANULAR_KEY,
    DISCOURSE_READ_ONLY_KEY,
    DISCOURSE_SINGLE_USER_KEY,
)
from explorer.sandbox.discourse.model import ApiKeyRecord, Badge, Invite, Notification, UserBadge
from explorer.sandbox.discourse.seed_content import BASE_TIME, DAY, GRANULAR_SCOPES
from explorer.sandbox.discourse.text import iso

if TYPE_CHECKING:  # seed.py imports this module to build the forum
    from explorer.sandbox.discourse.seed import SeedData


def badges(data: SeedData) -> None:
    specs = [
        (1, "Basic User", "Granted all essential community functions", 3),
        (2, "Member", "Granted invitations, group messaging, more likes", 3),
        (3, "Regular", "Granted recategorize, rename, followed links, wiki, more likes", 2),
        (4, "Leader", "Granted global edit, pin, close, archive, split and merge, more likes", 1),
        (5, "Welcome", "Received a like", 3),
        (6, "First Like", "Liked a post", 3),
        (7, "Editor", "First post edit", 3),
        (8, "Nice Post", "Received 10 likes", 3),
        (9, "API Explorer", "Sent a first request through the sandbox", 2),
    ]
    data.badges = [
        Badge(
            bid,
            name,
            desc,
            btype,
            allow_title=btype < 3,
            system=bid < 9,
            long_description=f"This badge is granted for: {desc.lower()}.",
        )
        for bid, name, desc, btype in specs
    ]
    grant_id = 1
    for user in data.users:
        for badge_id, level in ((1, 1), (2, 2), (3, 3), (4, 4)):
            if user.trust_level >= level and user.id > 0:
                data.user_badges.append(UserBadge(grant_id, badge_id, user.id, user.created_at))
                grant_id += 1
        if user.id > 0:
            data.user_badges.append(UserBadge(grant_id, 5, user.id, user.created_at))
            grant_id += 1


# Notification type ids from Discourse's Notification.types: replied, liked, private_message, granted_badge,
# mentioned. Each user gets one of each.
NOTIFICATION_TYPES = (2, 5, 6, 12, 1)


def notifications(data: SeedData) -> None:
    nid = 1
    topics = [t for t in data.topics if not t.is_pm and t.category_id != 6]
    for user in data.users:
        for index, ntype in enumerate(NOTIFICATION_TYPES):
            topic = topics[(user.id + index * 7) % len(topics)]
            payload = {
                "topic_title": topic.title,
                "original_post_id": 1,
                "original_post_type": 1,
                "original_username": "carol",
                "display_username": "carol",
            }
            if ntype == 12:
                payload = {
                    "badge_id": 5,
                    "badge_name": "Welcome",
                    "badge_slug": "welcome",
                    "badge_title": False,
                    "username": user.username,
                }
            data.notifications.append(
                Notification(
                    id=nid,
                    user_id=user.id,
                    notification_type=ntype,
                    created_at=iso(BASE_TIME - index * 3600),
                    topic_id=topic.id if ntype != 12 else None,
                    post_number=1 if ntype != 12 else None,
                    read=index > 2,
                    data=payload,
                )
            )
            nid += 1


def invites_backups_and_keys(data: SeedData) -> None:
    data.invites = [
        Invite(
            1,
            "a1b2c3d4e5f6a7b8c9d0",
            "newcomer@sandbox.invalid",
            2,
            iso(BASE_TIME - 5 * DAY),
            iso(BASE_TIME + 25 * DAY),
        ),
        Invite(
            2,
            "f0e1d2c3b4a5968778695a",
            None,
            -1,
            iso(BASE_TIME - 2 * DAY),
            iso(BASE_TIME + 28 * DAY),
            max_redemptions_allowed=10,
            group_ids=[42],
        ),
    ]
    data.backups = [
        {
            "filename": "sandbox-2026-01-03-033000-v20251201000000.tar.gz",
            "size": 5_242_880,
            "last_modified": iso(BASE_TIME - 2 * DAY),
        },
        {
            "filename": "sandbox-2026-01-04-033000-v20251201000000.tar.gz",
            "size": 5_371_904,
            "last_modified": iso(BASE_TIME - DAY),
        },
    ]
    maria = next(u.id for u in data.users if u.username == "mod_maria")
    created = iso(BASE_TIME - 30 * DAY)
    data.api_keys = [
        ApiKeyRecord(
            1, DISCOURSE_ADMIN_KEY, "Sandbox admin key (all users)", None, "global", created_at=created
        ),
        ApiKeyRecord(
            2, DISCOURSE_SINGLE_USER_KEY, "Single-user key for mod_maria", maria, "global", created_at=created
        ),
        ApiKeyRecord(
            3, DISCOURSE_READ_ONLY_KEY, "Read-only key (all users)", None, "read_only", created_at=created
        ),
        ApiKeyRecord(
            4,
            DISCOURSE_GRANULAR_KEY,
            "Granular key with a few scopes",
            None,
            "granular",
            GRANULAR_SCOPES,
            created_at=created,
        ),
    ]
