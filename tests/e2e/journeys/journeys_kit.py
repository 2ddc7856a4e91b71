"""Shared steps of the journey tests: prepare a catalog method, send it to the sandbox, apply a lint fix.

Building and sending go through the core's request lifecycle (prepare, send_sync), as the window and the
command line do, so the journeys exercise the same path a user's request takes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from explorer.core.catalog.loader import load_bundled_catalogs
from explorer.core.catalog.model import Api, Method
from explorer.core.http import ExecutionResult
from explorer.core.lifecycle import BodySpec, Pair, RequestSpec, Target, new_executor, prepare, send_sync
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
    extra_headers: Iterable[tuple[str, str]] = (),
    body_encoding: str | None = None,
) -> PreparedRequest:
    """The request the lifecycle prepares for the method (with `credentials` as a profile's keys); the
    test fails with the field errors otherwise.

    `body_encoding` ("json" or "form") sends the body arguments the way a user does in the window's Body
    tab: as a body of that kind replacing the generated one.
    """
    found = method(api, method_id)  # an unknown method fails here, naming it
    arguments = dict(values or {})
    body = BodySpec()
    if body_encoding is not None:
        in_body = {k: v for k, v in arguments.items() if _location(found, k) == "body"}
        arguments = {k: v for k, v in arguments.items() if k not in in_body}
        if body_encoding == "json":
            body = BodySpec("json", json.dumps(in_body))
        else:
            assert body_encoding == "form", body_encoding
            body = BodySpec("form", fields=tuple(Pair(k, _form_text(v)) for k, v in in_body.items()))
    spec = RequestSpec(
        api=api,
        method_id=method_id,
        arguments=arguments,
        headers=tuple(Pair(name, value) for name, value in extra_headers),
        body=body,
    )
    preparation = prepare(spec, CATALOGS, Target(Api(api), base_url, dict(credentials or {})))
    assert preparation.request is not None and not preparation.errors, dict(preparation.errors)
    return preparation.request


def _location(found: Method, name: str) -> str | None:
    param = found.param(name)
    return param.location if param is not None else None


def _form_text(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def send(request: PreparedRequest, *, follow_redirects: bool = False) -> ExecutionResult:
    """Send over real HTTP; a transport failure fails the test (the sandbox always answers)."""
    executor = new_executor(timeout_s=20, follow_redirects=follow_redirects)
    result = send_sync(request, executor).result
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
