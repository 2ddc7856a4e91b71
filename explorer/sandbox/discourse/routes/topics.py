"""Single-topic endpoints: show, posts of a topic, update, delete, status, bookmarks, timers, invites."""

from __future__ import annotations

import re
import secrets
from typing import Any

from starlette.responses import Response

from explorer.sandbox.discourse import errors
from explorer.sandbox.discourse.model import Invite, Topic
from explorer.sandbox.discourse.render_posts import post_json
from explorer.sandbox.discourse.render_topics import basic_user, topic_view
from explorer.sandbox.discourse.routes.common import (
    SUCCESS,
    as_int,
    find_group,
    find_topic,
    find_user,
    guardian,
)
from explorer.sandbox.discourse.routes.extras import INVITE_DAYS
from explorer.sandbox.discourse.routing import Ctx, RouteSpec
from explorer.sandbox.discourse.text import iso, parse_iso, slugify

NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?")  # ASCII only: float() would also take "²"-like digits
STATUSES = ("closed", "pinned", "pinned_globally", "archived", "visible")
NOTIFICATION_LEVELS = {"0": 0, "1": 1, "2": 2, "3": 3, "muted": 0, "regular": 1, "tracking": 2, "watching": 3}


def show(ctx: Ctx) -> dict[str, Any]:
    topic = find_topic(ctx, ctx.path["id"])
    topic.views += 1  # a view does not invalidate cached lists: counts drift there, as on the real server
    post_number = ctx.int_param("post_number")
    return topic_view(ctx.store, topic, ctx.user, post_number=post_number)


def posts(ctx: Ctx) -> dict[str, Any]:
    topic = find_topic(ctx, ctx.path["id"])
    wanted = {as_int(v, "post_ids") for v in ctx.list_param("post_ids")}
    g = guardian(ctx)
    chosen = [
        p
        for p in ctx.store.posts_by_topic.get(topic.id, [])
        if g.can_see_post(p) and (not wanted or p.id in wanted)
    ]
    if not wanted:
        chosen = chosen[:20]
    return {
        "post_stream": {"posts": [post_json(ctx.store, p, ctx.user, "stream") for p in chosen]},
        "id": topic.id,
    }


def by_external_id(ctx: Ctx) -> Response:
    external_id = ctx.path["external_id"]
    topic = next((t for t in ctx.store.topics.values() if t.external_id == external_id), None)
    if topic is None or topic.deleted_at is not None:
        raise errors.not_found()
    find_topic(ctx, topic.id)
    return errors.redirect(f"/t/{topic.slug}/{topic.id}.json")


def destroy(ctx: Ctx) -> None:
    topic = find_topic(ctx, ctx.path["id"])
    if not guardian(ctx).can_delete_topic(topic):
        raise errors.invalid_access()
    ctx.store.delete_topic(topic, ctx.require_user())
    return None


def update(ctx: Ctx) -> dict[str, Any]:
    topic = find_topic(ctx, ctx.path["id"])
    if not guardian(ctx).can_edit_topic(topic):
        raise errors.invalid_access()
    fields = ctx.fields("topic")
    title = fields.get("title")
    if title is not None:
        title = str(title).strip()
        if len(title) < 15:
            raise errors.unprocessable("Title is too short (minimum is 15 characters)")
        topic.title, topic.slug = title, slugify(title)
    category_id = fields.get("category_id")
    if category_id is not None:
        category = ctx.store.categories.get(as_int(category_id, "category_id"))
        if category is None:
            raise errors.unprocessable("Category can't be blank")
        topic.category_id = category.id
    ctx.store.changed()
    return {
        "basic_topic": {
            "id": topic.id,
            "title": topic.title,
            "fancy_title": topic.title,
            "slug": topic.slug,
            "posts_count": len(ctx.store.live_posts(topic.id)),
        }
    }


def status(ctx: Ctx) -> dict[str, Any]:
    topic = find_topic(ctx, ctx.path["id"])
    name = ctx.required("status")
    enabled = ctx.required("enabled")
    if name not in STATUSES:
        raise errors.invalid_params("status")
    if not guardian(ctx).is_staff and not (
        name in ("closed", "archived") and guardian(ctx).can_edit_topic(topic)
    ):
        raise errors.invalid_access()
    setattr(topic, name, enabled.lower() == "true")
    ctx.store.changed()
    return {"success": "OK", "topic_status_update": None}


