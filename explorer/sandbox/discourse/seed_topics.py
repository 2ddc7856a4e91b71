"""Seed topics and posts: category About topics, discussions, a staff-only topic and personal messages."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from explorer.sandbox.discourse.model import Post, Topic, User
from explorer.sandbox.discourse.seed_content import BASE_TIME, DAY, SENTENCES, SUBJECTS, TEMPLATES
from explorer.sandbox.discourse.text import cook, iso, slugify

if TYPE_CHECKING:  # seed.py imports this module to build the forum
    from explorer.sandbox.discourse.seed import SeedData


def topics_and_posts(data: SeedData, rng: random.Random) -> None:
    """About topics, a reply chain, 34 discussion topics, a staff-only topic and six personal messages."""
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
            views=rng.randint(5, 900),
            external_id=f"ext-topic-{len(data.topics) + 1}",
        )
        last = created
        for number in range(1, n_posts + 1):
            poster = author if number == 1 else rng.choice(writers)
            when = created if number == 1 else last + rng.randint(600, 2 * 86400 // max(n_posts, 1))
            raw = (
                " ".join(rng.sample(SENTENCES, 2))
                if number > 1
                else f"{title}\n\n" + " ".join(rng.sample(SENTENCES, 3))
            )
            reply_to = number - 1 if replies_chain and number > 1 else None
            post = _post(post_id, topic.id, number, poster, raw, when, reply_to, reads=rng.randint(1, 40))
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
            data.posts.append(_post(post_id, pm_topic.id, number, poster, raw, last))
            post_id += 1
            last += 3600
        pm_topic.bumped_at = iso(last - 3600)
        data.topics.append(pm_topic)


def _post(
    post_id: int,
    topic_id: int,
    number: int,
    poster: User,
    raw: str,
    when: float,
    reply_to: int | None = None,
    reads: int = 1,
) -> Post:
    """A post as first written (never edited), cooked from `raw`."""
    return Post(
        id=post_id,
        topic_id=topic_id,
        post_number=number,
        user_id=poster.id,
        raw=raw,
        cooked=cook(raw),
        created_at=iso(when),
        updated_at=iso(when),
        reply_to_post_number=reply_to,
        reads=reads,
    )
