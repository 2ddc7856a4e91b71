"""Post endpoints: latest posts, create topic/post/message, show, edit, delete, replies, lock, likes."""

from __future__ import annotations

from typing import Any

from explorer.sandbox.discourse import errors
from explorer.sandbox.discourse.guardian import Guardian
from explorer.sandbox.discourse.render_posts import LIKE, post_json
from explorer.sandbox.discourse.routes.common import (
    SUCCESS,
    as_int,
    find_post,
    find_topic,
    find_user,
    guardian,
)
from explorer.sandbox.discourse.routing import Ctx, RouteSpec

LATEST_LIMIT = 50
MIN_TITLE, MIN_FIRST_POST, MIN_POST = 15, 20, 20


def latest(ctx: Ctx) -> dict[str, Any]:
    before = ctx.int_param("before", 0) or 0
    g = guardian(ctx)
    found = []
    for post in sorted(ctx.store.posts.values(), key=lambda p: p.id, reverse=True):
        if before and post.id >= before:
            continue
        topic = ctx.store.topics[post.topic_id]
        if topic.is_pm or not g.can_see_post(post) or post.deleted_at:
            continue
        found.append(post)
        if len(found) == LATEST_LIMIT:
            break
    return {"latest_posts": [post_json(ctx.store, p, ctx.user, "latest") for p in found]}


def _create_error(*messages: str) -> errors.ApiError:
    return errors.unprocessable(*messages, action="create_post")


def create(ctx: Ctx) -> dict[str, Any]:
    author = ctx.require_user()
    raw = (ctx.str_param("raw") or "").strip()
    if not raw:
        raise errors.missing_param("raw")
    created_at = ctx.str_param("created_at")
    topic_id = ctx.params.get("topic_id")
    if topic_id not in (None, ""):
        topic = find_topic(ctx, topic_id)
        if topic.closed and not author.staff:
            raise _create_error("This topic is closed; it no longer accepts new replies.")
        if len(raw) < MIN_POST:
            raise _create_error(f"Body is too short (minimum is {MIN_POST} characters)")
        reply_to = ctx.int_param("reply_to_post_number")
        post = ctx.store.create_post(author, topic, raw, reply_to=reply_to, created_at=created_at)
        return post_json(ctx.store, post, author, "created")
    title = (ctx.str_param("title") or "").strip()
    problems = []
    if len(title) < MIN_TITLE:
        problems.append(f"Title is too short (minimum is {MIN_TITLE} characters)")
    elif any(t.title.lower() == title.lower() and t.deleted_at is None for t in ctx.store.topics.values()):
        problems.append("Title has already been used")
    if len(raw) < MIN_FIRST_POST:
        problems.append(f"Body is too short (minimum is {MIN_FIRST_POST} characters)")
    archetype = ctx.str_param("archetype", "regular") or "regular"
    allowed: list[int] = []
    allowed_groups: list[int] = []
    category_id: int | None = None
    if archetype == "private_message":
        # target_recipients takes usernames and group names alike; the older target_usernames only users.
        recipients = ctx.list_param("target_recipients")
        names = recipients or ctx.list_param("target_usernames")
        if not names:
            problems.append("You must choose a valid user.")
        for name in names:
            user = ctx.store.user_by_name(name)
            group = ctx.store.group_by_name(name) if user is None and recipients else None
            if group is not None:
                if group.id not in allowed_groups:
                    allowed_groups.append(group.id)
            elif user is None:
                problems.append(f"The user '{name}' could not be found.")
            elif user.id not in allowed:
                allowed.append(user.id)
        allowed = [author.id, *[i for i in allowed if i != author.id]]
    else:
        raw_category = ctx.params.get("category")
        category_id = as_int(raw_category, "category") if raw_category not in (None, "") else 1
        category = ctx.store.categories.get(category_id)
        if category is None:
            problems.append("Category can't be blank")
        elif not Guardian(ctx.store, author).can_create_topic(category):
            raise errors.invalid_access()
    if problems:
        raise _create_error(*problems)
    tags = [t for t in ctx.list_param("tags") if t in ctx.store.tags]
    _, post = ctx.store.create_topic(
        author,
        title,
        raw,
        category_id,
        archetype=archetype,
        tags=tags,
        allowed_user_ids=allowed,
        allowed_group_ids=allowed_groups,
        external_id=ctx.str_param("external_id"),
        created_at=created_at,
    )
    return post_json(ctx.store, post, author, "created")


def show(ctx: Ctx) -> dict[str, Any]:
    return post_json(ctx.store, find_post(ctx, ctx.path["id"]), ctx.user, "show")


def by_number(ctx: Ctx) -> dict[str, Any]:
    topic = find_topic(ctx, ctx.path["topic_id"])
    number = as_int(ctx.path["post_number"], "post_number")
    post = next((p for p in ctx.store.posts_by_topic.get(topic.id, []) if p.post_number == number), None)
    if post is None:
        raise errors.not_found()
    return post_json(ctx.store, find_post(ctx, post.id), ctx.user, "show")


