"""User endpoints: profiles, preferences, sign-up, directory, activity, e-mails, badges, bookmarks."""

from __future__ import annotations

import re
from typing import Any

from starlette.responses import Response

from explorer.sandbox.discourse import errors
from explorer.sandbox.discourse.model import Post, User
from explorer.sandbox.discourse.render_users import user_profile
from explorer.sandbox.discourse.routes.admin import BADGE_TYPES
from explorer.sandbox.discourse.routes.common import SUCCESS, as_int, find_user, guardian
from explorer.sandbox.discourse.routing import Ctx, RouteSpec
from explorer.sandbox.discourse.text import excerpt

USERNAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{1,18}[A-Za-z0-9_]$")
DIRECTORY_PAGE = 50
BOOKMARKS_PAGE = 20
DIRECTORY_ORDERS = (
    "likes_received",
    "likes_given",
    "topic_count",
    "post_count",
    "topics_entered",
    "posts_read",
    "days_visited",
)
PERIODS = ("all", "yearly", "quarterly", "monthly", "weekly", "daily")
MIN_PASSWORD = 10
RESET_TOKEN_REFUSED = (
    "Oops! The link you used no longer works. You can log in now. If you forgot your password, you can "
    "request a link to reset it."
)


def _editable(ctx: Ctx) -> User:
    user = find_user(ctx, ctx.path["username"])
    viewer = ctx.require_user()
    if viewer.id != user.id and not viewer.staff:
        raise errors.invalid_access()
    return user


def show(ctx: Ctx) -> dict[str, Any]:
    return user_profile(ctx.store, find_user(ctx, ctx.path["username"]), ctx.user)


def by_external(ctx: Ctx) -> dict[str, Any]:
    user = ctx.store.user_by_external_id(ctx.path["external_id"])
    if user is None:
        raise errors.not_found()
    return user_profile(ctx.store, user, ctx.user)


def update(ctx: Ctx) -> dict[str, Any]:
    user = _editable(ctx)
    for field in ("name", "title", "bio_raw", "location", "website"):
        value = ctx.str_param(field)
        if value is not None:
            if field == "name" and len(value) > 255:
                raise errors.unprocessable("Name is too long (maximum is 255 characters)")
            setattr(user, field, value)
    ctx.store.changed()
    return {"success": "OK", "user": user_profile(ctx.store, user, ctx.user)["user"]}


def pick_avatar(ctx: Ctx) -> dict[str, str]:
    user = _editable(ctx)
    kind = ctx.required("type")
    if kind not in ("uploaded", "custom", "gravatar", "system"):
        raise errors.invalid_params("type")
    if kind != "system":
        upload = ctx.store.uploads.get(as_int(ctx.required("upload_id"), "upload_id"))
        if upload is None:
            raise errors.not_found()
        user.uploaded_avatar_id = upload.id
    else:
        user.uploaded_avatar_id = None
    ctx.store.changed()
    return SUCCESS


def update_email(ctx: Ctx) -> None:
    user = _editable(ctx)
    email = ctx.required("email")
    if "@" not in email or "." not in email.split("@")[-1]:
        raise errors.unprocessable("Primary email is invalid.")
    if any(u.email.lower() == email.lower() and u.id != user.id for u in ctx.store.users.values()):
        raise errors.unprocessable("Primary email has already been taken")
    user.email = email
    return None


def update_username(ctx: Ctx) -> dict[str, Any]:
    user = _editable(ctx)
    new = ctx.required("new_username")
    if not USERNAME.match(new):
        raise errors.unprocessable(
            "Username must only include numbers, letters, dashes, dots, and underscores"
        )
    if ctx.store.user_by_name(new) and new.lower() != user.username.lower():
        raise errors.unprocessable("Username has already been taken")
    user.username = new
    ctx.store.changed()
    return {"id": user.id, "username": user.username}


def emails(ctx: Ctx) -> dict[str, Any]:
    user = _editable(ctx)
    return {"email": user.email, "secondary_emails": [], "unconfirmed_emails": [], "associated_accounts": []}


