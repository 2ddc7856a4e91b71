"""Raw body text: highlighted in full up to a few MB, shown page by page beyond that."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtGui import QColor, QFont, QFontDatabase, QSyntaxHighlighter, QTextCharFormat, QTextDocument
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.ui.body.kinds import charset
from explorer.ui.theme import is_dark

FULL_TEXT_LIMIT = 2 * 1024 * 1024  # bytes shown (and highlighted) in one editor
PAGE_SIZE = 64 * 1024  # bytes per page beyond that: a page lays out instantly, 100 MB never enters a widget
# Qt lays out one line at a time and a single line's cost grows faster than its length: a megabyte with no
# line break (minified JSON, a body of zeros from a decompression bomb) froze the window for over a minute.
# Longer lines are shown broken every LONG_LINE characters (the body itself is unchanged).
LONG_LINE = 10_000
_LONG_RUN = re.compile(f"[^\n]{{{LONG_LINE}}}(?=[^\n])")


def break_long_lines(text: str) -> str:
    """`text` with a line break after every LONG_LINE characters of a longer line (linear; a no-op for
    ordinary text)."""
    return _LONG_RUN.sub("\\g<0>\n", text)


def head_text(result: Any, limit: int) -> str:
    """The first `limit` bytes of a response body, decoded with its charset: a streamed body's file is not
    read whole for a preview."""
    if result.body_path is None:
        data = result.body[:limit]
    else:
        with result.body_path.open("rb") as handle:
            data = handle.read(limit)
    return data.decode(charset(result.header("content-type")), "replace")


def _monospace() -> QFont:
    return QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)


class JsonHighlighter(QSyntaxHighlighter):
    """Colours keys, strings, numbers and literals; line by line, so it is cheap per visible block."""

    _TOKENS = re.compile(
        r'(?P<key>"(?:[^"\\]|\\.)*"(?=\s*:))|(?P<string>"(?:[^"\\]|\\.)*")'
        r"|(?P<number>-?\b\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\b)|(?P<literal>\b(?:true|false|null)\b)"
    )

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        dark = is_dark()
        colours = {
            "key": "#93c5fd" if dark else "#1d4ed8",
            "string": "#86efac" if dark else "#15803d",
            "number": "#fdba74" if dark else "#c2410c",
            "literal": "#c4b5fd" if dark else "#7c3aed",
        }
        self._formats: dict[str, QTextCharFormat] = {}
        for name, colour in colours.items():
            fmt = QTextCharFormat()
            fmt.setForeground(QColor(colour))
            self._formats[name] = fmt

    def highlightBlock(self, text: str) -> None:  # noqa: N802
        if len(text) > 20_000:
            return  # a single huge minified line: colouring it would stall every repaint
        for match in self._TOKENS.finditer(text):
            kind = match.lastgroup or "string"
            self.setFormat(match.start(), match.end() - match.start(), self._formats[kind])


def utf8_boundary(data: Any, pos: int) -> int:
    """Move `pos` back to the start of a UTF-8 character so pages never split one."""
    back = 0
    while 0 < pos < len(data) and back < 3 and (data[pos] & 0xC0) == 0x80:
        pos -= 1
        back += 1
    return pos


class RawView(QWidget):
    """Full text with highlighting for small bodies; fixed-size pages of the bytes for large ones."""

    page: int  # the page shown (-1: none yet); set after the buttons that read it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data: Any = b""
        self._encoding = "utf-8"
        self._highlight = False
        self.editor = QPlainTextEdit(self)
        self.editor.setReadOnly(True)
        self.editor.setFont(_monospace())
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.highlighter: JsonHighlighter | None = None

        self.pager = QWidget(self)
        bar = QHBoxLayout(self.pager)
        bar.setContentsMargins(0, 0, 0, 0)
        self.prev_button = QToolButton(self.pager)
        self.prev_button.setText("◀")
        self.prev_button.clicked.connect(lambda: self.show_page(self.page - 1))
        self.next_button = QToolButton(self.pager)
        self.next_button.setText("▶")
        self.next_button.clicked.connect(lambda: self.show_page(self.page + 1))
        self.page_box = QSpinBox(self.pager)
        self.page_box.setKeyboardTracking(False)
        self.page_box.valueChanged.connect(lambda value: self.show_page(value - 1))
        self.page_label = QLabel(self.pager)
        for widget in (self.prev_button, self.page_box, self.next_button, self.page_label):
            bar.addWidget(widget)
        bar.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pager)
        layout.addWidget(self.editor, 1)
        self.page = 0
        self.page_offsets: list[int] = [0]
        self.pager.hide()

    @property
    def paged(self) -> bool:
        return len(self._data) > FULL_TEXT_LIMIT

    def set_data(self, data: Any, *, highlight_json: bool = False, encoding: str = "utf-8") -> None:
        """Show `data` (bytes-like or mmap) decoded with `encoding`; undecodable bytes become U+FFFD."""
        self._data = data
        self._encoding = encoding
        self._highlight = highlight_json
        self._set_highlighter(highlight_json and not self.paged)
        if not self.paged:
            self.pager.hide()
            self.editor.setPlainText(break_long_lines(bytes(data).decode(encoding, "replace")))
            return
        pages = (len(data) + PAGE_SIZE - 1) // PAGE_SIZE
        self.page_box.blockSignals(True)
        self.page_box.setRange(1, pages)
        self.page_box.blockSignals(False)
        self.pager.show()
        self.page = -1
        self.show_page(0)

    def page_count(self) -> int:
        return max(1, (len(self._data) + PAGE_SIZE - 1) // PAGE_SIZE) if self.paged else 1

    def show_page(self, page: int) -> None:
        if not self.paged:
            return
        page = max(0, min(page, self.page_count() - 1))
        if page == self.page:
            return
        self.page = page
        start, end = page * PAGE_SIZE, min(len(self._data), (page + 1) * PAGE_SIZE)
        if self._encoding == "utf-8":
            start, end = utf8_boundary(self._data, start), utf8_boundary(self._data, end)
        page_text = bytes(self._data[start:end]).decode(self._encoding, "replace")
        self.editor.setPlainText(break_long_lines(page_text))
        self.page_box.blockSignals(True)
        self.page_box.setValue(page + 1)
        self.page_box.blockSignals(False)
        self.page_label.setText(
            f"of {self.page_count():,} · bytes {start:,}–{end:,} of {len(self._data):,}"
        )
        self.prev_button.setEnabled(page > 0)
        self.next_button.setEnabled(page < self.page_count() - 1)

    def _set_highlighter(self, on: bool) -> None:
        if on and self.highlighter is None:
            self.highlighter = JsonHighlighter(self.editor.document())
        elif not on and self.highlighter is not None:
            self.highlighter.setDocument(None)
            self.highlighter = None

    def clear(self) -> None:
        self._data = b""
        self._set_highlighter(False)
        self.editor.setPlainText("")
        self.pager.hide()

    def text(self) -> str:
        return self.editor.toPlainText()
