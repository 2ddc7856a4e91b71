"""`explorer --screenshot … --tab table|collections`: the Body's Table tab or the sidebar's Collections tab
in front for the picture; a Table tab the response has none of is a usage error, named."""

from __future__ import annotations

from typing import Any

from explorer.sandbox.demo import DemoCredentials
from explorer.ui.app import show_screenshot_tab
from tests.ui.conftest import signal_future
from tests.ui.test_window_cli import _explorer


def test_table_and_collections_tabs_come_to_the_front(
    qloop: Any, make_window: Any, sandbox_server: DemoCredentials
) -> None:
    window = make_window(demo=sandbox_server)
    assert show_screenshot_tab(window, "table") is not None  # no response yet: no table to show
    shown = signal_future(window.response_shown)
    assert window.send()  # listLatestTopics: topics, an array of objects
    qloop.run_until_complete(shown)
    assert show_screenshot_tab(window, "table") is None
    body = window.response.body_view
    assert window.response.tabs.currentWidget() is window.response.body_holder
    assert body.tabs.currentWidget() is body.table_view
    assert show_screenshot_tab(window, "collections") is None
    assert window.history.sidebar.currentWidget() is window.collections.panel
    assert show_screenshot_tab(window, "explain") is None
    assert window.response.tabs.tabText(window.response.tabs.currentIndex()) == "Explain"


def test_the_command_line_takes_tab_table(tmp_path: Any) -> None:
    shot = tmp_path / "table.png"
    args = ("--method", "discourse:listLatestTopics", "--send", "--tab", "table")
    done = _explorer("--screenshot", str(shot), *args, home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert shot.is_file() and "Traceback" not in done.stderr
