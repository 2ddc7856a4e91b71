"""Group endpoints: list, show, create, update, delete, members (paged with meta.total), owners."""

from __future__ import annotations

from typing import Any

from explorer.sandbox.discourse import errors
from explorer.sandbox.discourse.model import Group, User
from explorer.sandbox.discourse.render_users import basic_group
from explorer.sandbox.discourse.routes.common import (
    SUCCESS,
    find_group,
    find_user_by_id,
    guardian,
    scalar_text,
)
from explorer.sandbox.discourse.routing import Ctx, RouteSpec

GROUPS_PER_PAGE = 36
MEMBERS_DEFAULT_LIMIT = 50
SEARCH_LIMIT = 20


def group_json(ctx: Ctx, group: Group, variant: str = "basic") -> dict[str, Any]:
    """`variant`: basic (create) | list (groups.json) | detail (groups/{name}.json)."""
    viewer = ctx.user
    g = guardian(ctx)
    data = basic_group(group, flair_url=group.flair_icon, can_admin=g.is_admin)
    data["can_edit_group"] = g.is_admin or (viewer is not None and viewer.id in group.owner_ids)
    if variant == "list":
        data["display_name"] = group.full_name or group.name
        data["is_group_user"] = viewer is not None and viewer.id in group.member_ids
        data["is_group_owner"] = viewer is not None and viewer.id in group.owner_ids
    elif variant == "detail":
        data.update(
            {
                "is_group_user": viewer is not None and viewer.id in group.member_ids,
                "is_group_owner_display": viewer is not None and viewer.id in group.owner_ids,
                "mentionable": group.mentionable_level > 0,
                "messageable": group.messageable_level > 0,
                "automatic_membership_email_domains": None,
                "smtp_server": None,
                "smtp_port": None,
                "smtp_ssl_mode": None,
                "email_username": None,
                "email_password": None,
                "message_count": 0,
                "allow_unknown_sender_topic_replies": False,
                "watching_category_ids": [],
                "tracking_category_ids": [],
                "watching_first_post_category_ids": [],
                "regular_category_ids": [],
                "muted_category_ids": [],
            }
        )
    return data


def index(ctx: Ctx) -> dict[str, Any]:
    groups = sorted(ctx.store.groups.values(), key=lambda g: (g.automatic, g.name))
    page = max(ctx.int_param("page", 0) or 0, 0)
    chunk = groups[page * GROUPS_PER_PAGE : (page + 1) * GROUPS_PER_PAGE]
    return {
        "groups": [group_json(ctx, g, "list") for g in chunk],
        "extras": {"type_filters": ["my", "owner", "public", "close", "automatic", "non_automatic"]},
        "total_rows_groups": len(groups),
        "load_more_groups": f"/groups?page={page + 1}",
    }


def show(ctx: Ctx) -> dict[str, Any]:
    group = find_group(ctx, ctx.path.get("name") or ctx.path["id"])
    return {
        "group": group_json(ctx, group, "detail"),
        "extras": {"visible_group_names": sorted(g.name for g in ctx.store.groups.values())},
    }


def _member_json(ctx: Ctx, user: User, group: Group) -> dict[str, Any]:
    posts = [p for p in ctx.store.posts.values() if p.user_id == user.id]
    return {
        "id": user.id,
        "username": user.username,
        "name": user.name,
        "avatar_template": user.avatar_template,
        "title": user.title,
        "last_posted_at": max((p.created_at for p in posts), default=user.created_at),
        "last_seen_at": user.last_seen_at or user.created_at,
        "added_at": user.created_at,
        "timezone": "UTC",
    }


def members(ctx: Ctx) -> dict[str, Any]:
    group = find_group(ctx, ctx.path["name"])
    limit = ctx.int_param("limit", MEMBERS_DEFAULT_LIMIT) or MEMBERS_DEFAULT_LIMIT
    offset = ctx.int_param("offset", 0) or 0
    if limit < 1 or limit > 1000:
        raise errors.invalid_params("limit")
    if offset < 0:
        raise errors.invalid_params("offset")
    users = sorted(
        (ctx.store.users[i] for i in group.member_ids if i in ctx.store.users), key=lambda u: u.username
    )
    owners = [ctx.store.users[i] for i in group.owner_ids if i in ctx.store.users]
    return {
        "members": [_member_json(ctx, u, group) for u in users[offset : offset + limit]],
        "owners": [_member_json(ctx, u, group) for u in owners],
        "meta": {"total": len(users), "limit": limit, "offset": offset},
    }


