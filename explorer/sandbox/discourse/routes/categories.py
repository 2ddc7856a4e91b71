"""Category endpoints: list, show, create, update, delete, reorder, notification level."""

from __future__ import annotations

import json
from typing import Any

from explorer.sandbox.discourse import errors
from explorer.sandbox.discourse.guardian import Guardian
from explorer.sandbox.discourse.model import Category, User
from explorer.sandbox.discourse.routes.common import SUCCESS, as_int, find_category, guardian
from explorer.sandbox.discourse.routing import Ctx, RouteSpec
from explorer.sandbox.discourse.store import Store
from explorer.sandbox.discourse.text import slugify

PERMISSION_TYPES = {"full": 1, "create_post": 2, "readonly": 3}


def category_json(
    store: Store, category: Category, viewer: User | None, variant: str = "detail"
) -> dict[str, Any]:
    """`variant`: detail (show/create/update) | list (categories.json) | site (site.json)."""
    topics = [t for t in store.topics.values() if t.category_id == category.id and t.deleted_at is None]
    g = Guardian(store, viewer)
    children = [c.id for c in store.categories.values() if c.parent_category_id == category.id]
    data: dict[str, Any] = {
        "id": category.id,
        "name": category.name,
        "color": category.color,
        "text_color": category.text_color,
        "style_type": "square",
        "emoji": None,
        "icon": None,
        "slug": category.slug,
        "topic_count": len(topics),
        "post_count": sum(len(store.live_posts(t.id)) for t in topics),
        "position": category.position,
        "description": f"<p>{category.description}</p>",
        "description_text": category.description,
        "description_excerpt": category.description,
        "topic_url": f"/t/{category.topic_id}" if category.topic_id else None,
        "read_restricted": category.read_restricted,
        "permission": 1 if g.can_create_topic(category) else 3,
        "notification_level": 1,
        "can_edit": g.is_admin,
        "topic_template": None,
        "topic_title_placeholder": None,
        "has_children": bool(children),
        "subcategory_count": None,
        "sort_order": None,
        "sort_ascending": None,
        "show_subcategory_list": False,
        "num_featured_topics": 3,
        "default_view": None,
        "subcategory_list_style": "rows_with_featured_topics",
        "default_top_period": "all",
        "default_list_filter": "all",
        "minimum_required_tags": 0,
        "navigate_to_first_post_after_read": False,
        "uploaded_logo": None,
        "uploaded_logo_dark": None,
        "uploaded_background": None,
        "uploaded_background_dark": None,
    }
    if variant == "list":
        for period in ("day", "week", "month", "year", "all_time"):
            data[f"topics_{period}"] = len(topics)
        data["subcategory_ids"] = children
        data["is_uncategorized"] = category.id == 1
        return data
    data["read_only_banner"] = None
    data["required_tag_groups"] = []
    if variant == "site":
        data["allow_global_tags"] = False
        if category.parent_category_id is not None:
            data["parent_category_id"] = category.parent_category_id
        return data
    groups = {g.name: g.id for g in store.groups.values()}
    data.update(
        {
            "custom_fields": {},
            "available_groups": sorted(groups),
            "auto_close_hours": None,
            "auto_close_based_on_last_post": False,
            "allow_unlimited_owner_edits_on_first_post": False,
            "default_slow_mode_seconds": None,
            "group_permissions": [
                {"permission_type": level, "group_name": name, "group_id": groups.get(name, 0)}
                for name, level in category.permissions.items()
            ],
            "email_in": None,
            "email_in_allow_strangers": False,
            "mailinglist_mirror": False,
            "all_topics_wiki": False,
            "can_delete": g.is_admin and not topics,
            "allow_badges": True,
            "topic_featured_link_allowed": True,
            "search_priority": 0,
            "topic_posting_review_group_ids": [],
            "reply_posting_review_group_ids": [],
            "form_template_ids": [],
        }
    )
    return data


def index(ctx: Ctx) -> dict[str, Any]:
    g = guardian(ctx)
    visible = [
        c for c in sorted(ctx.store.categories.values(), key=lambda c: c.position) if g.can_see_category(c)
    ]
    return {
        "category_list": {
            "can_create_category": g.is_admin,
            "can_create_topic": ctx.user is not None,
            "categories": [category_json(ctx.store, c, ctx.user, "list") for c in visible],
        }
    }


def show(ctx: Ctx) -> dict[str, Any]:
    return {"category": category_json(ctx.store, find_category(ctx, ctx.path["id"]), ctx.user)}


