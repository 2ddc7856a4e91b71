"""The builder and the linter agree: what the builder prepares for any catalog method lints clean."""

from __future__ import annotations

import pytest

from explorer.core.builder import build_request
from explorer.core.catalog.loader import load_bundled_catalogs
from explorer.core.catalog.model import Api, Method
from explorer.core.lint import lint_request
from explorer.core.lint.disqus import needed_keys
from explorer.core.lint.model import Severity

CATALOGS = load_bundled_catalogs()
KEYS = {"user_api_key": "u" * 64, "forum_api_key": "f" * 64, "partner_api_key": "p" * 64}


def _methods(api: Api) -> list[Method]:
    return [m for m in CATALOGS[api].methods if not any(p.is_upload for p in m.params)]


@pytest.mark.parametrize("method", _methods(Api.DISCOURSE), ids=lambda m: m.id)
def test_built_discourse_requests_have_no_errors_or_warnings(method: Method) -> None:
    built = build_request(
        method,
        method.example,
        base_url="https://forum.example.org",
        credentials={"api_key": "a" * 64, "api_username": "system"},
    )
    assert built.ok, built.errors
    assert [f.code for f in lint_request(built.request, method)] == []


@pytest.mark.parametrize("method", _methods(Api.DISQUS), ids=lambda m: m.id)
def test_built_disqus_requests_with_the_needed_key_only_get_notes(method: Method) -> None:
    needed = needed_keys(method.auth)
    assert needed, f"{method.id} names no key kind in its auth field"
    built = build_request(method, method.example, credentials={needed[0]: KEYS[needed[0]]})
    assert built.ok, built.errors
    findings = lint_request(built.request, method)
    assert all(f.severity is Severity.INFO for f in findings), [f.code for f in findings]


@pytest.mark.parametrize("method", _methods(Api.DISQUS), ids=lambda m: m.id)
def test_built_disqus_requests_with_another_key_are_errors(method: Method) -> None:
    needed = set(needed_keys(method.auth))
    other = next(k for k in ("user_api_key", "forum_api_key") if k not in needed)
    built = build_request(method, method.example, credentials={other: KEYS[other]})
    assert built.ok, built.errors
    codes = [f.code for f in lint_request(built.request, method)]
    assert codes[0] == "disqus-wrong-key"
