"""Production and read-only profiles in the window: the band, coloured tabs, the question, the refusal."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

import httpx

from explorer.core.catalog.model import Api
from explorer.core.lifecycle import BodySpec, RequestSpec
from explorer.core.profiles import Profile
from explorer.core.profiles.model import PRODUCTION_COLOUR
from explorer.sandbox.demo import DemoCredentials
from tests.ui.conftest import signal_future
from tests.ui.test_window_sending import Recorder

DEMO = DemoCredentials(url="http://127.0.0.1:9")  # the sandbox profiles only: nothing is sent there
SITE = "https://forum.example.com"
WRITE = RequestSpec(api="discourse", verb="POST", url="/posts.json", body=BodySpec("json", '{"raw": "Hi"}'))


def _use(window: Any, **guards: Any) -> Profile:
    live = Profile(name="Live forum", api=Api.DISCOURSE, base_url=SITE, **guards)
    profile = window.services.profiles.save(live)
    window.load_profiles()
    window.choose_profile(profile.id)
    return profile


def _send_and_wait(qloop: Any, window: Any) -> Any:
    async def scenario() -> Any:
        done = signal_future(window.response_shown)
        assert window.send()
        return (await asyncio.wait_for(done, 10))[0]

    return qloop.run_until_complete(scenario())


def test_a_read_only_profile_refuses_writes_before_anything_is_sent(
    qtbot: Any, qloop: Any, make_window: Any
) -> None:
    recorder = Recorder()
    window = make_window(demo=DEMO, transport=httpx.MockTransport(recorder))
    _use(window, read_only=True)
    window.request_tabs.new_tab(WRITE)
    asked: list[str] = []
    window.editor.confirm_production = lambda question: asked.append(question) is None

    assert window.send() is False
    qloop.run_until_complete(asyncio.sleep(0))
    assert recorder.requests == [] and asked == []
    message = window.statusBar().currentMessage()
    assert message.startswith("Not sent") and "read-only" in message and SITE in message

    window.browser.select_method("discourse:listLatestTopics")  # reading is fine
    assert _send_and_wait(qloop, window).status == 200
    assert [str(r.url) for r in recorder.requests] == [f"{SITE}/latest.json"]


def test_a_production_profile_asks_before_a_write_and_names_the_site(
    qtbot: Any, qloop: Any, make_window: Any
) -> None:
    recorder = Recorder()
    window = make_window(demo=DEMO, transport=httpx.MockTransport(recorder))
    _use(window, production=True)
    window.request_tabs.new_tab(WRITE)
    asked: list[str] = []
    answer = {"send": False}
    window.editor.confirm_production = lambda question: asked.append(question) is None and answer["send"]

    assert window.send() is False  # declined: nothing leaves
    qloop.run_until_complete(asyncio.sleep(0))
    assert recorder.requests == []
    assert len(asked) == 1 and SITE in asked[0] and "Live forum" in asked[0] and "POST" in asked[0]

    answer["send"] = True
    assert _send_and_wait(qloop, window).status == 200
    assert len(asked) == 2 and [r.method for r in recorder.requests] == ["POST"]

    window.browser.select_method("discourse:listLatestTopics")  # a read asks nothing
    _send_and_wait(qloop, window)
    assert len(asked) == 2


def test_the_band_and_the_tabs_show_the_production_colour(qtbot: Any, make_window: Any) -> None:
    window = make_window(demo=DEMO)
    band = window.production_band
    tabs = window.request_tabs
    assert not band.isVisible()  # the sandbox is never production
    assert not tabs.bar.tabTextColor(0).isValid()

    live = _use(window, production=True, colour="#7d3c98")
    assert band.isVisible()
    assert band.label.text() == "PRODUCTION — forum.example.com"
    assert "#7d3c98" in band.label.styleSheet() and "Live forum" in band.label.toolTip()
    assert tabs.bar.tabTextColor(0).name() == "#7d3c98"
    assert "production" in tabs.bar.tabToolTip(0)

    # A Disqus tab uses the Disqus profile (the sandbox): not coloured, and the band follows the tab.
    tabs.new_tab(RequestSpec(api="disqus", verb="GET", url="/api/get_forum_list/"))
    assert not band.isVisible()
    assert not tabs.bar.tabTextColor(1).isValid() and tabs.bar.tabTextColor(0).name() == "#7d3c98"
    tabs.bar.setCurrentIndex(0)
    assert band.isVisible()

    sandbox = next(p for p in window.services.profiles.list() if p.sandbox and p.api == Api.DISCOURSE)
    window.choose_profile(sandbox.id)
    assert not band.isVisible() and not tabs.bar.tabTextColor(0).isValid()

    window.services.profiles.save(replace(live, colour=None))
    window.load_profiles()
    window.choose_profile(live.id)
    assert band.isVisible() and PRODUCTION_COLOUR in band.label.styleSheet()

