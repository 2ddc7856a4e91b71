"""Look-ups shared by the route modules: find a record the caller may see, or raise the server's error."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TypeVar

from explorer.sandbox.discourse import errors
from explorer.sandbox.discourse.guardian import Guardian
from explorer.sandbox.discourse.model import Category, Group, Post, Topic, User
from explorer.sandbox.discourse.routing import Ctx

SUCCESS = {"success": "OK"}

R = TypeVar("R")


def guardian(ctx: Ctx) -> Guardian:
    return Guardian(ctx.store, ctx.user)


# What Ruby reads as an integer id: ASCII digits only. Python's int() also takes "²"-like digits and "1_0".
_INTEGER = re.compile(r"-?[0-9]+")


def ascii_int(value: object) -> int | None:
    """`value` as an integer when it is one written in ASCII digits, else None."""
    text = str(value).strip()
    return int(text) if _INTEGER.fullmatch(text) else None


def as_int(value: object, name: str = "id") -> int:
    number = ascii_int(value)
    if number is None:
        raise errors.invalid_params(name)
    return number


def scalar_text(value: object, name: str) -> str | None:
    """A text field as Rails stores it: numbers and booleans become text, objects and lists are refused."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return str(value).lower() if isinstance(value, bool) else str(value)
    raise errors.invalid_params(name)


def by_id(records: Mapping[int, R], record_id: int) -> R:
    """The record under `record_id`; a missing one is the server's 404."""
    record = records.get(record_id)
    if record is None:
        raise errors.not_found()
    return record


def _id_in_path(raw_id: object) -> int:
    # A path segment that is not a number finds no record, so it gets the same 404 as an unknown id.
    number = ascii_int(raw_id)
    if number is None:
        raise errors.not_found()
    return number


def find_topic(ctx: Ctx, raw_id: object) -> Topic:
    topic = by_id(ctx.store.topics, _id_in_path(raw_id))
    if topic.deleted_at is not None and not guardian(ctx).is_staff:
        raise errors.not_found()
    if not guardian(ctx).can_see_topic(topic):
        raise errors.invalid_access()
    return topic


def find_post(ctx: Ctx, raw_id: object) -> Post:
    post = by_id(ctx.store.posts, _id_in_path(raw_id))
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
    return by_id(ctx.store.users, _id_in_path(raw_id))


def find_category(ctx: Ctx, raw_id: object) -> Category:
    number = ascii_int(raw_id)
    if number is not None:
        category = ctx.store.categories.get(number)
    else:
        category = next((c for c in ctx.store.categories.values() if c.slug == str(raw_id)), None)
    if category is None:
        raise errors.not_found()
    if not guardian(ctx).can_see_category(category):
        raise errors.invalid_access()
    return category


def find_group(ctx: Ctx, key: object) -> Group:
    text = str(key)
    number = ascii_int(text)
    group = ctx.store.groups.get(number) if number is not None else ctx.store.group_by_name(text)
    if group is None:
        raise errors.not_found()
    return group


def page_param(ctx: Ctx) -> int:
    page = ctx.int_param("page", 0) or 0
    return max(page, 0)
