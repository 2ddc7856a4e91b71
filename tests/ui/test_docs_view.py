"""The Docs tab renders the catalog's Markdown (inline code above all) instead of showing the backticks."""

from __future__ import annotations

from typing import Any

from explorer.core.catalog import load_bundled_catalogs
from explorer.core.catalog.model import Api
from explorer.ui.widgets.docs_view import DocsView, markdown_inline


def test_inline_markdown_becomes_rich_text_and_html_stays_text() -> None:
    assert markdown_inline("ids from `post_stream.stream`") == "ids from <code>post_stream.stream</code>"
    assert markdown_inline("**must** be *short*") == "<b>must</b> be <i>short</i>"
    assert markdown_inline("`a*b*c` and `x < y`") == "<code>a*b*c</code> and <code>x &lt; y</code>"
    assert markdown_inline("see [the guide](https://meta.discourse.org/t/1)") == (
        'see <a href="https://meta.discourse.org/t/1">the guide</a>'
    )
    assert markdown_inline("<script>x</script> snake_case_name") == (
        "&lt;script&gt;x&lt;/script&gt; snake_case_name"
    )
    assert markdown_inline("one\n\ntwo") == "one<br><br>two"


def test_the_docs_tab_shows_no_backticks(qtbot: Any) -> None:
    catalogs = load_bundled_catalogs()
    view = DocsView()
    qtbot.addWidget(view)
    for api, method_id in ((Api.DISCOURSE, "getSpecificPostsFromTopic"), (Api.DISCOURSE, "listLatestTopics")):
        method = catalogs[api].method(method_id)
        assert "`" in method.description + method.response
        view.set_method(method)
        text = view.toPlainText()
        assert "`" not in text
        assert "post_stream.stream" in text or "more_topics_url" in text
    codes = [f.text() for f in _code_fragments(view)]
    assert "more_topics_url" in codes  # shown in the fixed-pitch code style


def _code_fragments(view: DocsView) -> list[Any]:
    found = []
    block = view.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.isValid() and "monospace" in (fragment.charFormat().fontFamilies() or []):
                found.append(fragment)
            it += 1
        block = block.next()
    return found
