"""Reading a 429: Retry-After first, then Discourse's extras.wait_seconds, and the limit's error code."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from email.utils import format_datetime

from explorer.core.ratebudget import read_throttle
from tests.core.ratebudget_support import admin_request, answer, discourse_429


def test_a_success_is_no_throttle() -> None:
    assert read_throttle(answer(admin_request()).result) is None
    assert read_throttle(answer(admin_request(), 403, body={"errors": ["no"]}).result) is None


def test_retry_after_comes_before_wait_seconds_and_the_code_is_read() -> None:
    exchange = answer(
        admin_request(),
        429,
        {"Retry-After": "12", "Discourse-Rate-Limit-Error-Code": "admin_api_key_rate_limit"},
        {"error_type": "rate_limit", "extras": {"wait_seconds": 30}},
    )
    throttle = read_throttle(exchange.result)
    assert throttle is not None
    assert (throttle.wait_s, throttle.source, throttle.code) == (
        12.0,
        "Retry-After",
        "admin_api_key_rate_limit",
    )


def test_wait_seconds_when_a_proxy_dropped_retry_after() -> None:
    throttle = read_throttle(discourse_429(admin_request(), 7, retry_after=False).result)
    assert throttle is not None and (throttle.wait_s, throttle.source) == (7.0, "extras.wait_seconds")


def test_an_unreadable_retry_after_falls_back_to_the_body() -> None:
    exchange = answer(admin_request(), 429, {"Retry-After": "soon"}, {"extras": {"wait_seconds": 4}})
    throttle = read_throttle(exchange.result)
    assert throttle is not None and throttle.wait_s == 4.0


def test_retry_after_as_an_http_date() -> None:
    wall = datetime(2026, 12, 2, 12, 0, 0, tzinfo=UTC).timestamp()
    later = format_datetime(datetime(2026, 12, 2, 12, 0, 45, tzinfo=UTC), usegmt=True)
    exchange = answer(admin_request(), 429, {"Retry-After": later})
    throttle = read_throttle(exchange.result, wall_clock=lambda: wall)
    assert throttle is not None and throttle.wait_s == 45.0


def test_the_plain_text_middleware_answer() -> None:
    text = "Slow down, too many requests from this IP address.\nPlease retry again in 9 seconds.\n"
    exchange = answer(
        admin_request(),
        429,
        {"Retry-After": "9", "Discourse-Rate-Limit-Error-Code": "ip_10_secs_limit"},
        text=text,
    )
    throttle = read_throttle(exchange.result)
    assert throttle is not None and (throttle.wait_s, throttle.code) == (9.0, "ip_10_secs_limit")


def test_a_429_that_says_nothing_has_no_wait() -> None:
    throttle = read_throttle(answer(admin_request(), 429, text="Too Many Requests").result)
    assert throttle is not None and throttle.wait_s is None and throttle.code is None


def test_odd_waits_are_bounded_or_ignored() -> None:
    negative = read_throttle(answer(admin_request(), 429, {"Retry-After": "-5"}).result)
    assert negative is not None and negative.wait_s == 0.0
    endless = read_throttle(answer(admin_request(), 429, {"Retry-After": "1e12"}).result)
    assert endless is not None and endless.wait_s == 7 * 86400.0
    boolean = read_throttle(answer(admin_request(), 429, body={"extras": {"wait_seconds": True}}).result)
    assert boolean is not None and boolean.wait_s is None


def test_the_sandboxs_disqus_429_gives_its_retry_after() -> None:
    envelope = {
        "succeeded": False,
        "code": "rate-limited",
        "message": "Too many requests. Retry after 10 seconds.",
    }
    request = replace(admin_request(), headers=(), api="disqus")
    throttle = read_throttle(answer(request, 429, {"Retry-After": "10"}, envelope).result)
    assert throttle is not None and (throttle.wait_s, throttle.code) == (10.0, None)
