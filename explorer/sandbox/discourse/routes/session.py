"""Session and identity endpoints: current user, API key scopes, CSRF token, password reset, notifications."""

from __future__ import annotations

from typing import Any

from explorer.sandbox.demo import DISCOURSE_EMAILED_TOKEN
from explorer.sandbox.discourse import errors
from explorer.sandbox.discourse.routes.common import SUCCESS
from explorer.sandbox.discourse.routing import Ctx, RouteSpec

NOTIFICATIONS_PAGE = 60


def current(ctx: Ctx) -> Any:
    user = ctx.user
    if user is None:
        return errors.empty_response(404)  # the real server answers an empty 404 to anonymous callers
    return {
        "current_user": {
            "id": user.id,
            "username": user.username,
            "name": user.name,
            "avatar_template": user.avatar_template,
            "admin": user.admin,
            "moderator": user.moderator,
            "staff": user.staff,
            "trust_level": user.trust_level,
            "unread_notifications": sum(
                1 for n in ctx.store.notifications if n.user_id == user.id and not n.read
            ),
            "can_create_topic": True,
            "groups": [{"id": g, "name": ctx.store.groups[g].name} for g in ctx.store.group_ids_of(user.id)],
        }
    }


def scopes(ctx: Ctx) -> Any:
    key = ctx.identity.api_key
    if key is None:
        return errors.empty_response(404)
    return {
        "scopes": [
            {
                "resource": s.split(":")[0],
                "action": s.split(":")[1],
                "key": s,
                "parameters": [],
                "urls": [],
                "allowed_parameters": {},
            }
            for s in key.scopes
        ]
    }


def csrf(ctx: Ctx) -> dict[str, str]:
    return {"csrf": "sandbox-csrf-token-not-needed-with-api-keys"}


def forgot_password(ctx: Ctx) -> dict[str, Any]:
    login = ctx.required("login")
    user = ctx.store.user_by_name(login) or next(
        (u for u in ctx.store.users.values() if u.email.lower() == login.lower()), None
    )
    if user is not None:
        # The reset mail would carry a fresh token; the sandbox's is a fixed value, now this user's.
        ctx.store.reset_tokens[DISCOURSE_EMAILED_TOKEN] = user.id
    return {"success": "OK", "user_found": user is not None}


def notifications(ctx: Ctx) -> dict[str, Any]:
    viewer = ctx.require_user()
    username = ctx.str_param("username")
    owner = viewer
    if username and username.lower() != viewer.username.lower():
        target = ctx.store.user_by_name(username)
        if target is None:
            raise errors.not_found()
        if not viewer.admin:
            raise errors.invalid_access()
        owner = target
    mine = sorted(
        (n for n in ctx.store.notifications if n.user_id == owner.id), key=lambda n: n.id, reverse=True
    )
    offset = max(ctx.int_param("offset", 0) or 0, 0)
    limit = min(max(ctx.int_param("limit", NOTIFICATIONS_PAGE) or NOTIFICATIONS_PAGE, 1), NOTIFICATIONS_PAGE)
    page = mine[offset : offset + limit]
    body: dict[str, Any] = {
        "notifications": [
            {
                "id": n.id,
                "user_id": n.user_id,
                "notification_type": n.notification_type,
                "read": n.read,
                "high_priority": n.notification_type == 6,
                "created_at": n.created_at,
                "post_number": n.post_number,
                "topic_id": n.topic_id,
                "slug": ctx.store.topics[n.topic_id].slug if n.topic_id in ctx.store.topics else None,
                "fancy_title": ctx.store.topics[n.topic_id].title if n.topic_id in ctx.store.topics else None,
                "data": n.data,
            }
            for n in page
        ],
        "total_rows_notifications": len(mine),
        "seen_notification_id": max((n.id for n in mine if n.read), default=0),
        "load_more_notifications": f"/notifications?offset={offset + limit}&username={owner.username}",
    }
    return body


def mark_read(ctx: Ctx) -> dict[str, str]:
    user = ctx.require_user()
    only = ctx.int_param("id")
    for note in ctx.store.notifications:
        if note.user_id == user.id and (only is None or note.id == only):
            note.read = True
    return SUCCESS


def revoke_user_api_key(ctx: Ctx) -> dict[str, str]:
    if ctx.identity.via != "user_api_key":
        raise errors.invalid_access()
    key = ctx.request.headers.get("user-api-key", "")
    entry = ctx.store.user_api_keys.get(key)
    if entry is not None:
        entry.revoked = True
    return SUCCESS


def routes() -> list[RouteSpec]:
    return [
        RouteSpec("GET", "/session/current", "session#current", current),
        RouteSpec("GET", "/session/scopes", "session#scopes", scopes),
        RouteSpec("GET", "/session/csrf", "session#csrf", csrf),
        RouteSpec("POST", "/session/forgot_password", "session#forgot_password", forgot_password),
        RouteSpec("GET", "/notifications", "notifications#index", notifications, access="login"),
        RouteSpec("PUT", "/notifications/mark-read", "notifications#mark_read", mark_read, access="login"),
        RouteSpec(
            "POST", "/user-api-key/revoke", "user_api_keys#revoke", revoke_user_api_key, access="login"
        ),
    ]
