"""The browser rule: a Discourse admin API key sent by a web page is readable by everyone who opens it."""

from __future__ import annotations

from explorer.core.lint.access import params
from explorer.core.lint.model import Finding, Severity
from explorer.core.prepared import PreparedRequest

# Headers only a browser adds on its own: a page's fetch()/XMLHttpRequest sends Origin on cross-origin
# calls and the Sec-Fetch-* metadata on every call; Referer names the page. A script on a server sends
# none of them unless it copies a request out of the developer tools (which is how they get here).
BROWSER_SIGNALS = ("origin", "sec-fetch-mode", "sec-fetch-site", "sec-fetch-dest", "referer")


def _normalise(name: str) -> str:
    return name.strip().lower().replace("_", "-")


def browser_signals(request: PreparedRequest) -> list[str]:
    """The browser-only headers the request carries, as it spells them (empty values ignored)."""
    return list(dict.fromkeys(k for k, v in request.headers if v and _normalise(k) in BROWSER_SIGNALS))


def _carries_admin_key(request: PreparedRequest) -> bool:
    # Header in any spelling, or the api_key parameter: wherever a page puts it, the page shows it.
    if any(v and _normalise(k) == "api-key" for k, v in request.headers):
        return True
    return any(p.value and p.name == "api_key" for p in params(request))


def check(request: PreparedRequest) -> list[Finding]:
    """A warning when an admin API key travels with the headers a browser adds; nothing otherwise."""
    signals = browser_signals(request)
    if not signals or not _carries_admin_key(request):
        return []
    return [
        Finding(
            code="discourse-admin-key-in-browser",
            severity=Severity.WARNING,
            message=(
                "An admin API key (Api-Key) is sent with headers only a browser adds "
                f"({', '.join(signals)}), so it looks like it is used from a web page. Anyone who opens "
                "the page can read the key in its source or the browser's developer tools and then act "
                "as any user, admins included. For a page on another site it does not even work: "
                "Discourse's CORS settings do not allow the Api-Key header from other origins, so the "
                "browser blocks the call. In the browser, use a User API key (issued per user, "
                "revocable, limited to the scopes it was granted), or make the call from your own server "
                "and keep the admin key there."
            ),
            # No automatic fix: removing the key would only trade this warning for a 403.
            fix=None,
            subject="Api-Key",
        )
    ]
