"""Route tables of the Discourse sandbox, one module per area of the API."""

from __future__ import annotations

import dataclasses

from explorer.sandbox.discourse.routes import (
    admin,
    admin_users,
    categories,
    customize,
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

# Discourse draws every user route under both roots (`%w[users u].each` in config/routes.rb).
USER_ROOTS = ("/u", "/users")


def all_routes() -> list[RouteSpec]:
    """Every route; the first match wins, so categories come before the /c/{slug}/{id} topic list."""
    return _under_both_user_roots(
        [
            *admin_users.routes(),
            *admin.routes(),
            *customize.routes(),
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
    )


def _under_both_user_roots(routes: list[RouteSpec]) -> list[RouteSpec]:
    """Each /u/… route followed by its /users/… twin and the other way round, unless already declared."""
    declared = {(r.verb, r.template, r.formats) for r in routes}
    result: list[RouteSpec] = []
    for route in routes:
        result.append(route)
        for root, other in (USER_ROOTS, USER_ROOTS[::-1]):
            if route.template == root or route.template.startswith(root + "/"):
                twin = other + route.template[len(root) :]
                if (route.verb, twin, route.formats) not in declared:
                    declared.add((route.verb, twin, route.formats))
                    result.append(dataclasses.replace(route, template=twin))
    return result
