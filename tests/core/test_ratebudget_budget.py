"""The budget model: keys shared per site and kind of key, defaults from settings, sliding windows,
spreading, and corrections learned from 429s."""

from __future__ import annotations

from dataclasses import replace

import pytest

from explorer.core.catalog.loader import load_bundled_catalogs
from explorer.core.catalog.model import Api
from explorer.core.lifecycle import RequestSpec, prepare, target_for_profile
from explorer.core.prepared import Body, PreparedRequest
from explorer.core.profiles import Profile
from explorer.core.ratebudget import (
    BudgetBook,
    BudgetKey,
    Limit,
    RateBudget,
    Throttle,
    budget_for,
    default_limits,
    duration,
    key_for_profile,
    key_for_request,
    meter_text,
    tooltip_text,
)
from explorer.core.settings import Settings
from tests.core.ratebudget_support import SITE, admin_request, user_api_request

CATALOGS = load_bundled_catalogs()
ADMIN = BudgetKey("discourse", SITE, "api_key")


def _budget(
    allowed: int = 60, window: float = 60.0, code: str | None = "admin_api_key_rate_limit"
) -> RateBudget:
    return RateBudget(ADMIN, [Limit(allowed, window, code)])


# -- keys ---------------------------------------------------------------------------------------------------


def test_every_admin_key_of_a_site_shares_one_budget_and_sites_do_not() -> None:
    book = BudgetBook(Settings)
    one = book.for_request(admin_request())
    other_key = replace(admin_request(), headers=(("Api-Key", "c" * 64), ("Api-Username", "alice")))
    assert book.for_request(other_key) is one
    assert book.for_request(admin_request(site="https://FORUM.example.com")) is one
    assert book.for_request(admin_request(site="https://other.example.com")) is not one
    assert book.for_request(user_api_request()) is not one


def test_user_api_keys_are_told_apart_by_client_never_by_the_key() -> None:
    key = key_for_request(user_api_request("bot-1"))
    assert key == BudgetKey("discourse", SITE, "user_api_key", "bot-1")
    assert key_for_request(user_api_request("bot-2")) != key
    assert "b" * 32 not in repr(key)


def test_disqus_keys_in_the_query_or_the_form_body() -> None:
    base = "http://127.0.0.1:8080/disqus/api"
    get = PreparedRequest("GET", f"{base}/get_forum_list/", query=(("user_api_key", "k" * 64),), api="disqus")
    post = PreparedRequest(
        "POST", f"{base}/create_post/", body=Body("form", fields=(("forum_api_key", "f" * 64),)), api="disqus"
    )
    bare = PreparedRequest("GET", f"{base}/get_forum_list/", api="disqus")
    assert (
        key_for_request(get) == key_for_request(post) == BudgetKey("disqus", "http://127.0.0.1:8080", "keys")
    )
    assert key_for_request(bare).kind == "none"
    assert default_limits(key_for_request(get), Settings()) == (Limit(1000, 3600.0),)


@pytest.mark.parametrize(
    ("api", "kind", "fields", "secrets", "method"),
    [
        (Api.DISCOURSE, "api_key", {"api_username": "system"}, {"api_key": "a" * 64}, "listLatestTopics"),
        (
            Api.DISCOURSE,
            "user_api_key",
            {"user_api_client_id": "bot"},
            {"user_api_key": "b" * 32},
            "listLatestTopics",
        ),
        (Api.DISCOURSE, "none", {}, {}, "listLatestTopics"),
        (Api.DISQUS, "keys", {}, {"user_api_key": "k" * 64}, "get_forum_list"),
    ],
)
def test_a_profile_and_the_requests_it_makes_share_the_key(
    api: Api, kind: str, fields: dict[str, str], secrets: dict[str, str], method: str
) -> None:
    profile = Profile("Forum", api, f"{SITE}/community", kind, fields)
    target = target_for_profile(profile, secrets)
    prepared = prepare(RequestSpec(api=api.value, method_id=method), CATALOGS, target)
    assert prepared.request is not None, prepared.errors
    assert key_for_request(prepared.request) == key_for_profile(profile)
    assert budget_for(profile, Settings()).key == key_for_profile(profile)


def test_the_defaults_come_from_the_settings() -> None:
    settings = Settings(rate_admin_per_minute=30, rate_user_api_per_minute=5, rate_user_api_per_day=100)
    assert default_limits(ADMIN, settings) == (Limit(30, 60.0, "admin_api_key_rate_limit"),)
    user = default_limits(key_for_request(user_api_request()), settings)
    assert [(limit.allowed, limit.window_s) for limit in user] == [(5, 60.0), (100, 86400.0)]
    assert [limit.allowed for limit in default_limits(ADMIN, Settings())] == [60]


def test_a_changed_setting_applies_and_what_was_learned_stays() -> None:
    current = [Settings()]
    book = BudgetBook(lambda: current[0])
    budget = book.for_key(ADMIN)
    for moment in range(5):
        budget.record(float(moment))
    budget.learn(Throttle(55.0, "Retry-After", "admin_api_key_rate_limit"), 5.0, 5.0)
    assert budget.status(5.0).main.allowed == 5
    current[0] = Settings(rate_admin_per_minute=120)
    assert book.for_key(ADMIN) is budget
    status = budget.status(5.0).main
    assert (status.allowed, status.default) == (5, 120)


# -- the sliding window and spreading -------------------------------------------------------------


def test_half_the_budget_goes_at_once_then_requests_are_spread() -> None:
    budget = _budget(allowed=10, window=60.0)
    for _ in range(4):
        budget.record(0.0)
    assert budget.delay(0.0) == 0.0
    budget.record(0.0)  # 5 of 10: from here on, one every 6 s
    assert budget.delay(0.0) == pytest.approx(6.0)
    assert budget.delay(6.0) == 0.0


