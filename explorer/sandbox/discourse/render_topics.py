"""Topic JSON: list items (per list flavour), paged topic lists and the full topic view."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from explorer.sandbox.discourse.guardian import Guardian
from explorer.sandbox.discourse.model import Topic, User
from explorer.sandbox.discourse.render_posts import post_json
from explorer.sandbox.discourse.store import Store
from explorer.sandbox.discourse.text import excerpt

PER_PAGE = 30
CHUNK_SIZE = 20  # posts included in a topic view before the client must ask for more


def basic_user(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "name": user.name,
        "avatar_template": user.avatar_template,
    }


def tag_object(store: Store, name: str) -> dict[str, Any]:
    """Newer servers send tags as objects; ids follow the order tags were created in."""
    tag_id = next((i for i, t in enumerate(store.tags, start=1) if t == name), 0)
    return {"id": tag_id, "name": name, "slug": name}


def _posters(store: Store, topic: Topic) -> list[dict[str, Any]]:
    posts = store.live_posts(topic.id)
    ids: list[int] = []
    for post in [posts[0], *posts[-4:]] if posts else []:
        if post.user_id not in ids:
            ids.append(post.user_id)
    result = []
    for index, uid in enumerate(ids):
        roles = ["Original Poster"] if index == 0 else ["Frequent Poster"]
        extras = "latest" if uid == posts[-1].user_id else None
        if extras:
            roles.append("Most Recent Poster")
        item: dict[str, Any] = {
            "extras": extras or "",
            "description": ", ".join(roles),
            "user_id": uid,
            "primary_group_id": None,
        }
        result.append(item)
    return result


def topic_item(store: Store, topic: Topic, viewer: User | None, variant: str = "latest") -> dict[str, Any]:
    """`variant`: latest (also top/new/tag) | category | suggested | pm."""
    posts = store.live_posts(topic.id)
    last = posts[-1] if posts else None
    first = posts[0] if posts else None
    last_user = store.users.get(last.user_id) if last else None
    likes = sum(len(p.likes) for p in posts)
    data: dict[str, Any] = {
        "id": topic.id,
        "title": topic.title,
        "fancy_title": topic.title,
        "slug": topic.slug,
        "posts_count": len(posts),
        "reply_count": max(len(posts) - 1, 0),
        "highest_post_number": last.post_number if last else 0,
        "image_url": None,
        "created_at": topic.created_at,
        "last_posted_at": last.created_at if last else topic.created_at,
        "bumped": True,
        "bumped_at": topic.bumped_at or topic.created_at,
        "archetype": topic.archetype,
        "unseen": viewer is not None and viewer.id != topic.user_id and len(posts) < 4,
        "pinned": topic.pinned,
        "unpinned": None,
        "visible": topic.visible,
        "closed": topic.closed,
        "archived": topic.archived,
        "bookmarked": None,
        "liked": None,
        "views": topic.views,
        "like_count": likes,
        "has_summary": False,
        "last_poster_username": last_user.username if last_user else "",
        "category_id": topic.category_id,
        "pinned_globally": topic.pinned_globally,
        "featured_link": None,
        "posters": _posters(store, topic),
    }
    if variant == "category":
        data["excerpt"] = excerpt(first.cooked) if first else ""
        return data
    if variant == "suggested":
        for key in ("has_summary", "last_poster_username", "pinned_globally"):
            del data[key]
        data["excerpt"] = excerpt(first.cooked) if first else ""
        data["tags"] = [tag_object(store, name) for name in topic.tags]
        data["tags_descriptions"] = {}
        data["posters"] = [
            {
                "extras": p["extras"],
                "description": p["description"],
                "user": basic_user(store.users[p["user_id"]]),
            }
            for p in data["posters"]
        ]
        return data
    # The open list flavours: booleans for the viewer.
    data["bookmarked"] = viewer is not None and viewer.id in topic.bookmarked_by
    data["liked"] = viewer is not None and any(viewer.id in p.likes for p in posts)
    data["op_like_count"] = len(first.likes) if first else 0
    data["tags"] = list(topic.tags)
    if topic.pinned and first is not None:
        data["excerpt"] = excerpt(first.cooked)  # list items carry an excerpt for pinned topics only
    if viewer is not None:
        data["notification_level"] = topic.notification_levels.get(viewer.id, 1)
        data["last_read_post_number"] = data["highest_post_number"]
        data["unread_posts"] = 0
    if variant == "pm":
        data["category_id"] = None
        del data["op_like_count"]
        data["allowed_user_count"] = len(topic.allowed_user_ids)
        data["participants"] = [
            {"extras": "", "description": None, "user_id": uid, "primary_group_id": None}
            for uid in topic.allowed_user_ids
        ]
    return data


def visible_topics(store: Store, viewer: User | None, *, pms: bool = False) -> list[Topic]:
    """Topics the viewer may see, newest bump first (what /latest orders by)."""
    guardian = Guardian(store, viewer)
    topics = [
        t
        for t in store.topics.values()
        if t.is_pm == pms and t.deleted_at is None and guardian.can_see_topic(t)
    ]
    topics.sort(key=lambda t: (t.bumped_at, t.id), reverse=True)
    return topics


def topic_list(
    store: Store,
    topics: Sequence[Topic],
    viewer: User | None,
    *,
    page: int,
    path: str,
    query: dict[str, str],
    variant: str = "latest",
    per_page: int = PER_PAGE,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One page of a topic list with `more_topics_url` (no `.json`, as current servers write it)."""
    chunk = list(topics[page * per_page : (page + 1) * per_page])
    items = [topic_item(store, t, viewer, variant) for t in chunk]
    user_ids: list[int] = []
    for item in items:
        for poster in item["posters"]:
            uid = poster.get("user_id") or poster.get("user", {}).get("id")
            if uid not in user_ids:
                user_ids.append(uid)
    body: dict[str, Any] = {
        "can_create_topic": viewer is not None,
        "per_page": per_page,
        "topics": items,
    }
    if variant != "category":
        body.update({"draft": None, "draft_key": "new_topic", "draft_sequence": 0})
    if extra:
        body.update(extra)
    if (page + 1) * per_page < len(topics):
        more = {k: v for k, v in query.items() if k != "page"}
        more["page"] = str(page + 1)
        body["more_topics_url"] = f"{path}?{urlencode(more)}"
    return {
        "users": [basic_user(store.users[uid]) for uid in user_ids if uid in store.users],
        "primary_groups": [],
        "topic_list": body,
    }


