"""`explorer methods`: the table, the JSON array, filtering by API, and a real subprocess run."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from explorer.cli import methods
from explorer.core.catalog.loader import load_bundled_catalogs
from explorer.core.catalog.model import Api


def run_json(capsys, *argv: str) -> list[dict]:
    assert methods.main(["--json", *argv]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_lists_every_catalog_method_with_the_documented_shape(capsys) -> None:
    data = run_json(capsys)
    catalogs = load_bundled_catalogs()
    assert len(data) == sum(len(c.methods) for c in catalogs.values())
    for item in data:
        assert set(item) == {"api", "id", "verb", "path", "documented", "tags", "params"}
        for param in item["params"]:
            assert set(param) == {"name", "in", "required", "type", "enum", "default"}
    discourse = [m for m in data if m["api"] == "discourse"]
    assert sum(m["documented"] for m in discourse) == 93
    assert sum(not m["documented"] for m in discourse) >= 20
    assert len([m for m in data if m["api"] == "disqus"]) == 14


def test_json_values_come_from_the_catalog(capsys) -> None:
    data = {(m["api"], m["id"]): m for m in run_json(capsys, "--api", "disqus")}
    assert {api for api, _ in data} == {"disqus"}
    method = load_bundled_catalogs()[Api.DISQUS].method("get_forum_posts")
    item = data[("disqus", "get_forum_posts")]
    assert (item["verb"], item["path"]) == (method.verb, method.path)
    by_name = {p["name"]: p for p in item["params"]}
    for param in method.params:
        assert by_name[param.name]["in"] == param.location
        assert by_name[param.name]["required"] == param.required
        assert by_name[param.name]["enum"] == (list(param.enum) if param.enum else None)
        assert by_name[param.name]["default"] == param.default


def test_table_has_a_row_per_method_and_marks_undocumented_ones(capsys) -> None:
    assert methods.main(["--api", "discourse"]) == 0
    out = capsys.readouterr().out.splitlines()
    catalog = load_bundled_catalogs()[Api.DISCOURSE]
    assert out[0].split() == ["API", "VERB", "PATH", "ID", "NOTE"]
    assert len(out) == len(catalog.methods) + 2  # header and the summary line
    undocumented = next(m for m in catalog.methods if not m.documented)
    row = next(line for line in out if f" {undocumented.id}" in line)
    assert row.endswith("undocumented") and undocumented.path in row
    assert (
        out[-1]
        == f"{len(catalog.methods)} methods ({sum(not m.documented for m in catalog.methods)} undocumented)"
    )


def test_bad_api_is_a_usage_error(capsys) -> None:
    assert methods.main(["--api", "reddit"]) == 2
    assert "invalid choice: 'reddit'" in capsys.readouterr().err


def test_help_exits_zero(capsys) -> None:
    assert methods.main(["--help"]) == 0
    assert "--json" in capsys.readouterr().out


@pytest.mark.timeout(120)
def test_python_dash_m_explorer_methods_json_runs() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "explorer", "methods", "--json"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert {m["api"] for m in data} == {"discourse", "disqus"}
    assert done.stderr == ""
