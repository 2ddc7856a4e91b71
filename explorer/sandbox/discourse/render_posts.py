"""Post JSON in the shapes the real serializers give, one variant per endpoint family."""

from __future__ import annotations

from typing import Any

from explorer.sandbox.discourse.guardian import Guardian
from explorer.sandbox.discourse.model import Post, User
from explorer.sandbox.discourse.store import Store
from explorer.sandbox.discourse.text import excerpt

LIKE = 2  # post action type id of a like
# Sent (as null here) by posts#show; the spec leaves that answer open, while the other post shapes are closed.
SHOW_ONLY_NULLS = (
    "avg_time",
    "primary_group_flair_url",
    "primary_group_flair_bg_color",
    "primary_group_flair_color",
    "hidden_reason_id",
)


def actions_summary(post: Post, viewer: User | None) -> list[dict[str, Any]]:
    """The like summary of every post shape (count, acted, can_undo, can_act); empty when none applies."""
    item: dict[str, Any] = {"id": LIKE}
    if post.likes:
        item["count"] = len(post.likes)
    if viewer is not None and viewer.id in post.likes:
        item["acted"] = True
        item["can_undo"] = True
    elif viewer is not None and viewer.id != post.user_id:
        item["can_act"] = True
    return [item] if len(item) > 1 else []


def post_json(store: Store, post: Post, viewer: User | None, variant: str = "show") -> dict[str, Any]:
    """`variant`: show | latest | created | replies | action | stream (topic view)."""
    author = store.users.get(post.user_id)
    topic = store.topics[post.topic_id]
    guardian = Guardian(store, viewer)
    reply_count = sum(
        1
        for p in store.posts_by_topic.get(post.topic_id, [])
        if p.reply_to_post_number == post.post_number and p.deleted_at is None
    )
    data: dict[str, Any] = {
        "id": post.id,
        "name": author.name if author else None,
        "username": author.username if author else "",
        "avatar_template": author.avatar_template if author else "",
        "created_at": post.created_at,
        "cooked": post.cooked,
        "post_number": post.post_number,
        "post_type": post.post_type,
        "updated_at": post.updated_at,
        "reply_count": reply_count,
        "reply_to_post_number": post.reply_to_post_number,
        "quote_count": 0,
        "incoming_link_count": 0,
        "reads": post.reads,
        "readers_count": max(post.reads - 1, 0),
        "score": float(post.reads) / 5,
        "yours": viewer is not None and viewer.id == post.user_id,
        "topic_id": topic.id,
        "topic_slug": topic.slug,
        "display_username": author.name if author else "",
        "primary_group_name": None,
        "flair_name": None,
        "flair_url": None,
        "flair_bg_color": None,
        "flair_color": None,
        "version": post.version,
        "can_edit": guardian.can_edit_post(post),
        "can_delete": guardian.can_delete_post(post),
        "can_recover": post.deleted_at is not None and guardian.is_staff,
        "can_see_hidden_post": guardian.is_staff,
        "can_wiki": guardian.is_staff or (viewer is not None and viewer.trust_level >= 3),
        "user_title": author.title if author else None,
        "bookmarked": viewer is not None and viewer.id in post.bookmarked_by,
        "actions_summary": actions_summary(post, viewer),
        "moderator": bool(author and author.moderator),
        "admin": bool(author and author.admin),
        "staff": bool(author and author.staff),
        "user_id": post.user_id,
        "hidden": False,
        "trust_level": author.trust_level if author else 0,
        "deleted_at": post.deleted_at,
        "user_deleted": False,
        "edit_reason": post.edit_reason,
        "can_view_edit_history": True,
        "wiki": post.wiki,
        "reviewable_id": None,
        "reviewable_score_count": 0,
        "reviewable_score_pending_count": 0,
    }
    post_url = f"/t/{topic.slug}/{topic.id}/{post.post_number}"
    if variant == "stream":
        data["read"] = True
        data["link_counts"] = []
        # The topic view's post serializer always carries an integer here.
        data["reviewable_id"] = 0
        return data
    data["posts_count"] = len(store.live_posts(topic.id))
    data["post_url"] = post_url
    if variant in ("show", "latest", "created"):
        data["raw"] = post.raw
    if variant in ("latest", "created", "action"):
        data["badges_granted"] = []
    if variant == "show":
        data["flair_group_id"] = None
        data["mentioned_users"] = []
        for name in SHOW_ONLY_NULLS:
            data[name] = None
    elif variant == "latest":
        data["flair_group_id"] = None
        data["category_id"] = topic.category_id if topic.category_id is not None else 0
        data["topic_title"] = topic.title
        data["topic_html_title"] = topic.title
        data["excerpt"] = excerpt(post.cooked)
        data["truncated"] = data["excerpt"].endswith("&hellip;")
    elif variant == "created":
        data["flair_group_id"] = None
        data["draft_sequence"] = 0
        data["mentioned_users"] = []
        data["post_localizations"] = []
    elif variant == "action":
        data["flair_group_id"] = None
    elif variant == "replies":
        parent = next(
            (p for p in store.posts_by_topic.get(topic.id, []) if p.post_number == post.reply_to_post_number),
            None,
        )
        parent_author = store.users.get(parent.user_id) if parent else None
        data["reply_to_user"] = {
            "username": parent_author.username if parent_author else "",
            "name": parent_author.name if parent_author else "",
            "avatar_template": parent_author.avatar_template if parent_author else "",
        }
    return data
