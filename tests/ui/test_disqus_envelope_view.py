"""A Disqus 1.1 envelope in the viewer: the tree's root is its message, a badge shows code and succeeded."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from PySide6.QtGui import QGuiApplication

from explorer.sandbox.demo import DISQUS_USER_API_KEY, DemoCredentials
from explorer.ui.body import BodyView


@pytest.fixture
def view(qtbot: Any) -> BodyView:
    widget = BodyView()
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    return widget


def _sandbox_body(credentials: DemoCredentials, method: str, **params: str) -> httpx.Response:
    params = {"api_version": "1.1", **params}
    return httpx.get(f"{credentials.disqus_base_url}/api/{method}/", params=params, timeout=30)


def test_a_sandbox_post_list_opens_on_its_message_with_the_envelope_badge(
    view: BodyView, sandbox_server: DemoCredentials
) -> None:
    answer = _sandbox_body(sandbox_server, "get_forum_posts", forum_id=sandbox_server.disqus_forum_id,
                           user_api_key=DISQUS_USER_API_KEY)
    assert answer.status_code == 200
    view.show_body(answer.content, answer.headers["content-type"], table_key="disqus:get_forum_posts")
    posts = answer.json()["message"]
    model = view.json_view.model
    assert model is not None and model.root.kind == "array" and model.root.count == len(posts)
    assert not view.envelope_bar.isHidden()
    assert view.envelope_bar.badge.text() == "code ok · succeeded true"
    # Paths copied from the tree are paths in the body the server sent.
    assert view.json_view.select_path((0, "id"))
    view.json_view.copy_jsonpath()
    assert QGuiApplication.clipboard().text() == "$.message[0].id"
    # The table finds the same posts, with nested columns such as author.username.
    view.tabs.setCurrentWidget(view.table_view)
    table = view.table_view
    assert table.array_combo.currentText().startswith("$.message (")
    assert ("author", "username") in table.model.columns  # type: ignore[union-attr]


def test_show_envelope_puts_the_whole_object_in_the_tree_and_back(view: BodyView) -> None:
    body = {"succeeded": True, "code": "ok", "message": {"id": "1001", "name": "Sandbox Forum"}}
    view.show_body(json.dumps(body).encode(), "application/json")
    assert view.json_view.model.root.value == body["message"]  # type: ignore[union-attr]
    view.envelope_bar.button.click()
    assert view.json_view.model.root.value == body  # type: ignore[union-attr]
    assert view.envelope_bar.button.text() == "Show message only"
    assert view.json_view.select_path(("code",))
    view.json_view.copy_jsonpath()
    assert QGuiApplication.clipboard().text() == "$.code"
    view.envelope_bar.button.click()
    assert view.json_view.model.root.value == body["message"]  # type: ignore[union-attr]
    # The next response starts on its message again.
    view.envelope_bar.button.click()
    view.show_body(json.dumps(body).encode(), "application/json")
    assert view.json_view.model.root.value == body["message"]  # type: ignore[union-attr]
    assert not view.envelope_bar.button.isChecked()


def test_a_failed_call_shows_its_error_text_under_a_failure_badge(
    view: BodyView, sandbox_server: DemoCredentials
) -> None:
    answer = _sandbox_body(sandbox_server, "get_forum_list", user_api_key="BAD")
    assert answer.status_code == 400
    view.show_body(answer.content, answer.headers["content-type"])
    assert view.envelope_bar.badge.text() == "code input-invalid · succeeded false"
    assert view.json_view.model.root.value.startswith("user_api_key BAD")  # type: ignore[union-attr]
    assert view.tabs.indexOf(view.table_view) == -1  # no array of objects: no Table tab


def test_other_bodies_are_shown_whole_without_a_badge(view: BodyView) -> None:
    for body in ({"message": "hi", "code": "ok"}, {"errors": ["Not found"], "error_type": "not_found"},
                 {"succeeded": True, "code": "ok", "message": [], "cursor": {}}):
        view.show_body(json.dumps(body).encode(), "application/json")
        assert view.envelope_bar.isHidden()
        assert view.json_view.model.root.value == body  # type: ignore[union-attr]
        assert view.json_view.path_prefix == ()
