"""Every mode of `explorer request` and `explorer lint` keeps keys out of stdout and stderr unless asked.

The server here echoes everything it receives (query, headers, body) into its status body, a header
and a redirect's Location, the way Disqus repeats a key it cannot read and a redirect repeats the query.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import pytest

from explorer.cli import lint, request
from explorer.core.http import execute_sync
from explorer.core.paths import AppPaths
from explorer.core.prepared import PreparedRequest
from explorer.core.settings import Settings, save_settings

# A Discourse-style key (hex), a Disqus-style key (letters and digits) and one that looks like no key at
# all, so the masking by name is tested, not only the masking of key-shaped words.
HEX_KEY = "5ec7e7" + "9a1b" * 14 + "c0de"
DISQUS_KEY = "D15qu5" + "SecretKeyZq" * 5 + "x9"
WORDY = "hunter2-correct_horse-battery"
SECRETS = (HEX_KEY, DISQUS_KEY, WORDY)


class _Echo(BaseHTTPRequestHandler):
    """Answers every request with what it received: /redirect/… with a 301, everything else with a 401."""

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        headers = " | ".join(f"{k}: {v}" for k, v in self.headers.items())
        echo = f"{self.command} {self.path} | {headers} | {body}"
        if self.path.startswith("/redirect"):
            self.send_response(301)
            self.send_header("Location", self.path.replace("/redirect", "/fail", 1))
        else:
            self.send_response(401)
        payload = json.dumps({"message": f"cannot read {echo}"}).encode()
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Echo", quote(echo, safe=" /:|=&?"))
        self.send_header("Set-Cookie", f"session={HEX_KEY}; path=/")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = _answer

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


def assert_no_secret(text: str) -> None:
    for secret in SECRETS:
        for form in (secret, quote(secret, safe="")):
            assert form not in text, f"{secret[:6]}… appears in:\n{text}"


def run(command, argv: list[str], capsys) -> tuple[int, str]:
    code = command.main(argv)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_the_echo_server_really_repeats_the_keys(echo_url: str) -> None:
    # Without this, the tests below could pass because nothing was ever echoed.
    sent = execute_sync(
        PreparedRequest(
            "GET", f"{echo_url}/redirect/x", query=(("api_key", WORDY),), headers=(("Api-Key", HEX_KEY),)
        )
    )
    assert sent.status == 301
    assert WORDY in (sent.header("Location") or "") and HEX_KEY in sent.text()
    assert HEX_KEY in (sent.header("X-Echo") or "")


DISCOURSE = ["discourse", "listLatestTopics", "--auth", f"api_key={HEX_KEY}", "api_username=system"]
DISCOURSE_WORDY = ["discourse", "createTopicPostPM", "raw=hello world", "--auth", f"api_key={WORDY}"]
DISQUS = ["disqus", "get_forum_list", "--auth", f"user_api_key={DISQUS_KEY}", f"forum_api_key={WORDY}"]
MODES = [[], ["--json"], ["--dry-run"], ["--dry-run", "--json"]]


@pytest.mark.parametrize("follow", [False, True], ids=["stop-at-redirects", "follow-redirects"])
@pytest.mark.parametrize("mode", MODES, ids=lambda m: " ".join(m) or "send")
@pytest.mark.parametrize("where", ["/redirect", "/fail"])
@pytest.mark.parametrize(
    "command", [DISCOURSE, DISCOURSE_WORDY, DISQUS], ids=["discourse", "wordy", "disqus"]
)
def test_request_in_every_mode_prints_no_key(
    command, where, mode, follow, echo_url: str, capsys, app_home: Path
) -> None:
    save_settings(AppPaths.default(), Settings(follow_redirects=follow))
    code, printed = run(request, [*command, "--base-url", echo_url + where, *mode], capsys)
    assert code in (0, 1)
    assert printed.strip()
    assert_no_secret(printed)
    if "--dry-run" not in mode:
        assert "<redacted>" in printed  # the echo arrived, masked


@pytest.mark.parametrize(
    "argv",
    [
        # No answer at all: the error names the URL.
        [*DISQUS, "--base-url", "http://127.0.0.1:9"],
        [*DISCOURSE, "--base-url", "http://127.0.0.1:9", "--json"],
        # Bad input: exit 2 with the problems listed.
        ["discourse", "getTopic", "--auth", HEX_KEY, "--dry-run"],
        ["discourse", "getTopic", "--auth", WORDY, "--base-url", "https://f.example.org", "--dry-run"],
        ["discourse", "getTopic", "--base-url", "ftp://x", "--auth", f"api_key={WORDY}", "--dry-run"],
        ["discourse", "getTopic", "id=1", "--auth", f"api_key={WORDY}", f"apikey={WORDY}", "--dry-run"],
        ["discourse", "getTopic", "id=1", "--auth", f"api_key={WORDY}\nx", "--dry-run"],
        [
            "disqus",
            "get_forum_list",
            "--auth",
            f"user_api_key={DISQUS_KEY}",
            "--base-url",
            "nope",
            "--dry-run",
        ],
        ["disqus", "no_such_method", "--auth", f"user_api_key={DISQUS_KEY}"],
        # A lint warning that names the credentials (a key over plain HTTP to another machine).
        [
            "discourse",
            "listLatestTopics",
            "--base-url",
            "http://forum.example.org",
            "--auth",
            f"api_key={WORDY}",
            "--dry-run",
        ],
    ],
)
def test_errors_and_warnings_print_no_key(argv: list[str], capsys, app_home: Path) -> None:
    code, printed = run(request, argv, capsys)
    assert code in (0, 1, 2)
    assert printed.strip() and "Traceback" not in printed
    assert_no_secret(printed)


def test_show_secrets_prints_the_keys_the_user_asked_for(capsys, app_home: Path) -> None:
    base = ["--base-url", "https://f.example.org", "--dry-run"]
    code, printed = run(request, [*DISCOURSE, *base, "--show-secrets"], capsys)
    assert code == 0 and f"Api-Key: {HEX_KEY}" in printed
    code, printed = run(request, [*DISCOURSE, *base, "--json", "--show-secrets"], capsys)
    assert json.loads(printed[printed.index("{") :])["headers"]["Api-Key"] == HEX_KEY
    code, printed = run(request, [*DISCOURSE, *base], capsys)
    assert HEX_KEY not in printed and "Api-Key: <redacted>" in printed


def test_show_secrets_when_sending_shows_the_echo_as_it_came(echo_url: str, capsys, app_home: Path) -> None:
    code, printed = run(
        request, [*DISQUS, "--base-url", echo_url + "/fail", "--json", "--show-secrets"], capsys
    )
    assert code == 1 and DISQUS_KEY in printed


CURL_COMMANDS = [
    f"curl 'https://forum.example.org/latest.json?api_key={WORDY}&api_username=system'",
    f"curl -X POST https://forum.example.org/posts.json -d 'raw=hi&api_key={WORDY}&api_username=system'",
    f"curl https://forum.example.org/posts.json -H 'Content-Type: application/json' "
    f'-d \'{{"api_key": "{WORDY}"}}\'',
    f"curl http://forum.example.org/latest.json -H 'Api-Key: {WORDY}' -H 'Origin: https://blog.example.com'",
    f"curl -u 'admin:{WORDY}' https://forum.example.org/latest.json",
    f"curl 'https://admin:{WORDY}@forum.example.org/latest.json'",
    f"curl 'forum.example.org/latest.json?api_key={WORDY}'",  # no scheme: a note repeats the URL
    f"curl https://disqus.com/api/get_forum_list?user_api_key={DISQUS_KEY}",
    f"curl --proxy-user 'bob:{WORDY}' -x 'http://bob:{WORDY}@proxy:3128' https://forum.example.org/latest.json",
    f"curl -U 'bob:{WORDY}' https://forum.example.org/latest.json",
    f"curl https://forum.example.org/latest.json -b 'session={WORDY}'",
    # Errors that quote what was typed.
    f"curl https://forum.example.org/latest.json -H Api-Key: {HEX_KEY}",  # lost quotes: a second "URL"
    f"curl 'https://forum.example.org/latest.json?api_key={WORDY}' 'https://forum.example.org/?api_key={WORDY}'",
    f"curl https://forum.example.org/latest.json -H 'Api-Key {HEX_KEY}'",
    f"curl 'https://forum.example.org:99999/latest.json?api_key={WORDY}'",
    f"curl -F 'api_key' https://forum.example.org/uploads.json -F '{HEX_KEY}'",
]


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
@pytest.mark.parametrize("command", CURL_COMMANDS)
def test_lint_prints_no_key(command: str, as_json: bool, capsys) -> None:
    code, printed = run(lint, [*(["--json"] if as_json else []), command], capsys)
    assert code in (0, 1, 2)
    assert printed.strip() and "Traceback" not in printed
    assert_no_secret(printed)


def test_json_response_headers_are_masked_but_still_readable(echo_url: str, capsys, app_home: Path) -> None:
    code = request.main([*DISQUS, "--base-url", echo_url + "/redirect", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["status"] == 301
    location = data["headers"]["location"]
    assert location.startswith("/fail/api/get_forum_list/?") and "user_api_key=%3Credacted%3E" in location
    assert data["headers"]["set-cookie"] == "session=<redacted>; path=/"
    assert data["headers"]["content-type"] == "application/json"
    assert "<redacted>" in data["body"] and "cannot read GET /redirect/api/get_forum_list/" in data["body"]
