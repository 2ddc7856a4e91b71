"""Test helper: call the sandbox's Disqus 1.1 side over HTTP and unwrap its envelope."""

from __future__ import annotations

from typing import Any

import httpx

from explorer.sandbox.demo import DemoCredentials

ENVELOPE_KEYS = {"succeeded", "code", "message"}


class Disqus:
    def __init__(self, credentials: DemoCredentials) -> None:
        self.client = httpx.Client(base_url=credentials.disqus_base_url, timeout=30)

    def get(self, method: str, version: str | None = "1.1", **params: Any) -> httpx.Response:
        if version is not None:
            params["api_version"] = version
        return self.client.get(f"/api/{method}/", params=params)

    def post(self, method: str, version: str | None = "1.1", **fields: Any) -> httpx.Response:
        if version is not None:
            fields["api_version"] = version
        return self.client.post(f"/api/{method}/", data=fields)


def ok(response: httpx.Response) -> Any:
    """The message of a successful answer, after checking status and envelope."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == ENVELOPE_KEYS
    assert body["succeeded"] is True and body["code"] == "ok"
    return body["message"]


def error(response: httpx.Response, status: int = 400, code: str = "input-invalid") -> str:
    """The message of a failed answer, after checking status, envelope and code."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == ENVELOPE_KEYS
    assert body["succeeded"] is False
    assert body["code"] == code, body
    assert isinstance(body["message"], str) and body["message"]
    return body["message"]
