"""Secrets stay hidden in masked results (response headers, echoes, notes) and in every repr."""

from __future__ import annotations

import subprocess
import sys
from urllib.parse import quote

import explorer.core.http as http_package
from explorer.core.http import ExecutionResult, mask_header, mask_text, request_secrets, scrub
from explorer.core.prepared import SECRET_PLACEHOLDER, Body, PreparedRequest

KEY = "Zq9SECRETkey" + "x" * 40
OTHER = "Yw7OTHERsecret" + "y" * 30
BASE = "https://disqus.example/api/get_forum_list"


def disqus_get() -> PreparedRequest:
    return PreparedRequest("GET", BASE, query=(("user_api_key", KEY), ("api_version", "1.1")))


def redirect_result(*headers: tuple[str, str]) -> ExecutionResult:
    return ExecutionResult(
        request=disqus_get(),
        status=301,
        headers=(("Location", f"{BASE}/?user_api_key={KEY}&api_version=1.1"), *headers),
        final_url=f"{BASE}?user_api_key={KEY}&api_version=1.1",
    )


def test_the_location_of_a_redirect_is_masked_and_stays_a_url() -> None:
    shown = redirect_result().masked()
    location = shown.header("Location") or ""
    assert KEY not in location
    assert location == f"{BASE}/?user_api_key={quote(SECRET_PLACEHOLDER)}&api_version=1.1"
    # The same spelling as the masked final URL, so the window shows one form.
    assert shown.final_url.split("?")[1] == location.split("?")[1]


def test_other_response_headers_are_masked_where_they_carry_secrets() -> None:
    result = redirect_result(
        ("Link", f'<{BASE}/?cursor=2&user_api_key={KEY}>; rel="next"'),
        ("Refresh", f"0; url={BASE}/?forum_api_key={OTHER}"),
        ("Set-Cookie", "_t=sessiontoken123; path=/; HttpOnly"),
        ("X-Echo", f"your key was {KEY}"),
        ("X-Echo-Encoded", quote(f"k={KEY}+", safe="")),
        ("Api-Key", OTHER),
        ("Content-Type", "application/json; charset=utf-8"),
        ("X-Discourse-Username", "system"),
    )
    shown = result.masked()
    assert KEY not in repr(shown.headers) and OTHER not in repr(shown.headers)
    assert shown.header("Link") == f'<{BASE}/?cursor=2&user_api_key=%3Credacted%3E>; rel="next"'
    assert shown.header("Refresh") == f"0; url={BASE}/?forum_api_key=%3Credacted%3E"
    assert shown.header("Set-Cookie") == "_t=<redacted>; path=/; HttpOnly"
    assert shown.header("X-Echo") == "your key was <redacted>"
    assert shown.header("Api-Key") == SECRET_PLACEHOLDER
    # Ordinary headers are untouched.
    assert shown.header("Content-Type") == "application/json; charset=utf-8"
    assert shown.header("X-Discourse-Username") == "system"
    # The unmasked result still has everything (the executor and the body view need it).
    assert result.header("X-Echo") == f"your key was {KEY}"


def test_errors_notes_and_redirects_lose_echoed_keys() -> None:
    result = ExecutionResult(
        request=disqus_get(),
        error=f"The URL 'https://x/?user_api_key={KEY}' cannot be sent",
        notes=(f"Redirect to {BASE}/?user_api_key={quote(KEY)} not followed.",),
        redirects=((301, f"{BASE}/?user_api_key={KEY}"),),
    )
    shown = result.masked()
    assert KEY not in (shown.error or "") and "cannot be sent" in (shown.error or "")
    assert KEY not in shown.notes[0] and shown.notes[0].startswith("Redirect to")
    assert KEY not in shown.redirects[0][1]


def test_request_secrets_and_scrub() -> None:
    request = PreparedRequest(
        "POST",
        "https://forum.example/posts.json",
        headers=(("Api-Key", KEY), ("Api-Username", "system"), ("Authorization", f"Bearer {OTHER}")),
        body=Body("json", json_value={"raw": "hello", "api_key": "short"}),
    )
    found = request_secrets(request)
    # Short values are not collected: masking "short" everywhere would garble ordinary text.
    assert KEY in found and OTHER in found and "short" not in found and "system" not in found
    assert scrub(f"a {KEY} b {quote(OTHER)}", found) == "a <redacted> b <redacted>"
    assert mask_header("Location", "/latest.json") == "/latest.json"


def test_prepared_request_repr_hides_secrets_everywhere() -> None:
    request = PreparedRequest(
        "POST",
        "https://forum.example/posts.json",
        query=(("api_key", KEY),),
        headers=(("User-Api-Key", OTHER), ("Accept", "application/json")),
        body=Body("json", json_value={"title": "t", "auth": {"api_key": KEY}, "list": [{"api_secret": KEY}]}),
    )
    text = repr(request)
    assert KEY not in text and OTHER not in text
    assert text.startswith("PreparedRequest(method='POST', url='https://forum.example/posts.json'")
    assert "('Accept', 'application/json')" in text and "'title': 't'" in text
    assert text.count(SECRET_PLACEHOLDER) == 4
    assert KEY not in str(request) and KEY not in f"{request!r}"


