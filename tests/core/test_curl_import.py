"""cURL import: requests, bodies, files, catalog matching, lint findings, and the seed documents' examples."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from explorer.core.catalog.model import Api
from explorer.core.curl import CurlError, bundled_catalogs, import_curl, to_curl
from explorer.core.prepared import Body, FilePart


@pytest.fixture(scope="module")
def catalogs():
    found = bundled_catalogs()
    if set(found) != set(Api):
        pytest.skip("the bundled catalogs are not both available")
    return found


def test_get_with_query_and_headers() -> None:
    imported = import_curl(
        "curl 'https://forum.example.org/search.json?q=hello%20world&page=2&flag' -H 'Api-Key: k' "
        "-H 'Api-Username: system'",
        catalogs={},
    )
    request = imported.request
    assert request.method == "GET"
    assert request.url == "https://forum.example.org/search.json"
    assert request.query == (("q", "hello world"), ("page", "2"), ("flag", ""))
    assert request.headers == (("Api-Key", "k"), ("Api-Username", "system"))
    assert request.body is None


def test_data_makes_a_post_form_body() -> None:
    imported = import_curl("curl https://h/x -d 'a=1' -d 'b=two+words&c=%26'", catalogs={})
    assert imported.request.method == "POST"
    assert imported.request.body == Body("form", fields=(("a", "1"), ("b", "two words"), ("c", "&")))


def test_data_urlencode_forms() -> None:
    imported = import_curl(
        "curl https://h/x --data-urlencode 'raw=a & b = c' --data-urlencode '=x y' --data-urlencode 'é'",
        catalogs={},
    )
    body = imported.request.body
    assert body.kind == "raw"  # "x%20y" alone is not a name=value pair
    assert body.raw == "raw=a%20%26%20b%20%3D%20c&x%20y&%C3%A9"
    assert body.content_type == "application/x-www-form-urlencoded"
    pairs = import_curl("curl https://h/x --data-urlencode 'title=A & B' --data-urlencode 'n=1'", catalogs={})
    assert pairs.request.body == Body("form", fields=(("title", "A & B"), ("n", "1")))


def test_json_body_absorbs_its_content_type_header() -> None:
    imported = import_curl(
        """curl -X PUT https://h/t/5.json -H 'Content-Type: application/json' -H 'Accept: */*' """
        """--data-raw '{"title": "New", "tags": ["a", "b"]}'""",
        catalogs={},
    )
    request = imported.request
    assert request.method == "PUT"
    assert request.headers == (("Accept", "*/*"),)
    assert request.body == Body("json", json_value={"title": "New", "tags": ["a", "b"]})


def test_json_option_sets_json_headers() -> None:
    request = import_curl("""curl https://h/x --json '{"a": 1}'""", catalogs={}).request
    assert request.body == Body("json", json_value={"a": 1})
    assert request.header("Accept") == "application/json"
    assert request.header("Content-Type") is None


def test_invalid_json_is_kept_as_text_with_a_note() -> None:
    imported = import_curl(
        """curl https://h/x -H 'Content-Type: application/json' -d '{"a": '""", catalogs={}
    )
    assert imported.request.body == Body("raw", raw='{"a": ', content_type="application/json")
    assert any("not valid JSON" in note for note in imported.notes)


def test_json_without_content_type_stays_what_curl_sends_with_a_note() -> None:
    imported = import_curl("""curl https://h/x -d '{"a": "b=c"}'""", catalogs={})
    assert imported.request.body == Body(
        "raw", raw='{"a": "b=c"}', content_type="application/x-www-form-urlencoded"
    )
    assert any("looks like JSON" in note for note in imported.notes)


def test_other_content_types_make_a_raw_body() -> None:
    request = import_curl(
        "curl https://h/x -H 'Content-Type: text/csv' --data-binary 'a,b\n1,2'", catalogs={}
    ).request
    assert request.body == Body("raw", raw="a,b\n1,2", content_type="text/csv")
    assert request.headers == ()


def test_get_flag_moves_data_to_the_query() -> None:
    request = import_curl(
        "curl -G https://h/search.json?x=1 -d q=foo --data-urlencode 'term=a b'", catalogs={}
    ).request
    assert request.method == "GET"
    assert request.query == (("x", "1"), ("q", "foo"), ("term", "a b"))
    assert request.body is None


def test_explicit_get_with_data_keeps_a_body() -> None:
    request = import_curl("curl -X GET https://h/t/1/posts.json -d 'post_ids[]=3'", catalogs={}).request
    assert request.method == "GET"
    assert request.body == Body("form", fields=(("post_ids[]", "3"),))


