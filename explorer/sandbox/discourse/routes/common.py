"""Look-ups shared by the route modules: find a record the caller may see, or raise the server's error."""

from __future__ import annotations

from explorer.sandbox.discourse import errors
from explorer.sandbox.discourse.guardian import Guardian
from explorer.sandbox.discourse.model import Category, Group, Post, Topic, User
from explorer.sandbox.discourse.routing import Ctx

SUCCESS = {"success": "OK"}


def guardian(ctx: Ctx) -> Guardian:
    return Guardian(ctx.store, ctx.user)


def as_int(value: object, name: str = "id") -> int:
    try:
        return int(str(value))
    except ValueError:
        raise errors.invalid_params(name) from None


def find_topic(ctx: Ctx, raw_id: object) -> Topic:
    try:
        topic_id = int(str(raw_id))
    except ValueError:
        raise errors.not_found() from None
    topic = ctx.store.topics.get(topic_id)
    if topic is None:
        raise errors.not_found()
    if topic.deleted_at is not None and not guardian(ctx).is_staff:
        raise errors.not_found()
    if not guardian(ctx).can_see_topic(topic):
        raise errors.invalid_access()
    return topic


def find_post(ctx: Ctx, raw_id: object) -> Post:
    try:
        post = ctx.store.posts.get(int(str(raw_id)))
    except ValueError:
        raise errors.not_found() from None
    if post is None:
        raise errors.not_found()
    topic = ctx.store.topics.get(post.topic_id)
    if topic is None or ((post.deleted_at or topic.deleted_at) and not guardian(ctx).is_staff):
        raise errors.not_found()
    if not guardian(ctx).can_see_topic(topic):
        raise errors.invalid_access()
    return post


def find_user(ctx: Ctx, username: str) -> User:
    user = ctx.store.user_by_name(username)
    if user is None:
        raise errors.not_found()
    return user


def find_user_by_id(ctx: Ctx, raw_id: object) -> User:
    try:
        user = ctx.store.users.get(int(str(raw_id)))
    except ValueError:
        raise errors.not_found() from None
    if user is None:
        raise errors.not_found()
    return user


def find_category(ctx: Ctx, raw_id: object) -> Category:
    try:
        category = ctx.store.categories.get(int(str(raw_id)))
    except ValueError:
        category = next((c for c in ctx.store.categories.values() if c.slug == str(raw_id)), None)
    if category is None:
        raise errors.not_found()
    if not guardian(ctx).can_see_category(category):
        raise errors.invalid_access()
    return category


def find_group(ctx: Ctx, key: object) -> Group:
    text = str(key)
    group = ctx.store.groups.get(int(text)) if text.isdigit() else ctx.store.group_by_name(text)
    if group is None:
        raise errors.not_found()
    return group


def page_param(ctx: Ctx) -> int:
    page = ctx.int_param("page", 0) or 0
    return max(page, 0)