def bookmark(ctx: Ctx) -> None:
    topic = find_topic(ctx, ctx.path["id"])
    topic.bookmarked_by.add(ctx.require_user().id)
    ctx.store.changed()
    return None


def remove_bookmarks(ctx: Ctx) -> dict[str, str]:
    topic = find_topic(ctx, ctx.path["id"])
    topic.bookmarked_by.discard(ctx.require_user().id)
    ctx.store.changed()
    return SUCCESS


def set_notifications(ctx: Ctx) -> dict[str, str]:
    topic = find_topic(ctx, ctx.path["id"])
    level = NOTIFICATION_LEVELS.get(ctx.required("notification_level"))
    if level is None:
        raise errors.invalid_params("notification_level")
    topic.notification_levels[ctx.require_user().id] = level
    return SUCCESS


def change_timestamp(ctx: Ctx) -> dict[str, str]:
    topic = find_topic(ctx, ctx.path["id"])
    if not guardian(ctx).is_staff:
        raise errors.invalid_access()
    raw = ctx.required("timestamp")
    when = float(raw) if NUMBER.fullmatch(raw) else parse_iso(raw)
    if when is None:
        raise errors.invalid_params("timestamp")
    topic.created_at = iso(when)
    ctx.store.changed()
    return SUCCESS


def timer(ctx: Ctx) -> dict[str, Any]:
    topic = find_topic(ctx, ctx.path["id"])
    if not guardian(ctx).is_staff:
        raise errors.invalid_access()
    raw = ctx.str_param("time") or ""
    status_type = ctx.str_param("status_type", "close") or "close"
    hours = float(raw) if NUMBER.fullmatch(raw) else None
    at = ctx.store.clock() + hours * 3600 if hours is not None else parse_iso(raw) if raw else None
    if at is None:
        raise errors.unprocessable("Execute at must be in the future.")
    topic.timer = {"status_type": status_type, "execute_at": iso(at)}
    return {
        "success": "OK",
        "execute_at": iso(at),
        "duration": None,
        "based_on_last_post": ctx.bool_param("based_on_last_post"),
        "closed": topic.closed,
        "category_id": topic.category_id,
    }


def invite(ctx: Ctx) -> dict[str, Any]:
    topic = find_topic(ctx, ctx.path["id"])
    ctx.require_user()
    username = ctx.str_param("user") or ctx.str_param("username")
    email = ctx.str_param("email")
    if username:
        user = find_user(ctx, username)
        if topic.is_pm and user.id not in topic.allowed_user_ids:
            topic.allowed_user_ids.append(user.id)
            ctx.store.changed()
        return {"user": basic_user(user)}
    if email:
        if "@" not in email:
            raise errors.unprocessable("Email is invalid")
        account = next((u for u in ctx.store.users.values() if u.email.lower() == email.lower()), None)
        if account is not None:
            return {"user": basic_user(account)}
        # No account yet: the server records an invite to the topic and answers plain success.
        _invite_by_email(ctx, email, topic)
        return dict(SUCCESS)
    raise errors.missing_param("user")


def _invite_by_email(ctx: Ctx, email: str, topic: Topic) -> None:
    existing = next((i for i in ctx.store.invites.values() if (i.email or "").lower() == email.lower()), None)
    if existing is not None:
        existing.topic_id = topic.id
        return
    now = ctx.store.clock()
    invite = Invite(
        id=ctx.store.next_id("invite", ctx.store.invites),
        invite_key=secrets.token_hex(5),
        email=email,
        invited_by_id=ctx.require_user().id,
        created_at=iso(now),
        expires_at=iso(now + INVITE_DAYS * 86400),
        custom_message=ctx.str_param("custom_message"),
        topic_id=topic.id,
    )
    ctx.store.invites[invite.id] = invite