def test_a_full_window_waits_for_its_oldest_request_to_leave() -> None:
    budget = _budget(allowed=3, window=60.0)
    for moment in (0.0, 20.0, 40.0):
        budget.record(moment)
    assert budget.used(45.0) == 3
    assert budget.delay(45.0) == pytest.approx(15.0)
    assert budget.used(60.0) == 2 and budget.delay(60.0) == 0.0


def test_the_tightest_of_several_windows_decides() -> None:
    budget = RateBudget(BudgetKey("discourse", SITE, "user_api_key"), [Limit(20, 60.0), Limit(3, 86400.0)])
    for moment in (0.0, 1.0, 2.0):
        budget.record(moment)
    assert budget.delay(120.0) == pytest.approx(86400.0 - 120.0)
    assert budget.status(120.0).main.window_s == 86400.0  # the meter shows the limit that ran out


# -- learning from 429s -----------------------------------------------------------------------------------


def test_a_429_sooner_than_the_limit_lowers_it_and_the_refused_request_is_not_counted() -> None:
    budget = _budget(allowed=60)
    for moment in range(6):
        budget.record(float(moment))
    # Five went through since 0 s, the sixth was refused; the server's wait ends when the first leaves.
    wait = budget.learn(Throttle(55.0, "Retry-After", "admin_api_key_rate_limit"), 5.0, 5.5)
    assert wait == 55.0
    status = budget.status(5.5)
    assert (status.main.used, status.main.allowed, status.main.default) == (5, 5, 60)
    assert budget.delay(5.5) == pytest.approx(55.0)
    assert "allows about 5 a minute" in status.lessons[0] and "Retry-After 55 s" in status.lessons[0]


def test_a_shorter_wait_than_counted_means_others_share_the_budget() -> None:
    budget = _budget(allowed=60)
    for moment in range(6):
        budget.record(float(moment))
    wait = budget.learn(Throttle(12.0, "Retry-After", "admin_api_key_rate_limit"), 5.0, 5.5)
    status = budget.status(5.5)
    assert (wait, status.main.allowed) == (12.0, 60)
    assert budget.delay(5.5) == pytest.approx(12.0)  # the server's wait, not a guess
    assert "other keys or programs" in status.lessons[0]


def test_a_429_without_a_wait_waits_for_the_window_to_clear_not_a_fixed_time() -> None:
    budget = _budget(allowed=60)
    for moment in (10.0, 20.0, 30.0):
        budget.record(moment)
    wait = budget.learn(Throttle(None, "", "admin_api_key_rate_limit"), 30.0, 31.0)
    assert wait == pytest.approx(10.0 + 60.0 - 31.0)


def test_the_day_code_corrects_the_day_limit() -> None:
    budget = RateBudget(
        BudgetKey("discourse", SITE, "user_api_key"),
        default_limits(key_for_request(user_api_request()), Settings()),
    )
    for moment in range(4):
        budget.record(float(moment * 100))
    budget.learn(Throttle(86099.0, "Retry-After", "user_api_key_limiter_1_day"), 300.0, 301.0)
    allowed = {limit.window_s: limit.allowed for limit in budget.status(301.0).limits}
    assert allowed == {60.0: 20, 86400.0: 3}


def test_a_limit_the_defaults_do_not_know_is_discovered_from_its_code() -> None:
    budget = _budget(allowed=60)
    for moment in (0.0, 1.0, 2.0):
        budget.record(moment)
    budget.learn(Throttle(8.0, "Retry-After", "ip_10_secs_limit"), 2.0, 2.0)
    windows = {limit.window_s: limit.allowed for limit in budget.status(2.0).limits}
    assert windows == {60.0: 60, 10.0: 2}
    budget.set_defaults([Limit(90, 60.0, "admin_api_key_rate_limit")])
    assert {limit.window_s for limit in budget.status(2.0).limits} == {60.0, 10.0}


def test_listeners_hear_every_change() -> None:
    budget = _budget()
    heard: list[RateBudget] = []
    stop = budget.subscribe(heard.append)
    budget.record(0.0)
    budget.waiting(5.0)
    budget.learn(Throttle(1.0, "Retry-After"), 0.0, 0.0)
    stop()
    budget.record(1.0)
    assert heard == [budget, budget, budget]


# -- in words -----------------------------------------------------------------------------------------------


def test_the_meter_and_its_tooltip() -> None:
    budget = _budget(allowed=60)
    for moment in range(12):
        budget.record(float(moment))
    assert meter_text(budget.status(12.0)) == "12 / 60 a minute"
    tip = tooltip_text(budget.status(12.0))
    assert "admin API keys of forum.example.com" in tip and "shares this budget" in tip
    assert "Nothing learned" in tip
    budget.waiting(24.0)
    assert meter_text(budget.status(12.0)) == "waiting 12 s for the rate limit"
    budget.waiting(None)
    budget.learn(Throttle(48.0, "Retry-After", "admin_api_key_rate_limit"), 11.0, 12.0)
    assert meter_text(budget.status(12.0)) == "11 / 11 a minute · rate limited for 48 s"
    assert "lowered after a 429" in tooltip_text(budget.status(12.0))


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (0, "0 s"),
        (0.2, "1 s"),
        (12, "12 s"),
        (60, "1 min"),
        (125, "2 min 5 s"),
        (3600, "1 h"),
        (11520, "3 h 12 min"),
    ],
)
def test_durations(seconds: float, words: str) -> None:
    assert duration(seconds) == words
