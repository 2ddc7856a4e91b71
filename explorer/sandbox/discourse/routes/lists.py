"""Topic lists: latest, top, new, per category, per tag, per user, private messages, and their RSS feeds."""

from __future__ import annotations

from html import escape
from typing import Any

from starlette.responses import Response

from explorer.sandbox.discourse import errors
from explorer.sandbox.discourse.model import Topic
from explorer.sandbox.discourse.render_topics import PER_PAGE, tag_object, topic_list, visible_topics
from explorer.sandbox.discourse.routes.common import find_category, find_user, page_param
from explorer.sandbox.discourse.routing import Ctx, RouteSpec

PERIODS = ("all", "yearly", "quarterly", "monthly", "weekly", "daily")


def _per_page(ctx: Ctx) -> int:
    value = ctx.int_param("per_page", PER_PAGE) or PER_PAGE
    return min(max(value, 1), 100)


def _listing(ctx: Ctx, topics: list[Topic], path: str, **options: Any) -> dict[str, object]:
    """The requested page of `topics`; `path` (with the query) is where `more_topics_url` points."""
    query = {k: str(v) for k, v in ctx.request.query_params.items()}
    return topic_list(ctx.store, topics, ctx.user, page=page_param(ctx), path=path, query=query, **options)


def _ordered(ctx: Ctx, topics: list[Topic]) -> list[Topic]:
    order = ctx.str_param("order")
    if order in ("created", "views", "posts", "activity", "likes"):
        key = {
            "created": lambda t: t.created_at,
            "views": lambda t: t.views,
            "posts": lambda t: len(ctx.store.live_posts(t.id)),
            "activity": lambda t: t.bumped_at,
            "likes": lambda t: sum(len(p.likes) for p in ctx.store.live_posts(t.id)),
        }[order]
        topics = sorted(topics, key=key, reverse=not ctx.bool_param("ascending"))
    return topics


def latest(ctx: Ctx) -> dict[str, object]:
    topics = _ordered(ctx, visible_topics(ctx.store, ctx.user))
    return _listing(ctx, topics, "/latest", per_page=_per_page(ctx))


def top(ctx: Ctx) -> dict[str, object]:
    period = ctx.str_param("period", "all") or "all"
    if period not in PERIODS:
        raise errors.invalid_params("period")
    topics = sorted(visible_topics(ctx.store, ctx.user), key=lambda t: (t.views, t.id), reverse=True)
    return _listing(ctx, topics, "/top", per_page=_per_page(ctx), extra={"for_period": period})


def hot(ctx: Ctx) -> dict[str, object]:
    def heat(topic: Topic) -> tuple[int, str]:
        return sum(len(p.likes) for p in ctx.store.live_posts(topic.id)), topic.bumped_at

    topics = sorted(visible_topics(ctx.store, ctx.user), key=heat, reverse=True)
    return _listing(ctx, topics, "/hot")


def new(ctx: Ctx) -> dict[str, object]:
    topics = sorted(visible_topics(ctx.store, ctx.user), key=lambda t: (t.created_at, t.id), reverse=True)
    return _listing(ctx, topics, "/new")


def category_topics(ctx: Ctx) -> dict[str, object]:
    category = find_category(ctx, ctx.path.get("id") or ctx.path["slug"])
    topics = [t for t in visible_topics(ctx.store, ctx.user) if t.category_id == category.id]
    path = f"/c/{category.slug}/{category.id}"
    return _listing(ctx, topics, path, variant="category")


def category_redirect(ctx: Ctx) -> Response:
    """`/c/{id}` and `/c/{slug}` move to the canonical `/c/{slug}/{id}`, keeping `.json` and the query."""
    category = find_category(ctx, ctx.path["key"])
    suffix = ".json" if ctx.request.url.path.endswith(".json") else ""
    query = f"?{ctx.request.url.query}" if ctx.request.url.query else ""
    return errors.redirect(f"/c/{category.slug}/{category.id}{suffix}{query}")


def tag_topics(ctx: Ctx) -> dict[str, object]:
    name = ctx.path["name"]
    tag = ctx.store.tags.get(name)
    if tag is None:
        raise errors.not_found()
    topics = [t for t in visible_topics(ctx.store, ctx.user) if name in t.tags]
    tag_id = tag_object(ctx.store, name)["id"]
    extra = {"tags": [{"id": tag_id, "name": name, "topic_count": len(topics), "staff": False}]}
    return _listing(ctx, topics, f"/tag/{name}", extra=extra)


