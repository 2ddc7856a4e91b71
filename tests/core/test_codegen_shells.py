"""curl exports for sh, cmd.exe and PowerShell: each shell, reading its command, gives curl the same words.

sh is run for real; cmd.exe and PowerShell are read by small models of their rules (cmd.exe's percent and
caret phases, then the C runtime's argument splitting; PowerShell's single-quoted strings and + joins), so
the quoting is checked on any machine. tests/e2e/test_exported_code_runs.py runs pwsh when it is installed.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.core.codegen import export_code
from explorer.core.codegen.curl_args import curl_groups
from explorer.core.codegen.secrets import encode_pairs, full_url
from explorer.core.prepared import Body, FilePart, PreparedRequest

KEY = "k3y" + "9" * 40
USER_KEY = "u5e7" + "8" * 40
ENV = {
    "DISCOURSE_API_KEY": KEY,
    "DISQUS_USER_API_KEY": USER_KEY,
    "PATH": "C:\\Windows",
    "HOME": "C:\\Users\\me",
}
AWKWARD = 'It\'s 100% "quoted" & <b>|</b> ^caret! %PATH% $HOME `date` (x) \\ back\\ é 🙂 a%^%b tail\\'


def _requests(tmp: Path) -> list[PreparedRequest]:
    picture = tmp / "my files" / "it's 100% a picture;v2.png"
    return [
        PreparedRequest(
            "GET",
            "https://forum.example.com/search.json",
            query=(("q", AWKWARD), ("page", "2")),
            headers=(("Api-Key", KEY), ("Api-Username", "system")),
            api="discourse",
        ),
        PreparedRequest(
            "POST",
            "https://forum.example.com/posts.json",
            headers=(("Api-Key", KEY), ("Api-Username", "system")),
            body=Body(
                "json", json_value={"title": AWKWARD, "raw": AWKWARD, "nested": {"list": [1, True, None]}}
            ),
            api="discourse",
        ),
        PreparedRequest(
            "PUT",
            "https://forum.example.com/t/9.json",
            headers=(("Api-Key", KEY),),
            body=Body("form", fields=(("title", AWKWARD), ("tags[]", "a b"), ("tags[]", "c&d"))),
            api="discourse",
        ),
        PreparedRequest(
            "POST",
            "https://forum.example.com/uploads.json",
            headers=(("Api-Key", KEY),),
            body=Body(
                "multipart",
                fields=(("type", "composer"), ("note", AWKWARD)),
                files=(FilePart("file", picture.name, b"png", "image/png", path=str(picture)),),
            ),
            api="discourse",
        ),
        PreparedRequest(
            "GET",
            "https://disqus.com/api/get_forum_list/",
            query=(("user_api_key", USER_KEY), ("api_version", "1.1")),
            api="disqus",
        ),
        PreparedRequest(
            "POST",
            "https://forum.example.com/raw",
            body=Body(
                "raw", raw="line one\nline two with 'quotes' and \"more\"\n", content_type="text/plain"
            ),
        ),
    ]


def _expected_words(request: PreparedRequest) -> list[str]:
    """curl's arguments when the keys are in place (the export's own word list, secrets revealed)."""
    groups = curl_groups(request, full_url(request), encode_form=encode_pairs)
    return [word for group in groups for word in group]


# -- sh ------------------------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("sh") is None, reason="sh is not installed")
def test_sh_hands_curl_the_words_with_the_keys_from_the_environment(tmp_path: Path) -> None:
    for request in _requests(tmp_path):
        command = export_code(request, "curl")
        assert KEY not in command and USER_KEY not in command
        # printf shows each word curl would get, one per line with a separator no word holds.
        shown = subprocess.run(
            ["sh", "-c", "printf '%s\\0' " + command.removeprefix("curl ")],
            capture_output=True,
            env={**os.environ, **ENV, "PATH": os.environ.get("PATH", "")},
            check=True,
        ).stdout.decode("utf-8")
        assert ["curl", *shown.split("\0")[:-1]] == _expected_words(request)


# -- cmd.exe -------------------------------------------------------------------------------------------


def _cmd_percent_phase(line: str, env: dict[str, str]) -> str:
    """cmd.exe's first phase at the prompt: %NAME% of a defined variable is its value; an undefined one is
    kept, and the scan goes on from its closing %, which may open the next reference."""
    out: list[str] = []
    i = 0
    while i < len(line):
        if line[i] != "%":
            out.append(line[i])
            i += 1
            continue
        end = line.find("%", i + 1)
        if end == -1:
            out.append(line[i:])
            break
        name = line[i + 1 : end]
        found = {k.upper(): v for k, v in env.items()}.get(name.upper())
        if found is not None and name:
            out.append(found)
            i = end + 1
        else:
            out.append(line[i:end])
            i = end
    return "".join(out)


def _cmd_caret_phase(line: str) -> str:
    """cmd.exe's second phase: outside double quotes a caret takes the next character as it is (a caret
    before a line break joins the lines, and takes the character after the break)."""
    out: list[str] = []
    quoted = False
    i = 0
    while i < len(line):
        char = line[i]
        if quoted:
            quoted = char != '"'
            out.append(char)
        elif char == "^":
            i += 1
            if i < len(line) and line[i] == "\n":
                i += 1
            if i < len(line):
                out.append(line[i])
        elif char in "&|<>":
            raise AssertionError(f"cmd.exe would read an unescaped {char!r} as an operator: {line!r}")
        else:
            quoted = char == '"'
            out.append(char)
        i += 1
    return "".join(out)


def _runtime_split(line: str) -> list[str]:
    """The Microsoft C runtime's splitting of a command line into arguments (2008 and later)."""
    words: list[str] = []
    i, n = 0, len(line)
    while True:
        while i < n and line[i] in " \t\n":
            i += 1
        if i >= n:
            return words
        word: list[str] = []
        quoted = False
        while i < n and (quoted or line[i] not in " \t\n"):
            slashes = 0
            while i < n and line[i] == "\\":
                slashes += 1
                i += 1
            if i < n and line[i] == '"':
                word.append("\\" * (slashes // 2))
                if slashes % 2:
                    word.append('"')
                elif quoted and i + 1 < n and line[i + 1] == '"':
                    word.append('"')
                    i += 1
                else:
                    quoted = not quoted
                i += 1
            else:
                word.append("\\" * slashes)
                if i < n and (quoted or line[i] not in " \t\n"):
                    word.append(line[i])
                    i += 1
        words.append("".join(word))


def _cmd_words(command: str, env: dict[str, str]) -> list[str]:
    return _runtime_split(_cmd_caret_phase(_cmd_percent_phase(command, env)))


def test_cmd_hands_curl_the_same_words(tmp_path: Path) -> None:
    for request in _requests(tmp_path):
        command = export_code(request, "curl-cmd")
        assert KEY not in command and USER_KEY not in command
        assert "%DISCOURSE_API_KEY%" in command or "%DISQUS_USER_API_KEY%" in command or request.api is None
        words = _cmd_words(command, ENV)
        assert words[0] == "curl.exe"
        assert ["curl", *words[1:]] == _expected_words(request), command


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from('%^"\\&|<>!\n')))
def test_cmd_quotes_any_text(text: str) -> None:
    request = PreparedRequest("POST", "https://h/x", body=Body("raw", raw=text, content_type="text/plain"))
    assert _cmd_words(export_code(request, "curl-cmd"), ENV)[-1] == text


