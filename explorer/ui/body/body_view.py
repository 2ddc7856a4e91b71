"""BodyView: the response body in the right viewer (JSON tree and table, HTML, text, image, binary), Save."""

from __future__ import annotations

import mmap
import os
from functools import cached_property
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from explorer.core.jsontree.envelope import Envelope, disqus_envelope
from explorer.core.jsontree.parse import JsonDocument, JsonParseError, parse_document
from explorer.core.jsontree.table import find_arrays
from explorer.core.text import format_size
from explorer.ui.body.envelope_bar import EnvelopeBar
from explorer.ui.body.json_view import JsonTreeView
from explorer.ui.body.kinds import (
    BINARY,
    EMPTY,
    HTML,
    IMAGE,
    JSON,
    body_kind,
    charset,
    hex_summary,
    media_type,
)
from explorer.ui.body.raw_view import RawView
from explorer.ui.body.table_view import JsonTableView
from explorer.ui.labels import ElidedLabel
from explorer.ui.save_dialog import ask_save_path

# Above this size the tree is built one event-loop turn after the parse, so the UI's longest freeze is
# the parse alone (measured by benchmarks/json_view.py) rather than parse + model + first paint.
DEFER_TREE_BYTES = 8 * 1024 * 1024
IMAGE_LIMIT = 64 * 1024 * 1024  # bytes decoded for an image preview
HTML_PREVIEW_LIMIT = 4 * 1024 * 1024  # bytes of HTML rendered; larger pages are shown as text only


