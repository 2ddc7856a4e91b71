"""Route tables of the Discourse sandbox, one module per area of the API."""

from __future__ import annotations

from explorer.sandbox.discourse.routes import admin, lists, posts, session, topics
from explorer.sandbox.discourse.routing import RouteSpec


def all_routes() -> list[RouteSpec]:
    """Every route, most specific first (categories before the /c/{slug}/{id} topic list)."""
    return [*admin.routes(), *session.routes(), *posts.routes(), *topics.routes(), *lists.routes()]
