"""The response pane: status, time and size badges, then Body, Raw, Headers, Request and Explain tabs."""

from __future__ import annotations

import contextlib
import json
import logging
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSizePolicy,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.core.prepared import PreparedRequest
from explorer.core.text import format_size
from explorer.ui import theme

if TYPE_CHECKING:
    from explorer.core.explain import Diagnosis
    from explorer.core.http.result import ExecutionResult
    from explorer.core.jsontree.table_columns import ColumnMemory
    from explorer.ui.body import BodyView
    from explorer.ui.widgets.echoed_secrets import EchoedSecrets
    from explorer.ui.widgets.explain_view import ExplainView

log = logging.getLogger(__name__)

RAW_LIMIT = 2 * 2**20  # the Raw tab shows the first 2 MiB; the Body tab handles any size


def format_time(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def request_text(request: PreparedRequest, sent_headers: tuple[tuple[str, str], ...] = ()) -> str:
    """What was sent, as an HTTP/1.1-style message; callers pass masked data only."""
    lines = [f"{request.method} {request.full_url()}"]
    lines += [f"{k}: {v}" for k, v in (sent_headers or request.headers)]
    if request.body is not None and not any(k.lower() == "content-type" for k, _ in (sent_headers or ())):
        lines.append(f"Content-Type: {request.body.media_type()}")
    if request.body is not None:
        lines += ["", request.body.text()]
    return "\n".join(lines)


class ResponsePane(QWidget):
    """Shows one ExecutionResult. The Body tab is the JSON viewer, created on first use (it is heavy)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result: ExecutionResult | None = None
        self.sent_label = ""  # the request (tab or method label) the result answers
        self.diagnosis: Diagnosis | None = None
        self._body_view: BodyView | None = None
        self.table_memory: ColumnMemory | None = None  # set by the window: the Table tab's columns per method
        # Made by _build_tabs() on the first response.
        self.tabs: QTabWidget
        self.body_holder: QStackedWidget
        self.raw: QPlainTextEdit
        self.headers: QTableWidget
        self.request_view: QPlainTextEdit
        self.explain_view: ExplainView

        self.status_badge = theme.make_badge("", theme.NEUTRAL)
        self.time_badge = theme.make_badge("", theme.NEUTRAL)
        self.size_badge = theme.make_badge("", theme.NEUTRAL)
        self.note = QLabel()
        self.note.setEnabled(False)
        # A long URL in "Sending …" must not widen the window (it would stay wide): clip it instead.
        self.note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        badges = QHBoxLayout()
        badges.setContentsMargins(0, 0, 0, 0)
        badges.setSpacing(4)  # the row's minimum width is the window's: it must fit a 1024-pixel screen
        self.badge_row = badges  # the window adds the history's drop-down beside the status badge
        for badge in (self.status_badge, self.time_badge, self.size_badge):
            badge.hide()
            badges.addWidget(badge)
        badges.addWidget(self.note, 1)

        self.placeholder = QLabel(
            "<p style='font-size:15px'><b>No response yet</b></p>"
            "<p>Pick a method, fill in its arguments and press <b>Ctrl+Enter</b>.</p>"
            "<p style='color:gray'>The sandbox profiles answer like real Discourse and Disqus servers,<br>"
            "entirely on this computer — no account, no keys to find.</p>"
        )
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setTextFormat(Qt.TextFormat.RichText)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.placeholder)
        self._tabs_built = False  # the tabs are made for the first response: start-up shows the placeholder

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 4)
        layout.setSpacing(4)
        layout.addLayout(badges)
        layout.addWidget(self.stack, 1)

    def _build_tabs(self) -> None:
        """Make the Body, Raw, Headers, Request and Explain tabs (once, for the first response)."""
        if self._tabs_built:
            return
        from explorer.ui.widgets.explain_view import ExplainView

        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.body_holder = QStackedWidget()
        self.raw = QPlainTextEdit()
        self.raw.setReadOnly(True)
        self.raw.setFont(mono)
        self.raw.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.headers = QTableWidget(0, 2)
        self.headers.setHorizontalHeaderLabels(["Header", "Value"])
        self.headers.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.headers.horizontalHeader().setStretchLastSection(True)
        self.headers.verticalHeader().hide()
        self.headers.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.request_view = QPlainTextEdit()
        self.request_view.setReadOnly(True)
        self.request_view.setFont(mono)
        self.explain_view = ExplainView()
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.body_holder, "Body")
        self.tabs.addTab(self.raw, "Raw")
        self.tabs.addTab(self.headers, "Headers")
        self.tabs.addTab(self.request_view, "Request")
        self.tabs.addTab(self.explain_view, "Explain")

        self.stack.addWidget(self.tabs)
        self._tabs_built = True

    @property
    def body_view(self) -> BodyView:
        self._build_tabs()
        if self._body_view is None:
            from explorer.ui.body import BodyView

            self._body_view = BodyView()
            if self.table_memory is not None:
                self._body_view.table_view.memory = self.table_memory
            self.body_holder.addWidget(self._body_view)
        return self._body_view

    @cached_property
    def echoed_secrets(self) -> EchoedSecrets:
        """Masks keys the server echoed in the Body and Raw tabs; its Show secrets box reveals them."""
        from explorer.ui.widgets.echoed_secrets import EchoedSecrets

        def redisplay() -> None:
            if self.result is not None:
                self.show_result(self.result)

        guard = EchoedSecrets(self, redisplay)
        self.badge_row.addWidget(guard.checkbox)
        return guard

    # -- states -------------------------------------------------------------------------------------------

    def show_sending(self, request: PreparedRequest) -> None:
        self.note.setText(f"Sending {request.method} {request.masked().full_url()} …  (Esc cancels)")

    def show_progress(self, received: int, total: int | None) -> None:
        of = f" of {format_size(total)}" if total else ""
        self.note.setText(f"Receiving… {format_size(received)}{of}  (Esc cancels)")

    def show_result(self, result: ExecutionResult) -> None:
        if self.result is not None and self.result.body_path != result.body_path:
            # The streamed body of the response replaced here is shown nowhere else: delete its file.
            self.discard_body_file()
        self.result = result
        self._build_tabs()
        masked = result.masked()
        self.stack.setCurrentWidget(self.tabs)
        self.note.setText("")
        if result.cancelled:
            theme.set_badge(self.status_badge, "Cancelled", theme.NEUTRAL)
        elif result.status is None:
            theme.set_badge(self.status_badge, "No response", theme.SEVERITY_COLOURS["error"])
        else:
            text = f"{result.status} {result.reason}".strip()
            theme.set_badge(self.status_badge, text, theme.status_colour(result.status))
        theme.set_badge(self.time_badge, format_time(result.elapsed_s), theme.NEUTRAL)
        theme.set_badge(self.size_badge, format_size(result.size), theme.NEUTRAL)
        for badge in (self.status_badge, self.time_badge, self.size_badge):
            badge.show()
        self.size_badge.setVisible(result.status is not None)
        if result.error:
            self.note.setText(result.error)
        elif result.notes:
            self.note.setText(" · ".join(result.notes))

        # Keys the server echoed are masked unless the user ticks Show secrets (the other tabs mask them too).
        body = self.echoed_secrets.body(result)
        if result.status is not None:
            from explorer.ui.body.table_view import table_key

            self.body_view.show_body(body, result.header("content-type"), table_key=table_key(result.request))
            self.body_holder.setCurrentWidget(self.body_view)
        elif self._body_view is not None:
            self._body_view.clear()
        headers = masked.headers
        self._fill_raw(result, headers)
        self._fill_headers(headers)
        self.request_view.setPlainText(request_text(masked.request, masked.sent_headers))
        from explorer.core.explain import explain_for_display

        # Diagnose the displayable copy: details quote headers such as Location, which may carry keys.
        self.diagnosis = explain_for_display(result)
        self.explain_view.show_diagnosis(self.diagnosis)
        tab = self.tabs.currentWidget()
        if self.diagnosis.severity in ("error", "warning") and tab is self.body_holder and not result.ok:
            self.tabs.setCurrentWidget(self.explain_view)
        elif tab is self.explain_view and result.ok:
            self.tabs.setCurrentWidget(self.body_holder)

    def _fill_raw(self, result: ExecutionResult, headers: tuple[tuple[str, str], ...]) -> None:
        if result.status is None:
            self.raw.setPlainText(result.error or "Cancelled before a response arrived.")
            return
        head = [f"{result.http_version or 'HTTP/1.1'} {result.status} {result.reason}".strip()]
        head += [f"{k}: {v}" for k, v in headers]
        from explorer.ui.body.raw_view import break_long_lines, head_text

        # Only the part shown is read (a streamed body can be hundreds of MB), and long lines are broken.
        text = self.echoed_secrets.text(result, head_text(result, RAW_LIMIT))
        if result.size > RAW_LIMIT:
            text += f"\n\n… {format_size(result.size)} in total; the Body tab shows all of it."
        elif result.is_json:
            # Pretty-print small JSON; the Body tab keeps the exact bytes.
            with contextlib.suppress(ValueError):
                text = json.dumps(json.loads(text), indent=2, ensure_ascii=False)
        self.raw.setPlainText("\n".join(head) + "\n\n" + break_long_lines(text))

    def _fill_headers(self, headers: tuple[tuple[str, str], ...]) -> None:
        self.headers.setRowCount(0)
        for name, value in headers:
            row = self.headers.rowCount()
            self.headers.insertRow(row)
            self.headers.setItem(row, 0, QTableWidgetItem(name))
            self.headers.setItem(row, 1, QTableWidgetItem(value))

    def show_tab(self, name: str) -> None:
        """Bring a tab to the front by its lower-case title: body, raw, headers, request or explain."""
        self._build_tabs()
        for index in range(self.tabs.count()):
            if self.tabs.tabText(index).lower() == name:
                self.tabs.setCurrentIndex(index)
                return
        raise ValueError(f"no response tab named {name!r}")

    def show_file(self, path: Path) -> None:
        """Open a saved body (`explorer --open FILE`) in the Body tab."""
        from explorer.ui.body import open_file_in_viewer

        open_file_in_viewer(path, view=self.body_view)
        self.body_holder.setCurrentWidget(self.body_view)
        self.stack.setCurrentWidget(self.tabs)
        self.tabs.setCurrentWidget(self.body_holder)
        self.note.setText(f"Opened {path.name}")

    def label_for(self, shown: str) -> None:
        """Say whose response this is when the editor shows another request, so it is never unlabelled."""
        if self.result is None or not self.sent_label:
            return
        if shown != self.sent_label:
            self.note.setText(f"Response to {self.sent_label} — not the request shown now")
        elif self.note.text().startswith("Response to "):
            self.note.setText("")

    def discard_body_file(self) -> None:
        """Delete the streamed body file of the response on show (at exit); the view keeps what it read."""
        if self.result is not None:
            try:
                self.result.discard_body_file()
            except OSError as exc:  # Windows: still memory-mapped by the viewer; the next start sweeps it
                log.info("body file not deleted now: %s", exc)
        if "echoed_secrets" in self.__dict__:  # its masked copy of that body goes too
            self.echoed_secrets.discard_copy()

    def clear(self) -> None:
        self.result = None
        self.stack.setCurrentWidget(self.placeholder)
        for badge in (self.status_badge, self.time_badge, self.size_badge):
            badge.hide()
        self.note.setText("")
