"""{{variables}} in the window: the scopes the editor prepares with, captured values, and Use as variable…."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QInputDialog

if TYPE_CHECKING:
    from explorer.core.collections.variables import VariableScopes
    from explorer.core.lifecycle.send import Exchange
    from explorer.ui.main_window import MainWindow
    from explorer.ui.window_collections import WindowCollections

CAPTURE_READ_LIMIT = 64 * 1024 * 1024  # a streamed body larger than this is not parsed for captures


class WindowVariables(QObject):
    """Gives the editor the values of {{name}}: the collection of the tab in front, the active profile's,
    and the values captured in this window (by "Use as variable…" or a request that declares captures).

    Captured values live in memory only: they may be ids of things just made, or anything a response held.
    """

    def __init__(self, window: MainWindow, collections: WindowCollections) -> None:
        super().__init__(collections)
        self._window = window
        self._collections = collections
        self.captures: dict[str, str] = {}
        self.dialog: QInputDialog | None = None  # the name question open now (tests answer it)
        window.editor.variables = self.scopes
        window.exchanged.connect(self._exchanged)
        window.response_shown.connect(lambda _result: self._hook_trees())
        window.history.shown.connect(lambda _result: self._hook_trees())

    def scopes(self) -> VariableScopes:
        """The values {{name}} takes in the tab in front: its collection's, the profile's, the captures."""
        from explorer.core.collections.variables import VariableScopes

        window = self._window
        tabs = getattr(window, "request_tabs", None)  # the editor prepares once before the tabs exist
        file = tabs.current.file if tabs is not None and tabs.tabs else None
        # Only collections already open are asked: opening them is for the tab, not for a keystroke.
        found = self._collections.collection_of(file, opened_only=True)
        profile = window.active_profile() if window.profiles_loaded else None
        return VariableScopes(
            collection=found[0].variables if found is not None else {},
            profile=dict(profile.variables) if profile is not None else {},
            captures=dict(self.captures),
        )

    def capture(self, name: str, path: str, value: str) -> None:
        """Keep `value` as the variable `name`; the request in front remembers `path` (Use as variable…)."""
        from explorer.core.lifecycle.spec import VARIABLE_NAME, Capture

        name = name.strip()
        if not VARIABLE_NAME.fullmatch(name):
            self._collections.notice(
                f"{name!r} is not a variable name: use letters, digits, _ . or -, not starting with a digit."
            )
            return
        self.captures[name] = value
        self._window.editor.add_capture(Capture(name, path))
        self._window.editor.refresh()
        self._collections.notice(
            f"{{{{{name}}}}} = {value} (from {path}); this request captures it again each time it is sent."
        )

    def _exchanged(self, exchange: Exchange) -> None:
        """A request declaring captures was answered: its values feed the requests sent after it."""
        spec = exchange.spec
        if spec is None or not spec.captures or exchange.failed:
            return
        from explorer.core.collections.captures import CaptureError, capture_value

        result = exchange.result
        try:
            body = result.body
            if not body and result.body_path is not None and result.size <= CAPTURE_READ_LIMIT:
                body = result.body_path.read_bytes()  # a body streamed to a file
            document = json.loads(body or b"null")
        except (OSError, ValueError):
            return
        for capture in spec.captures:
            try:
                self.captures[capture.name] = capture_value(document, capture.path)
            except CaptureError as exc:
                self._collections.notice(f"{{{{{capture.name}}}}} not captured: {exc}")
        self._window.editor.refresh()

    def _hook_trees(self) -> None:
        """Listen to the response's JSON tree (made with the first response) for "Use as variable…"."""
        from explorer.ui.body.json_view import JsonTreeView

        for view in self._window.response.findChildren(JsonTreeView):
            if not view.property("variablesHooked"):
                view.setProperty("variablesHooked", True)
                view.use_as_variable.connect(self.ask_capture)

    def ask_capture(self, path: str, value: str) -> None:
        """Ask a name for the value at `path` of the response (non-blocking), suggesting its last key."""
        dialog = QInputDialog(self._window)
        dialog.setWindowTitle("Use as variable")
        dialog.setLabelText(f"Name for {path} (use it as {{{{name}}}}):")
        dialog.setTextValue(suggested_name(path))
        dialog.textValueSelected.connect(lambda name: self.capture(name, path, value))
        self.dialog = dialog
        self._collections.open_dialog(dialog)


def suggested_name(path: str) -> str:
    """A variable name from the last key of a JSON path: $.topic_id → topic_id, $.posts[0].id → id."""
    keys = re.findall(r"[A-Za-z_][A-Za-z0-9_]*", path.replace("$", ""))
    return keys[-1] if keys else "value"
