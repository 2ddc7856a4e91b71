"""Route tables of the Discourse sandbox, one module per area of the API."""

from __future__ import annotations

from explorer.sandbox.discourse.routes import (
    admin,
    admin_users,
    categories,
    extras,
    groups,
    lists,
    posts,
    session,
    site,
    tags,
    topics,
    uploads,
    users,
)
from explorer.sandbox.discourse.routing import RouteSpec


def all_routes() -> list[RouteSpec]:
    """Every route; the first match wins, so categories come before the /c/{slug}/{id} topic list."""
    return [
        *admin_users.routes(),
        *admin.routes(),
        *groups.routes(),
        *categories.routes(),
        *site.routes(),
        *tags.routes(),
        *session.routes(),
        *users.routes(),
        *uploads.routes(),
        *extras.routes(),
        *posts.routes(),
        *topics.routes(),
        *lists.routes(),
    ]
