"""The command line sees the custom methods saved in the window; a damaged custom file is a warning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.__main__ import main
from explorer.core.catalog import Api, load_bundled_catalogs
from explorer.core.catalog.custom import CustomMethodStore
from explorer.core.lifecycle import RequestSpec
from explorer.core.lifecycle.to_method import method_from_free_form
from explorer.core.paths import AppPaths

BASE = "https://forum.example.com"


def _save_custom_method(home: Path) -> None:
    spec = RequestSpec(api="discourse", verb="GET", url=f"{BASE}/t/123/summary.json")
    draft = method_from_free_form(
        spec, api=Api.DISCOURSE, method_id="topicSummary", base_url=BASE, description="", placeholders=True
    )
    bundled = {m.id for m in load_bundled_catalogs()[Api.DISCOURSE].methods}
    CustomMethodStore(AppPaths.under(home).custom_methods_file).add(draft.method, bundled)


def test_methods_and_request_know_a_custom_method(app_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _save_custom_method(app_home)

    assert main(["methods", "--api", "discourse", "--json"]) == 0
    listed = capsys.readouterr().out
    assert "topicSummary" in listed

    code = main(["request", "discourse", "topicSummary", "t_id=9", "--base-url", BASE, "--dry-run", "--json"])
    out = capsys.readouterr().out
    assert code == 0
    assert json.loads(out)["url"] == f"{BASE}/t/9/summary.json"


def test_a_damaged_custom_file_is_a_warning_and_the_bundled_methods_still_work(
    app_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = AppPaths.under(app_home).custom_methods_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{not json", encoding="utf-8")

    code = main(["request", "discourse", "getTopic", "id=1", "--base-url", BASE, "--dry-run"])
    err = capsys.readouterr().err
    assert code == 0
    assert "warning" in err and str(path) in err and "bundled methods" in err
    assert path.read_text(encoding="utf-8") == "{not json"  # a command reads; it never moves the file
