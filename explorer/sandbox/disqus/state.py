"""Deterministic seed data for the Disqus side and the queries and changes the methods make on it."""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from explorer.sandbox.demo import (
    DISQUS_FORUM_API_KEY,
    DISQUS_FORUM_ID,
    DISQUS_FORUM_SHORTNAME,
    DISQUS_USER_API_KEY,
)
from explorer.sandbox.disqus.records import Author, Category, Forum, Post, Thread

DEMO_USERNAME = "sandbox_owner"
EPOCH = datetime(2010, 3, 1, 9, 0)  # the sandbox lives in API 1.1's heyday; dates are naive UTC

# Keys of the forums besides the demo forum: 64 characters like every real key.
SECOND_FORUM_API_KEY = "D15f0a2" + "E" * 57
FOREIGN_FORUM_API_KEY = "D15f0a3" + "F" * 57

_TOPICS = (
    "Hello from the sandbox",
    "Notes on moving a blog between hosts",
    "Why comments need moderation",
    "A week of trying a standing desk",
    "Reading list for the spring",
    "Small tools that save time",
    "What we learned running a forum",
    "Photos from the harbour walk",
    "On writing release notes people read",
    "The case for plain text",
    "Backups you can restore",
    "Questions from last week's meetup",
)
_REMARKS = (
    "Thanks for writing this up.",
    "I tried this and it worked on the first go.",
    "Could you say more about the second step?",
    "Interesting, I had the opposite experience.",
    "Bookmarked for later.",
    "This saved me an afternoon.",
    "Which version did you use?",
    "Great pictures!",
)
_SPAM = ("Cheap watches, visit my site!!!", "Earn money from home, click here", "Best pills online")
_AUTHORS = (
    Author(7001, "ada_l", "Ada L.", "http://example.org/ada", "ada@example.org", True),
    Author(7002, "bruno", "Bruno M.", "", "bruno@example.net", False),
    Author(7003, "chen_w", "Chen W.", "http://example.com/~chen", "chen@example.com", True),
    Author(7004, DEMO_USERNAME, "Sandbox Owner", "http://example.org/", "owner@example.org", True),
)
_ANONYMOUS = (("Dana", "dana@example.org", "http://example.org/dana"), ("Eli", "eli@example.com", ""))


def slugify(title: str) -> str:
    """Underscore-separated alphanumeric words, the style of a thread slug."""
    words = "".join(c if c.isalnum() else " " for c in title.lower()).split()
    return "_".join(words) or "thread"


def now_utc() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, second=0, microsecond=0)


