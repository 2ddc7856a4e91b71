"""Reading curl command lines: shell quoting, continuations, option forms and clear errors."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.core.curl import CurlError, import_curl
from explorer.core.curl.parse import parse_command
from explorer.core.curl.tokens import split_words
from explorer.core.lint import lint_request


def words(text: str) -> list[str]:
    return [w.text for w in split_words(text).words]


def test_single_and_double_quotes_and_escapes() -> None:
    assert words("""curl 'a b' "c \\"d\\" \\$e \\x" f\\ g""") == ["curl", "a b", 'c "d" $e \\x', "f g"]


def test_adjacent_quoted_parts_form_one_word() -> None:
    assert words("""-H 'it'"'"'s'""") == ["-H", "it's"]


def test_ansi_c_strings() -> None:
    assert words("""$'line1\\nline2\\t\\x41\\u00e9\\'q'""") == ["line1\nline2\tAé'q"]


def test_unsupported_ansi_escape_is_an_error_with_position() -> None:
    with pytest.raises(CurlError, match=r"\\c .*line 1, column 8"):
        split_words("curl $'\\c'")


def test_backslash_newline_continuations_and_crlf() -> None:
    assert words("curl \\\n  -X POST \\\r\n  'https://h/x'") == ["curl", "-X", "POST", "https://h/x"]


def test_newlines_inside_single_quotes_are_kept() -> None:
    assert words("curl -d 'a\nb'") == ["curl", "-d", "a\nb"]


def test_pipe_and_redirection_end_the_command_with_a_note() -> None:
    split = split_words("curl https://h/latest.json | jq .")
    assert [w.text for w in split.words] == ["curl", "https://h/latest.json"]
    assert "'|'" in split.notes[0] and "column 28" in split.notes[0]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("curl 'https://h/x", "Unterminated single quote starting at line 1, column 6"),
        ('curl -H "Api-Key: x\n https://h/x', "Unterminated double quote starting at line 1, column 9"),
        ("curl -X POST \\\n  -d $'abc", "Unterminated $'...' string starting at line 2, column 6"),
    ],
)
def test_unterminated_quotes_name_their_position(text: str, fragment: str) -> None:
    with pytest.raises(CurlError, match=__import__("re").escape(fragment)):
        import_curl(text, catalogs={})


def test_unknown_option_names_itself_and_its_position() -> None:
    with pytest.raises(CurlError, match=r"Unknown option --frobnicate at line 2, column 3"):
        import_curl("curl https://h/x \\\n  --frobnicate", catalogs={})


def test_unknown_short_option_in_a_cluster() -> None:
    with pytest.raises(CurlError, match=r"Unknown option -Z at line 1, column 9"):
        import_curl("curl -sSZ https://h/x", catalogs={})


def test_no_url_is_an_error() -> None:
    with pytest.raises(CurlError, match="No URL"):
        import_curl("curl -X POST -H 'Accept: */*'", catalogs={})


def test_option_without_its_value_is_an_error() -> None:
    with pytest.raises(CurlError, match=r"-H at line 1, column 18 needs a value"):
        import_curl("curl https://h/x -H", catalogs={})


def test_two_urls_are_an_error() -> None:
    with pytest.raises(CurlError, match="second URL 'https://h/b'"):
        import_curl("curl https://h/a https://h/b", catalogs={})
    # Another tool's command: the message shows the word that was taken for the first URL.
    with pytest.raises(
        CurlError, match=r"second URL 'https://h/a' .*\(the first was 'wget' at line 1, column 1\)"
    ):
        import_curl("wget https://h/a", catalogs={})


def test_empty_text_is_an_error() -> None:
    with pytest.raises(CurlError, match="empty"):
        import_curl("   \n ", catalogs={})


def test_refused_options_say_why() -> None:
    with pytest.raises(CurlError, match="-T .* not supported"):
        import_curl("curl -T file.txt https://h/x", catalogs={})


def test_curl_prefix_and_prompt_are_optional() -> None:
    for text in (
        "https://h/x -L",
        "curl https://h/x -L",
        "$ curl https://h/x -L",
        "/usr/bin/curl -L https://h/x",
    ):
        parsed = parse_command(text)
        assert parsed.url is not None and parsed.url.text == "https://h/x"
        assert parsed.location


def test_short_option_clusters_and_attached_values() -> None:
    parsed = parse_command("curl -sSLk -XPUT -H'Accept: text/plain' https://h/x")
    assert parsed.location and parsed.insecure
    assert parsed.method == "PUT"
    assert parsed.headers[0][0] == "Accept: text/plain"
    assert any("--silent" in note for note in parsed.notes)


def test_harmless_options_are_ignored_with_a_note() -> None:
    imported = import_curl("curl --compressed -o out.json --max-time 5 https://h/x", catalogs={})
    assert imported.request.url == "https://h/x"
    joined = " ".join(imported.notes)
    assert "--compressed" in joined and "--output" not in joined and "-o out.json" in joined
    assert "--max-time 5" in joined


def test_url_option_and_long_forms() -> None:
    imported = import_curl(
        "curl --request PATCH --url https://h/x --header 'X-A: 1' --location --insecure --http1.0",
        catalogs={},
    )
    assert imported.request.method == "PATCH"
    assert imported.request.headers == (("X-A", "1"),)
    assert (imported.follow_redirects, imported.insecure, imported.http10) == (True, True, True)


# --- arbitrary input never crashes ---

_PIECES = st.sampled_from(
    [
        "curl",
        " ",
        "-X",
        "-H",
        "-d",
        "-F",
        "-G",
        "-u",
        "-b",
        "--json",
        "--data-urlencode",
        "--url",
        "-sSL",
        "'",
        '"',
    ]
    + [
        "$'",
        "\\",
        "\n",
        "|",
        "=",
        "@",
        ";",
        ":",
        "&",
        "?",
        "http://h/",
        "https://[::1]:80/a",
        "http://h:99999/",
    ]
    + [
        "api_key=x",
        "Api_Key: y",
        "Content-Type: application/json",
        "{",
        "[",
        "é",
        "%",
        "/api/get_forum_list",
        "--",
    ]
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES | st.text(max_size=3), max_size=25).map("".join))
def test_any_text_imports_or_raises_curl_error_and_every_fix_removes_its_finding(text: str) -> None:
    try:
        imported = import_curl(text, catalogs={})
    except CurlError as exc:
        assert str(exc)
        return
    for finding in imported.findings:
        if finding.fix is not None:
            after = lint_request(finding.fix.apply(imported.request))
            assert finding.code not in {f.code for f in after}


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("curl http://[::1/x", "is malformed"),
        ("curl http://h:99999/x", "is malformed"),
        ("curl $'\\U00110000' https://h/", "not a Unicode character"),
    ],
)
def test_malformed_urls_and_escapes_are_curl_errors(text: str, fragment: str) -> None:
    with pytest.raises(CurlError, match=fragment):
        import_curl(text, catalogs={})
