"""Deterministic seed data for the sandbox forum, generated from `SandboxConfig.seed`."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from explorer.sandbox.demo import (
    DISCOURSE_ADMIN_KEY,
    DISCOURSE_GRANULAR_KEY,
    DISCOURSE_READ_ONLY_KEY,
    DISCOURSE_SINGLE_USER_KEY,
)
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
from explorer.sandbox.discourse.seed_content import (
    CATEGORIES,
    GRANULAR_SCOPES,
    SENTENCES,
    SUBJECTS,
    TAGS,
    TEMPLATES,
    USERS,
)
from explorer.sandbox.discourse.text import cook, iso, slugify

BASE_TIME = 1767607200.0  # 2026-01-05T10:00:00Z: seed timestamps are fixed so answers are reproducible
DAY = 86400.0


@dataclass
class SeedData:
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
    _topics_and_posts(data, rng)
    _badges(data)
    _notifications(data)
    _misc(data)
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


def _topics_and_posts(data: SeedData, rng: random.Random) -> None:
    writers = [u for u in data.users if u.username not in ("system",)]
    # Uncategorized and the playground stay (almost) empty, so the playground can be deleted when learning.
    public_cats = [c.id for c in data.categories if not c.read_restricted and c.id not in (1, 7)]
    titles = [t.format(s=s) for s in SUBJECTS for t in TEMPLATES]
    rng.shuffle(titles)
    post_id = 1
    tags = [t.name for t in data.tags]

    def add_topic(
        title: str,
        category: int | None,
        author: User,
        created: float,
        n_posts: int,
        archetype: str = "regular",
        replies_chain: bool = False,
    ) -> Topic:
        nonlocal post_id
        topic = Topic(
            id=len(data.topics) + 1,
            title=title,
            slug=slugify(title),
            category_id=category,
            user_id=author.id,
            created_at=iso(created),
            archetype=archetype,
            views=rng.randint(5, 900),
            external_id=f"ext-topic-{len(data.topics) + 1}",
        )
        last = created
        for number in range(1, n_posts + 1):
            poster = author if number == 1 else rng.choice(writers)
            if archetype == "private_message" and number > 1:
                poster = rng.choice([u for u in data.users if u.id in topic.allowed_user_ids])
            when = created if number == 1 else last + rng.randint(600, 2 * 86400 // max(n_posts, 1))
            raw = (
                " ".join(rng.sample(SENTENCES, 2))
                if number > 1
                else f"{title}\n\n" + " ".join(rng.sample(SENTENCES, 3))
            )
            reply_to = number - 1 if replies_chain and number > 1 else None
            post = Post(
                id=post_id,
                topic_id=topic.id,
                post_number=number,
                user_id=poster.id,
                raw=raw,
                cooked=cook(raw),
                created_at=iso(when),
                updated_at=iso(when),
                reply_to_post_number=reply_to,
                reads=rng.randint(1, 40),
            )
            post.likes = {u.id for u in rng.sample(writers, rng.randint(0, 3)) if u.id != poster.id}
            data.posts.append(post)
            post_id += 1
            last = when
        topic.bumped_at = iso(last)
        data.topics.append(topic)
        return topic

    # "About" topics of each category come first, as on a fresh forum.
    system = data.users[0]
    for cat in data.categories:
        topic = add_topic(
            f"About the {cat.name} category", cat.id, system, BASE_TIME - 120 * DAY + cat.id * 3600, 1
        )
        topic.pinned = True
        cat.topic_id = topic.id
    # A reply chain (post N answers post N-1), old enough to stay off the first page of /posts.json.
    add_topic(
        "Reply chains: how replies reference earlier posts",
        2,
        data.users[4],
        BASE_TIME - 100 * DAY,
        6,
        replies_chain=True,
    )
    for index in range(34):
        category = public_cats[index % len(public_cats)]
        created = BASE_TIME - (90 - index * 2.5) * DAY
        topic = add_topic(titles[index], category, rng.choice(writers), created, rng.randint(3, 11))
        topic.tags = sorted(rng.sample(tags, rng.randint(0, 3)))
    add_topic("Moderation notes for this week", 6, data.users[1], BASE_TIME - 3 * DAY, 4)
    # Private messages between regular users and staff.
    pairs = [
        ("alice", "mod_maria"),
        ("alice", "bob"),
        ("carol", "alice"),
        ("dave", "system"),
        ("judy", "heidi"),
        ("mod_maria", "frank"),
    ]
    by_name = {u.username: u for u in data.users}
    for index, (sender, receiver) in enumerate(pairs):
        author, other = by_name[sender], by_name[receiver]
        title = f"Private question {index + 1} from {sender}"
        # PMs need their participants before posts are generated, so build them explicitly.
        pm_topic = Topic(
            id=len(data.topics) + 1,
            title=title,
            slug=slugify(title),
            category_id=None,
            user_id=author.id,
            created_at=iso(BASE_TIME - (20 - index) * DAY),
            archetype="private_message",
            allowed_user_ids=[author.id, other.id],
        )
        last = BASE_TIME - (20 - index) * DAY
        for number in range(1, rng.randint(2, 4) + 1):
            poster = author if number % 2 else other
            raw = " ".join(rng.sample(SENTENCES, 2))
            data.posts.append(
                Post(
                    id=post_id,
                    topic_id=pm_topic.id,
                    post_number=number,
                    user_id=poster.id,
                    raw=raw,
                    cooked=cook(raw),
                    created_at=iso(last),
                    updated_at=iso(last),
                )
            )
            post_id += 1
            last += 3600
        pm_topic.bumped_at = iso(last - 3600)
        data.topics.append(pm_topic)


def _badges(data: SeedData) -> None:
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


def _notifications(data: SeedData) -> None:
    nid = 1
    topics = [t for t in data.topics if not t.is_pm and t.category_id != 6]
    for user in data.users:
        for index, ntype in enumerate(
            (2, 5, 6, 12, 1)
        ):  # replied, liked, private_message, granted_badge, mentioned
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


def _misc(data: SeedData) -> None:
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