def update(ctx: Ctx) -> dict[str, Any]:
    post = find_post(ctx, ctx.path["id"])
    if not guardian(ctx).can_edit_post(post):
        raise errors.invalid_access()
    fields = ctx.fields("post")
    raw = str(fields.get("raw") or "").strip()
    if not raw:
        raise errors.missing_param("post")
    if len(raw) < MIN_POST:
        raise errors.unprocessable(f"Body is too short (minimum is {MIN_POST} characters)")
    ctx.store.edit_post(post, raw, fields.get("edit_reason"))
    return {"post": post_json(ctx.store, post, ctx.user, "created")}


def destroy(ctx: Ctx) -> None:
    post = find_post(ctx, ctx.path["id"])
    if not guardian(ctx).can_delete_post(post):
        raise errors.invalid_access()
    ctx.store.delete_post(post, ctx.require_user())
    return None


def replies(ctx: Ctx) -> list[dict[str, Any]]:
    post = find_post(ctx, ctx.path["id"])
    g = guardian(ctx)
    found = [
        p
        for p in ctx.store.posts_by_topic.get(post.topic_id, [])
        if p.reply_to_post_number == post.post_number and g.can_see_post(p)
    ]
    return [post_json(ctx.store, p, ctx.user, "replies") for p in found]


def lock(ctx: Ctx) -> dict[str, bool]:
    post = find_post(ctx, ctx.path["id"])
    if not guardian(ctx).is_staff:
        raise errors.invalid_access()
    post.locked = ctx.bool_param("locked")
    ctx.store.changed()
    return {"locked": post.locked}


def wiki(ctx: Ctx) -> dict[str, str]:
    post = find_post(ctx, ctx.path["id"])
    if not guardian(ctx).is_staff and (ctx.user is None or ctx.user.trust_level < 3):
        raise errors.invalid_access()
    post.wiki = ctx.bool_param("wiki", True)
    ctx.store.changed()
    return SUCCESS


def act(ctx: Ctx) -> dict[str, Any]:
    user = ctx.require_user()
    post = find_post(ctx, ctx.required("id"))
    action_type = as_int(ctx.required("post_action_type_id"), "post_action_type_id")
    if action_type not in (2, 3, 4, 6, 7, 8):
        raise errors.invalid_params("post_action_type_id")
    if action_type == LIKE:
        if post.user_id == user.id or user.id in post.likes:
            raise errors.invalid_access()
        post.likes.add(user.id)
        ctx.store.changed()
    return post_json(ctx.store, post, user, "action")


def unact(ctx: Ctx) -> dict[str, Any]:
    user = ctx.require_user()
    post = find_post(ctx, ctx.path["id"])
    if user.id not in post.likes:
        raise errors.not_found()
    post.likes.discard(user.id)
    ctx.store.changed()
    return post_json(ctx.store, post, user, "action")


def action_users(ctx: Ctx) -> dict[str, Any]:
    post = find_post(ctx, ctx.required("id"))
    users = [ctx.store.users[uid] for uid in sorted(post.likes) if uid in ctx.store.users]
    return {
        "post_action_users": [
            {
                "id": u.id,
                "username": u.username,
                "name": u.name,
                "avatar_template": u.avatar_template,
                "post_url": None,
                "username_lower": u.username.lower(),
            }
            for u in users
        ],
        "total_rows_post_action_users": len(users),
    }


def user_posts(ctx: Ctx) -> dict[str, Any]:
    user = find_user(ctx, ctx.path["username"])
    g = guardian(ctx)
    found = [
        p
        for p in ctx.store.posts.values()
        if p.user_id == user.id and g.can_see_post(p) and not ctx.store.topics[p.topic_id].is_pm
    ][-LATEST_LIMIT:]
    return {"latest_posts": [post_json(ctx.store, p, ctx.user, "latest") for p in reversed(found)]}


def routes() -> list[RouteSpec]:
    return [
        RouteSpec("GET", "/posts", "posts#latest", latest, cache=True),
        RouteSpec("POST", "/posts", "posts#create", create, access="login"),
        RouteSpec("GET", "/posts/{id}/replies", "posts#replies", replies),
        RouteSpec("PUT", "/posts/{id}/locked", "posts#locked", lock, access="login"),
        RouteSpec("PUT", "/posts/{id}/wiki", "posts#wiki", wiki, access="login"),
        RouteSpec("GET", "/posts/by_number/{topic_id}/{post_number}", "posts#by_number", by_number),
        RouteSpec("GET", "/posts/{id}", "posts#show", show),
        RouteSpec("PUT", "/posts/{id}", "posts#update", update, access="login"),
        RouteSpec("DELETE", "/posts/{id}", "posts#destroy", destroy, access="login"),
        RouteSpec("POST", "/post_actions", "post_actions#create", act, access="login"),
        RouteSpec("DELETE", "/post_actions/{id}", "post_actions#destroy", unact, access="login"),
        RouteSpec("GET", "/post_action_users", "post_action_users#index", action_users),
        RouteSpec("GET", "/u/{username}/activity/posts", "posts#user_posts_feed", user_posts),
    ]
