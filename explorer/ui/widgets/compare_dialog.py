"""Compare two history entries: the JSON body path by path (added, removed, changed) and the headers."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.core.jsontree.diff import Diff, diff_headers, diff_json, preview
from explorer.core.text import format_size
from explorer.ui import theme
from explorer.ui.history_model import entry_outcome, entry_title

if TYPE_CHECKING:
    from explorer.core.history import HistoryEntry

KIND_COLOURS = {"added": "#16a34a", "removed": "#dc2626", "changed": "#d97706"}
VALUE_WIDTH = 200


def entry_label(entry: HistoryEntry) -> str:
    when = datetime.fromtimestamp(entry.created_at).strftime("%Y-%m-%d %H:%M:%S")
    return f"{entry.verb} {entry_title(entry)} — {entry_outcome(entry)} at {when}"


def decode_json(body: bytes | None) -> tuple[bool, Any]:
    """(True, value) for a JSON body; (False, None) for none, an empty one, or one that is not JSON."""
    if not body:
        return False, None
    try:
        return True, json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return False, None


def body_diff(old: bytes | None, new: bytes | None) -> Diff | str:
    """The structural diff of two JSON bodies, or a sentence when they cannot be compared that way."""
    old_ok, old_value = decode_json(old)
    new_ok, new_value = decode_json(new)
    if old_ok and new_ok:
        return diff_json(old_value, new_value)
    if (old or b"") == (new or b""):
        return "The bodies are identical." if old else "Neither response has a body."
    sizes = f"{format_size(len(old or b''))} and {format_size(len(new or b''))}"
    if not old or not new:
        return f"Only one of the responses has a body ({sizes})."
    return f"The bodies differ ({sizes}); they are not both JSON, so they are not compared path by path."


class CompareDialog(QDialog):
    """Shows what changed from the older entry (before) to the newer one (after); opened with open()."""

    def __init__(
        self,
        old: HistoryEntry,
        new: HistoryEntry,
        old_body: bytes | None,
        new_body: bytes | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Compare responses")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(860, 560)
        self.body = body_diff(old_body, new_body)
        self.headers = diff_headers(old.response_headers or (), new.response_headers or ())

        before, after = _html(entry_label(old)), _html(entry_label(new))
        heading = QLabel(f"<b>Before:</b> {before}<br><b>After:</b> {after}")
        heading.setTextFormat(Qt.TextFormat.RichText)
        heading.setWordWrap(True)
        self.summary = QLabel(self._summary())
        self.body_tree = self._tree(self.body) if isinstance(self.body, Diff) else None
        self.header_tree = self._tree(self.headers)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        if self.body_tree is not None:
            self.tabs.addTab(self.body_tree, "Body")
        else:
            note = QLabel(str(self.body))
            note.setWordWrap(True)
            note.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.tabs.addTab(note, "Body")
        self.tabs.addTab(self.header_tree, "Headers")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)

    def _summary(self) -> str:
        body = self.body.summary() if isinstance(self.body, Diff) else str(self.body).rstrip(".")
        if isinstance(self.body, Diff) and self.body.truncated:
            body += f" (the first {len(self.body.changes):,} are listed)"
        return f"Body: {body}.  Headers: {self.headers.summary()}."

    def _tree(self, diff: Diff) -> QTreeWidget:
        tree = QTreeWidget()
        tree.setColumnCount(4)
        tree.setHeaderLabels(["Path", "Change", "Before", "After"])
        tree.setRootIsDecorated(False)
        tree.setUniformRowHeights(True)
        tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        header = tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        # Before and After share what is left equally, so neither value is squeezed by the other.
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        items = []
        for change in diff.changes:
            before, after = preview(change.old, VALUE_WIDTH), preview(change.new, VALUE_WIDTH)
            item = QTreeWidgetItem([change.where, change.kind, before, after])
            item.setForeground(1, QBrush(QColor(KIND_COLOURS[change.kind])))
            for column, value in ((2, change.old), (3, change.new)):
                full = preview(value, 4000)
                if len(full) > VALUE_WIDTH:
                    item.setToolTip(column, full)
            items.append(item)
        if not items:
            empty = QTreeWidgetItem(["", "No differences", "", ""])
            empty.setForeground(1, QBrush(theme.muted_colour()))
            items.append(empty)
        tree.addTopLevelItems(items)
        tree.resizeColumnToContents(0)
        tree.setColumnWidth(0, min(tree.columnWidth(0), 320))
        return tree

    def rows(self, tab: str = "body") -> list[tuple[str, str, str, str]]:
        """The rows of the Body or Headers table as (path, change, before, after), for tests."""
        tree = self.body_tree if tab == "body" else self.header_tree
        if tree is None:
            return []
        found = []
        for i in range(tree.topLevelItemCount()):
            item = tree.topLevelItem(i)
            if item is not None:
                found.append((item.text(0), item.text(1), item.text(2), item.text(3)))
        return found


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
