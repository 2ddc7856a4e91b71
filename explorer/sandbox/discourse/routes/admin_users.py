"""Staff user administration: list, show, delete, activate, suspend, silence, anonymize, roles, SSO."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

from explorer.sandbox.discourse import errors
from explorer.sandbox.discourse.model import User
from explorer.sandbox.discourse.render_topics import basic_user
from explorer.sandbox.discourse.render_users import admin_detail, admin_row
from explorer.sandbox.discourse.routes.common import SUCCESS, as_int, find_user, find_user_by_id
from explorer.sandbox.discourse.routing import Ctx, RouteSpec
from explorer.sandbox.discourse.text import iso, parse_iso

# Trust-level names the list also takes as its query (AdminUserIndexQuery#filter_by_trust).
TRUST_LEVEL_NAMES = {"newuser": 0, "basic": 1, "member": 2, "regular": 3, "leader": 4}
ORDERS = (
    "created",
    "last_emailed",
    "seen",
    "username",
    "email",
    "trust_level",
    "days_visited",
    "posts_read",
    "topics_viewed",
    "posts",
    "read_time",
)
PAGE = 100


def _target(ctx: Ctx) -> User:
    return find_user_by_id(ctx, ctx.path["id"])


def _not_self_or_system(ctx: Ctx, user: User) -> None:
    if user.id < 1 or (ctx.user is not None and user.id == ctx.user.id):
        raise errors.invalid_access()


def _classified(ctx: Ctx, query: str) -> list[User]:
    """The users a list query names; any other value lists everyone, as AdminUserIndexQuery does."""
    users = [u for u in ctx.store.users.values() if u.id > 0 or query == "staff"]
    if query in TRUST_LEVEL_NAMES:
        return [u for u in users if u.trust_level == TRUST_LEVEL_NAMES[query]]
    tests: dict[str, Callable[[User], bool]] = {
        "active": lambda u: u.active,
        "new": lambda u: u.trust_level == 0,
        "staff": lambda u: u.staff,
        "admins": lambda u: u.admin,
        "moderators": lambda u: u.moderator,
        "suspended": lambda u: u.suspended,
        "silenced": lambda u: u.silenced_till is not None,
        "pending": lambda u: not u.suspended and not u.active,
        "staged": lambda u: False,  # the sandbox has no staged users
    }
    test = tests.get(query)
    return [u for u in users if test(u)] if test else users


def listing(ctx: Ctx) -> list[dict[str, Any]]:
    chosen = _classified(ctx, ctx.path.get("flag", ""))
    order = ctx.str_param("order") or "created"
    if order not in ORDERS:
        raise errors.invalid_params("order")
    key = {
        "username": lambda u: u.username,
        "trust_level": lambda u: u.trust_level,
        "days_visited": lambda u: u.days_visited,
        "read_time": lambda u: u.time_read,
        "email": lambda u: u.email,
    }.get(order, lambda u: u.created_at)
    chosen.sort(key=key, reverse=ctx.str_param("asc") != "true")
    email = (ctx.str_param("email") or "").strip().lower()
    term = (ctx.str_param("filter") or "").strip().lower()
    if email:
        # `email` is an exact look-up of the primary address; `filter` matches part of a name or address.
        chosen = [u for u in chosen if u.email.lower() == email]
    elif term:
        chosen = [u for u in chosen if term in u.username.lower() or term in u.email.lower()]
    page = max((ctx.int_param("page", 1) or 1) - 1, 0)
    rows = [admin_row(ctx.store, u) for u in chosen[page * PAGE : (page + 1) * PAGE]]
    if not ctx.bool_param("show_emails"):
        for row in rows:
            row.pop("email")
            row.pop("secondary_emails")
    return rows


def show(ctx: Ctx) -> dict[str, Any]:
    viewer = ctx.require_user()
    return admin_detail(ctx.store, _target(ctx), viewer)


def destroy(ctx: Ctx) -> dict[str, bool]:
    user = _target(ctx)
    _not_self_or_system(ctx, user)
    if user.admin:
        raise errors.invalid_access()
    owns_posts = any(p.user_id == user.id and p.deleted_at is None for p in ctx.store.posts.values())
    if owns_posts and not ctx.bool_param("delete_posts"):
        count = sum(1 for p in ctx.store.posts.values() if p.user_id == user.id and p.deleted_at is None)
        message = f"User {user.username} has {count} posts, so they can't be deleted."
        raise errors.ApiError(403, {"deleted": False, "message": message})
    actor = ctx.require_user()
    for post in ctx.store.posts.values():
        if post.user_id == user.id and post.deleted_at is None:
            ctx.store.delete_post(post, actor)
    del ctx.store.users[user.id]
    for group in ctx.store.groups.values():
        if user.id in group.member_ids:
            group.member_ids.remove(user.id)
    ctx.store.changed()
    return {"deleted": True}


def activate(ctx: Ctx) -> dict[str, str]:
    _target(ctx).active = True
    ctx.store.changed()
    return SUCCESS


def deactivate(ctx: Ctx) -> dict[str, str]:
    user = _target(ctx)
    _not_self_or_system(ctx, user)
    user.active = False
    ctx.store.changed()
    return SUCCESS


def _until(ctx: Ctx, name: str) -> str:
    raw = ctx.required(name)
    when = parse_iso(raw if "T" in raw or len(raw) != 10 else raw + "T00:00:00+00:00")
    if when is None:
        raise errors.invalid_params(name)
    return iso(when)


def suspend(ctx: Ctx) -> dict[str, Any]:
    user = _target(ctx)
    _not_self_or_system(ctx, user)
    if user.admin:
        raise errors.invalid_access()
    until, reason = _until(ctx, "suspend_until"), ctx.required("reason")
    if user.suspended:
        raise errors.unprocessable("User is already suspended.")
    user.suspended_till, user.suspend_reason = until, reason
    ctx.store.changed()
    return {
        "suspension": {
            "suspend_reason": reason,
            "full_suspend_reason": reason,
            "suspended_till": until,
            "suspended_at": ctx.store.now(),
            "suspended_by": basic_user(ctx.require_user()),
        }
    }


def unsuspend(ctx: Ctx) -> dict[str, Any]:
    user = _target(ctx)
    user.suspended_till = user.suspend_reason = None
    ctx.store.changed()
    return {"suspension": {"suspended_till": None, "suspended_at": None}}


def silence(ctx: Ctx) -> dict[str, Any]:
    user = _target(ctx)
    _not_self_or_system(ctx, user)
    until, reason = _until(ctx, "silenced_till"), ctx.required("reason")
    user.silenced_till = until
    ctx.store.changed()
    return {
        "silence": {
            "silenced": True,
            "silence_reason": reason,
            "full_silence_reason": reason,
            "silenced_till": until,
            "silenced_at": ctx.store.now(),
            "silenced_by": basic_user(ctx.require_user()),
        }
    }


def unsilence(ctx: Ctx) -> dict[str, Any]:
    user = _target(ctx)
    user.silenced_till = None
    return {"unsilence": {"silenced": False}}


def anonymize(ctx: Ctx) -> dict[str, str]:
    user = _target(ctx)
    _not_self_or_system(ctx, user)
    if user.staff:
        raise errors.invalid_access()
    user.username = f"anon{abs(hash(user.email)) % 100000000:08d}"
    user.name, user.email, user.external_id = "", f"{user.username}@anonymized.invalid", None
    ctx.store.changed()
    return {"success": "OK", "username": user.username}


def log_out(ctx: Ctx) -> dict[str, str]:
    ctx.store.logged_out.add(_target(ctx).id)
    return SUCCESS


def refresh_gravatar(ctx: Ctx) -> dict[str, Any]:
    user = find_user(ctx, ctx.path["username"])
    viewer = ctx.require_user()
    if viewer.id != user.id and not viewer.staff:
        raise errors.invalid_access()
    return {"gravatar_upload_id": None, "gravatar_avatar_template": None}


def trust_level(ctx: Ctx) -> dict[str, Any]:
    user = _target(ctx)
    level = as_int(ctx.required("level"), "level")
    if level not in range(5):
        raise errors.unprocessable("Invalid trust level")
    user.trust_level = level
    for index in range(5):
        members = ctx.store.groups[10 + index].member_ids
        if level >= index and user.id not in members:
            members.append(user.id)
        elif level < index and user.id in members:
            members.remove(user.id)
    ctx.store.changed()
    return {"admin_user": admin_row(ctx.store, user)}


def lock_trust_level(ctx: Ctx) -> dict[str, str]:
    _target(ctx)
    return SUCCESS


def _role(action: str) -> Callable[[Ctx], dict[str, Any]]:
    attribute = "admin" if action.endswith("admin") else "moderator"

    def change(ctx: Ctx) -> dict[str, Any]:
        user = _target(ctx)
        if action.startswith("revoke"):
            _not_self_or_system(ctx, user)
        setattr(user, attribute, action.startswith("grant"))
        ctx.store.changed()
        return {"admin_user": admin_row(ctx.store, user)} if attribute == "moderator" else SUCCESS

    return change


def approve(ctx: Ctx) -> dict[str, str]:
    _target(ctx).active = True
    return SUCCESS


def sync_sso(ctx: Ctx) -> dict[str, Any]:
    sso, sig = ctx.required("sso"), ctx.required("sig")
    secret = str(ctx.store.site_settings.get("discourse_connect_secret", ""))
    expected = hmac.new(secret.encode(), sso.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, sig.lower()):
        raise errors.unprocessable("Bad signature for payload")
    try:
        fields = {k: v[0] for k, v in parse_qs(base64.b64decode(sso).decode()).items()}
    except ValueError:
        raise errors.unprocessable("Bad signature for payload") from None
    external_id, email = fields.get("external_id"), fields.get("email")
    if not external_id or not email:
        raise errors.unprocessable("We cannot sync the user: external_id and email are required.")
    # Matched by the SSO record (external id) first, then by e-mail, as DiscourseConnect does.
    user = ctx.store.user_by_external_id(external_id) or next(
        (u for u in ctx.store.users.values() if u.email.lower() == email.lower()), None
    )
    if user is None:
        username = fields.get("username") or email.split("@")[0]
        base, suffix = username, 1
        while ctx.store.user_by_name(username):
            username, suffix = f"{base}{suffix}", suffix + 1
        user = User(
            id=ctx.store.next_id("user", ctx.store.users),
            username=username,
            name=fields.get("name", username),
            email=email,
            trust_level=1,
            created_at=ctx.store.now(),
            external_id=external_id,
        )
        ctx.store.users[user.id] = user
    else:
        user.external_id, user.email = external_id, email
        user.name = fields.get("name", user.name)
        if fields.get("username") and not ctx.store.user_by_name(fields["username"]):
            user.username = fields["username"]
    ctx.store.changed()
    return admin_detail(ctx.store, user, ctx.require_user())


def routes() -> list[RouteSpec]:
    s, a = "staff", "admin"
    return [
        RouteSpec("GET", "/admin/users", "admin/users#index", listing, access=s),
        RouteSpec("GET", "/admin/users/list/{flag}", "admin/users#index", listing, access=s),
        RouteSpec("POST", "/admin/users/sync_sso", "admin/users#sync_sso", sync_sso, access=a),
        RouteSpec("GET", "/admin/users/{id}", "admin/users#show", show, access=s),
        RouteSpec("DELETE", "/admin/users/{id}", "admin/users#destroy", destroy, access=s),
        RouteSpec("PUT", "/admin/users/{id}/activate", "admin/users#activate", activate, access=s),
        RouteSpec("PUT", "/admin/users/{id}/deactivate", "admin/users#deactivate", deactivate, access=s),
        RouteSpec("PUT", "/admin/users/{id}/suspend", "admin/users#suspend", suspend, access=s),
        RouteSpec("PUT", "/admin/users/{id}/unsuspend", "admin/users#unsuspend", unsuspend, access=s),
        RouteSpec("PUT", "/admin/users/{id}/silence", "admin/users#silence", silence, access=s),
        RouteSpec("PUT", "/admin/users/{id}/unsilence", "admin/users#unsilence", unsilence, access=s),
        RouteSpec("PUT", "/admin/users/{id}/anonymize", "admin/users#anonymize", anonymize, access=a),
        RouteSpec("POST", "/admin/users/{id}/log_out", "admin/users#log_out", log_out, access=s),
        RouteSpec("PUT", "/admin/users/{id}/trust_level", "admin/users#trust_level", trust_level, access=s),
        RouteSpec(
            "PUT",
            "/admin/users/{id}/trust_level_lock",
            "admin/users#trust_level_lock",
            lock_trust_level,
            access=s,
        ),
        RouteSpec("PUT", "/admin/users/{id}/approve", "admin/users#approve", approve, access=s),
        *[
            RouteSpec("PUT", f"/admin/users/{{id}}/{role}", f"admin/users#{role}", _role(role), access=a)
            for role in ("grant_admin", "revoke_admin", "grant_moderation", "revoke_moderation")
        ],
        RouteSpec(
            "POST",
            "/user_avatar/{username}/refresh_gravatar",
            "user_avatars#refresh_gravatar",
            refresh_gravatar,
            access="login",
        ),
    ]
