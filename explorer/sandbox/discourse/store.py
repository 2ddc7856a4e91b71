"""The forum's state: indexed records, id counters, a change counter for caches, and the main writes."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from explorer.sandbox.demo import (
    DISCOURSE_EMAILED_TOKEN,
    DISCOURSE_USER_API_CLIENT_ID,
    DISCOURSE_USER_API_KEY,
    REGULAR_USERNAME,
)
from explorer.sandbox.discourse.model import (
    Category,
    Group,
    Post,
    Topic,
    Upload,
    User,
    UserApiKeyRecord,
)
from explorer.sandbox.discourse.seed import SeedData, generate
from explorer.sandbox.discourse.seed_content import SITE_DEFAULTS
from explorer.sandbox.discourse.text import cook, iso, slugify

# What the demo User API key of the regular user was granted (the common "read,write" request plus extras).
USER_API_SCOPES = ("read", "write", "session_info", "notifications")


class Store:
    """All records in memory; every write bumps `version` so rendered pages can be cached safely."""

    def __init__(self, seed: int, clock: Callable[[], float]) -> None:
        data: SeedData = generate(seed)
        self.clock = clock
        self.version = 0
        self.users: dict[int, User] = {u.id: u for u in data.users}
        self.categories: dict[int, Category] = {c.id: c for c in data.categories}
        self.topics: dict[int, Topic] = {t.id: t for t in data.topics}
        self.posts: dict[int, Post] = {p.id: p for p in data.posts}
        self.posts_by_topic: dict[int, list[Post]] = {}
        for post in data.posts:
            self.posts_by_topic.setdefault(post.topic_id, []).append(post)
        self.groups: dict[int, Group] = {g.id: g for g in data.groups}
        self.tags = {t.name: t for t in data.tags}
        self.tag_groups = {g.id: g for g in data.tag_groups}
        self.badges = {b.id: b for b in data.badges}
        self.user_badges = list(data.user_badges)
        self.notifications = list(data.notifications)
        self.invites = {i.id: i for i in data.invites}
        self.backups = list(data.backups)
        self.api_keys = {k.id: k for k in data.api_keys}
        self.uploads: dict[int, Upload] = {}
        self.logged_out: set[int] = set()
        self.bookmarks: dict[int, tuple[int, int]] = {}  # id -> (user id, post id)
        self.polls: dict[tuple[int, str], dict[str, object]] = {}
        self.site_settings: dict[str, object] = dict(SITE_DEFAULTS)
        regular = self.user_by_name(REGULAR_USERNAME)
        assert regular is not None
        self.user_api_keys: dict[str, UserApiKeyRecord] = {
            DISCOURSE_USER_API_KEY: UserApiKeyRecord(
                DISCOURSE_USER_API_KEY, regular.id, USER_API_SCOPES, DISCOURSE_USER_API_CLIENT_ID
            ),
        }
        # E-mailed tokens: password reset token -> user id (alice has asked for one), user id -> backup token.
        self.reset_tokens: dict[str, int] = {DISCOURSE_EMAILED_TOKEN: regular.id}
        # Every admin starts as if they had asked for a backup download link (so the catalog example works).
        self.backup_tokens: dict[int, str] = {u.id: DISCOURSE_EMAILED_TOKEN for u in data.users if u.admin}
        self.color_schemes: dict[int, dict[str, object]] = {}  # admin-made schemes; the base ones are fixed
        self.site_text_overrides: dict[str, str] = {}
        self._next: dict[str, int] = {}

    # -- bookkeeping
    def changed(self) -> None:
        self.version += 1

    def next_id(self, kind: str, existing: Mapping[int, object] | Sequence[object]) -> int:
        """A fresh id for `kind`, one above the largest seeded id (a mapping's keys or the items' `.id`)."""
        if kind not in self._next:
            if isinstance(existing, Mapping):
                ids = list(existing.keys())
            else:
                ids = [getattr(x, "id", 0) for x in existing]
            self._next[kind] = max([0, *ids]) + 1
        value = self._next[kind]
        self._next[kind] = value + 1
        return value

    def now(self) -> str:
        return iso(self.clock())

    # -- look-ups
    def user_by_name(self, username: str) -> User | None:
        lowered = username.lower()
        return next((u for u in self.users.values() if u.username.lower() == lowered), None)

    def user_by_external_id(self, external_id: str) -> User | None:
        return next((u for u in self.users.values() if u.external_id == external_id), None)

    def group_by_name(self, name: str) -> Group | None:
        lowered = name.lower()
        return next((g for g in self.groups.values() if g.name.lower() == lowered), None)

    def group_ids_of(self, user_id: int) -> list[int]:
        return [g.id for g in self.groups.values() if user_id in g.member_ids]

    def live_posts(self, topic_id: int) -> list[Post]:
        return [p for p in self.posts_by_topic.get(topic_id, []) if p.deleted_at is None]

    def last_post(self, topic_id: int) -> Post | None:
        posts = self.live_posts(topic_id)
        return posts[-1] if posts else None

    def first_post(self, topic_id: int) -> Post | None:
        posts = self.posts_by_topic.get(topic_id, [])
        return posts[0] if posts else None

    # -- writes
    def create_topic(
        self,
        author: User,
        title: str,
        raw: str,
        category_id: int | None,
        *,
        archetype: str = "regular",
        tags: list[str] | None = None,
        allowed_user_ids: list[int] | None = None,
        allowed_group_ids: list[int] | None = None,
        external_id: str | None = None,
        created_at: str | None = None,
    ) -> tuple[Topic, Post]:
        topic_id = self.next_id("topic", self.topics)
        when = created_at or self.now()
        topic = Topic(
            id=topic_id,
            title=title,
            slug=slugify(title),
            category_id=category_id,
            user_id=author.id,
            created_at=when,
            archetype=archetype,
            tags=list(tags or []),
            bumped_at=when,
            allowed_user_ids=list(allowed_user_ids or []),
            allowed_group_ids=list(allowed_group_ids or []),
            external_id=external_id,
        )
        self.topics[topic_id] = topic
        post = self.create_post(author, topic, raw, created_at=when)
        return topic, post

    def create_post(
        self,
        author: User,
        topic: Topic,
        raw: str,
        *,
        reply_to: int | None = None,
        created_at: str | None = None,
    ) -> Post:
        when = created_at or self.now()
        existing = self.posts_by_topic.setdefault(topic.id, [])
        number = (existing[-1].post_number + 1) if existing else 1
        post = Post(
            id=self.next_id("post", self.posts),
            topic_id=topic.id,
            post_number=number,
            user_id=author.id,
            raw=raw,
            cooked=cook(raw),
            created_at=when,
            updated_at=when,
            reply_to_post_number=reply_to,
        )
        self.posts[post.id] = post
        existing.append(post)
        topic.bumped_at = when
        self.changed()
        return post

    def edit_post(self, post: Post, raw: str, edit_reason: str | None = None) -> None:
        post.raw = raw
        post.cooked = cook(raw)
        post.version += 1
        post.updated_at = self.now()
        post.edit_reason = edit_reason
        if post.post_number == 1:
            self.topics[post.topic_id].bumped_at = post.updated_at
        self.changed()

    def delete_post(self, post: Post, actor: User) -> None:
        post.deleted_at = self.now()
        if post.post_number == 1:
            self.delete_topic(self.topics[post.topic_id], actor)
        self.changed()

    def delete_topic(self, topic: Topic, actor: User) -> None:
        topic.deleted_at = self.now()
        topic.deleted_by_id = actor.id
        self.changed()

    def add_upload(self, user: User, filename: str, content: bytes) -> Upload:
        extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
        upload = Upload(
            id=self.next_id("upload", self.uploads),
            user_id=user.id,
            original_filename=filename,
            content=content,
            extension=extension,
        )
        self.uploads[upload.id] = upload
        self.changed()
        return upload