# -- PowerShell ----------------------------------------------------------------------------------------

_PS_TOKEN = re.compile(
    r"\s*(?:(?P<quoted>'(?:[^']|'')*')|(?P<env>\$env:\w+)|(?P<bare>[^\s'()+`]+)|(?P<open>\()|(?P<close>\))|(?P<plus>\+))"
)


def _ps_words(script: str, env: dict[str, str]) -> list[str]:
    """The arguments PowerShell passes to a program, for the forms the export writes: '…' ('' for '),
    $env:NAME, bare words, and ( … + … ) joins; a backtick at a line's end continues it (anywhere else
    outside quotes it would escape a character: the model refuses it); # lines are comments."""
    lines = [line for line in script.split("\n") if not line.startswith("#")]
    text = "\n".join(lines).replace("`\n", " ")
    words: list[str] = []
    joined: list[str] | None = None
    position = 0
    for match in _PS_TOKEN.finditer(text):
        assert match.start() == position, f"unexpected text at {text[position : position + 20]!r}"
        position = match.end()
        if match["open"]:
            joined = []
        elif match["close"]:
            assert joined is not None
            words.append("".join(joined))
            joined = None
        elif match["plus"]:
            assert joined is not None, "+ outside parentheses"
        else:
            value = (
                match["quoted"][1:-1].replace("''", "'")
                if match["quoted"]
                else env[match["env"][5:]]
                if match["env"]
                else match["bare"]
            )
            (joined if joined is not None else words).append(value)
    assert text[position:].strip() == ""
    return words


def test_powershell_calls_curl_exe_and_hands_it_the_same_words(tmp_path: Path) -> None:
    for request in _requests(tmp_path):
        script = export_code(request, "powershell")
        assert KEY not in script and USER_KEY not in script
        words = _ps_words(script, ENV)
        assert words[0] == "curl.exe"  # never the curl alias of Invoke-WebRequest
        assert ["curl", *words[1:]] == _expected_words(request), script


def test_powershell_says_which_version_passes_double_quotes(tmp_path: Path) -> None:
    json_post = _requests(tmp_path)[1]
    assert "PowerShell 7.3" in export_code(json_post, "powershell")
    assert "PowerShell 7.3" not in export_code(_requests(tmp_path)[4], "powershell")


def test_every_shell_keeps_the_uploads_full_path(tmp_path: Path) -> None:
    upload = _requests(tmp_path)[3]
    path = upload.body.files[0].path if upload.body else None
    assert path
    for fmt, read in (
        ("curl", lambda c: shlex.split(c.replace("\\\n", ""))),
        ("curl-cmd", lambda c: _cmd_words(c, ENV)),
    ):
        words = read(export_code(upload, fmt, include_secrets=True))
        assert any(path.replace("\\", "\\\\").replace('"', '\\"') in w for w in words), fmt
    assert any(path in w for w in _ps_words(export_code(upload, "powershell"), ENV))


def test_a_json_body_survives_each_shell(tmp_path: Path) -> None:
    request = _requests(tmp_path)[1]
    for fmt, read in (
        ("curl-cmd", lambda c: _cmd_words(c, ENV)),
        ("powershell", lambda c: _ps_words(c, ENV)),
    ):
        body = read(export_code(request, fmt))[-1]
        assert json.loads(body) == request.body.json_value if request.body else False


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("'\"`$\n")))
def test_powershell_quotes_any_text(text: str) -> None:
    request = PreparedRequest("POST", "https://h/x", body=Body("raw", raw=text, content_type="text/plain"))
    script = export_code(request, "powershell")
    assert _ps_words(script, ENV)[-1] == text
