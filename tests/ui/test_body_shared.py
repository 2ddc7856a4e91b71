"""Every real Discourse and Disqus response in ../shared opens in the viewer without error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from explorer.core.jsontree.paths import jq_path
from explorer.core.jsontree.search import Search
from explorer.ui.body import BodyView, open_file_in_viewer


def _response_files(shared_dir: Path) -> list[Path]:
    reference = shared_dir / "reference"
    files = sorted((reference / "discourse" / "responses").glob("*.json"))
    files += sorted(p for p in (reference / "disqus").rglob("*") if p.is_file() and p.suffix != ".md")
    return files


@pytest.fixture
def view(qtbot: Any) -> BodyView:
    widget = BodyView()
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    widget.show()
    return widget


@pytest.mark.shared
def test_every_real_response_opens(shared_dir: Path, view: BodyView) -> None:
    files = _response_files(shared_dir)
    assert len(files) >= 26
    opened_as_json = 0
    for path in files:
        open_file_in_viewer(path, view=view)
        assert view.message.isHidden(), f"{path.name}: {view.message.text()}"
        assert view.tabs.count() >= 1, path.name
        if view.kind == "json":
            opened_as_json += 1
            json_view = view.json_view
            json_view.expand_to_depth(4)
            root = json_view.model.root
            # Every first-level row has a JSONPath/jq path that jq itself understands.
            for child in root.children[:20]:
                assert jq_path(child.path())
            Search(root.value, "id").run()
            view.tabs.setCurrentIndex(view.tabs.count() - 1)  # fill the raw tab too
            assert view.raw_view.text()
        view.clear()
    assert opened_as_json >= 26


@pytest.mark.shared
def test_discourse_topic_cooked_is_rendered(shared_dir: Path, view: BodyView) -> None:
    path = shared_dir / "reference" / "discourse" / "responses" / "topics_topic_response.json"
    if not path.is_file():
        pytest.skip("topics_topic_response.json not in this copy of ../shared")
    open_file_in_viewer(path, view=view)
    json_view = view.json_view
    assert json_view.select_path(("post_stream", "posts", 0, "cooked"))
    assert json_view.detail.currentWidget() is json_view.detail.html
    assert "<" not in json_view.detail.shown_text()[:200]