def _usernames(ctx: Ctx) -> list[User]:
    fields = ctx.fields("group")
    names = fields.get("usernames") or ""
    if isinstance(names, list):
        names = [str(n).strip() for n in names if str(n).strip()]
    else:
        names = [n.strip() for n in str(names).split(",") if n.strip()]
    if not names:
        raise errors.missing_param("usernames")
    found = [ctx.store.user_by_name(n) for n in names]
    missing = [n for n, u in zip(names, found, strict=True) if u is None]
    if missing:
        raise errors.ApiError(400, {"errors": [f"Could not find users: {', '.join(missing)}"]})
    return [u for u in found if u is not None]


def _manageable(ctx: Ctx) -> Group:
    group = find_group(ctx, ctx.path["id"])
    viewer = ctx.require_user()
    if group.automatic:
        raise errors.invalid_access()
    if not (viewer.admin or viewer.id in group.owner_ids):
        raise errors.invalid_access()
    return group


def add_members(ctx: Ctx) -> dict[str, Any]:
    group = _manageable(ctx)
    users = _usernames(ctx)
    already = [u.username for u in users if u.id in group.member_ids]
    if already and len(already) == len(users):
        raise errors.unprocessable(f"{', '.join(already)} is already a member of this group")
    for user in users:
        if user.id not in group.member_ids:
            group.member_ids.append(user.id)
    ctx.store.changed()
    return {"success": "OK", "usernames": [u.username for u in users], "emails": []}


def remove_members(ctx: Ctx) -> dict[str, Any]:
    group = _manageable(ctx)
    users = _usernames(ctx)
    skipped = [u.username for u in users if u.id not in group.member_ids]
    group.member_ids = [i for i in group.member_ids if i not in {u.id for u in users}]
    ctx.store.changed()
    return {
        "success": "OK",
        "usernames": [u.username for u in users if u.username not in skipped],
        "skipped_usernames": skipped,
    }


def _group_fields(ctx: Ctx, group: Group) -> None:
    fields = ctx.fields("group")
    for name in ("full_name", "title"):
        if name in fields:
            setattr(group, name, scalar_text(fields[name], name))
    if "bio_raw" in fields:
        group.bio_raw = scalar_text(fields["bio_raw"], "bio_raw") or ""
    for name in ("public_admission", "public_exit", "allow_membership_requests", "primary_group"):
        if name in fields:
            setattr(group, name, str(fields[name]).lower() in ("true", "1"))
    for name in ("visibility_level", "mentionable_level", "messageable_level"):
        if name in fields:
            try:
                setattr(group, name, int(fields[name]))
            except (TypeError, ValueError):
                raise errors.invalid_params(name) from None


def create(ctx: Ctx) -> dict[str, Any]:
    fields = ctx.fields("group")
    name = str(fields.get("name") or "").strip()
    if not name:
        raise errors.missing_param("group")
    if ctx.store.group_by_name(name) or ctx.store.user_by_name(name):
        raise errors.unprocessable("Name has already been taken")
    if not name.replace("_", "").replace("-", "").isalnum() or len(name) > 20:
        raise errors.unprocessable("Name must only include numbers, letters, dashes and underscores")
    group = Group(ctx.store.next_id("group", ctx.store.groups), name, None, False)
    _group_fields(ctx, group)
    for key, target in (("usernames", group.member_ids), ("owner_usernames", group.owner_ids)):
        for username in str(fields.get(key) or "").split(","):
            user = ctx.store.user_by_name(username.strip()) if username.strip() else None
            if user is not None and user.id not in target:
                target.append(user.id)
    for owner in group.owner_ids:
        if owner not in group.member_ids:
            group.member_ids.append(owner)
    ctx.store.groups[group.id] = group
    ctx.store.changed()
    return {"basic_group": group_json(ctx, group)}


def update(ctx: Ctx) -> dict[str, str]:
    group = _manageable(ctx)
    _group_fields(ctx, group)
    ctx.store.changed()
    return SUCCESS


