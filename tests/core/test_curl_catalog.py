"""Every catalog method survives build → cURL export → import and is matched back to itself."""

from __future__ import annotations

import pytest

from explorer.core.builder import build_request
from explorer.core.catalog.loader import load_bundled_catalogs
from explorer.core.catalog.model import Api, Method
from explorer.core.curl import import_curl, to_curl

CATALOGS = load_bundled_catalogs()
CREDENTIALS = {
    Api.DISCOURSE: {"api_key": "a" * 64, "api_username": "system"},
    Api.DISQUS: {"user_api_key": "u" * 64, "forum_api_key": "f" * 64},
}
BASE = {Api.DISCOURSE: "https://example.com/forum", Api.DISQUS: None}


def _methods() -> list[Method]:
    return [m for api in Api for m in CATALOGS[api].methods if not any(p.is_upload for p in m.params)]


@pytest.mark.parametrize("method", _methods(), ids=lambda m: m.key)
def test_exported_request_imports_as_the_same_method(method: Method) -> None:
    built = build_request(
        method, method.example, base_url=BASE[method.api], credentials=CREDENTIALS[method.api]
    )
    assert built.ok, built.errors
    request = built.request
    imported = import_curl(to_curl(request, reveal_secrets=True), catalogs=CATALOGS)
    assert (imported.request.method, imported.request.url, imported.request.query) == (
        request.method,
        request.url,
        request.query,
    )
    assert imported.match is not None, f"{method.verb} {request.url} matched nothing"
    assert imported.match.method_id == method.id, (
        f"{method.key} {method.verb} {method.path} was matched as {imported.match.method.path}"
    )
    for name, value in imported.match.path_params.items():
        assert str(method.example.get(name, value)) == value