def topics_by(ctx: Ctx) -> dict[str, object]:
    user = find_user(ctx, ctx.path["username"])
    topics = [t for t in visible_topics(ctx.store, ctx.user) if t.user_id == user.id]
    return _listing(ctx, topics, f"/topics/created-by/{user.username}")


def _pm_owner(ctx: Ctx) -> int:
    viewer = ctx.require_user()
    owner = find_user(ctx, ctx.path["username"])
    if owner.id != viewer.id and not viewer.admin:
        raise errors.invalid_access()
    return owner.id


def private_messages(ctx: Ctx) -> dict[str, object]:
    owner = _pm_owner(ctx)
    topics = [
        t for t in visible_topics(ctx.store, ctx.store.users[owner], pms=True) if owner in t.allowed_user_ids
    ]
    return _listing(ctx, topics, f"/topics/private-messages/{ctx.path['username']}", variant="pm")


def private_messages_unread(ctx: Ctx) -> dict[str, object]:
    _pm_owner(ctx)  # still refuses other people's lists
    # The sandbox does not track reading, so nothing is ever unread.
    topics: list[Topic] = []
    path = f"/topics/private-messages-unread/{ctx.path['username']}"
    return _listing(ctx, topics, path, variant="pm")


def private_messages_sent(ctx: Ctx) -> dict[str, object]:
    owner = _pm_owner(ctx)
    topics = [t for t in visible_topics(ctx.store, ctx.store.users[owner], pms=True) if t.user_id == owner]
    return _listing(ctx, topics, f"/topics/private-messages-sent/{ctx.path['username']}", variant="pm")


def latest_feed(ctx: Ctx) -> Response:
    """RSS of the latest topics; one of the few routes that accept `api_key` as a query parameter."""
    topics = visible_topics(ctx.store, ctx.user)[:25]
    items = "".join(
        f"<item><title>{escape(t.title)}</title><link>/t/{t.slug}/{t.id}</link>"
        f'<guid isPermaLink="false">sandbox-topic-{t.id}</guid><pubDate>{t.created_at}</pubDate></item>'
        for t in topics
    )
    body = (
        '<?xml version="1.0" encoding="UTF-8" ?><rss version="2.0"><channel>'
        "<title>Sandbox Forum - Latest topics</title><link>/latest</link>"
        f"<description>Latest topics</description>{items}</channel></rss>"
    )
    return Response(body, media_type="application/rss+xml; charset=utf-8")


def routes() -> list[RouteSpec]:
    return [
        RouteSpec("GET", "/latest", "list#latest", latest, cache=True),
        RouteSpec("GET", "/latest", "list#latest_feed", latest_feed, formats=("rss",), param_auth=True),
        RouteSpec("GET", "/top", "list#top", top, cache=True),
        RouteSpec("GET", "/top/{period}", "list#top", top, cache=True),
        RouteSpec("GET", "/new", "list#new", new, access="login"),
        RouteSpec("GET", "/hot", "list#hot", hot, cache=True),
        RouteSpec("GET", "/c/{key}", "list#category_default", category_redirect),
        RouteSpec("GET", "/c/{slug}/{id}", "list#category_default", category_topics, cache=True),
        RouteSpec("GET", "/c/{slug}/l/{filter}", "list#category_latest", category_topics),
        RouteSpec("GET", "/c/{slug}/{id}/l/{filter}", "list#category_latest", category_topics),
        RouteSpec("GET", "/tag/{name}", "tags#show", tag_topics),
        RouteSpec("GET", "/topics/created-by/{username}", "list#topics_by", topics_by),
        RouteSpec(
            "GET",
            "/topics/private-messages/{username}",
            "list#private_messages",
            private_messages,
            access="login",
        ),
        RouteSpec(
            "GET",
            "/topics/private-messages-unread/{username}",
            "list#private_messages_unread",
            private_messages_unread,
            access="login",
        ),
        RouteSpec(
            "GET",
            "/topics/private-messages-sent/{username}",
            "list#private_messages_sent",
            private_messages_sent,
            access="login",
        ),
    ]
