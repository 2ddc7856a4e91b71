"""The cURL importer and linter on hostile input: bounded reads, big inputs, no echoed keys, control
characters refused, a byte order mark and a trailing backslash read as a shell would."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from explorer.core.curl import CurlError, import_curl
from explorer.core.curl.body import MAX_FILE_BYTES
from explorer.core.http.masking import mask_text

KEY = "f00dfeed" * 8  # a Discourse-style 64-hex-digit key
LETTERS_KEY = "QwErTyUiOpAsDfGhJkLzXcVbNmQwErTyUiOpAsDfGhJkLz"  # letters only: not key-like to mask_text
URL = "https://forum.example.org/latest.json"


def error_of(text: str, **kwargs: object) -> str:
    with pytest.raises(CurlError) as caught:
        import_curl(text, catalogs={}, **kwargs)  # type: ignore[arg-type]
    return str(caught.value)


# -- item 6: bounded and linear ------------------------------------------------------------------------


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
@pytest.mark.timeout(60)
def test_data_from_dev_zero_is_refused_after_a_bounded_read(tmp_path: Path) -> None:
    message = error_of(f"curl -d @/dev/zero {URL}", base_dir=tmp_path)
    assert f"larger than {MAX_FILE_BYTES // 2**20} MB" in message and "/dev/zero" in message


@pytest.mark.timeout(60)
def test_a_file_at_the_limit_is_read_and_one_byte_more_is_not(tmp_path: Path) -> None:
    (tmp_path / "ok.bin").write_bytes(b"a=1")
    imported = import_curl(f"curl -d @ok.bin {URL}", base_dir=tmp_path, catalogs={})
    assert imported.request.body is not None and imported.request.body.fields == (("a", "1"),)
    with (tmp_path / "big.bin").open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk space used
    assert "larger than" in error_of(f"curl -F f=@big.bin {URL}", base_dir=tmp_path)


@pytest.mark.timeout(60)
def test_a_100_kb_stray_word_is_an_error_quickly_without_being_echoed() -> None:
    word = ("a1b2c3d4e5" * 10_001)[:100_000]
    message = error_of(f"curl {URL} {word}")
    assert "second URL (a word of 100000 characters" in message
    assert word[:32] not in message and len(message) < 400


@pytest.mark.timeout(60)
def test_100000_header_options() -> None:
    headers = " ".join(f"-H 'X-H{i}: v{i}'" for i in range(100_000))
    imported = import_curl(f"curl {URL} {headers}", catalogs={})
    assert len(imported.request.headers) == 100_000
    assert imported.request.headers[-1] == ("X-H99999", "v99999")


@pytest.mark.timeout(60)
def test_a_1_mb_command() -> None:
    body = "x" * 500_000
    words = " ".join(f"-H 'X-{i}: {i}'" for i in range(20_000))
    imported = import_curl(f"curl -X POST {URL} {words} -d 'raw={body}'", catalogs={})
    assert imported.request.body is not None and imported.request.body.fields == (("raw", body),)


@pytest.mark.timeout(60)
def test_masking_a_huge_word_is_correct() -> None:
    run = "a" * 200_000 + "1"
    assert mask_text(run) == "<redacted>"
    assert mask_text("b" * 200_000) == "b" * 200_000
    colonless = "X" * 200_000
    assert mask_text(colonless) == colonless


# -- item 7: keys never echoed; control characters; BOM; trailing backslash ---------------------------


@pytest.mark.parametrize("key", [KEY, LETTERS_KEY])
def test_a_header_without_its_colon_does_not_echo_the_key(key: str) -> None:
    message = error_of(f"curl {URL} -H 'Api-Key {key}'")
    assert key not in message and key[:16] not in message
    assert "Api-Key" in message and "not a header" in message


@pytest.mark.parametrize("key", [KEY, LETTERS_KEY])
def test_a_stray_word_does_not_echo_the_key(key: str) -> None:
    # `-H Api-Key: KEY` without quotes: the shell splits it, and the key becomes a second URL.
    message = error_of(f"curl {URL} -H Api-Key: {key}")
    assert key not in message and key[:16] not in message


@pytest.mark.parametrize(
    ("url", "named"),
    [
        ("https://h.example/a\x00b", "a NUL character"),
        ("https://h.example/a\rb", "a carriage return (CR)"),
        ("https://h.example/a\nb", "a line break (LF)"),
        ("https://h.example/a b", "a space"),
        ("https://h.example/a\x01b", "the control character U+0001"),
    ],
)
def test_control_characters_and_spaces_in_the_url_are_errors(url: str, named: str) -> None:
    escaped = url.encode("unicode_escape").decode()
    assert named in error_of(f"curl $'{escaped}'")  # written as a bash $'...' string
    assert named in error_of(f"curl '{url}'")  # pasted as it is, inside quotes


def test_a_raw_nul_in_an_unquoted_url() -> None:
    assert "a NUL character" in error_of("curl https://h.example/a\x00b")


@pytest.mark.parametrize("value", ["a\\r\\nInjected: 1", "a\\nb", "a\\x00b", "a\\rb"])
def test_control_characters_in_a_header_are_errors(value: str) -> None:
    message = error_of(f"curl {URL} -H $'X-Trace: {value}'")
    assert "X-Trace" in message and "cannot hold" in message


def test_a_tab_inside_a_header_value_is_allowed() -> None:
    imported = import_curl(f"curl {URL} -H $'X-Trace: a\\tb'", catalogs={})
    assert ("X-Trace", "a\tb") in imported.request.headers


@pytest.mark.parametrize("method", ["GE\\nT", "GET\\r\\nX-Evil: 1", "GET /x HTTP/1.1", "P\\x00OST"])
def test_control_characters_in_the_method_are_errors(method: str) -> None:
    message = error_of(f"curl -X $'{method}' {URL}")
    assert "The method given with -X contains" in message


def test_a_byte_order_mark_is_not_a_second_url() -> None:
    imported = import_curl(f"\ufeffcurl {URL}", catalogs={})
    assert imported.request.url == URL


@pytest.mark.parametrize("ending", ["\\", "\\\n", "\\  ", "\\ \t\n", " \\\r\n"])
def test_a_trailing_backslash_is_not_a_second_url(ending: str) -> None:
    imported = import_curl(f"curl {URL} -H 'X-A: 1' {ending}", catalogs={})
    assert imported.request.url == URL and ("X-A", "1") in imported.request.headers


def test_a_backslash_with_trailing_spaces_continues_the_line() -> None:
    imported = import_curl(f"curl {URL} \\  \n  -H 'X-A: 1'", catalogs={})
    assert ("X-A", "1") in imported.request.headers


@pytest.mark.parametrize("verb", ["GE\nT", "GET /x HTTP/1.1", "P\x00OST", "GET\r"])
def test_a_free_form_verb_with_control_characters_is_an_error(verb: str) -> None:
    from explorer.core.catalog.loader import load_bundled_catalogs
    from explorer.core.lifecycle import RequestSpec, prepare

    preparation = prepare(RequestSpec(verb=verb, url="https://h.example/x"), load_bundled_catalogs(), None)
    assert preparation.request is None and "the verb must be one word" in preparation.errors["method"]


@pytest.mark.parametrize(
    ("url", "named"),
    [("https://h.example/a b", "a space"), ("https://h.example/a\r\nb", "a carriage return")],
)
def test_a_free_form_url_with_control_characters_is_an_error(url: str, named: str) -> None:
    from explorer.core.catalog.loader import load_bundled_catalogs
    from explorer.core.lifecycle import RequestSpec, prepare

    preparation = prepare(RequestSpec(verb="GET", url=url), load_bundled_catalogs(), None)
    assert preparation.request is None and named in preparation.errors["url"]