def test_head_option() -> None:
    assert import_curl("curl -I https://h/x", catalogs={}).request.method == "HEAD"


def test_user_option_becomes_basic_auth() -> None:
    request = import_curl("curl -u 'me:pa:ss' https://h/x", catalogs={}).request
    assert request.header("Authorization") == "Basic " + base64.b64encode(b"me:pa:ss").decode()
    assert request.masked().header("Authorization") == "<redacted>"


def test_user_and_password_in_the_url_become_basic_auth_and_leave_the_url() -> None:
    imported = import_curl("curl 'https://me:pa%40ss@h:8080/x?a=1'", catalogs={})
    request = imported.request
    assert request.url == "https://h:8080/x" and request.query == (("a", "1"),)
    assert request.header("Authorization") == "Basic " + base64.b64encode(b"me:pa@ss").decode()
    exported = to_curl(request)  # masked in exports like any other credential
    assert "pa%40ss" not in exported and request.header("Authorization") not in exported
    assert any("Authorization header" in note for note in imported.notes)
    # -u wins over the URL's user info, as in curl.
    request = import_curl("curl -u other:pw https://me:secret@h/x", catalogs={}).request
    assert request.url == "https://h/x"
    assert request.header("Authorization") == "Basic " + base64.b64encode(b"other:pw").decode()


def test_agent_referer_cookie_and_bearer_headers() -> None:
    request = import_curl(
        "curl -A 'bot/1.0' -e https://ref.example/ -b '_t=abc' --oauth2-bearer tok https://h/x", catalogs={}
    ).request
    assert dict(request.headers) == {
        "User-Agent": "bot/1.0",
        "Referer": "https://ref.example/",
        "Cookie": "_t=abc",
        "Authorization": "Bearer tok",
    }


def test_header_forms() -> None:
    request = import_curl(
        "curl https://h/x -H 'X-Empty;' -H 'X-Removed:' -H 'X-A:  spaced  '", catalogs={}
    ).request
    assert request.headers == (("X-Empty", ""), ("X-A", "spaced"))


def test_malformed_header_is_an_error_naming_it() -> None:
    with pytest.raises(CurlError, match=r"-H 'Api-Key' at line 1, column 21 is not a header"):
        import_curl("curl https://h/x -H 'Api-Key'", catalogs={})


def test_multipart_form_fields_with_type_attributes_and_form_string() -> None:
    request = import_curl(
        "curl https://h/uploads.json -F 'type=composer' -F 'note=\"a;b\"' -F 'c=x;type=text/plain' "
        "--form-string 'literal=@not-a-file'",
        catalogs={},
    ).request
    assert request.method == "POST"
    assert request.body == Body(
        "multipart", fields=(("type", "composer"), ("note", "a;b"), ("c", "x"), ("literal", "@not-a-file"))
    )


def test_file_arguments_are_refused_without_a_base_dir() -> None:
    with pytest.raises(CurlError, match=r"-F .* reads the file 'logo.png'"):
        import_curl("curl https://h/uploads.json -F 'file=@logo.png'", catalogs={})
    with pytest.raises(CurlError, match=r"-d @body.txt at line 1, column 21 reads the file 'body.txt'"):
        import_curl("curl https://h/x -d @body.txt", catalogs={})