def _apply(ctx: Ctx, category: Category) -> None:
    for name in ("color", "text_color"):
        value = ctx.str_param(name)
        if value is not None:
            if len(value) not in (3, 6) or any(ch not in "0123456789abcdefABCDEF" for ch in value):
                raise errors.unprocessable(f"{name.replace('_', ' ').capitalize()} is not a valid color")
            setattr(category, name, value.upper())
    description = ctx.str_param("description")
    if description is not None:
        category.description = description
    parent = ctx.params.get("parent_category_id")
    if parent not in (None, ""):
        parent_id = as_int(parent, "parent_category_id")
        if parent_id not in ctx.store.categories or parent_id == category.id:
            raise errors.unprocessable("Parent category is invalid")
        category.parent_category_id = parent_id
    permissions = ctx.params.get("permissions")
    if isinstance(permissions, dict) and permissions:
        category.permissions = {str(k): as_int(v, "permissions") for k, v in permissions.items()}
        category.read_restricted = "everyone" not in category.permissions


def create(ctx: Ctx) -> dict[str, Any]:
    name = ctx.required("name").strip()
    if any(c.name.lower() == name.lower() for c in ctx.store.categories.values()):
        raise errors.unprocessable("Category Name has already been taken")
    if len(name) > 50:
        raise errors.unprocessable("Name is too long (maximum is 50 characters)")
    category = Category(
        id=ctx.store.next_id("category", ctx.store.categories),
        name=name,
        slug=slugify(name),
        color="0088CC",
        text_color="FFFFFF",
        description="",
        position=len(ctx.store.categories) + 1,
    )
    _apply(ctx, category)
    ctx.store.categories[category.id] = category
    # Like the real server, every new category gets its "About the … category" topic.
    about, _ = ctx.store.create_topic(
        ctx.require_user(),
        f"About the {name} category",
        f"Use this topic to describe the {name} category.",
        category.id,
    )
    about.pinned = True
    category.topic_id = about.id
    return {"category": category_json(ctx.store, category, ctx.user)}


def update(ctx: Ctx) -> dict[str, Any]:
    category = find_category(ctx, ctx.path["id"])
    name = ctx.str_param("name")
    if name is not None:
        name = name.strip()
        if any(c.name.lower() == name.lower() and c.id != category.id for c in ctx.store.categories.values()):
            raise errors.unprocessable("Category Name has already been taken")
        category.name, category.slug = name, ctx.str_param("slug") or slugify(name)
    _apply(ctx, category)
    ctx.store.changed()
    return {"success": "OK", "category": category_json(ctx.store, category, ctx.user)}


def destroy(ctx: Ctx) -> dict[str, str]:
    category = find_category(ctx, ctx.path["id"])
    if category.id == 1:
        raise errors.invalid_access()  # Uncategorized cannot be deleted
    if any(
        t.category_id == category.id and t.deleted_at is None and t.id != category.topic_id
        for t in ctx.store.topics.values()
    ):
        raise errors.unprocessable("Can't delete this category because it has topics.")
    del ctx.store.categories[category.id]
    ctx.store.changed()
    return SUCCESS


def reorder(ctx: Ctx) -> dict[str, str]:
    raw = ctx.params.get("mapping")
    try:
        mapping = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        raise errors.invalid_params("mapping") from None
    if not isinstance(mapping, dict):
        raise errors.missing_param("mapping")
    for key, position in mapping.items():
        category = ctx.store.categories.get(as_int(key, "mapping"))
        if category is not None:
            category.position = as_int(position, "mapping")
    ctx.store.changed()
    return SUCCESS


def set_notifications(ctx: Ctx) -> dict[str, str]:
    find_category(ctx, ctx.path["id"])
    level = as_int(ctx.required("notification_level"), "notification_level")
    if level not in range(5):
        raise errors.invalid_params("notification_level")
    return SUCCESS


def routes() -> list[RouteSpec]:
    return [
        RouteSpec("GET", "/categories", "categories#index", index, cache=True),
        RouteSpec("POST", "/categories", "categories#create", create, access="staff_action"),
        RouteSpec("POST", "/categories/reorder", "categories#reorder", reorder, access="staff_action"),
        RouteSpec("PUT", "/categories/{id}", "categories#update", update, access="staff_action"),
        RouteSpec("DELETE", "/categories/{id}", "categories#destroy", destroy, access="staff_action"),
        RouteSpec("GET", "/c/{id}/show", "categories#show", show),
        RouteSpec(
            "POST", "/category/{id}/notifications", "category_users#update", set_notifications, access="login"
        ),
    ]
