"""Fuzz: the cURL importer takes any text and either imports it or raises CurlError naming the problem."""

from __future__ import annotations

import shlex

from hypothesis import given
from hypothesis import strategies as st

from explorer.core.curl import CurlError, import_curl
from explorer.core.curl.to_request import bundled_catalogs
from tests.fuzz.conftest import FUZZ

OPTIONS = ["-X", "-H", "-d", "--data-raw", "--data-urlencode", "--json", "-F", "-u", "-G", "-L", "-k",
           "-I", "--url", "-A", "-e", "-b", "--compressed", "-s", "-o", "-m", "--oauth2-bearer", "-sSL",
           "-XPOST"]  # fmt: skip
WORDS = st.one_of(
    st.sampled_from(OPTIONS),
    st.text(max_size=40),
    st.sampled_from(["https://forum.example.org/latest.json", "http://h/t/1.json?api_key=abc123def456ghi789",
                     "Api-Key: x", "a=1&b=2", '{"a": 1}', "@file", "\\", "'", '"', "$'\\x00'", "|", "#"]),
)  # fmt: skip


@FUZZ
@given(st.text(max_size=400))
def test_any_text(text: str) -> None:
    try:
        imported = import_curl(text, catalogs={})
    except CurlError as exc:
        assert str(exc)
    else:
        assert imported.request.method


@FUZZ
@given(st.lists(WORDS, max_size=12))
def test_any_words_after_curl(words: list[str]) -> None:
    text = "curl " + " ".join(words)
    try:
        import_curl(text, catalogs=bundled_catalogs())
    except CurlError as exc:
        assert str(exc)


@FUZZ
@given(
    path=st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_./", max_size=30),
    headers=st.lists(
        st.tuples(
            st.from_regex(r"[A-Za-z][A-Za-z0-9-]{0,15}", fullmatch=True),
            st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=30),
        ),
        max_size=5,
    ),
)
def test_quoted_words_round_trip(path: str, headers: list[tuple[str, str]]) -> None:
    url = "https://forum.example.org/" + path.lstrip("/")
    words = ["curl", url]
    for name, value in headers:
        words += ["-H", f"{name}: {value}"]
    imported = import_curl(shlex.join(words), catalogs={})
    assert imported.request.url.startswith("https://forum.example.org/")
    sent = {k.lower(): v for k, v in imported.request.headers}
    for name, _value in headers:
        assert name.lower() in sent
    assert len(imported.request.headers) >= len({n.lower() for n, _ in headers})
