"""A key the server echoed back is masked in the window's Body (tree, detail pane, raw), Raw, Headers and
Request tabs, until the user ticks Show secrets; a streamed body gets a masked copy."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from explorer.core.http.result import ExecutionResult
from explorer.core.prepared import PreparedRequest
from explorer.ui.widgets.echoed_secrets import mask_file, secret_forms
from explorer.ui.widgets.response_pane import ResponsePane

KEY = "9f8e7d6c5b4a" * 5 + "abcd"  # 64 characters
USER_KEY = "Zq" * 20  # a key of letters only


def _result(body: bytes, *, path: Path | None = None) -> ExecutionResult:
    request = PreparedRequest(
        "GET",
        "http://127.0.0.1:1/latest.json",
        headers=(("Api-Key", KEY), ("Api-Username", "system"), ("User-Api-Key", USER_KEY)),
        api="discourse",
    )
    return ExecutionResult(
        request=request,
        status=200,
        reason="OK",
        headers=(("Content-Type", "application/json"), ("X-Echo", KEY)),
        body=b"" if path is not None else body,
        body_path=path,
        size=len(body),
        sent_headers=request.headers,
    )


def _everything_shown(pane: ResponsePane) -> str:
    view = pane.body_view
    parts = [
        pane.raw.toPlainText(),
        pane.request_view.toPlainText(),
        view.body_bytes().decode("utf-8", "replace"),
    ]
    parts += [view.raw_view.text(), view.json_view.detail.shown_text()]
    parts += [pane.headers.item(row, 1).text() for row in range(pane.headers.rowCount())]
    return "\n".join(parts)


def _echo_body() -> bytes:
    return json.dumps(
        {"you_sent": KEY, "nested": {"user_key": USER_KEY, "url": f"https://x/?api_key={quote(KEY)}"}}
    ).encode()


def test_echoed_keys_are_masked_until_show_secrets(qtbot: Any) -> None:
    pane = ResponsePane()
    qtbot.addWidget(pane)
    pane.show_result(_result(_echo_body()))
    view = pane.body_view
    assert view.json_view.select_path(("you_sent",))
    view.tabs.setCurrentWidget(view.raw_view)  # the body's own Raw tab fills when first shown
    shown = _everything_shown(pane)
    assert KEY not in shown and USER_KEY not in shown and quote(KEY) not in shown
    assert "<redacted>" in view.json_view.detail.shown_text()
    checkbox = pane.echoed_secrets.checkbox
    assert checkbox.isVisibleTo(pane) and not checkbox.isChecked()

    checkbox.setChecked(True)  # the user's explicit choice
    view.json_view.select_path(("you_sent",))
    assert KEY in view.json_view.detail.shown_text()
    assert KEY in pane.raw.toPlainText()
    # Headers and Request stay masked: the toggle is about what the server sent back in the body.
    assert KEY not in pane.request_view.toPlainText()

    pane.show_result(_result(b'{"plain": true}'))  # the next response starts masked, and has nothing to show
    assert not checkbox.isChecked() and not checkbox.isVisibleTo(pane)


def test_a_streamed_body_is_shown_from_a_masked_copy(qtbot: Any, tmp_path: Path) -> None:
    body = _echo_body()
    original = tmp_path / "explorer-body-1-a.bin"
    original.write_bytes(body)
    pane = ResponsePane()
    qtbot.addWidget(pane)
    pane.show_result(_result(body, path=original))
    view = pane.body_view
    assert KEY not in view.body_bytes().decode() and "<redacted>" in view.body_bytes().decode()
    assert original.read_bytes() == body  # the received body itself is untouched
    copies = [p for p in tmp_path.iterdir() if p != original]
    assert len(copies) == 1 and copies[0].name.startswith("explorer-body-")
    pane.show_result(_result(b"{}"))
    assert not copies[0].exists()  # the masked copy goes with the response it masked
    original.write_bytes(body)  # the previous one went with its response; another streamed body
    pane.show_result(_result(body, path=original))
    copies = [p for p in tmp_path.iterdir() if p != original]
    assert copies
    pane.discard_body_file()  # at exit
    assert not original.exists() and not any(p.exists() for p in copies)


def test_mask_file_finds_a_key_across_chunk_boundaries(tmp_path: Path, monkeypatch: Any) -> None:
    import explorer.ui.widgets.echoed_secrets as module

    monkeypatch.setattr(module, "_COPY_CHUNK", 7)
    source = tmp_path / "body.bin"
    source.write_bytes(b"x" * 5 + KEY.encode() + b"y" * 11 + KEY.encode())
    copy = mask_file(source, secret_forms([KEY]))
    assert copy.read_bytes() == b"x" * 5 + b"<redacted>" + b"y" * 11 + b"<redacted>"
