"""cURL export: readable, copy-pasteable commands, secrets masked, and export → import as a round trip."""

from __future__ import annotations

import json
import shlex
import shutil
import string
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.core.curl import import_curl, to_curl
from explorer.core.prepared import Body, FilePart, PreparedRequest

KEY = "9" * 64


def same_request(a: PreparedRequest, b: PreparedRequest) -> None:
    assert (a.method, a.url, a.query, a.headers, a.body) == (b.method, b.url, b.query, b.headers, b.body)


def round_trip(request: PreparedRequest, **options) -> PreparedRequest:
    return import_curl(to_curl(request, reveal_secrets=True, **options), catalogs={}).request


def test_export_layout_one_option_per_line() -> None:
    request = PreparedRequest(
        "POST",
        "https://forum.example.org/posts.json",
        headers=(("Api-Key", KEY), ("Api-Username", "system")),
        body=Body("json", {"raw": "It's here", "topic_id": 7}),
    )
    assert to_curl(request) == (
        "curl https://forum.example.org/posts.json \\\n"
        "  -H 'Api-Key: <redacted>' \\\n"
        "  -H 'Api-Username: system' \\\n"
        "  -H 'Content-Type: application/json' \\\n"
        """  --data-raw '{"raw": "It'"'"'s here", "topic_id": 7}'"""
    )


def test_export_is_valid_posix_shell() -> None:
    request = PreparedRequest(
        "PUT",
        "https://h/t/1.json",
        query=(("q", "a b&c"),),
        headers=(("X-Quote", 'it\'s "fine"'),),
        body=Body("form", fields=(("title", "don't $(rm -rf) `x`"),)),
    )
    argv = shlex.split(to_curl(request, multiline=False))
    assert argv == [
        "curl",
        "-X",
        "PUT",
        "https://h/t/1.json?q=a+b%26c",
        "-H",
        'X-Quote: it\'s "fine"',
        "--data-raw",
        "title=don%27t+%24%28rm+-rf%29+%60x%60",
    ]


def test_secrets_are_masked_everywhere_unless_revealed() -> None:
    request = PreparedRequest(
        "POST",
        "https://disqus.com/api/create_post/",
        query=(("api_version", "1.1"), ("user_api_key", KEY)),
        headers=(("Authorization", "Basic c2VjcmV0"),),
        body=Body("form", fields=(("forum_api_key", KEY), ("message", "hi"))),
    )
    masked = to_curl(request)
    assert KEY not in masked and "c2VjcmV0" not in masked
    assert "user_api_key=<redacted>" in masked  # readable, not percent-encoded
    assert "Authorization: <redacted>" in masked
    back = import_curl(masked, catalogs={})
    same_request(back.request, request.masked())
    assert any("<redacted>" in note for note in back.notes)
    revealed = to_curl(request, reveal_secrets=True)
    assert KEY in revealed and "c2VjcmV0" in revealed


def test_json_body_secrets_are_masked() -> None:
    request = PreparedRequest("POST", "https://h/x", body=Body("json", {"api_key": KEY, "raw": "x"}))
    assert KEY not in to_curl(request)


def test_method_flags() -> None:
    assert to_curl(PreparedRequest("GET", "https://h/x")) == "curl https://h/x"
    assert to_curl(PreparedRequest("HEAD", "https://h/x")) == "curl -I https://h/x"
    assert to_curl(PreparedRequest("DELETE", "https://h/x")) == "curl -X DELETE https://h/x"
    assert to_curl(PreparedRequest("POST", "https://h/x")).startswith("curl -X POST ")
    with_body = to_curl(PreparedRequest("POST", "https://h/x", body=Body("form", fields=(("a", "1"),))))
    assert "-X" not in with_body


def test_curl_options_round_trip() -> None:
    request = PreparedRequest("GET", "http://disqus.com/api/get_forum_list")
    text = to_curl(request, follow_redirects=True, insecure=True, http10=True, multiline=False)
    assert text == "curl http://disqus.com/api/get_forum_list -L -k -0"
    imported = import_curl(text, catalogs={})
    assert (imported.follow_redirects, imported.insecure, imported.http10) == (True, True, True)


def test_multipart_with_files_round_trips(tmp_path: Path) -> None:
    (tmp_path / "a;b.png").write_bytes(b"\x89PNG\x00data")
    (tmp_path / "notes.txt").write_bytes(b"plain")
    request = PreparedRequest(
        "POST",
        "https://h/uploads.json",
        headers=(("Api-Key", KEY), ("Api-Username", "system")),
        body=Body(
            "multipart",
            fields=(("type", "composer"), ("odd", "@looks;type=like a file"), ("synchronous", "true")),
            files=(
                FilePart("file", "a;b.png", b"\x89PNG\x00data", "image/png"),
                FilePart("extra", "notes.txt", b"plain"),
            ),
        ),
    )
    text = to_curl(request, reveal_secrets=True)
    assert "--form-string 'odd=@looks;type=like a file'" in text
    same_request(import_curl(text, base_dir=tmp_path, catalogs={}).request, request)


def test_multipart_file_is_written_with_its_full_path(tmp_path: Path) -> None:
    upload = tmp_path / "shots" / "ux-upload.png"
    upload.parent.mkdir()
    upload.write_bytes(b"\x89PNG")
    part = FilePart("file", "ux-upload.png", b"\x89PNG", "image/png", str(upload))
    request = PreparedRequest("POST", "https://h/uploads.json", body=Body("multipart", files=(part,)))
    argv = shlex.split(to_curl(request, multiline=False))
    assert argv[-2:] == ["-F", f"file=@{upload};type=image/png"]
    # Imported from anywhere else, the command still finds the file, and remembers where it is.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    imported = import_curl(to_curl(request), base_dir=elsewhere, catalogs={}).request
    assert imported.body.files == (part,)
    assert imported.body.files[0].path == str(upload)


