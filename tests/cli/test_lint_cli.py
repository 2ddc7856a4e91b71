"""`explorer lint`: cURL from arguments or stdin, human and JSON output, exit codes, seed examples."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from explorer.cli import lint

CLEAN = "curl https://forum.example.org/latest.json -H 'Api-Key: k' -H 'Api-Username: system'"


class FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_clean_command_exits_zero(capsys) -> None:
    assert lint.main([CLEAN]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "GET https://forum.example.org/latest.json"
    assert "no findings" in out


def test_words_after_double_dash_are_the_command(capsys) -> None:
    argv = [
        "--",
        "curl",
        "-X",
        "PUT",
        "https://f.example.org/t/3.json?api_key=k&api_username=system",
        "-d",
        "x=1",
    ]
    assert lint.main(argv) == 1
    out = capsys.readouterr().out
    assert "error: discourse-query-auth:" in out
    assert "BAD CSRF" in out
    assert "fix available: Move credentials to headers" in out


def test_command_words_without_double_dash(capsys) -> None:
    assert lint.main(["curl", "-H", "api_key: k", "https://f.example.org/latest.json"]) == 1
    assert "discourse-header-name" in capsys.readouterr().out


def test_json_output_shape(capsys) -> None:
    assert lint.main(["--json", "--", "curl", "http://f.example.org/latest.json", "-H", "Api-Key: k"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [f["code"] for f in data] == ["insecure-transport", "discourse-missing-username"]
    assert all(set(f) == {"code", "severity", "message", "fix"} for f in data)
    assert data[0]["fix"] == "Switch to https://"
    assert data[1]["fix"] is None
    assert data[1]["severity"] == "warning"


def test_reads_the_command_from_stdin(capsys, monkeypatch) -> None:
    text = "curl -X POST \\\n  'https://disqus.com/api/create_post/' \\\n  -d user_api_key=U\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    assert lint.main(["--json"]) == 1
    codes = [f["code"] for f in json.loads(capsys.readouterr().out)]
    assert codes[0] == "disqus-wrong-key"


def test_bytes_on_stdin_that_are_not_utf8_are_named_by_position(capsys, monkeypatch) -> None:
    data = "curl https://forum.example.org/latest.json \\\n  -H 'Api-Username: j\u00f6rg'\n".encode()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data.replace(b"\xc3", b"\xff"))))
    assert lint.main([]) == 2
    captured = capsys.readouterr()
    assert "not text: byte 0xff at line 2, column 22 is not UTF-8 text" in captured.err
    assert captured.out == ""
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert lint.main([]) == 0, capsys.readouterr().err


def test_no_command_and_a_terminal_is_a_usage_error(capsys, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", FakeTty())
    assert lint.main([]) == 2
    assert "no cURL command given" in capsys.readouterr().err


def test_unreadable_command_exits_two_with_the_position(capsys) -> None:
    assert lint.main(["curl 'https://h/x"]) == 2
    captured = capsys.readouterr()
    assert "Unterminated single quote starting at line 1, column 6" in captured.err
    assert "Traceback" not in captured.err + captured.out


def test_unknown_option_in_the_command_exits_two(capsys) -> None:
    assert lint.main(["--", "curl", "--bogus", "https://h/x"]) == 2
    assert "Unknown option --bogus" in capsys.readouterr().err


def test_base_url_option_and_its_missing_value(capsys) -> None:
    assert lint.main(["--base-url", "https://f.example.org", "--", "curl", "/latest.json?api_key=k"]) == 1
    assert "GET https://f.example.org/latest.json" in capsys.readouterr().out
    assert lint.main(["--base-url"]) == 2
    assert "--base-url needs a URL" in capsys.readouterr().err
    assert lint.main(["--base-url", "http://[::1", "--", "curl", "/latest.json"]) == 2
    captured = capsys.readouterr()
    assert "explorer lint: Base URL: is not a valid URL" in captured.err and captured.out == ""


def test_files_are_read_relative_to_the_working_directory(tmp_path: Path, monkeypatch, capsys) -> None:
    (tmp_path / "body.json").write_text('{"title": "t", "api_key": "k"}')
    monkeypatch.chdir(tmp_path)
    argv = ["--json", "--", "curl", "https://f.example.org/posts.json"]
    assert lint.main([*argv, "-H", "Content-Type: application/json", "-d", "@body.json"]) == 1
    assert json.loads(capsys.readouterr().out)[0]["code"] == "discourse-query-auth"


def test_help(capsys) -> None:
    assert lint.main(["--help"]) == 0
    assert "exit status" in capsys.readouterr().out


def _between(text: str, start: str, end: str) -> str:
    i = text.index(start)
    return text[i : text.index(end, i) + len(end)]


def test_seed_examples_through_the_cli(shared_dir: Path, capsys) -> None:
    discourse = (shared_dir / "seeds" / "discourse-api-seed.txt").read_text(encoding="utf-8")
    command = _between(discourse, 'curl -X POST ""', 'text_color=f0fcfd"')
    assert lint.main(["--json", "--base-url", "https://forum.example.org/categories.json", command]) == 0
    assert json.loads(capsys.readouterr().out) == []
    disqus = (shared_dir / "seeds" / "disqus-api-1.1-seed.txt").read_text(encoding="utf-8")
    assert lint.main(["--json", _between(disqus, "$ curl -0 -L", 'api_version=1.1"')]) == 0
    codes = {f["code"] for f in json.loads(capsys.readouterr().out)}
    assert codes == {
        "insecure-transport",
        "disqus-missing-trailing-slash",
        "disqus-keys-in-url",
        "disqus-legacy-api",
    }


@pytest.mark.parametrize("argv", [["curl"], ["curl -X"], ["--", "curl", "-d"]])
def test_incomplete_commands_never_raise(argv: list[str], capsys) -> None:
    assert lint.main(argv) == 2
    assert capsys.readouterr().err.startswith("explorer lint: ")
