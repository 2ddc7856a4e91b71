"""Deterministic seed data for the sandbox forum, generated from `SandboxConfig.seed`."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from explorer.sandbox.discourse import seed_records
from explorer.sandbox.discourse.model import (
    ApiKeyRecord,
    Badge,
    Category,
    Group,
    Invite,
    Notification,
    Post,
    Tag,
    TagGroup,
    Topic,
    User,
    UserBadge,
)
from explorer.sandbox.discourse.seed_content import BASE_TIME, CATEGORIES, DAY, TAGS, USERS
from explorer.sandbox.discourse.seed_topics import topics_and_posts
from explorer.sandbox.discourse.text import iso, slugify


@dataclass
class SeedData:
    """Every record of a freshly seeded forum, as lists; the Store indexes them."""

    users: list[User] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)
    tag_groups: list[TagGroup] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    badges: list[Badge] = field(default_factory=list)
    user_badges: list[UserBadge] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)
    invites: list[Invite] = field(default_factory=list)
    backups: list[dict[str, object]] = field(default_factory=list)
    api_keys: list[ApiKeyRecord] = field(default_factory=list)


def generate(seed: int) -> SeedData:
    """Build the whole forum; the same seed always yields the same data."""
    rng = random.Random(seed)
    data = SeedData()
    _users(data, rng)
    _categories_and_tags(data)
    _groups(data)
    topics_and_posts(data, rng)
    seed_records.badges(data)
    seed_records.notifications(data)
    seed_records.invites_backups_and_keys(data)
    return data


def _users(data: SeedData, rng: random.Random) -> None:
    for index, (username, name, tl, admin, moderator) in enumerate(USERS):
        uid = -1 if username == "system" else index
        created = BASE_TIME - (400 - index * 20) * DAY
        user = User(
            id=uid,
            username=username,
            name=name,
            email=f"{username}@sandbox.invalid",
            trust_level=tl,
            created_at=iso(created),
            admin=admin,
            moderator=moderator,
            last_seen_at=iso(BASE_TIME - rng.randint(1, 72) * 3600),
            external_id=f"ext-{username}",
            days_visited=rng.randint(5, 300),
            time_read=rng.randint(600, 90000),
            avatar_color=rng.choice(["8e7dd6", "e8c25c", "5e99b9", "a9a9a9", "dbb31a", "b19c9b"]),
        )
        if username == "frank":
            user.suspended_till = iso(BASE_TIME + 365 * DAY)
            user.suspend_reason = "Posting spam links"
        if username == "system":
            user.last_seen_at, user.external_id = None, None
        if username == "ada_admin":
            user.external_id = "ext-1001"  # the id the catalog's user external-id examples look up
        data.users.append(user)


def _categories_and_tags(data: SeedData) -> None:
    for cid, name, color, description, restricted in CATEGORIES:
        perms = {"staff": 1} if restricted else {"everyone": 1}
        data.categories.append(
            Category(
                id=cid,
                name=name,
                slug=slugify(name),
                color=color,
                text_color="FFFFFF",
                description=description,
                position=cid,
                read_restricted=restricted,
                permissions=perms,
            )
        )
    data.tags = [Tag(name, desc) for name, desc in TAGS.items()]
    data.tag_groups = [
        TagGroup(1, "Integration topics", ["api", "auth", "rate-limits", "webhooks", "sso"]),
        TagGroup(2, "Status", ["bug", "feature"], one_per_topic=True),
    ]


def _groups(data: SeedData) -> None:
    by_name = {u.username: u for u in data.users}
    ids = [u.id for u in data.users]
    admins = [u.id for u in data.users if u.admin]
    mods = [u.id for u in data.users if u.moderator]
    staff = sorted(set(admins) | set(mods))
    data.groups = [
        Group(1, "admins", None, True, admins),
        Group(2, "moderators", None, True, mods),
        Group(3, "staff", None, True, staff),
    ]
    for level in range(5):
        members = [u.id for u in data.users if u.trust_level >= level]
        data.groups.append(Group(10 + level, f"trust_level_{level}", None, True, members))
    team = [by_name[n].id for n in ("alice", "carol", "dave", "judy", "heidi")]
    data.groups.append(
        Group(
            41,
            "api-team",
            "API Team",
            False,
            team,
            owner_ids=[by_name["dave"].id],
            bio_raw="People who build integrations.",
            public_admission=True,
            public_exit=True,
            mentionable_level=3,
            messageable_level=3,
            title="Integrator",
        )
    )
    beta = [i for i in ids if i > 2]
    data.groups.append(
        Group(
            42,
            "beta-testers",
            "Beta Testers",
            False,
            beta,
            owner_ids=[by_name["mod_maria"].id],
            bio_raw="Early access to new features.",
            allow_membership_requests=True,
        )
    )
