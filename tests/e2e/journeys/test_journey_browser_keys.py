"""Journey: the API from a web page (CORS errors): admin keys stay on servers, User API keys go in pages."""

from __future__ import annotations

from journeys_kit import ADMIN, REGULAR_USER_API_KEY, body_json, build, send

from explorer.core.lint import has_errors, lint_request
from explorer.sandbox import demo
from explorer.sandbox.demo import DemoCredentials

# What a page's fetch() adds, and what devtools' "Copy as cURL" keeps.
BROWSER_HEADERS = [("Origin", "https://blog.example.com"), ("Sec-Fetch-Mode", "cors")]


def test_a_user_api_key_from_a_page_acts_as_its_user(reading_sandbox: DemoCredentials) -> None:
    request = build(
        "discourse",
        "getNotifications",
        base_url=reading_sandbox.url,
        credentials=REGULAR_USER_API_KEY,
        extra_headers=BROWSER_HEADERS,
    )
    assert not has_errors(lint_request(request))
    result = send(request)
    assert result.status == 200
    assert result.header("X-Discourse-Username") == demo.REGULAR_USERNAME
    assert "notifications" in body_json(result)


def test_an_admin_key_in_a_page_is_warned_about(reading_sandbox: DemoCredentials) -> None:
    request = build(
        "discourse",
        "getNotifications",
        base_url=reading_sandbox.url,
        credentials=ADMIN,
        extra_headers=BROWSER_HEADERS,
    )
    findings = lint_request(request)
    browser = [f for f in findings if "browser" in f.message.lower()]
    assert browser and "User API key" in browser[0].message
    # The same key from a server-side script is fine.
    server_side = build("discourse", "getNotifications", base_url=reading_sandbox.url, credentials=ADMIN)
    assert not [f for f in lint_request(server_side) if "browser" in f.message.lower()]