class DisqusState:
    """Every forum, category, thread and post of one sandbox instance, in memory."""

    def __init__(self, seed: int = 1) -> None:
        self.user_keys = {DISQUS_USER_API_KEY: DEMO_USERNAME}
        self.forums: dict[str, Forum] = {}
        self.categories: dict[str, Category] = {}
        self.threads: dict[str, Thread] = {}
        self.posts: dict[str, Post] = {}
        self._next_thread = 2001
        self._next_post = 50001
        self._seed(random.Random(seed))

    # -- seed data ---------------------------------------------------------------------------------------

    def _seed(self, rng: random.Random) -> None:
        demo = Forum(
            DISQUS_FORUM_ID,
            DISQUS_FORUM_SHORTNAME,
            "Sandbox Forum",
            "The demo forum of the offline sandbox.",
            datetime(2008, 9, 10, 14, 37, 31, 744838),
            DISQUS_FORUM_API_KEY,
            True,
        )
        blog = Forum(
            "1002",
            "sandbox-blog",
            "Sandbox Blog",
            "",
            datetime(2009, 1, 17, 5, 48),
            SECOND_FORUM_API_KEY,
            True,
        )
        foreign = Forum(
            "1003",
            "someone-elses-site",
            "Someone Else's Site",
            "A forum the demo user does not moderate.",
            datetime(2009, 6, 2, 11, 5, 9, 120044),
            FOREIGN_FORUM_API_KEY,
            False,
        )
        for forum in (demo, blog, foreign):
            self.forums[forum.id] = forum
        category_id = 301
        for forum, titles in (
            (demo, ("General", "Announcements", "Photos")),
            (blog, ("General",)),
            (foreign, ("General",)),
        ):
            for index, title in enumerate(titles):
                self.categories[str(category_id)] = Category(str(category_id), forum.id, title, index == 0)
                category_id += 1
        for forum, count in ((demo, 12), (blog, 4), (foreign, 3)):
            cats = [c.id for c in self.categories.values() if c.forum_id == forum.id]
            for index in range(count):
                title = _TOPICS[index % len(_TOPICS)]
                created = EPOCH + timedelta(days=3 * index + int(forum.id) % 7, minutes=rng.randrange(600))
                thread = self.add_thread(
                    forum,
                    title,
                    identifier=f"post-{index + 1}",
                    created_at=created,
                    category_id=cats[index % len(cats)],
                )
                thread.allow_comments = not (forum is demo and index == 11)  # one closed thread
                self._seed_posts(rng, thread, created)

    def _seed_posts(self, rng: random.Random, thread: Thread, start: datetime) -> None:
        moment = start
        for index in range(rng.randrange(3, 8)):
            moment += timedelta(hours=rng.randrange(1, 30), minutes=rng.randrange(60))
            roll = rng.random()
            # Mostly approved, some awaiting moderation, some spam (caught or moderated), a few deleted.
            status, moderated = "approved", roll < 0.2
            if roll > 0.92:
                status, moderated = "killed", True
            elif roll > 0.84:
                status, moderated = "spam", rng.random() < 0.5
            elif roll > 0.74:
                status, moderated = "unapproved", False
            text = rng.choice(_SPAM) if status == "spam" else rng.choice(_REMARKS)
            post = self.add_post(
                thread, text, created_at=moment, status=status, ip_address=f"192.0.2.{rng.randrange(1, 250)}"
            )
            post.has_been_moderated = moderated
            if index and rng.random() < 0.3:
                post.parent_post = str(int(post.id) - 1)
            if rng.random() < 0.25:
                post.anon_name, post.anon_email, post.anon_url = rng.choice(_ANONYMOUS)
            else:
                post.author = rng.choice(_AUTHORS)

    # -- changes -----------------------------------------------------------------------------------------

    def add_thread(
        self,
        forum: Forum,
        title: str,
        *,
        identifier: str | None,
        created_at: datetime | None = None,
        category_id: str | None = None,
        url: str | None = None,
    ) -> Thread:
        thread_id = str(self._next_thread)
        self._next_thread += 1
        if category_id is None:
            category_id = next(
                c.id for c in self.categories.values() if c.forum_id == forum.id and c.is_default
            )
        slug = slugify(title)
        if any(t.slug == slug and t.forum_id == forum.id for t in self.threads.values()):
            slug = f"{slug}_{thread_id}"
        thread = Thread(
            thread_id,
            forum.id,
            category_id,
            slug,
            title,
            url or f"http://{forum.shortname}.example.org/{slug}/",
            [identifier] if identifier else [],
            created_at or now_utc(),
        )
        self.threads[thread_id] = thread
        return thread

    def add_post(
        self,
        thread: Thread,
        message: str,
        *,
        created_at: datetime | None = None,
        status: str = "approved",
        ip_address: str = "",
    ) -> Post:
        post_id = str(self._next_post)
        self._next_post += 1
        post = Post(
            post_id,
            thread.forum_id,
            thread.id,
            message,
            created_at or now_utc(),
            status=status,
            ip_address=ip_address,
        )
        self.posts[post_id] = post
        return post

    def moderate(self, post: Post, action: str) -> Post:
        post.status = {"spam": "spam", "approve": "approved", "kill": "killed"}[action]
        post.has_been_moderated = True
        return post

    # -- queries -----------------------------------------------------------------------------------------

    def forums_of_user(self, user_key: str) -> list[Forum]:
        return (
            [f for f in self.forums.values() if f.moderated_by_demo_user]
            if user_key in self.user_keys
            else []
        )

    def forum_by_key(self, forum_key: str) -> Forum | None:
        return next((f for f in self.forums.values() if f.api_key == forum_key), None)

    def categories_of(self, forum_id: str) -> list[Category]:
        return [c for c in self.categories.values() if c.forum_id == forum_id]

    def threads_of(self, forum_id: str, category_id: str | None = None) -> list[Thread]:
        found = [
            t
            for t in self.threads.values()
            if t.forum_id == forum_id and (category_id is None or t.category_id == category_id)
        ]
        return sorted(found, key=lambda t: (t.created_at, int(t.id)), reverse=True)

    def thread_by_identifier(self, forum_id: str, identifier: str) -> Thread | None:
        return next(
            (t for t in self.threads.values() if t.forum_id == forum_id and identifier in t.identifiers), None
        )

    def thread_by_url(self, url: str, forum_ids: Iterable[str]) -> Thread | None:
        allowed = set(forum_ids)
        return next((t for t in self.threads.values() if t.forum_id in allowed and t.url == url), None)

    def posts_of_thread(self, thread_id: str) -> list[Post]:
        return sorted(
            (p for p in self.posts.values() if p.thread_id == thread_id),
            key=lambda p: (p.created_at, int(p.id)),
        )

    def posts_of_forum(self, forum_id: str, category_id: str | None = None) -> list[Post]:
        found = [
            p
            for p in self.posts.values()
            if p.forum_id == forum_id
            and (category_id is None or self.threads[p.thread_id].category_id == category_id)
        ]
        return sorted(found, key=lambda p: (p.created_at, int(p.id)), reverse=True)

    def counts(self, thread_id: str) -> list[int]:
        """[visible, total]: visible are approved posts; the total leaves out deleted (killed) ones."""
        posts = [p for p in self.posts.values() if p.thread_id == thread_id]
        return [sum(p.status == "approved" for p in posts), sum(p.status != "killed" for p in posts)]

    def updated_threads(self, forum_id: str, since: datetime) -> list[Thread]:
        ids = {p.thread_id for p in self.posts.values() if p.forum_id == forum_id and p.created_at >= since}
        return [t for t in self.threads_of(forum_id) if t.id in ids]
