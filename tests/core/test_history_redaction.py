"""No key reaches the history file: not by name, not echoed back by a server in its body or headers.

The server here answers every request with what it received (query, headers, body) in its JSON body, a
header, a cookie and a redirect's Location, the way Disqus repeats a key it cannot read. Requests go over
real HTTP on 127.0.0.1 through the lifecycle, recorded by a HistoryRecorder as the window and the CLI do.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

from explorer.core.catalog.loader import load_bundled_catalogs
from explorer.core.catalog.model import Api
from explorer.core.history import HistoryFilter, HistoryRecorder, HistoryStore
from explorer.core.history.redact import scrub_bytes
from explorer.core.lifecycle import BodySpec, Pair, RequestSpec, Target, new_executor, prepare, send_sync

HEX_KEY = "5ec7e7" + "9a1b" * 14 + "c0de"
DISQUS_KEY = "D15qu5" + "SecretKeyZq" * 5 + "x9"
WORDY = "hunter2-correct_horse-battery"
BEARER = "tok.en+with/odd=chars~42"
SECRETS = (HEX_KEY, DISQUS_KEY, WORDY, BEARER)


class _Echo(BaseHTTPRequestHandler):
    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        headers = " | ".join(f"{k}: {v}" for k, v in self.headers.items())
        echo = f"{self.command} {self.path} | {headers} | {body}"
        self.send_response(301 if self.path.startswith("/redirect") else 401)
        if self.path.startswith("/redirect"):
            self.send_header("Location", self.path.replace("/redirect", "/fail", 1))
        message = json.dumps(f"cannot read {echo}")
        # The same again as PHP's json_encode writes it, slashes escaped.
        escaped = message.replace("/", "\\/")
        payload = f'{{"message": {message}, "escaped": {escaped}}}'.encode()
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Echo", quote(echo, safe=" /:|=&?"))
        self.send_header("Set-Cookie", f"session={HEX_KEY}; path=/")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = _answer

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="module")
def echo_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


def _forms(secret: str) -> set[bytes]:
    spellings = (secret, quote(secret, safe=""), quote_plus(secret, safe=""), secret.replace("/", "\\/"))
    return {f.encode() for f in (*spellings, secret.lower())}


def _send_all(echo_url: str, recorder: HistoryRecorder) -> None:
    catalogs = load_bundled_catalogs()
    discourse = Target(Api.DISCOURSE, echo_url + "/redirect", {"api_key": HEX_KEY, "api_username": "system"})
    disqus = Target(Api.DISQUS, echo_url + "/fail", {"user_api_key": DISQUS_KEY, "forum_api_key": WORDY})
    free_form = RequestSpec(
        verb="POST",
        url=f"{echo_url}/fail/posts.json?api_key={WORDY}",
        headers=(Pair("Authorization", f"Bearer {BEARER}"),),
        body=BodySpec(
            "json", json.dumps({"raw": "hi", "api_key": WORDY, "nested": {"user_api_key": DISQUS_KEY}})
        ),
    )
    unanswered = Target(Api.DISQUS, "http://127.0.0.1:9", {"user_api_key": DISQUS_KEY})
    for spec, target in (
        (RequestSpec(api="discourse", method_id="listLatestTopics", profile="Echo"), discourse),
        (RequestSpec(api="disqus", method_id="get_forum_list"), disqus),
        (free_form, None),
        (RequestSpec(api="disqus", method_id="get_forum_list"), unanswered),
    ):
        prepared = prepare(spec, catalogs, target)
        assert prepared.request is not None, prepared.errors
        send_sync(prepared.request, new_executor(timeout_s=5), spec=spec, observers=[recorder])


def test_no_key_is_in_the_history_file_even_when_the_server_echoes_it(echo_url: str, tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    recorder = HistoryRecorder(lambda: HistoryStore(path))
    _send_all(echo_url, recorder)
    assert recorder.flush(timeout=30) and recorder.last_error is None

    reader = HistoryStore(path)
    entries = reader.search()
    assert [e.status for e in entries] == [None, 401, 401, 301]
    # The echo arrived and was masked: placeholders stand where the keys were.
    bodies = [reader.body(e.id) or b"" for e in entries]
    assert all(b"<redacted>" in body for body in bodies[1:])
    details = [reader.get(e.id) for e in entries]
    assert details[1] is not None
    echo_header = details[1].as_result(bodies[1]).header("X-Echo") or ""
    assert "%3Credacted%3E" in echo_header or "<redacted>" in echo_header
    for entry, body in zip(details, bodies, strict=True):
        text = repr(entry) + body.decode("utf-8", "replace")
        for secret in SECRETS:
            assert not any(form.decode() in text for form in _forms(secret)), (secret, text)
    for secret in SECRETS:
        assert reader.search(HistoryFilter(text=secret)) == [], secret
    db = sqlite3.connect(path)
    db.execute("CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, entries_fts, 'row')")
    terms = {term for (term,) in db.execute("SELECT term FROM temp.terms")}
    db.close()
    assert "redacted" in terms and "cannot" in terms
    assert not {s.lower() for s in (HEX_KEY, DISQUS_KEY)} & terms and "hunter2" not in terms

    # The raw bytes of the database and of its write-ahead log, while open and after closing.
    files = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
    assert files[1].exists()
    for stage in ("open", "closed"):
        for file in files:
            if file.exists():
                raw = file.read_bytes()
                for secret in SECRETS:
                    assert not any(form in raw for form in _forms(secret)), (stage, file.name, secret)
        recorder.close()
        reader.close()


def test_scrub_bytes_finds_every_spelling_of_a_key() -> None:
    key = "a/b+c d=" + "k" * 12
    body = (
        f"plain {key} | percent {quote(key, safe='')} | plus {quote_plus(key, safe='')} | "
        f"json {json.dumps(key)}"
    ).encode()
    scrubbed = scrub_bytes(body, [key])
    assert scrubbed.count(b"<redacted>") == 4 and key.encode() not in scrubbed
    latin = "Schl\u00fcssel-0123456789".encode("latin-1")
    assert scrub_bytes(b"key=" + latin, ["Schl\u00fcssel-0123456789"], "latin-1") == b"key=<redacted>"
    assert scrub_bytes(b"\x89PNG\x00binary", [HEX_KEY]) == b"\x89PNG\x00binary"