def test_file_arguments_are_read_from_the_base_dir(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(b"\x89PNG-bytes")
    (tmp_path / "body.txt").write_text("a=1\nb=2\n")
    upload = import_curl(
        "curl https://h/uploads.json -F 'type=avatar' -F 'file=@logo.png;type=image/png'",
        base_dir=tmp_path,
        catalogs={},
    ).request
    assert upload.body.files == (FilePart("file", "logo.png", b"\x89PNG-bytes", "image/png"),)
    assert upload.body.fields == (("type", "avatar"),)
    form = import_curl("curl https://h/x -d @body.txt", base_dir=tmp_path, catalogs={}).request
    # curl strips the line breaks of `-d @file`.
    assert form.body == Body("form", fields=(("a", "1b=2"),))


def test_missing_file_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(CurlError, match=r"cannot read 'nope.bin'"):
        import_curl("curl https://h/x -F 'f=@nope.bin'", base_dir=tmp_path, catalogs={})


def test_data_and_form_together_are_an_error() -> None:
    with pytest.raises(CurlError, match="cannot be combined"):
        import_curl("curl https://h/x -d a=1 -F b=2", catalogs={})


def test_url_without_scheme_and_unsupported_scheme() -> None:
    imported = import_curl("curl forum.example.org/latest.json", catalogs={})
    assert imported.request.url == "http://forum.example.org/latest.json"
    assert any("no scheme" in note for note in imported.notes)
    with pytest.raises(CurlError, match="Unsupported URL scheme 'ftp'"):
        import_curl("curl ftp://h/file", catalogs={})


def test_relative_and_empty_urls_resolve_against_a_base_url() -> None:
    rel = import_curl("curl /latest.json?page=1", base_url="https://h/forum/", catalogs={}).request
    assert (rel.url, rel.query) == ("https://h/forum/latest.json", (("page", "1"),))
    empty = import_curl('curl -X POST ""', catalogs={})
    assert empty.request.url == ""
    assert any("URL is empty" in note for note in empty.notes)


@pytest.mark.parametrize(
    ("base", "fragment"),
    [("forum.example.org", "must start with http://"), ("http://[::1", "is not a valid URL")],
)
def test_a_base_url_that_is_not_a_site_address_is_a_curl_error(base: str, fragment: str) -> None:
    with pytest.raises(CurlError, match=rf"^Base URL: {fragment}"):
        import_curl('curl -X POST ""', base_url=base, catalogs={})


def test_placeholders_get_a_note() -> None:
    imported = import_curl("curl https://h/x -H 'Api-Key: <redacted>'", catalogs={})
    assert any("<redacted>" in note for note in imported.notes)


@pytest.mark.parametrize(
    "data",
    [
        "-d 'forum_api_key=<redacted>&message=hi'",
        "-d 'forum_api_key=%3Credacted%3E&message=hi'",
        '-H \'Content-Type: application/json\' -d \'{"auth": {"api_key": "<redacted>"}}\'',
        "--form-string 'api_secret=<redacted>' -F 'type=composer'",
        "-H 'Content-Type: text/plain' --data-raw 'key <redacted>'",
    ],
)
def test_placeholders_in_the_body_get_the_note_too(data: str) -> None:
    imported = import_curl(f"curl https://h/x {data}", catalogs={})
    assert imported.request.body is not None
    assert [note for note in imported.notes if "<redacted>" in note and "fill in" in note]


def test_an_exported_masked_body_reimports_with_the_note() -> None:
    source = import_curl("curl https://h/api/x -d 'user_api_key=K1234567&message=hi'", catalogs={})
    assert not any("<redacted>" in note for note in source.notes)
    again = import_curl(to_curl(source.request), catalogs={})
    assert any("<redacted>" in note for note in again.notes)


def test_discourse_match_with_path_parameters(catalogs) -> None:
    imported = import_curl("curl https://forum.example.org/t/42.json", catalogs=catalogs)
    assert imported.match is not None
    assert (imported.match.api, imported.match.path_params, imported.match.prefix) == (
        Api.DISCOURSE,
        {"id": "42"},
        "",
    )
    assert imported.request.api == "discourse"
    assert imported.request.method_id == imported.match.method_id
    assert catalogs[Api.DISCOURSE].method(imported.match.method_id).path == "/t/{id}.json"


def test_discourse_subfolder_site_matches_by_suffix(catalogs) -> None:
    imported = import_curl("curl https://example.org/community/u/jane%20doe.json", catalogs=catalogs)
    assert imported.match.prefix == "/community"
    assert imported.match.path_params == {"username": "jane doe"}
    assert imported.match.method.path == "/u/{username}.json"


def test_longer_literal_path_wins_over_a_suffix_reading(catalogs) -> None:
    imported = import_curl("curl https://h/t/5/posts.json", catalogs=catalogs)
    assert imported.match.method.path == "/t/{id}/posts.json"
    assert imported.match.prefix == ""


def test_verb_must_fit(catalogs) -> None:
    get = import_curl("curl https://h/posts.json", catalogs=catalogs).match
    post = import_curl("curl https://h/posts.json -d raw=x", catalogs=catalogs).match
    assert get.method.verb == "GET" and post.method.verb == "POST"
    assert get.method_id != post.method_id
    assert import_curl("curl -X PATCH https://h/posts.json", catalogs=catalogs).match is None


def test_path_without_json_extension_still_matches(catalogs) -> None:
    assert import_curl("curl https://h/latest", catalogs=catalogs).match.method.path == "/latest.json"


def test_disqus_match_with_or_without_slash_and_prefix(catalogs) -> None:
    for url in (
        "https://disqus.com/api/get_thread_list/",
        "https://disqus.com/api/get_thread_list",
        "http://127.0.0.1:8765/disqus/api/get_thread_list/",
    ):
        match = import_curl(f"curl '{url}?forum_id=1'", catalogs=catalogs).match
        assert (match.api, match.method_id) == (Api.DISQUS, "get_thread_list")


def test_unknown_path_has_no_match(catalogs) -> None:
    imported = import_curl("curl https://h/nothing/here.json", catalogs=catalogs)
    assert imported.match is None and imported.request.method_id is None


def test_import_lints_with_the_matched_method(catalogs) -> None:
    imported = import_curl(
        "curl https://disqus.com/api/create_post/ -d user_api_key=KEY -d thread_id=1 -d api_version=1.1",
        catalogs=catalogs,
    )
    assert "disqus-wrong-key" in {f.code for f in imported.findings}


def test_import_lints_discourse_query_credentials() -> None:
    imported = import_curl(
        "curl -X PUT 'https://forum.example.org/t/9.json?api_key=KEY&api_username=system' -d 'title=x'",
        catalogs={},
    )
    finding = next(f for f in imported.findings if f.code == "discourse-query-auth")
    fixed = finding.fix.apply(imported.request)
    assert fixed.query == () and fixed.header("Api-Username") == "system"


# --- the seed documents' own examples ---


def _between(text: str, start: str, end: str) -> str:
    i = text.index(start)
    return text[i : text.index(end, i) + len(end)]


def test_discourse_seed_example_imports_and_lints_clean(shared_dir: Path, catalogs) -> None:
    seed = (shared_dir / "seeds" / "discourse-api-seed.txt").read_text(encoding="utf-8")
    command = _between(seed, 'curl -X POST ""', 'text_color=f0fcfd"')
    imported = import_curl(command, base_url="https://forum.example.org/categories.json", catalogs=catalogs)
    request = imported.request
    assert request.method == "POST"
    assert request.header("Api-Username") == "discourse1"
    assert len(request.header("Api-Key")) == 64
    assert request.header("Content-Type") is None  # multipart: the boundary is added when sending
    assert request.body.kind == "multipart"
    assert [name for name, _ in request.body.fields] == ["name", "color", "text_color"]
    assert imported.match is not None and imported.match.method.path == "/categories.json"
    # The seed shows the header-based way: nothing to complain about.
    assert list(imported.findings) == []


def test_discourse_seed_example_without_a_base_url_keeps_the_empty_url(shared_dir: Path) -> None:
    seed = (shared_dir / "seeds" / "discourse-api-seed.txt").read_text(encoding="utf-8")
    imported = import_curl(_between(seed, 'curl -X POST ""', 'text_color=f0fcfd"'), catalogs={})
    assert imported.request.url == "" and imported.match is None
    assert not [f for f in imported.findings if f.severity.value == "error"]


def test_disqus_seed_example_imports_and_lints(shared_dir: Path, catalogs) -> None:
    seed = (shared_dir / "seeds" / "disqus-api-1.1-seed.txt").read_text(encoding="utf-8")
    command = _between(seed, "$ curl -0 -L", 'api_version=1.1"')  # the URL sits on the next line
    imported = import_curl(command, catalogs=catalogs)
    assert (imported.follow_redirects, imported.http10) == (True, True)
    assert imported.request.url == "http://disqus.com/api/get_forum_list"
    assert imported.request.query == (("user_api_key", "API_KEY_HERE"), ("api_version", "1.1"))
    assert (imported.match.api, imported.match.method_id) == (Api.DISQUS, "get_forum_list")
    codes = {f.code for f in imported.findings}
    assert codes == {
        "insecure-transport",
        "disqus-missing-trailing-slash",
        "disqus-keys-in-url",
        "disqus-legacy-api",
    }
    request = imported.request
    for finding in imported.findings:
        if finding.fix:
            request = finding.fix.apply(request)
    assert request.full_url().startswith("https://disqus.com/api/get_forum_list/?")


def test_text_with_bytes_that_are_not_utf8_is_a_curl_error_naming_the_spot() -> None:
    with pytest.raises(CurlError, match=r"byte 0xe9 at line 2, column 18 is not UTF-8 text"):
        import_curl("curl https://forum.example.com/latest.json \\\n  -H 'X-Note: caf\udce9'", catalogs={})