def invite_group(ctx: Ctx) -> dict[str, Any]:
    topic = find_topic(ctx, ctx.path["id"])
    group = find_group(ctx, ctx.required("group"))
    if not topic.is_pm:
        raise errors.unprocessable("Groups can only be invited to private messages.")
    if group.id not in topic.allowed_group_ids:
        topic.allowed_group_ids.append(group.id)
        ctx.store.changed()
    return {"group": {"id": group.id, "name": group.name}}


def reset_bump_date(ctx: Ctx) -> dict[str, str]:
    topic = find_topic(ctx, ctx.path["id"])
    if not guardian(ctx).is_staff:
        raise errors.invalid_access()
    last = ctx.store.last_post(topic.id)
    topic.bumped_at = last.created_at if last else topic.created_at
    ctx.store.changed()
    return SUCCESS


def change_owner(ctx: Ctx) -> dict[str, Any]:
    topic = find_topic(ctx, ctx.path["id"])
    if not guardian(ctx).is_staff:
        raise errors.invalid_access()
    owner = find_user(ctx, ctx.required("username"))
    ids = {as_int(v, "post_ids") for v in ctx.list_param("post_ids")}
    if not ids:
        raise errors.missing_param("post_ids")
    for post in ctx.store.posts_by_topic.get(topic.id, []):
        if post.id in ids:
            post.user_id = owner.id
    ctx.store.changed()
    return {"success": "OK", "url": f"/t/{topic.slug}/{topic.id}"}


def timings(ctx: Ctx) -> None:
    """Reading time the web client reports; the sandbox checks the request and keeps nothing."""
    find_topic(ctx, as_int(ctx.required("topic_id"), "topic_id"))
    as_int(ctx.required("topic_time"), "topic_time")
    given = ctx.params.get("timings")
    for number, millis in given.items() if isinstance(given, dict) else []:
        as_int(number, "timings")
        as_int(millis, "timings")
    return None


def routes() -> list[RouteSpec]:
    return [
        RouteSpec("GET", "/t/external_id/{external_id}", "topics#show_by_external_id", by_external_id),
        RouteSpec("POST", "/topics/timings", "topics#timings", timings, access="login"),
        RouteSpec("GET", "/t/{id}/posts", "topics#posts", posts),
        RouteSpec("PUT", "/t/-/{id}", "topics#update", update, access="login"),
        RouteSpec("POST", "/t/{id}/invite", "topics#invite", invite, access="login"),
        RouteSpec("POST", "/t/{id}/invite-group", "topics#invite_group", invite_group, access="login"),
        RouteSpec("PUT", "/t/{id}/bookmark", "topics#bookmark", bookmark, access="login"),
        RouteSpec(
            "PUT", "/t/{id}/remove_bookmarks", "topics#remove_bookmarks", remove_bookmarks, access="login"
        ),
        RouteSpec("PUT", "/t/{id}/status", "topics#status", status, access="login"),
        RouteSpec(
            "POST", "/t/{id}/notifications", "topics#set_notifications", set_notifications, access="login"
        ),
        RouteSpec(
            "PUT", "/t/{id}/change-timestamp", "topics#change_timestamps", change_timestamp, access="login"
        ),
        RouteSpec("POST", "/t/{id}/timer", "topics#timer", timer, access="login"),
        RouteSpec("POST", "/t/{id}/change-owner", "topics#change_post_owners", change_owner, access="login"),
        RouteSpec(
            "PUT", "/t/{id}/reset-bump-date", "topics#reset_bump_date", reset_bump_date, access="login"
        ),
        RouteSpec("GET", "/t/{id}", "topics#show", show),
        # Declared before /t/{slug}/{id}, as in Discourse's routes: /t/43/2 is post 2 of topic 43.
        RouteSpec("GET", "/t/{id:int}/{post_number:int}", "topics#show", show),
        RouteSpec("GET", "/t/{slug}/{id}", "topics#show", show),
        RouteSpec("GET", "/t/{slug}/{id}/{post_number}", "topics#show", show),
        RouteSpec("PUT", "/t/{id}", "topics#update", update, access="login"),
        RouteSpec("PUT", "/t/{slug}/{id}", "topics#update", update, access="login"),
        RouteSpec("DELETE", "/t/{id}", "topics#destroy", destroy, access="login"),
    ]
