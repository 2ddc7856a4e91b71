"""The detail pane under the tree: the whole selected value, HTML strings shown as rendered text."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QStackedWidget, QTextBrowser, QWidget

from explorer.core.jsontree.nodes import STRING, Node, scalar_text, summary
from explorer.core.jsontree.serialise import iter_json

# Characters of a container rendered as JSON in the pane. Serialising is done in Python, so this bounds
# the cost of selecting a row (selecting the root of a 100 MB body must not stall the UI).
DETAIL_LIMIT = 64_000
STRING_LIMIT = 1_000_000  # characters of one string value shown (Copy value still copies all of it)

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
        if node.kind == STRING and len(node.value) <= STRING_LIMIT and looks_like_html(node.key, node.value):
            self.html.setHtml(node.value)
            self.setCurrentWidget(self.html)
            return
        if node.is_container:
            content = preview_json(node.value, DETAIL_LIMIT)
        elif node.kind == STRING and len(node.value) > STRING_LIMIT:
            note = f"\n… cut at {STRING_LIMIT:,} of {len(node.value):,} characters"
            content = node.value[:STRING_LIMIT] + note
        else:
            content = scalar_text(node.value)
        self.text.setPlainText(content)
        self.setCurrentWidget(self.text)

    def shown_text(self) -> str:
        """What the pane currently shows, as plain text (rendered HTML loses its tags)."""
        widget = self.currentWidget()
        return widget.toPlainText() if isinstance(widget, QTextBrowser) else ""


def preview_json(value: object, limit: int) -> str:
    """Pretty JSON of a container, cut after about `limit` characters with a note on how to get it all."""
    pieces: list[str] = []
    size = 0
    for piece in iter_json(value, indent=2):
        pieces.append(piece)
        size += len(piece)
        if size > limit:
            pieces.append(f"\n… cut at {limit:,} characters of {summary(value)}; use Copy subtree as JSON")
            break
    return "".join(pieces)
