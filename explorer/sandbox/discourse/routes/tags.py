"""Tags and tag groups."""

from __future__ import annotations

from typing import Any

from explorer.sandbox.discourse import errors
from explorer.sandbox.discourse.model import Tag, TagGroup
from explorer.sandbox.discourse.render_topics import tag_object, visible_topics
from explorer.sandbox.discourse.routes.common import as_int, by_id
from explorer.sandbox.discourse.routing import Ctx, RouteSpec


def index(ctx: Ctx) -> dict[str, Any]:
    topics = visible_topics(ctx.store, ctx.user)
    return {
        "tags": [
            {
                "id": tag_object(ctx.store, name)["id"],
                "text": name,
                "name": name,
                "count": sum(1 for t in topics if name in t.tags),
                "pm_count": 0,
                "target_tag": None,
            }
            for name in ctx.store.tags
        ],
        "extras": {"categories": []},
    }


def group_json(ctx: Ctx, group: TagGroup, *, objects: bool) -> dict[str, Any]:
    """Lists and creation send tags as objects; show and update still send plain names."""
    data: dict[str, Any] = {
        "id": group.id,
        "name": group.name,
        "one_per_topic": group.one_per_topic,
        "permissions": dict(group.permissions),
    }
    if objects:
        data["tags"] = [tag_object(ctx.store, n) for n in group.tag_names]
        data["parent_tag"] = [tag_object(ctx.store, n) for n in group.parent_tag_name]
    else:
        data["tag_names"] = list(group.tag_names)
        data["parent_tag_name"] = list(group.parent_tag_name)
    return data


def _find(ctx: Ctx) -> TagGroup:
    return by_id(ctx.store.tag_groups, as_int(ctx.path["id"]))


def _apply(ctx: Ctx, group: TagGroup) -> None:
    names = ctx.list_param("tag_names")
    if names:
        for name in names:
            ctx.store.tags.setdefault(name, Tag(name))
        group.tag_names = names
    if "one_per_topic" in ctx.params:
        group.one_per_topic = ctx.bool_param("one_per_topic")


def list_groups(ctx: Ctx) -> dict[str, Any]:
    return {"tag_groups": [group_json(ctx, g, objects=True) for g in ctx.store.tag_groups.values()]}


def show_group(ctx: Ctx) -> dict[str, Any]:
    return {"tag_group": group_json(ctx, _find(ctx), objects=False)}


def create_group(ctx: Ctx) -> dict[str, Any]:
    name = ctx.required("name").strip()
    if any(g.name.lower() == name.lower() for g in ctx.store.tag_groups.values()):
        raise errors.unprocessable("Name has already been taken")
    group = TagGroup(ctx.store.next_id("tag_group", ctx.store.tag_groups), name, [])
    _apply(ctx, group)
    ctx.store.tag_groups[group.id] = group
    ctx.store.changed()
    return {"tag_group": group_json(ctx, group, objects=True)}


def update_group(ctx: Ctx) -> dict[str, Any]:
    group = _find(ctx)
    name = ctx.str_param("name")
    if name is not None:
        group.name = name.strip()
    _apply(ctx, group)
    ctx.store.changed()
    return {"success": "OK", "tag_group": group_json(ctx, group, objects=False)}


def routes() -> list[RouteSpec]:
    return [
        RouteSpec("GET", "/tags", "tags#index", index),
        RouteSpec("GET", "/tag_groups", "tag_groups#index", list_groups, access="staff_action"),
        RouteSpec("POST", "/tag_groups", "tag_groups#create", create_group, access="staff_action"),
        RouteSpec("GET", "/tag_groups/{id}", "tag_groups#show", show_group, access="staff_action"),
        RouteSpec("PUT", "/tag_groups/{id}", "tag_groups#update", update_group, access="staff_action"),
    ]
