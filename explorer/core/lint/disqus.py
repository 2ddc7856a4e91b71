"""Disqus API 1.1 rules: api_version, trailing slash, the key a method needs, keys in URLs, legacy status."""

from __future__ import annotations

import re

from explorer.core.building.disqus_wire import API_VERSION, KEY_NAMES
from explorer.core.catalog.model import Method
from explorer.core.lint.access import param_value, params, set_param, url_path, with_path
from explorer.core.lint.model import Finding, Fix, Severity
from explorer.core.prepared import PreparedRequest

# The same facts the builder sends by: the three key arguments and the version this API speaks.
KEY_PARAMS = KEY_NAMES
# `/api/<method>` with or without the trailing slash, at the end of the path (a sandbox may add a prefix).
_METHOD_PATH = re.compile(r"/api/([A-Za-z0-9_]+)(/?)$")


def method_name(request: PreparedRequest) -> str | None:
    """The Disqus method named by the URL (`/api/get_forum_list/` → `get_forum_list`), or None."""
    match = _METHOD_PATH.search(url_path(request))
    return match.group(1) if match else None


def needed_keys(auth: str) -> tuple[str, ...]:
    """The key parameters a catalog `auth` value asks for; any one of them is enough.

    The catalog names the key kind ("user", "forum", "partner"); a value naming several kinds
    (e.g. "forum|user") means the method accepts either.
    """
    kinds = re.findall(r"user|forum|partner", auth.lower())
    return tuple(dict.fromkeys(f"{kind}_api_key" for kind in kinds))


def _add_version(request: PreparedRequest) -> PreparedRequest:
    # 1.1 reads api_version where it reads every other argument: the query for GET, the form body for POST.
    return set_param(request, "api_version", API_VERSION, in_body=request.method.upper() != "GET")


def check_api_version(request: PreparedRequest) -> list[Finding]:
    version = param_value(request, "api_version")
    if version == API_VERSION:
        return []
    what = "There is no api_version parameter" if version is None else f"api_version is {version!r}, not 1.1"
    return [
        Finding(
            code="disqus-missing-api-version",
            severity=Severity.WARNING,
            message=(
                f"{what}. Disqus answers such calls as API 1.0, where the 1.1 methods (get_forum_posts, "
                "get_user_name, moderate_post, …) do not exist and thread and post methods expect the "
                "forum key. Add api_version=1.1."
            ),
            fix=Fix("Add api_version=1.1", _add_version),
            subject="api_version",
        )
    ]


def _add_slash(request: PreparedRequest) -> PreparedRequest:
    return with_path(request, url_path(request) + "/")


def check_trailing_slash(request: PreparedRequest) -> list[Finding]:
    match = _METHOD_PATH.search(url_path(request))
    if match is None or match.group(2):
        return []
    if request.method.upper() == "GET":
        consequence = (
            "A GET survives the redirect when the client follows it (curl needs -L), at the cost of an extra "
            "round trip; a client that does not follow redirects gets an empty 301 instead of data."
        )
    else:
        consequence = (
            f"The redirected {request.method.upper()} arrives as a GET without its body, so the arguments "
            "and keys are lost and the call fails."
        )
    return [
        Finding(
            code="disqus-missing-trailing-slash",
            severity=Severity.WARNING,
            message=(
                f"/api/{match.group(1)} has no trailing slash. Disqus redirects it (301) to "
                f"/api/{match.group(1)}/. {consequence}"
            ),
            fix=Fix("Add the trailing slash", _add_slash),
            subject=match.group(1),
        )
    ]


def check_keys_in_url(request: PreparedRequest) -> list[Finding]:
    if request.method.upper() != "GET":
        return []
    keys = list(dict.fromkeys(k for k, v in request.query if k in KEY_PARAMS and v))
    if not keys:
        return []
    return [
        Finding(
            code="disqus-keys-in-url",
            severity=Severity.INFO,
            message=(
                f"{', '.join(keys)} {'travels' if len(keys) == 1 else 'travel'} in the URL of this GET. "
                "Disqus 1.1 offers no other way for GET "
                "methods, but web servers, proxies and browser history keep full URLs, so the keys end up in "
                "their logs. Do not share the URL, and keep such logs private."
            ),
            subject=keys[0],
        )
    ]


def check_key(request: PreparedRequest, method: Method | None) -> list[Finding]:
    if method is None:
        return []
    needed = needed_keys(method.auth)
    if not needed:
        return []
    carried = {p.name for p in params(request) if p.name in KEY_PARAMS and p.value}
    if carried & set(needed):
        return []
    wanted = " or ".join(needed)
    has = f"it carries only {', '.join(sorted(carried))}" if carried else "it carries no key at all"
    return [
        Finding(
            code="disqus-wrong-key",
            severity=Severity.ERROR,
            message=(
                f"{method.id} needs {wanted}, but {has}. Disqus checks the key kind per method: a user key "
                "acts for an account, a forum key for one forum. Without the right key the call fails "
                "with an input-invalid error."
            ),
            subject=needed[0],
        )
    ]


def check_legacy(request: PreparedRequest) -> list[Finding]:
    return [
        Finding(
            code="disqus-legacy-api",
            severity=Severity.INFO,
            message=(
                "Disqus API 1.1 is the legacy API (2009–2010), superseded by API 3.0 from late 2010; new 1.1 "
                "keys could no longer be obtained by 2013, and Disqus now serves only 3.0. Use 1.1 against "
                "the sandbox or to understand an old integration."
            ),
        )
    ]


def check(request: PreparedRequest, method: Method | None) -> list[Finding]:
    """Every Disqus-specific finding for `request`; `method` enables the key check."""
    return [
        *check_key(request, method),
        *check_api_version(request),
        *check_trailing_slash(request),
        *check_keys_in_url(request),
        *check_legacy(request),
    ]