def create(ctx: Ctx) -> dict[str, Any]:
    problems = []
    name, email = ctx.required("name"), ctx.required("email")
    username, password = ctx.required("username"), ctx.required("password")
    if not USERNAME.match(username):
        problems.append("Username must only include numbers, letters, dashes, dots, and underscores")
    elif ctx.store.user_by_name(username):
        problems.append("Username must be unique")
    if "@" not in email:
        problems.append("Primary email is invalid.")
    elif any(u.email.lower() == email.lower() for u in ctx.store.users.values()):
        problems.append("Primary email has already been taken")
    if len(password) < MIN_PASSWORD:
        problems.append(f"Password is too short (minimum is {MIN_PASSWORD} characters)")
    if problems:
        # users#create reports failures in a 200 body, not with a 422 status; `active` is always there.
        return {
            "success": False,
            "active": False,
            "message": problems[0],
            "errors": {"base": problems},
            "values": {"name": name, "username": username, "email": email},
            "is_developer": False,
        }
    staff = guardian(ctx).is_staff
    active = staff and ctx.bool_param("active")
    user = User(
        id=ctx.store.next_id("user", ctx.store.users),
        username=username,
        name=name,
        email=email,
        trust_level=0,
        created_at=ctx.store.now(),
        active=active,
    )
    ctx.store.users[user.id] = user
    ctx.store.groups[10].member_ids.append(user.id)  # trust_level_0
    ctx.store.changed()
    message = (
        "Your account is activated and ready to use."
        if active
        else "You're almost done! We sent an activation mail to the email address you provided."
    )
    return {"success": True, "active": active, "message": message, "user_id": user.id}


def check_username(ctx: Ctx) -> dict[str, Any]:
    username = ctx.required("username")
    if not USERNAME.match(username):
        return {"errors": ["Username must only include numbers, letters, dashes, dots, and underscores"]}
    if ctx.store.user_by_name(username):
        return {"available": False, "suggestion": f"{username}1"}
    return {"available": True}


def directory(ctx: Ctx) -> dict[str, Any]:
    period = ctx.required("period")
    order = ctx.required("order")
    if period not in PERIODS:
        raise errors.invalid_params("period")
    if order not in DIRECTORY_ORDERS:
        raise errors.invalid_params("order")
    page = max(ctx.int_param("page", 0) or 0, 0)
    rows: list[dict[str, Any]] = []
    for user in ctx.store.users.values():
        if user.id < 1:
            continue
        posts = [p for p in ctx.store.posts.values() if p.user_id == user.id and p.deleted_at is None]
        rows.append(
            {
                "id": user.id,
                "likes_received": sum(len(p.likes) for p in posts),
                "likes_given": sum(1 for p in ctx.store.posts.values() if user.id in p.likes),
                "topics_entered": user.days_visited * 2,
                "topic_count": sum(
                    1 for t in ctx.store.topics.values() if t.user_id == user.id and not t.is_pm
                ),
                "post_count": len(posts),
                "posts_read": user.days_visited * 7,
                "days_visited": user.days_visited,
                "user": {
                    "id": user.id,
                    "username": user.username,
                    "name": user.name,
                    "avatar_template": user.avatar_template,
                    "title": user.title,
                },
            }
        )
    rows.sort(key=lambda r: (r[order], -r["id"]), reverse=not ctx.bool_param("asc"))
    size = DIRECTORY_PAGE
    return {
        "directory_items": rows[page * size : (page + 1) * size],
        "meta": {
            "last_updated_at": ctx.store.now(),
            "total_rows_directory_items": len(rows),
            "load_more_directory_items": f"/directory_items?order={order}&page={page + 1}&period={period}",
        },
    }