def test_multipart_path_with_separators_and_another_filename(tmp_path: Path) -> None:
    folder = tmp_path / 'we;ird, "dir"'
    folder.mkdir()
    (folder / "a b.txt").write_bytes(b"notes")
    part = FilePart("doc", "renamed;x.txt", b"notes", "text/plain", str(folder / "a b.txt"))
    request = PreparedRequest("POST", "https://h/u", body=Body("multipart", files=(part,)))
    text = to_curl(request, multiline=False)
    assert ";filename=" in text  # curl would otherwise send the path's own base name
    imported = import_curl(text, base_dir=tmp_path, catalogs={}).request.body.files[0]
    assert (imported, imported.path) == (part, part.path)


def test_multipart_part_without_a_path_falls_back_to_its_filename() -> None:
    part = FilePart("file", "logo.png", b"x", "image/png")
    request = PreparedRequest("POST", "https://h/u", body=Body("multipart", files=(part,)))
    assert shlex.split(to_curl(request, multiline=False))[-1] == "file=@logo.png;type=image/png"


file_names = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/\0"), min_size=1, max_size=10
).filter(lambda n: n not in (".", ".."))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(file_names, file_names), min_size=1, max_size=3), st.booleans())
def test_multipart_paths_round_trip(names: list[tuple[str, str]], multiline: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        parts = []
        for i, (directory, filename) in enumerate(names):
            where = Path(folder) / str(i) / directory
            where.mkdir(parents=True)
            data = filename.encode()
            (where / "data.bin").write_bytes(data)
            parts.append(FilePart(f"f{i}", filename, data, "text/plain", str(where / "data.bin")))
        request = PreparedRequest("POST", "https://h/u", body=Body("multipart", files=tuple(parts)))
        imported = import_curl(to_curl(request, multiline=multiline), base_dir=Path(folder), catalogs={})
        assert imported.request.body.files == tuple(parts)
        assert [f.path for f in imported.request.body.files] == [f.path for f in parts]


def test_raw_body_round_trips() -> None:
    request = PreparedRequest(
        "POST", "https://h/x", body=Body("raw", raw="line 1\nline 'two'\n", content_type="text/csv")
    )
    same_request(round_trip(request), request)


def test_custom_content_types_round_trip() -> None:
    for body in (
        Body("json", {"a": 1}, content_type="application/json; charset=utf-8"),
        Body("form", fields=(("a", "1"),), content_type="application/x-www-form-urlencoded; charset=utf-8"),
    ):
        request = PreparedRequest("POST", "https://h/x", body=body)
        same_request(round_trip(request), request)


def test_empty_header_value_round_trips() -> None:
    request = PreparedRequest("GET", "https://h/x", headers=(("X-Empty", ""), ("Accept", "*/*")))
    assert "-H 'X-Empty;'" in to_curl(request)
    same_request(round_trip(request), request)


# --- property-based round trip ---

# Any text except lone surrogates (which cannot be encoded at all).
any_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
# Header values: printable, no line breaks, no surrounding spaces (curl trims them).
header_value = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=16).map(
    str.strip
)
header_name = st.text(string.ascii_letters + string.digits + "-", min_size=1, max_size=16).filter(
    lambda n: n[0].isalpha() and n.lower() != "content-type"
)
segment = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=8).map(
    lambda s: quote(s, safe="")
)
urls = st.builds(
    lambda scheme, host, segments, ext: f"{scheme}://{host}/" + "/".join(segments) + ext,
    st.sampled_from(["http", "https"]),
    st.sampled_from(["forum.example.org", "127.0.0.1:8080", "[::1]:3000", "disqus.com"]),
    st.lists(segment, max_size=4),
    st.sampled_from(["", ".json", "/"]),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | any_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(any_text, inner, max_size=4),
    max_leaves=12,
)
pairs = st.lists(st.tuples(any_text, any_text), max_size=5).map(tuple)
bodies = (
    st.none()
    | st.builds(lambda v: Body("json", json_value=v), json_values)
    | pairs.map(lambda f: Body("form", fields=f))
)


@st.composite
def requests(draw) -> PreparedRequest:
    method = draw(st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"]))
    body = None if method == "HEAD" else draw(bodies)
    return PreparedRequest(
        method=method,
        url=draw(urls),
        query=draw(pairs),
        headers=tuple(draw(st.lists(st.tuples(header_name, header_value), max_size=4))),
        body=body,
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests(), st.booleans())
def test_export_then_import_gives_the_same_request(request: PreparedRequest, multiline: bool) -> None:
    same_request(round_trip(request, multiline=multiline), request)


@pytest.mark.skipif(shutil.which("sh") is None, reason="no POSIX shell on this machine")
def test_a_real_shell_reads_the_export_as_intended() -> None:
    request = PreparedRequest(
        "PATCH",
        "https://h/x",
        query=(("q", "it's $HOME"),),
        headers=(("X-A", 'say "hi" `now`'),),
        body=Body("json", {"text": "¡olé!\n'quoted' \\ back"}),
    )
    command = to_curl(request)
    # Let the shell parse the command, with printf standing in for curl, and compare the words it sees.
    script = "printf '%s\\0'" + command[len("curl") :]
    out = subprocess.run(["sh", "-c", script], capture_output=True, check=True).stdout.decode("utf-8")
    words = out.split("\0")[:-1]
    assert words == ["-X", "PATCH", request.full_url(), "-H", 'X-A: say "hi" `now`', "-H",
                     "Content-Type: application/json", "--data-raw", json.dumps(request.body.json_value,
                     ensure_ascii=False)]  # fmt: skip
