"""The status bar's rate budget meter, and the window's sends paced and (optionally) retried after a 429;
the pacer's waits run on a fake clock, awaited on the window's loop."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

import httpx

from explorer.core.ratebudget import BudgetKey, Limit, RateBudget, Throttle
from explorer.core.settings import Settings
from explorer.sandbox.demo import DemoCredentials
from explorer.ui.widgets.budget_meter import BudgetMeter
from tests.core.ratebudget_support import FakeClock
from tests.ui.conftest import signal_future

DEMO = DemoCredentials(url="http://127.0.0.1:9")  # profiles only: the transport answers
SEND_TIMEOUT_S = 20


def _budget(site: str = "http://127.0.0.1:9", allowed: int = 60) -> RateBudget:
    return RateBudget(
        BudgetKey("discourse", site, "api_key"), [Limit(allowed, 60.0, "admin_api_key_rate_limit")]
    )


# -- the widget ---------------------------------------------------------------------------------------------


def test_the_meter_shows_used_of_allowed_and_explains_itself(qtbot: Any) -> None:
    clock = FakeClock()
    meter = BudgetMeter(clock)
    qtbot.addWidget(meter)
    assert meter.isHidden()  # no budget yet: nothing to say
    budget = _budget()
    meter.show_budget(budget)
    assert meter.text() == "0 / 60 a minute" and not meter.isHidden() and not meter.ticking
    budget.record(clock())
    meter.changed(budget)
    assert meter.text() == "1 / 60 a minute" and meter.ticking  # the request will slide out of the window
    assert "admin API keys of 127.0.0.1:9" in meter.toolTip()
    assert "Every admin API key of this site shares this budget." in meter.toolTip()
    clock.advance(61)
    meter.refresh()
    assert meter.text() == "0 / 60 a minute" and not meter.ticking
    meter.show_budget(None)
    assert meter.isHidden()


def test_a_429_shows_what_was_learned(qtbot: Any) -> None:
    clock = FakeClock()
    meter = BudgetMeter(clock)
    qtbot.addWidget(meter)
    budget = _budget()
    meter.show_budget(budget)
    for _ in range(6):
        budget.record(clock())
    budget.learn(Throttle(60.0, "Retry-After", "admin_api_key_rate_limit"), clock(), clock())
    meter.changed(budget)
    assert meter.text() == "5 / 5 a minute · rate limited for 1 min"
    assert "the server allows about 5 a minute" in meter.toolTip()
    assert "lowered after a 429" in meter.toolTip()


def test_a_wait_for_another_budget_is_shown_until_it_ends(qtbot: Any) -> None:
    clock = FakeClock()
    meter = BudgetMeter(clock)
    qtbot.addWidget(meter)
    mine, other = _budget(), _budget("https://elsewhere.example.com", allowed=1)
    meter.show_budget(mine)
    other.record(clock())
    meter.changed(other)
    assert meter.text() == "0 / 60 a minute"  # another budget's send is not this profile's
    other.waiting(clock() + 12)
    meter.changed(other)
    assert meter.text() == "waiting 12 s for the rate limit" and meter.ticking
    assert "another budget than the profile's" in meter.toolTip()
    clock.advance(5)
    meter.refresh()
    assert meter.text() == "waiting 7 s for the rate limit"
    other.waiting(None)
    meter.changed(other)
    assert meter.text() == "0 / 60 a minute"


# -- in the window ------------------------------------------------------------------------------------------


class Server:
    """An httpx transport answering 429 (Retry-After 12) to the first `refusals` requests, then 200."""

    def __init__(self, refusals: int = 0) -> None:
        self.refusals = refusals
        self.seen = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen += 1
        if self.seen <= self.refusals:
            body = {"errors": ["too many"], "error_type": "rate_limit", "extras": {"wait_seconds": 12}}
            headers = {"Retry-After": "12", "Discourse-Rate-Limit-Error-Code": "admin_api_key_rate_limit"}
            return httpx.Response(429, json=body, headers=headers)
        return httpx.Response(200, json={"topic_list": {"topics": []}})


def _window(make_window: Any, server: Server, settings: Settings | None = None) -> tuple[Any, FakeClock]:
    window = make_window(demo=DEMO, transport=httpx.MockTransport(server), settings=settings or Settings())
    clock = FakeClock()
    seen: list[str] = []

    async def sleep(seconds: float) -> None:
        # The meter and the status bar as they are during the wait; then the loop runs on, as a real wait.
        seen.append(window.rate_budget.meter.text())
        seen.append(window.statusBar().currentMessage())
        clock.sleeps.append(seconds)
        clock.advance(seconds)
        await asyncio.sleep(0)

    pacer = window.rate_budget.pacer
    pacer.clock, pacer.sleep = clock, sleep
    clock.seen = seen  # type: ignore[attr-defined]
    window.rate_budget.follow_profile()
    return window, clock


def _send(qloop: Any, window: Any) -> Any:
    async def go() -> Any:
        shown = signal_future(window.response_shown)
        assert window.send()
        (result,) = await asyncio.wait_for(shown, SEND_TIMEOUT_S)
        return result

    return qloop.run_until_complete(go())


def test_the_window_meter_counts_the_active_profiles_sends(qtbot: Any, qloop: Any, make_window: Any) -> None:
    server = Server()
    window, _clock = _window(make_window, server)
    meter = window.rate_budget.meter
    assert window.active_profile() is not None
    assert meter.text() == "0 / 60 a minute" and meter.isVisible()
    assert _send(qloop, window).status == 200
    assert meter.text() == "1 / 60 a minute"
    assert window.rate_budget.pacer in window.controller.observers


def test_a_429_is_shown_when_retrying_is_off(qtbot: Any, qloop: Any, make_window: Any) -> None:
    server = Server(refusals=1)
    window, clock = _window(make_window, server)
    assert _send(qloop, window).status == 429
    assert server.seen == 1 and clock.sleeps == []
    assert window.rate_budget.meter.text() == "0 / 60 a minute · rate limited for 12 s"


def test_with_retry_once_the_window_waits_the_servers_time_then_sends_again(
    qtbot: Any, qloop: Any, make_window: Any
) -> None:
    server = Server(refusals=1)
    window, clock = _window(make_window, server, replace(Settings(), rate_retry_once=True))
    assert _send(qloop, window).status == 200
    assert server.seen == 2
    assert clock.sleeps == [12.0]  # the server's Retry-After, not a backoff of our own
    meter_text, message = clock.seen  # type: ignore[attr-defined]
    assert meter_text == "waiting 12 s for the rate limit"
    assert message == "HTTP 429: waiting 12 s for the rate limit, then sending once more"
    assert window.rate_budget.meter.text() == "1 / 60 a minute"


def test_a_second_429_is_shown_not_retried_again(qtbot: Any, qloop: Any, make_window: Any) -> None:
    server = Server(refusals=5)
    window, clock = _window(make_window, server, replace(Settings(), rate_retry_once=True))
    assert _send(qloop, window).status == 429
    assert server.seen == 2 and clock.sleeps == [12.0]


def test_new_limits_from_the_settings_show_when_the_window_is_back(
    qtbot: Any, qloop: Any, make_window: Any
) -> None:
    window, _clock = _window(make_window, Server())
    window.services.apply_settings(replace(window.services.settings, rate_admin_per_minute=30), save=False)
    window.rate_budget.follow_profile()
    assert window.rate_budget.meter.text() == "0 / 30 a minute"


def test_the_settings_dialog_edits_the_limits_and_the_retry(qtbot: Any, make_window: Any) -> None:
    from explorer.ui.widgets.settings_dialog import SettingsDialog

    window, _clock = _window(make_window, Server())
    dialog = SettingsDialog(window.services, window)
    qtbot.addWidget(dialog)
    assert not dialog.retry_once.isChecked()
    spins = {name: spin for name, (_label, spin) in dialog._rate_rows.items()}
    assert {name: spin.value() for name, spin in spins.items()} == {
        "rate_admin_per_minute": 60,
        "rate_user_api_per_minute": 20,
        "rate_user_api_per_day": 2880,
        "rate_disqus_per_hour": 1000,
    }
    spins["rate_admin_per_minute"].setValue(25)
    dialog.retry_once.setChecked(True)
    dialog.accept()
    settings = window.services.settings
    assert (settings.rate_admin_per_minute, settings.rate_retry_once) == (25, True)
    window.rate_budget.follow_profile()
    assert window.rate_budget.meter.text() == "0 / 25 a minute"
