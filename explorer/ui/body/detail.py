"""The detail pane under the tree: the whole selected value, HTML strings shown as rendered text."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QStackedWidget, QTextBrowser, QWidget

from explorer.core.jsontree.nodes import STRING, Node, scalar_text, summary
from explorer.core.jsontree.serialise import SizeLimitExceeded, to_json

DETAIL_LIMIT = 2_000_000  # characters of a container rendered as JSON text in the pane

_HTML_HINT = re.compile(r"<(p|div|a|br|img|aside|blockquote|pre|code|span|ul|ol|li|h[1-6]|em|strong)\b", re.I)
HTML_KEYS = frozenset({"cooked", "excerpt", "bio_cooked", "description", "raw_html", "message", "html"})


def looks_like_html(key: object, text: str) -> bool:
    """Discourse `cooked` and friends: a known HTML key, or a string that starts with a block tag."""
    if not text or "<" not in text:
        return False
    if isinstance(key, str) and key in HTML_KEYS:
        return True
    return bool(_HTML_HINT.match(text.lstrip()))


class DetailPane(QStackedWidget):
    """Plain text for values and JSON, a browser (no remote loads) for HTML strings."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QTextBrowser(self)
        self.text.setLineWrapMode(QTextBrowser.LineWrapMode.WidgetWidth)
        self.html = QTextBrowser(self)
        self.html.setOpenLinks(False)  # a click must never navigate inside the viewer
        self.addWidget(self.text)
        self.addWidget(self.html)

    def show_node(self, node: Node | None) -> None:
        if node is None:
            self.text.setPlainText("")
            self.setCurrentWidget(self.text)
            return
        if node.kind == STRING and looks_like_html(node.key, node.value):
            self.html.setHtml(node.value)
            self.setCurrentWidget(self.html)
            return
        if node.is_container:
            try:
                content = to_json(node.value, indent=2, limit=DETAIL_LIMIT)
            except SizeLimitExceeded:
                content = f"{summary(node.value)} — too large to show here; use Copy subtree as JSON."
        else:
            content = scalar_text(node.value)
        self.text.setPlainText(content)
        self.setCurrentWidget(self.text)

    def shown_text(self) -> str:
        """What the pane currently shows, as plain text (rendered HTML loses its tags)."""
        widget = self.currentWidget()
        return widget.toPlainText() if isinstance(widget, QTextBrowser) else ""
