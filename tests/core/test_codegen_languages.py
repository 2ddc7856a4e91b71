"""Python, Ruby and JavaScript exports: valid code, a client library's method where it has one, else HTTP."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from explorer.core.codegen import export_code
from explorer.core.prepared import Body, FilePart, PreparedRequest

KEY = "adm1n" + "a" * 59
BASE = "https://forum.example.com/sub"
ADMIN_HEADERS = (("Accept", "application/json"), ("Api-Key", KEY), ("Api-Username", "system"))
TEXT = 'It\'s "quoted" #{not_ruby} ${not_js} \\ é 🙂\nsecond line'


def _discourse(
    verb: str,
    path: str,
    method_id: str | None,
    *,
    query: tuple[tuple[str, str], ...] = (),
    headers: tuple[tuple[str, str], ...] = ADMIN_HEADERS,
    body: Body | None = None,
) -> PreparedRequest:
    return PreparedRequest(
        verb, BASE + path, query=query, headers=headers, body=body, api="discourse", method_id=method_id
    )


UPLOAD = _discourse(
    "POST",
    "/uploads.json",
    "createUpload",
    body=Body(
        "multipart",
        fields=(("type", "composer"), ("note", TEXT)),
        files=(FilePart("file", "shot.png", b"x", "image/png", path="/home/me/my pictures/shot.png"),),
    ),
)
SAMPLES = [
    _discourse("GET", "/latest.json", "listLatestTopics", query=(("page", "1"),)),
    _discourse("GET", "/search.json", "search", query=(("q", TEXT), ("page", "2"))),
    _discourse(
        "GET",
        "/t/9/posts.json",
        "getSpecificPostsFromTopic",
        query=(("post_ids[]", "1"), ("post_ids[]", "2")),
    ),
    _discourse(
        "POST", "/posts.json", "createTopicPostPM", body=Body("json", json_value={"title": TEXT, "raw": TEXT})
    ),
    _discourse(
        "POST",
        "/posts.json",
        "createTopicPostPM",
        body=Body("form", fields=(("topic_id", "9"), ("raw", TEXT))),
    ),
    _discourse(
        "POST",
        "/posts.json",
        "createTopicPostPM",
        body=Body(
            "json",
            json_value={
                "title": "t",
                "raw": TEXT,
                "target_recipients": "alice",
                "archetype": "private_message",
            },
        ),
    ),
    _discourse(
        "PUT",
        "/t/-/9.json",
        "updateTopic",
        body=Body("json", json_value={"topic": {"title": TEXT, "n": [1, 2.5, None, True]}}),
    ),
    _discourse(
        "GET",
        "/latest.json",
        "listLatestTopics",
        headers=(("User-Api-Key", KEY), ("User-Api-Client-Id", "x")),
    ),
    UPLOAD,
    _discourse("DELETE", "/t/9.json", "removeTopic"),
    _discourse("POST", "/raw", None, body=Body("raw", raw=TEXT, content_type="text/plain")),
    _discourse("PATCH", "/x", None, body=Body("form", fields=(("a", "1"), ("a", "2"), ("b", TEXT)))),
    PreparedRequest(
        "GET", "https://disqus.com/api/get_forum_list/", query=(("user_api_key", KEY),), api="disqus"
    ),
]


@pytest.mark.parametrize("fmt", ["python", "pydiscourse"])
def test_python_exports_compile(fmt: str) -> None:
    for request in SAMPLES:
        code = export_code(request, fmt)
        compile(code, f"<{fmt} {request.method_id}>", "exec")


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_javascript_exports_parse(tmp_path: Path) -> None:
    for index, request in enumerate(SAMPLES):
        script = tmp_path / f"r{index}.mjs"
        script.write_text(export_code(request, "javascript"), encoding="utf-8")
        checked = subprocess.run(
            ["node", "--check", str(script)], capture_output=True, text=True, check=False
        )
        assert checked.returncode == 0, checked.stderr


@pytest.mark.skipif(shutil.which("ruby") is None, reason="ruby is not installed")
def test_ruby_exports_parse(tmp_path: Path) -> None:
    for index, request in enumerate(SAMPLES):
        script = tmp_path / f"r{index}.rb"
        script.write_text(export_code(request, "ruby"), encoding="utf-8")
        checked = subprocess.run(["ruby", "-c", str(script)], capture_output=True, text=True, check=False)
        assert checked.returncode == 0, checked.stderr


def test_pydiscourse_is_used_where_it_has_a_method() -> None:
    latest, search, posts, topic, reply = (export_code(r, "pydiscourse") for r in SAMPLES[:5])
    assert "from pydiscourse import DiscourseClient" in latest
    assert f'"{BASE}"' in latest  # the site's address, a subfolder kept
    assert 'client.latest_topics(page="1")' in latest
    assert 'api_key=os.environ["DISCOURSE_API_KEY"]' in latest and KEY not in latest
    assert "client.search(" in search and 'page="2"' in search
    assert 'client.posts("9", **{"post_ids[]": ["1", "2"]})' in posts
    assert "client.create_post(" in topic and "title=" in topic
    assert "client.create_post(" in reply and 'topic_id="9"' in reply


@pytest.mark.parametrize(
    ("request_", "reason"),
    [
        (SAMPLES[7], "not User-Api-Key"),
        (SAMPLES[8], "pydiscourse has no method for createUpload"),
        (SAMPLES[6], "pydiscourse has no method for updateTopic"),
        (SAMPLES[12], "not a Discourse catalog method"),
    ],
)
def test_pydiscourse_falls_back_to_httpx_and_says_why(request_: PreparedRequest, reason: str) -> None:
    code = export_code(request_, "pydiscourse")
    assert "import httpx" in code and "pydiscourse import" not in code
    comment = next(line for line in code.splitlines() if line.startswith("# "))
    assert reason in comment and "the same request with httpx" in comment


def test_the_gem_is_used_where_it_has_a_method() -> None:
    latest = export_code(SAMPLES[0], "ruby")
    assert 'require "discourse_api"' in latest
    assert f'DiscourseApi::Client.new("{BASE}")' in latest
    assert 'client.api_key = ENV.fetch("DISCOURSE_API_KEY")' in latest
    assert 'client.latest_topics({page: "1"})' in latest
    assert "client.create_topic(" in export_code(SAMPLES[3], "ruby")
    assert "client.create_post(" in export_code(SAMPLES[4], "ruby")
    assert "client.create_pm(" in export_code(SAMPLES[5], "ruby")
    assert 'client.delete_topic("9")' in export_code(SAMPLES[9], "ruby")
    # Ruby would interpolate #{…} in double quotes: every # is escaped.
    assert "\\#{not_ruby}" in export_code(SAMPLES[3], "ruby")


def test_the_gem_falls_back_to_net_http_and_says_why() -> None:
    dropped = _discourse("GET", "/posts/5.json", "getPost", query=(("include_raw", "true"),))
    for request, reason in (
        (SAMPLES[7], "not User-Api-Key"),
        (UPLOAD, "no method for createUpload"),
        (dropped, "drops the parameters include_raw"),
    ):
        code = export_code(request, "ruby")
        assert 'require "net/http"' in code and "discourse_api" not in code.replace("discourse_api gem", "")
        assert reason in code


def test_uploads_keep_the_full_path() -> None:
    path = "/home/me/my pictures/shot.png"
    for fmt in ("python", "ruby", "javascript"):
        assert f'"{path}"' in export_code(UPLOAD, fmt), fmt


def test_javascript_sets_the_json_type_and_builds_the_query_safely() -> None:
    code = export_code(SAMPLES[1], "javascript")
    assert "url.searchParams.append(name, value)" in code
    json_post = export_code(SAMPLES[3], "javascript")
    assert '["Content-Type", "application/json"]' in json_post and "JSON.stringify(" in json_post
    assert "new URLSearchParams(" in export_code(SAMPLES[4], "javascript")