def topic_view(
    store: Store, topic: Topic, viewer: User | None, *, post_number: int | None = None
) -> dict[str, Any]:
    guardian = Guardian(store, viewer)
    posts = [p for p in store.posts_by_topic.get(topic.id, []) if guardian.can_see_post(p)]
    start = 0
    if post_number is not None:
        start = max(0, next((i for i, p in enumerate(posts) if p.post_number >= post_number), 0) - 2)
    shown = posts[start : start + CHUNK_SIZE]
    author = store.users[topic.user_id]
    last = posts[-1] if posts else None
    last_user = store.users.get(last.user_id) if last else author
    participants = []
    for uid in dict.fromkeys(p.user_id for p in posts):
        user = store.users[uid]
        participants.append(
            {
                **basic_user(user),
                "post_count": sum(1 for p in posts if p.user_id == uid),
                "primary_group_name": None,
                "flair_name": None,
                "flair_url": None,
                "flair_color": None,
                "flair_bg_color": None,
                "flair_group_id": None,
                "admin": user.admin,
                "moderator": user.moderator,
                "trust_level": user.trust_level,
            }
        )
    suggested = [t for t in visible_topics(store, viewer) if t.id != topic.id][:5]
    staff = guardian.is_staff
    details = {
        "can_edit": guardian.can_edit_topic(topic),
        "notification_level": topic.notification_levels.get(viewer.id, 1) if viewer else 1,
        "can_move_posts": staff,
        "can_delete": guardian.can_delete_topic(topic),
        "can_remove_allowed_users": staff and topic.is_pm,
        "can_create_post": viewer is not None,
        "can_reply_as_new_topic": viewer is not None,
        "can_invite_to": viewer is not None,
        "can_invite_via_email": viewer is not None,
        "can_flag_topic": viewer is not None,
        "can_convert_topic": staff,
        "can_review_topic": staff,
        "can_close_topic": staff,
        "can_archive_topic": staff,
        "can_split_merge_topic": staff,
        "can_edit_staff_notes": staff,
        "can_toggle_topic_visibility": staff,
        "can_pin_unpin_topic": staff,
        "can_banner_topic": staff,
        "can_moderate_category": staff,
        "can_remove_self_id": viewer.id if viewer else 0,
        "participants": participants,
        "created_by": basic_user(author),
        "last_poster": basic_user(last_user or author),
    }
    return {
        "post_stream": {
            "posts": [post_json(store, p, viewer, "stream") for p in shown],
            "stream": [p.id for p in posts],
        },
        "timeline_lookup": [[i + 1, 0] for i in range(min(len(posts), 1))],
        "suggested_topics": [topic_item(store, t, viewer, "suggested") for t in suggested],
        "tags": [tag_object(store, name) for name in topic.tags],
        "tags_descriptions": {},
        "id": topic.id,
        "title": topic.title,
        "fancy_title": topic.title,
        "posts_count": len(posts),
        "created_at": topic.created_at,
        "views": topic.views,
        "reply_count": max(len(posts) - 1, 0),
        "like_count": sum(len(p.likes) for p in posts),
        "last_posted_at": last.created_at if last else None,
        "visible": topic.visible,
        "closed": topic.closed,
        "archived": topic.archived,
        "has_summary": False,
        "archetype": topic.archetype,
        "slug": topic.slug,
        "category_id": topic.category_id,
        "word_count": sum(len(p.raw.split()) for p in posts),
        "deleted_at": topic.deleted_at,
        "user_id": topic.user_id,
        "featured_link": None,
        "pinned_globally": topic.pinned_globally,
        "pinned_at": topic.created_at if topic.pinned else None,
        "pinned_until": None,
        "image_url": None,
        "slow_mode_seconds": 0,
        "draft": None,
        "draft_key": f"topic_{topic.id}",
        "draft_sequence": 0,
        "unpinned": None,
        "pinned": topic.pinned,
        "current_post_number": shown[0].post_number if shown else 1,
        "highest_post_number": last.post_number if last else None,
        "deleted_by": None,
        "has_deleted": any(p.deleted_at for p in store.posts_by_topic.get(topic.id, [])),
        "actions_summary": [{"id": 4, "count": 0, "hidden": False, "can_act": viewer is not None}],
        "chunk_size": CHUNK_SIZE,
        "bookmarked": viewer is not None and viewer.id in topic.bookmarked_by,
        "bookmarks": [],
        "topic_timer": None,
        "message_bus_last_id": 0,
        "participant_count": len(participants),
        "show_read_indicator": False,
        "thumbnails": None,
        "slow_mode_enabled_until": None,
        "details": details,
    }
