"""The official Discourse Postman collection, imported with Fix all, runs against the sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.sandbox.demo import DemoCredentials
from tests.cli.cli_support import run_command, save_admin_profile

# Read requests of the collection that the sandbox can answer as they are (no data to fill in first);
# among them the /admin paths that once kept the importer's stand-in host.
READS = [
    "categories",
    "topics - latest",
    "topics - top",
    "search",
    "users › list › new",
    "admin › site_settings",
    "tag_groups list all",
    "directory_items",
]


def test_imported_reads_answer_200(
    shared_dir: Path,
    sandbox_server: DemoCredentials,
    app_home: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = shared_dir / "reference" / "discourse" / "collections" / "discourse.postman_collection.json"
    if not source.is_file():
        pytest.skip(f"{source} is not in ../shared")
    save_admin_profile(app_home, "Sandbox — Discourse", sandbox_server.url)
    folder = tmp_path / "discourse"
    code, out, err = run_command(capsys, "import", str(source), "--into", str(folder), "--fix-all")
    assert code == 0, out + err
    files = {
        path.stem.split(" ", 1)[1]: path for path in folder.glob("*.json") if path.name != "collection.json"
    }
    assert "invalid" not in "".join(path.read_text() for path in files.values())
    for title in READS:
        code, out, err = run_command(
            capsys, "run", str(files[title]), "--profile", "Sandbox — Discourse", "--no-history"
        )
        assert code == 0 and err.startswith("HTTP 200"), (title, err)