class BodyView(QWidget):
    """Shows one response body. `show_body(bytes | Path, content_type)`; a Path is a body the HTTP
    executor streamed to a temporary file, which is memory-mapped rather than read into memory."""

    shown = Signal(str)  # the body kind ("json", "html", "text", "image", "binary", "empty")
    saved = Signal(str)  # path written by "Save body to file"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data: Any = b""
        self._file: Any = None
        self._mmap: mmap.mmap | None = None
        self._source_path: Path | None = None
        self.content_type: str | None = None
        self.kind = EMPTY

        self.info = ElidedLabel(parent=self)  # a server's odd content type must not widen the window
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_button = QPushButton("Save body to file…", self)
        self.save_button.clicked.connect(self.save_body)
        self.save_button.setEnabled(False)
        self.message = QLabel(self)  # parse errors and save results, inline
        self.message.setWordWrap(True)
        # Wrapped within the width it gets: a long path in "Saved … to …" must not widen the window.
        self.message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.message.hide()
        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.addWidget(self.info, 1)
        header.addWidget(self.save_button)

        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.currentChanged.connect(self._tab_changed)
        # Pages live only inside the tab widget: a page made as a child of this view but outside any layout
        # would be painted over its top-left corner. Pages for rarer kinds are made when first needed.
        self.json_view = JsonTreeView()
        self.table_view = JsonTableView()  # the Table tab, for bodies holding an array of objects
        self.envelope_bar = EnvelopeBar()  # above the tree, for a Disqus envelope
        self.envelope_bar.whole_toggled.connect(self._show_envelope)
        self.json_view.top_bars.insertWidget(0, self.envelope_bar)
        self._document: JsonDocument | None = None
        self._envelope: Envelope | None = None
        self._prefer_table = False  # the Table tab was in front: the next response opens on it too
        self._rebuilding = False  # tabs change while a body is shown: not the user's choice of tab
        self._tree_waiting = False  # parsed, tree not made yet: the Table tab is in front
        self.raw_view = RawView()
        self._raw_pending = False
        self._pending_document: JsonDocument | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        self.clear()

    # --- pages made on first use -----------------------------------------------------------------------
    @cached_property
    def preview(self) -> QTextBrowser:
        """Rendered HTML (QTextBrowser never fetches remote resources)."""
        preview = QTextBrowser()
        preview.setOpenLinks(False)
        return preview

    @cached_property
    def image_label(self) -> QLabel:
        label = QLabel()
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return label

    @cached_property
    def image_area(self) -> QScrollArea:
        area = QScrollArea()
        area.setWidget(self.image_label)
        area.setWidgetResizable(True)
        return area

    @cached_property
    def hex_view(self) -> QPlainTextEdit:
        view = QPlainTextEdit()
        view.setReadOnly(True)
        view.setFont(self.raw_view.editor.font())
        return view

    @cached_property
    def empty_label(self) -> QLabel:
        """The page shown, alone, when the response has no body."""
        label = QLabel("No body")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setEnabled(False)
        return label

    # --- public interface ------------------------------------------------------------------------
    def show_body(
        self, data: bytes | Path, content_type: str | None, *, table_key: str | None = None
    ) -> None:
        """Show a body: bytes in memory, or a Path to a (large) body on disk. `table_key` (a method)
        is what the Table tab remembers its array and columns under."""
        self._rebuilding = True
        try:
            self._show_body(data, content_type, table_key)
        finally:
            self._rebuilding = False

    def _show_body(self, data: bytes | Path, content_type: str | None, table_key: str | None) -> None:
        self.clear()
        self.content_type = content_type
        if isinstance(data, Path):
            self._data = self._map_file(data)
            self._source_path = data
        else:
            self._data = data
        size = len(self._data)
        self.kind = body_kind(self._data[:4096], content_type)
        label = media_type(content_type) or "no content type"
        self.info.setText(f"{label} · {format_size(size)}")
        self.save_button.setEnabled(size > 0)
        if self.kind == JSON:
            if not self._show_json(table_key):
                return  # `shown` follows when the tree is ready
        elif self.kind == IMAGE:
            self._show_image()
        elif self.kind == HTML:
            self._show_html()
        elif self.kind == BINARY:
            self._show_binary()
        elif self.kind == EMPTY:
            self.tabs.addTab(self.empty_label, "Body")
        else:
            self._add_raw_tab("Text", highlight=False)
        self.shown.emit(self.kind)

    def clear(self) -> None:
        """Forget the current body (and unmap its file)."""
        self._raw_pending = False  # removing tabs switches the current one: nothing may load now
        self._pending_document = None
        self.json_view.clear()
        self.json_view.path_prefix = ()
        self.table_view.clear()
        self.envelope_bar.hide()
        self._document = self._envelope = None
        self._tree_waiting = False
        self.raw_view.clear()
        while self.tabs.count():
            self.tabs.removeTab(0)
        for name in ("preview", "image_label", "hex_view"):
            page: Any = self.__dict__.get(name)  # only pages made so far (cached_property keeps them here)
            if page is not None:
                page.clear()
        self.message.hide()
        self.info.setText("")
        self.save_button.setEnabled(False)
        self._data = b""
        self._raw_pending = False
        self.kind = EMPTY
        self._source_path = None
        if self._mmap is not None:
            self._mmap.close()
            self._mmap = None
        if self._file is not None:
            self._file.close()
            self._file = None

    def body_bytes(self) -> bytes:
        """The whole body as bytes (copies: meant for small bodies and tests)."""
        return bytes(self._data)

    # --- kinds -----------------------------------------------------------------------------------
    def _map_file(self, path: Path) -> Any:
        size = path.stat().st_size
        if size == 0:
            return b""
        self._file = path.open("rb")
        self._mmap = mmap.mmap(self._file.fileno(), 0, access=mmap.ACCESS_READ)
        return self._mmap

    def _show_json(self, table_key: str | None) -> bool:
        """Parse and show the tree; False when the tree is deferred to the next event-loop turn."""
        try:
            document = parse_document(self._data)
        except JsonParseError as exc:
            self._show_message(f"Not valid JSON: {exc}. Showing the raw body.")
            self._add_raw_tab("Raw", highlight=True)
            return True
        self._document = document
        self._envelope = disqus_envelope(document.root)
        self.tabs.addTab(self.json_view, "Tree")
        arrays = find_arrays(document.root)  # a bounded walk: milliseconds on any body
        if arrays:
            self.table_view.set_source(document.root, arrays, table_key)
            self.tabs.addTab(self.table_view, "Table")  # filled when first shown
        self._add_raw_tab("Raw", highlight=True, lazy=True)
        # With the Table tab in front the tree is made when its tab is first shown: the table's first
        # rows then cost the parse and the table only.
        self._tree_waiting = True
        if document.size > DEFER_TREE_BYTES:
            self._pending_document = document
            self._open_preferred_tab()
            QTimer.singleShot(0, self._finish_json)
            return False
        self._open_preferred_tab()
        if self.tabs.currentWidget() is not self.table_view:
            self._set_tree(whole=False)
        return True

    def _finish_json(self) -> None:
        document, self._pending_document = self._pending_document, None
        if document is None:
            return  # cleared, or replaced by another body, in the meantime
        if self.tabs.currentWidget() is self.table_view:
            self.table_view.ensure_loaded(self._tree_selection())
        else:
            self._set_tree(whole=False)
        self.shown.emit(self.kind)

    def _set_tree(self, *, whole: bool) -> None:
        """The tree shows the body, or only the `message` of a Disqus envelope (badge above it)."""
        document, envelope = self._document, self._envelope
        if document is None:
            return
        self._tree_waiting = False
        if envelope is not None and not whole:
            document = JsonDocument(root=envelope.payload, size=document.size, engine=document.engine,
                                    exact_numbers=document.exact_numbers, keepalive=document.keepalive)
            if not self.envelope_bar.isVisibleTo(self.json_view):
                self.envelope_bar.show_envelope(envelope)
        self.json_view.path_prefix = ("message",) if envelope is not None and not whole else ()
        self.json_view.set_document(document, self._source_path or self._data)

    def _show_envelope(self, whole: bool) -> None:
        self._set_tree(whole=whole)

    def _tree_selection(self) -> tuple | None:
        """The tree's selected path in the body (None while it shows a filter's result)."""
        node = self.json_view.current_node()
        if node is None or self.json_view.shown_document is not self.json_view.document:
            return None
        return (*self.json_view.path_prefix, *node.path())

    def _open_preferred_tab(self) -> None:
        if self._prefer_table and self.tabs.indexOf(self.table_view) >= 0:
            self.tabs.setCurrentWidget(self.table_view)

    @property
    def tree_pending(self) -> bool:
        """True between show_body() of a large JSON body and its tree being ready (`shown` follows)."""
        return self._pending_document is not None

    def _show_image(self) -> None:
        image = QImage()
        if len(self._data) <= IMAGE_LIMIT:
            image.loadFromData(bytes(self._data))
        if image.isNull():
            self._show_message("The image could not be decoded; showing its bytes.")
            self._show_binary()
            return
        self.image_label.setPixmap(QPixmap.fromImage(image))
        self.info.setText(f"{self.info.text()} · {image.width()}×{image.height()} px")
        self.tabs.addTab(self.image_area, "Image")
        self.tabs.addTab(self.hex_view, "Bytes")
        self.hex_view.setPlainText(hex_summary(self._data))

    def _show_html(self) -> None:
        if len(self._data) <= HTML_PREVIEW_LIMIT:
            # Rendered without network access: QTextBrowser never fetches remote resources.
            self.preview.setHtml(bytes(self._data).decode(charset(self.content_type), "replace"))
            self.tabs.addTab(self.preview, "Preview")
        self._add_raw_tab("Source", highlight=False)

    def _show_binary(self) -> None:
        self.hex_view.setPlainText(hex_summary(self._data))
        self.tabs.addTab(self.hex_view, "Binary")

    def _add_raw_tab(self, title: str, *, highlight: bool, lazy: bool = False) -> None:
        self._raw_highlight = highlight
        self.tabs.addTab(self.raw_view, title)
        if lazy:
            self._raw_pending = True  # filled when first shown: keeps the first tree paint fast
        else:
            self.raw_view.set_data(self._data, highlight_json=highlight, encoding=self._encoding())

    def _tab_changed(self, index: int) -> None:
        page = self.tabs.widget(index)
        if not self._rebuilding and page is not None:
            self._prefer_table = page is self.table_view
        if self._pending_document is not None:
            return  # the next event-loop turn shows the page in front
        if page is self.table_view:
            self.table_view.ensure_loaded(self._tree_selection())
        elif page is self.json_view and self._tree_waiting and not self._rebuilding:
            self._set_tree(whole=False)
        if self._raw_pending and self.tabs.widget(index) is self.raw_view:
            self._raw_pending = False
            self.raw_view.set_data(self._data, highlight_json=self._raw_highlight, encoding=self._encoding())

    def _encoding(self) -> str:
        return "utf-8" if self.kind == JSON else charset(self.content_type)  # JSON is UTF-8 (RFC 8259)

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    # --- saving ----------------------------------------------------------------------------------
    def save_body(self) -> None:
        """Ask for a file name and write the body there (atomically: never a half-written file)."""
        if not len(self._data):
            return
        suggestion = "response" + _suffix_for(self.kind, self.content_type)
        # Kept so a test (and the garbage collector) can reach the open dialog.
        self.save_dialog = ask_save_path(
            self, "Save body to file", suggestion, lambda chosen: self.save_to(Path(chosen))
        )

    def save_to(self, path: Path) -> bool:
        partial = path.with_name(path.name + ".part")
        try:
            with partial.open("wb") as out:
                view = memoryview(self._data)
                try:
                    for start in range(0, len(view), 1 << 20):
                        out.write(view[start:start + (1 << 20)])
                finally:
                    view.release()
            os.replace(partial, path)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            self._show_message(f"Could not save to {path}: {exc.strerror or exc}")
            return False
        self._show_message(f"Saved {format_size(len(self._data))} to {path}")
        self.saved.emit(str(path))
        return True


def _suffix_for(kind: str, content_type: str | None) -> str:
    mtype = media_type(content_type)
    if kind == JSON:
        return ".json"
    if kind == HTML:
        return ".html"
    if kind == IMAGE and "/" in mtype:
        return "." + mtype.split("/", 1)[1].split("+", 1)[0]
    return ".txt" if kind == "text" else ".bin"
