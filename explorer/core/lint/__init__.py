"""The auth linter: findings about a request that would misbehave on the real Discourse or Disqus server."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from explorer.core.catalog.loader import CatalogError, load_catalog
from explorer.core.catalog.model import Api, Catalog, Method
from explorer.core.lint import discourse, disqus, transport
from explorer.core.lint.model import Finding, Fix, Severity
from explorer.core.paths import resources_dir
from explorer.core.prepared import PreparedRequest

__all__ = ["Finding", "Fix", "Severity", "detect_api", "has_errors", "lint_request"]

# A Disqus 1.1 method path: `/api/<snake_case_name>[/]` at the end. Discourse has `/admin/api/keys` and
# `/admin/api/web_hooks`, so paths under /admin never count.
_DISQUS_PATH = re.compile(r"(?<!/admin)/api/[a-z0-9]+(_[a-z0-9]+)+/?$")


def detect_api(request: PreparedRequest) -> str:
    """The API a request is for, "disqus" or "discourse": `request.api`, else guessed from the URL."""
    if request.api:
        return str(request.api)
    parts = urlsplit(request.url)
    host = (parts.hostname or "").lower()
    if host == "disqus.com" or host.endswith(".disqus.com") or _DISQUS_PATH.search(parts.path):
        return Api.DISQUS.value
    return Api.DISCOURSE.value


def _disqus_method(request: PreparedRequest, catalog: Catalog | None) -> Method | None:
    """The catalog method a Disqus request calls, or None when unknown (or no catalog is available)."""
    name = request.method_id or disqus.method_name(request)
    if not name:
        return None
    if catalog is None:
        try:
            catalog = load_catalog(resources_dir() / "catalogs" / "disqus.json")
        except CatalogError:
            return None  # without the catalog the key check is skipped; every other rule still runs
    return catalog.method(name) or next(
        (m for m in catalog.methods if m.path.rstrip("/").endswith(f"/{name}")), None
    )


def lint_request(
    request: PreparedRequest,
    method: Method | None = None,
    *,
    api: str | None = None,
    catalog: Catalog | None = None,
) -> list[Finding]:
    """Every finding for `request`, errors first.

    `method` is the catalog method the request calls (enables the Disqus key check); without it a
    Disqus method is looked up by name in `catalog` or, failing that, the bundled Disqus catalog.
    `api` overrides detection ("discourse" or "disqus").
    """
    which = api or (method.api.value if method is not None else None) or detect_api(request)
    findings = list(transport.check(request))
    if which == Api.DISQUS.value:
        resolved = method if method is not None else _disqus_method(request, catalog)
        findings += disqus.check(request, resolved)
    else:
        findings += discourse.check(request)
    return sorted(findings, key=lambda f: f.severity.rank)


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)
