"""The response body viewer: `BodyView.show_body(bytes | Path, content_type)` and `open_file_in_viewer`."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from PySide6.QtWidgets import QWidget

from explorer.ui.body.body_view import BodyView

__all__ = ["BodyView", "guess_content_type", "open_file_in_viewer"]


def guess_content_type(path: Path) -> str | None:
    """Content type from the file name (`.json` -> application/json); None lets the viewer sniff."""
    if path.suffix.lower() == ".json":
        return "application/json"
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed


def open_file_in_viewer(
    path: str | Path, parent: QWidget | None = None, view: BodyView | None = None
) -> BodyView:
    """Show a saved file (e.g. `explorer --open FILE`) in `view`, or in a new BodyView; memory-mapped."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    target = view if view is not None else BodyView(parent)
    target.show_body(path, guess_content_type(path))
    return target
