"""The editor while the app starts: a selected method shows its URL before any profile (base URL) is known."""

from __future__ import annotations

from typing import Any

from explorer.core.catalog import load_bundled_catalogs
from explorer.core.catalog.model import Api
from explorer.ui.widgets.request_editor import RequestEditor


def test_the_url_box_shows_the_methods_path_while_the_sandbox_starts(qtbot: Any) -> None:
    catalogs = load_bundled_catalogs()
    editor = RequestEditor(lambda: catalogs)
    qtbot.addWidget(editor)
    # As the app starts: the method is chosen before the editor's first paint and before any profile.
    editor.set_method(catalogs[Api.DISCOURSE].method("getTopic"))
    assert editor.target is None and not editor.painted
    assert editor.url_edit.text() == "/t/{id}.json"  # at once, not the "choose a method" placeholder
    editor.show()
    qtbot.waitUntil(lambda: editor.painted)
    editor.refresh()
    assert editor.url_edit.text() == "/t/{id}.json"  # the builder's preview, still without a base URL
    editor.form.fields["id"].set_value("7")
    editor.refresh()
    assert editor.url_edit.text() == "/t/7.json"