def destroy(ctx: Ctx) -> dict[str, str]:
    group = find_group(ctx, ctx.path["id"])
    if group.automatic:
        raise errors.invalid_access()
    del ctx.store.groups[group.id]
    ctx.store.changed()
    return SUCCESS


def admin_owners(ctx: Ctx) -> dict[str, Any]:
    group = find_group(ctx, ctx.path["id"])
    users = _usernames(ctx)
    for user in users:
        if ctx.verb == "PUT":
            if user.id not in group.owner_ids:
                group.owner_ids.append(user.id)
            if user.id not in group.member_ids:
                group.member_ids.append(user.id)
        elif user.id in group.owner_ids:
            group.owner_ids.remove(user.id)
    ctx.store.changed()
    return {"success": "OK", "usernames": [u.username for u in users]}


def admin_members(ctx: Ctx) -> dict[str, Any]:
    group = find_group(ctx, ctx.path["id"])
    users = _usernames(ctx)
    for user in users:
        if ctx.verb == "PUT" and user.id not in group.member_ids:
            group.member_ids.append(user.id)
        elif ctx.verb == "DELETE" and user.id in group.member_ids:
            group.member_ids.remove(user.id)
    ctx.store.changed()
    return {"success": "OK", "usernames": [u.username for u in users]}


def add_user_to_group(ctx: Ctx) -> dict[str, str]:
    user = find_user_by_id(ctx, ctx.path["id"])
    group = find_group(ctx, ctx.required("group_id"))
    if user.id not in group.member_ids:
        group.member_ids.append(user.id)
        ctx.store.changed()
    return SUCCESS


def set_notifications(ctx: Ctx) -> dict[str, str]:
    find_group(ctx, ctx.path["name"])
    level = ctx.int_param("notification_level")
    if level is None or level not in range(5):
        raise errors.invalid_params("notification_level")
    user_id = ctx.int_param("user_id")
    if user_id is not None:
        find_user_by_id(ctx, user_id)
    return SUCCESS


def search(ctx: Ctx) -> list[dict[str, Any]]:
    """groups#search: matching names or full names, in the groups list's serializer (BasicGroupSerializer)."""
    term = (ctx.str_param("term") or "").lower()
    skip_automatic = ctx.bool_param("ignore_automatic")
    found = [
        g
        for g in sorted(ctx.store.groups.values(), key=lambda g: g.name)
        if (term in g.name.lower() or term in (g.full_name or "").lower())
        and not (skip_automatic and g.automatic)
    ]
    return [group_json(ctx, g) for g in found[:SEARCH_LIMIT]]


def routes() -> list[RouteSpec]:
    return [
        RouteSpec("GET", "/groups", "groups#index", index),
        RouteSpec("GET", "/groups/search", "groups#search", search),
        RouteSpec("GET", "/groups/by-id/{id}", "groups#show", show),
        RouteSpec("GET", "/groups/{name}/members", "groups#members", members),
        RouteSpec("PUT", "/groups/{id}/members", "groups#add_members", add_members, access="login"),
        RouteSpec("DELETE", "/groups/{id}/members", "groups#remove_member", remove_members, access="login"),
        RouteSpec(
            "POST",
            "/groups/{name}/notifications",
            "groups#set_notifications",
            set_notifications,
            access="login",
        ),
        RouteSpec("GET", "/groups/{name}", "groups#show", show),
        RouteSpec("PUT", "/groups/{id}", "groups#update", update, access="login"),
        RouteSpec("POST", "/admin/groups", "admin/groups#create", create, access="admin"),
        RouteSpec("DELETE", "/admin/groups/{id}", "admin/groups#destroy", destroy, access="admin"),
        RouteSpec(
            "PUT", "/admin/groups/{id}/owners", "admin/groups#add_owners", admin_owners, access="admin"
        ),
        RouteSpec(
            "DELETE", "/admin/groups/{id}/owners", "admin/groups#remove_owner", admin_owners, access="admin"
        ),
        RouteSpec(
            "PUT", "/admin/groups/{id}/members", "admin/groups#add_members", admin_members, access="admin"
        ),
        RouteSpec(
            "DELETE",
            "/admin/groups/{id}/members",
            "admin/groups#remove_member",
            admin_members,
            access="admin",
        ),
        RouteSpec(
            "POST", "/admin/users/{id}/groups", "admin/users#add_group", add_user_to_group, access="admin"
        ),
    ]
