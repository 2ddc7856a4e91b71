"""`explorer import FILE --into DIR`: summary, --fix-all, --json, standard input, failures writing nothing."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from explorer.__main__ import main as explorer_main
from explorer.cli import import_command
from explorer.core.collections.folder import Collection
from explorer.core.lifecycle import RequestSpec

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"


def _specs(directory: Path) -> dict[str, RequestSpec]:
    return {
        str(item.relative): item.spec
        for item in Collection.open(directory).items()
        if not item.is_folder and item.spec is not None
    }


def test_import_prints_the_summary_and_writes_the_collection(tmp_path: Path, capsys) -> None:
    out = tmp_path / "forum"
    assert explorer_main(["import", str(FIXTURES / "postman_v20.json"), "--into", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "2 requests imported from Postman collection v2.0 “Old style”." in printed
    assert "1 of 2 requests pass api_key and api_username in the query string" in printed
    assert "Fix all repairs 2 requests." in printed
    assert "2 keys were left out; set them in your profile." in printed
    assert printed.rstrip().endswith(f"Written to {out}.")
    specs = _specs(out)
    assert len(specs) == 2
    assert any(p.name == "api_key" for spec in specs.values() for p in spec.params)


def test_fix_all_writes_credentials_as_headers(tmp_path: Path, capsys) -> None:
    out = tmp_path / "fixed"
    argv = [
        str(FIXTURES / "postman_v20.json"),
        "--into",
        str(out),
        "--fix-all",
        "--profile",
        "Sandbox — Discourse",
    ]
    assert import_command.main(argv) == 0
    assert "Fixed: move credentials to headers (2)." in capsys.readouterr().out
    specs = _specs(out)
    for spec in specs.values():
        assert not any(p.name in ("api_key", "api_username") for p in spec.params)
        assert {h.name for h in spec.headers} >= {"Api-Key", "Api-Username"}
    assert Collection.open(out).profile == "Sandbox — Discourse"


def test_json_output(tmp_path: Path, capsys) -> None:
    out = tmp_path / "yaml"
    assert import_command.main([str(FIXTURES / "insomnia_v5.yaml"), "--into", str(out), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {
        "name",
        "source",
        "directory",
        "requests",
        "matched",
        "findings",
        "fixable",
        "secrets_left_out",
        "variables",
        "summary",
    }
    assert (data["requests"], data["matched"], data["findings"]) == (3, 3, {"discourse-query-auth": 1})
    assert data["directory"] == str(out)


def test_pasted_curl_from_standard_input(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO((FIXTURES / "curl_commands.txt").read_text()))
    out = tmp_path / "curl"
    assert import_command.main(["-", "--into", str(out)]) == 0
    assert "2 requests imported from cURL" in capsys.readouterr().out
    assert len(_specs(out)) == 2


def test_bruno_folder(tmp_path: Path, capsys) -> None:
    out = tmp_path / "bruno"
    assert import_command.main([str(FIXTURES / "bruno_folder"), "--into", str(out)]) == 0
    # The top level needs numbers to keep the run order, so every entry of every folder has one.
    assert sorted(_specs(out)) == [
        "01 Topics/01 Create topic.json",
        "01 Topics/02 Reply.json",
        "01 Topics/03 Upload.json",
        "02 List latest topics.json",
    ]
    capsys.readouterr()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "explorer import: {path}: not valid JSON: "),
        (
            '{"info": {"schema": "https://schema.getpostman.com/json/collection/v9.0.0/collection.json"}, '
            '"item": []}',
            "Postman collection version 9.0.0 is not supported",
        ),
    ],
)
def test_bad_file_exits_2_and_writes_nothing(tmp_path: Path, capsys, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    out = tmp_path / "never"
    assert import_command.main([str(path), "--into", str(out)]) == 2
    err = capsys.readouterr().err
    assert message.format(path=path) in err
    assert err.count("bad.json") == 1, err  # the file is named once
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json"]


def test_existing_folder_is_refused(tmp_path: Path, capsys) -> None:
    out = tmp_path / "taken"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    assert import_command.main([str(FIXTURES / "postman_v20.json"), "--into", str(out)]) == 2
    assert "already exists and is not empty" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_into_is_required(capsys) -> None:
    assert import_command.main([str(FIXTURES / "postman_v20.json")]) == 2
    assert "--into" in capsys.readouterr().err


def test_standard_input_is_read_only_up_to_the_file_size_limit(
    app_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(import_command, "MAX_FILE_BYTES", 1000)  # a small limit stands in for 50 MB
    monkeypatch.setattr("sys.stdin", io.StringIO("curl https://forum.example.org/latest.json\n" * 100))
    code = explorer_main(["import", "-", "--into", str(tmp_path / "out")])
    assert code == 2
    assert "more than the 50 MB" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
