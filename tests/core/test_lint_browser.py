"""The browser rule: an admin API key sent with the headers a web page's fetch() adds is warned about."""

from __future__ import annotations

import pytest

from explorer.core.lint import lint_request
from explorer.core.lint.model import Severity
from explorer.core.prepared import Body, PreparedRequest

SITE = "https://forum.example.org"
KEY = "ab" * 32
CODE = "discourse-admin-key-in-browser"
ADMIN = (("Api-Key", KEY), ("Api-Username", "system"))


def browser_findings(request: PreparedRequest):
    return [f for f in lint_request(request) if f.code == CODE]


@pytest.mark.parametrize(
    "signals",
    [
        (("Origin", "https://blog.example.com"),),
        (("Sec-Fetch-Mode", "cors"),),
        (("Sec-Fetch-Site", "cross-site"),),
        (("Referer", "https://blog.example.com/post/1"),),
        (
            ("Origin", "https://blog.example.com"),
            ("Sec-Fetch-Mode", "cors"),
            ("Sec-Fetch-Site", "cross-site"),
        ),
    ],
)
def test_an_admin_key_with_any_browser_signal_is_a_warning_without_a_fix(signals) -> None:
    request = PreparedRequest("GET", f"{SITE}/notifications.json", headers=(*ADMIN, *signals))
    [finding] = browser_findings(request)
    assert finding.severity is Severity.WARNING
    assert finding.fix is None  # removing the key is no repair
    assert finding.subject == "Api-Key"
    for name, _ in signals:
        assert name in finding.message  # says which headers gave the page away
    for point in ("browser", "anyone who opens the page", "act as any user", "CORS", "User API key"):
        assert point.lower() in finding.message.lower(), point
    assert "your own server" in finding.message


def test_the_same_key_from_a_server_side_script_is_fine() -> None:
    request = PreparedRequest(
        "GET", f"{SITE}/notifications.json", headers=(*ADMIN, ("User-Agent", "cron-job/1.0"))
    )
    assert browser_findings(request) == []
    assert lint_request(request) == []


def test_a_user_api_key_in_a_page_is_what_pages_should_use() -> None:
    request = PreparedRequest(
        "GET",
        f"{SITE}/notifications.json",
        headers=(("User-Api-Key", KEY), ("Origin", "https://blog.example.com"), ("Sec-Fetch-Mode", "cors")),
    )
    assert browser_findings(request) == []


def test_the_key_is_recognised_in_any_spelling_and_as_a_parameter() -> None:
    misspelt = PreparedRequest(
        "GET", f"{SITE}/latest.json", headers=(("api_key", KEY), ("api_username", "system"), ("Origin", "x"))
    )
    assert len(browser_findings(misspelt)) == 1
    in_body = PreparedRequest(
        "POST",
        f"{SITE}/posts.json",
        headers=(("Referer", "https://blog.example.com/"),),
        body=Body("form", fields=(("raw", "hi"), ("api_key", KEY), ("api_username", "system"))),
    )
    codes = [f.code for f in lint_request(in_body)]
    assert CODE in codes and "discourse-query-auth" in codes


def test_empty_values_and_disqus_requests_are_left_alone() -> None:
    empty_key = PreparedRequest("GET", f"{SITE}/latest.json", headers=(("Api-Key", ""), ("Origin", "x")))
    assert browser_findings(empty_key) == []
    empty_signal = PreparedRequest("GET", f"{SITE}/latest.json", headers=(*ADMIN, ("Origin", "")))
    assert browser_findings(empty_signal) == []
    disqus = PreparedRequest(
        "GET",
        "https://disqus.com/api/get_forum_list/",
        query=(("user_api_key", KEY), ("api_version", "1.1")),
        headers=(("Api-Key", KEY), ("Origin", "https://blog.example.com")),
    )
    assert browser_findings(disqus) == []
