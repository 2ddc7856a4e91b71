"""Every method of both bundled catalogs builds from its own catalog example values."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from explorer.core.builder import build_request
from explorer.core.building.encoding import placeholders
from explorer.core.catalog.loader import load_bundled_catalogs
from explorer.core.catalog.model import Api, Method

CATALOGS = load_bundled_catalogs()
DISCOURSE_CREDENTIALS = {"api_key": "K" * 64, "api_username": "system"}
DISQUS_CREDENTIALS = {"user_api_key": "U" * 64, "forum_api_key": "F" * 64, "partner_api_key": "P" * 64}
SUBFOLDER_SITE = "https://example.com/forum/"


def _methods(api: Api) -> list[Method]:
    return list(CATALOGS[api].methods)


def _case(method: Method):
    return pytest.param(method, id=method.key)


@pytest.mark.parametrize("method", [_case(m) for m in _methods(Api.DISCOURSE)])
def test_discourse_method_builds_from_its_example(method: Method):
    result = build_request(method, method.example, base_url=SUBFOLDER_SITE, credentials=DISCOURSE_CREDENTIALS)
    assert result.errors == ()
    req = result.request
    assert req.method == method.verb
    assert req.url.startswith("https://example.com/forum/")
    # Every placeholder is filled with the escaped example value, and nothing else in the template moved.
    path = req.url[len("https://example.com/forum") :]
    expected = method.path
    for name in placeholders(method.path):
        expected = expected.replace("{" + name + "}", str(method.example[name]))
    assert unquote(path) == expected.replace("True", "true").replace("False", "false")
    # Credentials travel in headers only.
    assert req.header("Api-Key") == "K" * 64 and req.header("Api-Username") == "system"
    assert "K" * 64 not in req.full_url()
    if req.body is not None:
        assert "K" * 64 not in req.body.text()


@pytest.mark.parametrize("method", [_case(m) for m in _methods(Api.DISQUS)])
def test_disqus_method_builds_from_its_example(method: Method):
    result = build_request(method, method.example, credentials=DISQUS_CREDENTIALS)
    assert result.errors == ()
    req = result.request
    assert req.url == f"https://disqus.com/api/{method.id}/"
    pairs = dict(req.query if method.verb == "GET" else req.body.fields)
    assert pairs["api_version"] == "1.1"
    needed = f"{method.auth}_api_key"
    assert pairs[needed] == DISQUS_CREDENTIALS[needed]
    if method.verb == "POST":
        assert req.query == ()
    for name in method.example:
        assert name in pairs, name


def test_both_catalogs_are_bundled():
    assert len(CATALOGS[Api.DISQUS].methods) == 14
    assert len(CATALOGS[Api.DISCOURSE].methods) >= 93
