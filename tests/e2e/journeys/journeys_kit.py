"""Shared steps of the journey tests: build a catalog method, send it to the sandbox, apply a lint fix."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from explorer.core.builder import build_request
from explorer.core.catalog.loader import load_bundled_catalogs
from explorer.core.catalog.model import Api, Method
from explorer.core.http import ExecutionResult, execute_sync
from explorer.core.lint import Finding
from explorer.core.prepared import PreparedRequest
from explorer.sandbox import demo

CATALOGS = load_bundled_catalogs()

# The credentials a sandbox user types into a profile, by their API names.
ADMIN = {"api_key": demo.DISCOURSE_ADMIN_KEY, "api_username": demo.ADMIN_USERNAME}
REGULAR_USER_API_KEY = {
    "user_api_key": demo.DISCOURSE_USER_API_KEY,
    "user_api_client_id": demo.DISCOURSE_USER_API_CLIENT_ID,
}
DISQUS_KEYS = {"user_api_key": demo.DISQUS_USER_API_KEY, "forum_api_key": demo.DISQUS_FORUM_API_KEY}


def method(api: str, method_id: str) -> Method:
    found = CATALOGS[Api(api)].method(method_id)
    assert found is not None, f"{api} catalog has no method {method_id}"
    return found


def build(
    api: str,
    method_id: str,
    values: Mapping[str, Any] | None = None,
    *,
    base_url: str,
    credentials: Mapping[str, str] | None = None,
    **options: Any,
) -> PreparedRequest:
    """The request the builder prepares; the test fails with the builder's field errors otherwise."""
    result = build_request(
        method(api, method_id), dict(values or {}), base_url=base_url, credentials=credentials, **options
    )
    assert result.ok and result.request is not None, result.errors
    return result.request


def send(request: PreparedRequest, **executor_options: Any) -> ExecutionResult:
    """Send over real HTTP; a transport failure fails the test (the sandbox always answers)."""
    result = execute_sync(request, timeout_s=20, **executor_options)
    assert result.error is None and result.status is not None, result.error
    return result


def body_json(result: ExecutionResult) -> Any:
    assert result.is_json, (result.status, result.content_type, result.text()[:300])
    return result.json()


def codes(findings: Iterable[Finding]) -> list[str]:
    return [f.code for f in findings]


def finding(findings: Iterable[Finding], code: str) -> Finding:
    found = [f for f in findings if f.code == code]
    assert found, f"no {code} finding among {codes(findings)}"
    return found[0]


def apply_fix(request: PreparedRequest, findings: Iterable[Finding], code: str) -> PreparedRequest:
    """What one click on the finding's fix button does."""
    fix = finding(findings, code).fix
    assert fix is not None, f"{code} offers no automatic fix"
    return fix.apply(request)


def cli_json(text: str) -> Any:
    """The JSON document a CLI command printed on stdout."""
    return json.loads(text)