def user_actions(ctx: Ctx) -> dict[str, Any]:
    user = find_user(ctx, ctx.required("username"))
    filters = {as_int(f, "filter") for f in ctx.list_param("filter")} or {4, 5}
    offset = max(ctx.int_param("offset", 0) or 0, 0)
    g = guardian(ctx)
    actions = []
    for post in sorted(ctx.store.posts.values(), key=lambda p: p.id, reverse=True):
        topic = ctx.store.topics[post.topic_id]
        if post.user_id != user.id or topic.is_pm or not g.can_see_post(post) or post.deleted_at:
            continue
        action_type = 4 if post.post_number == 1 else 5
        if action_type not in filters:
            continue
        actions.append(
            {
                "excerpt": excerpt(post.cooked),
                "action_type": action_type,
                "created_at": post.created_at,
                "avatar_template": user.avatar_template,
                "acting_avatar_template": user.avatar_template,
                "slug": topic.slug,
                "topic_id": topic.id,
                "target_user_id": user.id,
                "target_name": user.name,
                "target_username": user.username,
                "post_number": post.post_number,
                "post_id": None,
                "username": user.username,
                "name": user.name,
                "user_id": user.id,
                "acting_username": user.username,
                "acting_name": user.name,
                "acting_user_id": user.id,
                "title": topic.title,
                "deleted": False,
                "hidden": None,
                "post_type": None,
                "action_code": None,
                "category_id": topic.category_id or 0,
                "closed": topic.closed,
                "archived": topic.archived,
            }
        )
    return {"user_actions": actions[offset : offset + 30]}


def user_badges(ctx: Ctx) -> dict[str, Any]:
    user = find_user(ctx, ctx.path["username"])
    grants = [b for b in ctx.store.user_badges if b.user_id == user.id]
    badges = [ctx.store.badges[b.badge_id] for b in grants if b.badge_id in ctx.store.badges]
    granters = {b.granted_by_id for b in grants}
    return {
        "badges": [
            {
                "id": b.id,
                "name": b.name,
                "description": b.description,
                "grant_count": sum(1 for g in ctx.store.user_badges if g.badge_id == b.id),
                "allow_title": b.allow_title,
                "multiple_grant": b.multiple_grant,
                "icon": b.icon,
                "image_url": None,
                "listable": b.listable,
                "enabled": b.enabled,
                "badge_grouping_id": b.badge_grouping_id,
                "system": b.system,
                "slug": b.name.lower().replace(" ", "-"),
                "manually_grantable": not b.system,
                "badge_type_id": b.badge_type_id,
            }
            for b in {b.id: b for b in badges}.values()
        ],
        "badge_types": BADGE_TYPES,
        "granted_bies": [
            {
                "id": u.id,
                "username": u.username,
                "name": u.name,
                "avatar_template": u.avatar_template,
                "flair_name": None,
                "admin": u.admin,
                "moderator": u.moderator,
                "trust_level": u.trust_level,
            }
            for u in (ctx.store.users[i] for i in granters if i in ctx.store.users)
        ],
        "user_badges": [
            {
                "id": b.id,
                "granted_at": b.granted_at,
                "grouping_position": 0,
                "is_favorite": None,
                "can_favorite": False,
                "badge_id": b.badge_id,
                "granted_by_id": b.granted_by_id,
            }
            for b in grants
        ],
    }


def forgot_password_change(ctx: Ctx) -> dict[str, Any]:
    """users#password_reset_update: every outcome is a 200 whose `success` says whether it worked."""
    user = ctx.store.users.get(ctx.store.reset_tokens.get(ctx.path["token"], 0))
    if user is None:
        return {
            "success": False,
            "message": RESET_TOKEN_REFUSED,
            "errors": None,
            "is_developer": False,
            "admin": None,
        }
    password = ctx.required("password")
    if len(password) < MIN_PASSWORD:
        problems = {"password": [f"is too short (minimum is {MIN_PASSWORD} characters)"]}
        return {
            "success": False,
            "message": None,
            "errors": problems,
            "is_developer": False,
            "admin": user.admin,
        }
    return {
        "success": True,
        "message": "Your password was successfully changed and you are now logged in.",
        "requires_approval": False,
        "redirect_to": "/",
    }


