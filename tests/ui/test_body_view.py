"""BodyView: choosing the right viewer for JSON, HTML, text, images and binary bodies, and saving."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QWidget

from explorer.ui.body import BodyView, open_file_in_viewer
from explorer.ui.body.raw_view import FULL_TEXT_LIMIT


@pytest.fixture
def view(qtbot: Any) -> BodyView:
    widget = BodyView()
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    return widget


def _tab_titles(view: BodyView) -> list[str]:
    return [view.tabs.tabText(i) for i in range(view.tabs.count())]


def test_json_body_shows_tree_with_root_children(view: BodyView) -> None:
    view.show_body(json.dumps({"a": 1, "b": [1, 2]}).encode(), "application/json; charset=utf-8")
    assert view.kind == "json"
    assert _tab_titles(view) == ["Tree", "Raw"]
    model = view.json_view.model
    root = model.index(0, 0)
    assert model.rowCount(root) == 2
    assert model.index(1, 1, root).data() == "[2 items]"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [(b'{"a": 1}', "application/json"), (b"", None), (b"<p>hi</p>", "text/html"), (b"\x00\x01", None)],
)
def test_no_stray_page_is_drawn_over_the_view(view: BodyView, body: bytes, content_type: str) -> None:
    # A page parented to the view but outside its layout is painted over the top-left corner.
    view.show()
    view.show_body(body, content_type)
    laid_out = {view.info, view.save_button, view.message, view.tabs}
    strays = [w for w in view.findChildren(QWidget) if w.parentWidget() is view and w not in laid_out]
    assert [w for w in strays if w.isVisible()] == []
    assert (view.tabs.currentWidget() is view.empty_label) == (body == b"")


def test_json_sent_as_text_plain_is_sniffed(view: BodyView) -> None:
    view.show_body(b'  [{"x": true}]', "text/plain")
    assert view.kind == "json"


def test_invalid_json_falls_back_to_raw_with_inline_message(view: BodyView) -> None:
    view.show_body(b'{"a": 1,,}', "application/json")
    assert _tab_titles(view) == ["Raw"]
    assert "line 1, column 9" in view.message.text()
    assert view.raw_view.text() == '{"a": 1,,}'


def test_raw_tab_is_filled_when_first_shown(view: BodyView) -> None:
    view.show_body(b'{"a": 1}', "application/json")
    view.tabs.setCurrentIndex(1)
    assert view.raw_view.text() == '{"a": 1}'


def test_text_html_binary_and_empty(view: BodyView) -> None:
    view.show_body("héllo\nworld".encode(), "text/plain")
    assert view.kind == "text" and view.raw_view.text() == "héllo\nworld"
    view.show_body(b"<html><body><p>Hello <b>there</b></p></body></html>", "text/html")
    assert _tab_titles(view) == ["Preview", "Source"]
    assert view.preview.toPlainText().strip() == "Hello there"
    view.show_body(bytes(range(256)) * 4, "application/octet-stream")
    assert view.kind == "binary"
    dump = view.hex_view.toPlainText()
    assert dump.startswith("1,024 bytes of binary data; first 512 shown")
    assert "00000010  10 11 12 13" in dump
    view.show_body(b"", None)
    assert view.kind == "empty" and not view.save_button.isEnabled()


def _png(width: int, height: int) -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("teal"))
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(array.data())


def test_image_preview(view: BodyView) -> None:
    view.show_body(_png(30, 20), "image/png")
    assert view.kind == "image"
    assert view.image_label.pixmap().size().width() == 30
    assert "30×20 px" in view.info.text()


def test_undecodable_image_shows_bytes(view: BodyView) -> None:
    view.show_body(b"\x89PNG\r\n\x1a\nnot really", "image/png")
    assert _tab_titles(view) == ["Binary"]
    assert "could not be decoded" in view.message.text()


def test_big_body_from_path_uses_paged_raw_view(view: BodyView, tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    line = "é" * 1000 + "\n"
    path.write_text(line * (FULL_TEXT_LIMIT // 1000 + 10), encoding="utf-8")
    view.show_body(path, "text/plain")
    raw = view.raw_view
    assert raw.paged and raw.page_count() > 1
    first = raw.text()
    assert first and "\ufffd" not in first  # pages never split a two-byte character
    raw.show_page(raw.page_count() - 1)
    assert raw.text().endswith("é\n") and "\ufffd" not in raw.text()
    view.clear()  # unmaps the file


def test_save_body_to_file(view: BodyView, tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    view.show_body(b'{"saved": true}', "application/json")
    view.save_button.click()
    dialog = view.save_dialog  # open(), not a nested event loop: the click returned at once
    assert dialog.isVisible() and dialog.selectedFiles()[0].endswith("response.json")
    dialog.fileSelected.emit(str(target))
    dialog.close()
    assert target.read_bytes() == b'{"saved": true}'
    assert not (tmp_path / "out.json.part").exists()


def test_save_failure_is_reported_inline(view: BodyView, tmp_path: Path) -> None:
    view.show_body(b"abc", "text/plain")
    assert not view.save_to(tmp_path / "missing-dir" / "x.txt")
    assert "Could not save" in view.message.text()


def test_open_file_in_viewer(qtbot: Any, tmp_path: Path) -> None:
    path = tmp_path / "saved.json"
    path.write_text('{"topic": {"id": 7}}', encoding="utf-8")
    viewer = open_file_in_viewer(path)
    qtbot.addWidget(viewer)
    assert viewer.kind == "json"
    assert viewer.json_view.model.root.value["topic"]["id"] == "7"
    with pytest.raises(FileNotFoundError):
        open_file_in_viewer(tmp_path / "nope.json")


def test_large_json_tree_is_built_on_the_next_event_loop_turn(
    qtbot: Any, view: BodyView, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("explorer.ui.body.body_view.DEFER_TREE_BYTES", 10)
    monkeypatch.setattr("explorer.core.jsontree.parse.EXACT_NUMBERS_LIMIT", 10)
    body = json.dumps({"stream": list(range(2000)), "title": "t"}).encode()
    with qtbot.waitSignal(view.shown) as shown:
        view.show_body(body, "application/json")
        assert view.tree_pending and view.json_view.model is None  # parse done, tree not yet built
    assert shown.args == ["json"] and not view.tree_pending
    assert view.json_view.document.engine == "simdjson"
    assert view.json_view.select_path(("stream", 1999))


def test_a_replaced_body_cancels_the_pending_tree(
    qtbot: Any, view: BodyView, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("explorer.ui.body.body_view.DEFER_TREE_BYTES", 100)
    view.show_body(json.dumps({"old": "x" * 200}).encode(), "application/json")
    assert view.tree_pending
    view.show_body(b'{"new": 1}', "application/json")
    QApplication.processEvents()  # runs the superseded deferred call; it must find nothing to do
    assert list(view.json_view.model.root.value) == ["new"]


def test_json_body_from_path_is_mapped_and_filterable(qtbot: Any, view: BodyView, tmp_path: Path) -> None:
    path = tmp_path / "streamed.json"
    path.write_bytes(json.dumps({"posts": [{"id": 1}, {"id": 2}]}).encode())
    view.show_body(path, None)
    assert view.kind == "json" and view._mmap is not None
    bar = view.json_view.filter_bar
    bar.edit.setText("[.posts[].id] | add")
    with qtbot.waitSignal(bar.applied):
        bar.apply()
    assert view.json_view.model.root.fetch_all()[0].value == "3"
    view.clear()
    assert view._mmap is None


def test_small_json_raw_view_is_highlighted(view: BodyView) -> None:
    view.show_body(b'{"a": [1, true, "s"]}', "application/json")
    view.tabs.setCurrentIndex(1)
    raw = view.raw_view
    assert raw.highlighter is not None and not raw.paged
    block = raw.editor.document().firstBlock()
    colours = {fmt.format.foreground().color().name() for fmt in block.layout().formats()}
    assert len(colours) >= 3  # key, number, literal, string get their own colours


def test_text_uses_the_declared_charset(view: BodyView) -> None:
    view.show_body("café".encode("latin-1"), "text/plain; charset=ISO-8859-1")
    assert view.raw_view.text() == "café"
    view.show_body("café".encode("latin-1"), "text/plain; charset=no-such-charset")
    assert view.raw_view.text() == "caf\ufffd"
