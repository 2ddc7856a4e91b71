"""Deterministic seed data for the sandbox forum, generated from `SandboxConfig.seed`."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

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
from explorer.sandbox.discourse.text import cook, iso, slugify

BASE_TIME = 1767607200.0  # 2026-01-05T10:00:00Z: seed timestamps are fixed so answers are reproducible
DAY = 86400.0

# Scopes of the demo granular key: enough to read lists and topics and to post, nothing administrative.
GRANULAR_SCOPES = (
    "topics:read",
    "topics:read_lists",
    "topics:write",
    "posts:edit",
    "categories:list",
    "categories:show",
    "users:show",
    "tags:list",
)

# Site settings the sandbox lists and lets admins change.
SITE_DEFAULTS: dict[str, Any] = {
    "title": "Sandbox Forum",
    "site_description": "An offline forum for learning the Discourse API",
    "contact_email": "staff@sandbox.invalid",
    "min_post_length": 20,
    "min_topic_title_length": 15,
    "max_admin_api_reqs_per_minute": 60,
    "allow_user_api_key_scopes": "read|write|session_info|notifications",
    "tagging_enabled": True,
    "enable_discourse_connect": True,
    "discourse_connect_secret": "example-connect-secret",  # the secret the catalog's syncSso example uses
    "default_locale": "en",
    "login_required": False,
}

# (username, name, trust level, admin, moderator)
_USERS = [
    ("system", "system", 4, True, True),
    ("ada_admin", "Ada Admin", 4, True, False),  # the human admin who set the forum up (id 1, as usual)
    ("mod_maria", "Maria Moderator", 3, False, True),
    ("alice", "Alice Archer", 1, False, False),
    ("bob", "Bob Builder", 0, False, False),
    ("carol", "Carol Coder", 2, False, False),
    ("dave", "Dave Dev", 3, False, False),
    ("erin", "Erin Ops", 2, False, False),
    ("frank", "Frank Flagged", 1, False, False),  # suspended in the seed
    ("grace", "Grace Hopper-Fan", 1, False, False),
    ("heidi", "Heidi Helper", 4, False, False),
    ("ivan", "Ivan Newcomer", 0, False, False),
    ("judy", "Judy Integrator", 2, False, False),
]

# (id, name, color, description, restricted)
_CATEGORIES = [
    (1, "Uncategorized", "0088CC", "Topics that need no category.", False),
    (2, "General", "25AAE2", "Anything about the forum and its API.", False),
    (3, "Support", "F7941D", "Ask for help with API calls, keys and errors.", False),
    (4, "Announcements", "ED207B", "News from the sandbox team.", False),
    (5, "Integrations", "3AB54A", "Bots, webhooks, SSO and plugins built on the API.", False),
    (6, "Staff Lounge", "652D90", "Private to staff.", True),
    (7, "Playground", "92278F", "An empty category to rename, reorder or delete while learning.", False),
]

_TAGS = {
    "api": "Questions about the REST API",
    "auth": "API keys, User API keys, headers",
    "rate-limits": "429s and how to back off",
    "webhooks": "Webhook payloads and signatures",
    "sso": "DiscourseConnect",
    "python": None,
    "ruby": None,
    "bug": "Something is broken",
    "feature": "Something is missing",
    "howto": None,
}

_SUBJECTS = [
    "API keys",
    "the latest topics list",
    "rate limits",
    "webhooks",
    "User API keys",
    "uploads",
    "private messages",
    "group membership",
    "badges",
    "the search endpoint",
    "category permissions",
    "pagination",
    "tag groups",
    "DiscourseConnect",
    "invites",
    "backups",
    "notifications",
    "the directory",
]
_TEMPLATES = [
    "How do I use {s} from a script?",
    "Trouble with {s} after upgrading",
    "Best practice for {s}",
    "Why does {s} answer 403?",
    "Example code for {s}",
    "{s}: what changed this year",
]
_SENTENCES = [
    "I am calling the endpoint with curl and the headers look right.",
    "The response body has an `errors` array I did not expect.",
    "Remember that the key goes in the **Api-Key** header, never in the query string.",
    "Our bot posts a summary every morning.",
    "Pagination works with the `page` parameter, starting at zero.",
    "The admin key needs an Api-Username header as well.",
    "Thanks, that fixed it!",
    "Could you share the exact request you sent?",
    "A 429 means you should wait for the Retry-After seconds.",
    "We moved the integration to a granular key with only the scopes it needs.",
    "The JSON has more fields than the documentation lists.",
    "I checked the X-Discourse-Route header to find the controller action.",
]


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
    for index, (username, name, tl, admin, moderator) in enumerate(_USERS):
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
            user.external_id = "ext-1001"  # the id the catalog's external-id examples look up
        data.users.append(user)


def _categories_and_tags(data: SeedData) -> None:
    for cid, name, color, description, restricted in _CATEGORIES:
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
    data.tags = [Tag(name, desc) for name, desc in _TAGS.items()]
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
    titles = [t.format(s=s) for s in _SUBJECTS for t in _TEMPLATES]
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
                " ".join(rng.sample(_SENTENCES, 2))
                if number > 1
                else f"{title}\n\n" + " ".join(rng.sample(_SENTENCES, 3))
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
            raw = " ".join(rng.sample(_SENTENCES, 2))
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