def test_body_repr_masks_form_multipart_and_form_like_raw_text() -> None:
    form = Body("form", fields=(("forum_api_key", KEY), ("message", "hi")))
    raw = Body("raw", raw=f"message=hi&user_api_key={KEY}", content_type="text/plain")
    for body in (form, raw, Body("multipart", fields=(("api_secret", KEY),))):
        assert KEY not in repr(body) and SECRET_PLACEHOLDER in repr(body)
        assert repr(body).startswith("Body(kind=")
    assert "message=hi" in repr(raw)


def test_execution_result_repr_hides_request_sent_and_received_secrets() -> None:
    result = ExecutionResult(
        request=disqus_get(),
        status=301,
        headers=(("Location", f"{BASE}/?user_api_key={KEY}"),),
        sent_headers=(("Api-Key", OTHER),),
        final_url=f"{BASE}?user_api_key={KEY}",
    )
    text = repr(result)
    assert KEY not in text and OTHER not in text
    assert text.startswith("ExecutionResult(request=PreparedRequest(method='GET'") and "status=301" in text


def test_equality_and_hash_still_compare_the_real_values() -> None:
    first, second = disqus_get(), disqus_get()
    assert first == second and hash(first) == hash(second)
    assert first != first.masked()  # the masked copy looks the same in a repr but is not equal
    assert repr(first) == repr(first.masked())
    body = Body("form", fields=(("api_key", KEY),))
    assert body == Body("form", fields=(("api_key", KEY),)) and body != body.masked()
    assert hash(body) == hash(Body("form", fields=(("api_key", KEY),)))
    result = redirect_result()
    assert result == redirect_result() and result != result.masked()
    assert hash(result) == hash(redirect_result())
    # Masking makes copies: the originals keep the real values.
    assert ("user_api_key", KEY) in first.query
    assert KEY in (result.header("Location") or "")


def test_mask_text_hides_what_looks_secret_in_messages() -> None:
    hex_key = "0f" * 32
    assert mask_text("read as http://h/x?user_api_key=abc&page=2") == (
        "read as http://h/x?user_api_key=%3Credacted%3E&page=2"
    )
    assert mask_text("-x http://bob:pw123@proxy:8080") == "-x http://bob:<redacted>@proxy:8080"
    assert mask_text(f"-H 'Api-Key: {hex_key}'") == "-H 'Api-Key: <redacted>'"
    assert mask_text("-H 'Api-Username: system'") == "-H 'Api-Username: system'"
    assert mask_text(f"A second URL '{hex_key}' at line 1") == "A second URL '<redacted>' at line 1"
    assert mask_text("'forum_api_key=abc' here") == "'forum_api_key=<redacted>' here"
    # Ordinary words, slugs and method names stay readable.
    plain = "GET /t/a-very-long-topic-slug-about-things/123 get_thread_posts createTopicPostPM 2026"
    assert mask_text(plain) == plain


def test_every_exported_name_resolves_and_masking_does_not_load_the_http_client() -> None:
    for name in http_package.__all__:
        assert getattr(http_package, name) is not None
    code = "import sys, explorer.core.curl, explorer.core.http.masking; print('httpx' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_request_secrets_finds_keys_nested_in_a_json_body_and_in_form_text() -> None:
    nested = PreparedRequest(
        "POST",
        "https://f.example.org/x",
        body=Body(
            kind="json",
            json_value={"auth": {"api_key": "nested-key-123"}, "list": [{"api_key": "in-a-list-9"}]},
        ),
    )
    assert sorted(request_secrets(nested)) == ["in-a-list-9", "nested-key-123"]
    raw = PreparedRequest(
        "POST", "https://f.example.org/x", body=Body(kind="raw", raw="a=1&api_key=raw-form-key")
    )
    assert request_secrets(raw) == ["raw-form-key"]


def test_json_typed_as_a_raw_body_has_its_secret_members_masked_and_its_layout_kept() -> None:
    from explorer.core.prepared import Body

    one, two = "raw-json-secret-1", "raw-json-secret-2"
    text = f'{{\n  "api_key": "{one}",\n  "auth": {{"Api-Key":"{two}"}},\n  "title": "a=b"\n}}'
    masked = Body(kind="raw", raw=text).masked().raw
    assert masked is not None
    assert one not in masked and two not in masked
    assert masked == text.replace(one, "<redacted>").replace(two, "<redacted>")
    assert "raw-json-secret-1" not in repr(Body(kind="raw", raw=text))