def honeypot(ctx: Ctx) -> dict[str, str]:
    # pydiscourse reverses `challenge` into the sign-up form; the values are fixed in the sandbox.
    return {"value": "sandbox-honeypot", "challenge": "egnellahc-xobdnas"}


def bookmarks(ctx: Ctx) -> Any:
    user = _editable(ctx)
    marked: list[Post | None] = [p for p in ctx.store.posts.values() if user.id in p.bookmarked_by]
    marked += [ctx.store.first_post(t.id) for t in ctx.store.topics.values() if user.id in t.bookmarked_by]
    items = [p for p in marked if p is not None]
    page = max(ctx.int_param("page", 0) or 0, 0)
    if ctx.fmt != "ics":
        items = items[page * BOOKMARKS_PAGE : (page + 1) * BOOKMARKS_PAGE]
    if ctx.fmt == "ics":
        lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Sandbox Forum//Bookmarks//EN"]
        for post in items:
            lines += [
                "BEGIN:VEVENT",
                f"UID:sandbox-bookmark-{post.id}",
                f"SUMMARY:{ctx.store.topics[post.topic_id].title}",
                "END:VEVENT",
            ]
        lines.append("END:VCALENDAR")
        return Response("\r\n".join(lines) + "\r\n", media_type="text/calendar; charset=utf-8")
    listing: dict[str, Any] = {}
    if len(items) == BOOKMARKS_PAGE:  # a full page: there may be more (Discourse says so the same way)
        listing["more_bookmarks_url"] = f"/u/{user.username}/bookmarks.json?page={page + 1}"
    return {
        "user_bookmark_list": {
            **listing,
            "bookmarks": [
                {
                    "id": p.id,
                    "bookmarkable_id": p.id,
                    "bookmarkable_type": "Post",
                    "title": ctx.store.topics[p.topic_id].title,
                    "topic_id": p.topic_id,
                    "excerpt": excerpt(p.cooked),
                }
                for p in items
            ],
        }
    }


def routes() -> list[RouteSpec]:
    return [
        RouteSpec("GET", "/users/check_username", "users#check_username", check_username),
        RouteSpec(
            "PUT", "/users/password-reset/{token}", "users#password_reset_update", forgot_password_change
        ),
        RouteSpec("POST", "/users", "users#create", create),
        RouteSpec("GET", "/session/hp", "session#get_honeypot_value", honeypot),
        RouteSpec("GET", "/directory_items", "directory_items#index", directory),
        RouteSpec("GET", "/user_actions", "user_actions#index", user_actions),
        RouteSpec("GET", "/user-badges/{username}", "user_badges#username", user_badges),
        RouteSpec("GET", "/u/by-external/{provider}/{external_id}", "users#show", by_external),
        RouteSpec("GET", "/u/by-external/{external_id}", "users#show", by_external),
        RouteSpec("GET", "/users/by-external/{external_id}", "users#show", by_external),
        RouteSpec(
            "PUT", "/u/{username}/preferences/avatar/pick", "users#pick_avatar", pick_avatar, access="login"
        ),
        RouteSpec(
            "PUT", "/u/{username}/preferences/email", "users_email#update", update_email, access="login"
        ),
        RouteSpec(
            "PUT", "/u/{username}/preferences/username", "users#username", update_username, access="login"
        ),
        RouteSpec("GET", "/u/{username}/emails", "users#check_emails", emails, access="login"),
        RouteSpec("GET", "/u/{username}/bookmarks", "users#bookmarks", bookmarks, access="login"),
        RouteSpec(
            "GET",
            "/u/{username}/bookmarks",
            "users#bookmarks",
            bookmarks,
            access="login",
            formats=("ics",),
            param_auth=True,
        ),
        RouteSpec("GET", "/u/{username}", "users#show", show),
        RouteSpec("GET", "/users/{username}", "users#show", show),
        RouteSpec("PUT", "/u/{username}", "users#update", update, access="login"),
    ]
