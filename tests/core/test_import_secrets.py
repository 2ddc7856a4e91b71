"""Known secrets in every kind of imported file (keys, tokens, passwords) reach no file an import writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.core.imports import import_file, write_import
from tests.core.import_support import FIXTURES

SOURCES = [
    "postman_v21.json",
    "postman_v20.json",
    "bruno_collection.json",
    "bruno_folder",
    "insomnia_v4.json",
    "insomnia_v5.yaml",
    "curl_commands.txt",
]
# Every secret value the fixtures hold: api keys, bearer tokens, basic and form passwords, environment
# secrets, in headers, query strings, bodies, auth settings, collection variables and environments.
SECRETS = [
    "bru-folder-bearer-9f9e",
    "bru-folder-collection-key-2d2e",
    "bru-folder-disabled-key-1a1a",
    "bru-json-apikey-query-5e5f",
    "bru-json-bearer-3c3d",
    "bru-json-env-secret-7a7b",
    "bru-json-header-key-8a8b",
    "curl-header-key-6e6e",
    "curl-query-key-2f2f",
    "ins4-apikey-auth-6d6d",
    "ins4-env-key-3e3e",
    "ins4-folder-bearer-8c8c",
    "ins4-form-password-4f4f",
    "ins4-password-2b2b",
    "ins4-query-key-1d1d",
    "ins5-bearer-7b7b",
    "ins5-env-token-5c5c",
    "ins5-folder-apikey-0e0e",
    "ins5-url-key-9a9a",
    "pm20-bearer-dict-6f6f",
    "pm20-string-url-key-0c0d",
    "pm21-basic-pass-5a6b",
    "pm21-collection-key-7f3a9c",
    "pm21-folder-bearer-1b2c3d",
    "pm21-password-9d8e7f",
    "pm21-query-key-44e1",
]


def _texts(root: Path) -> str:
    return "\n".join(
        path.read_bytes().decode("utf-8", errors="replace")
        for path in sorted(root.rglob("*"))
        if path.is_file()
    )


def test_the_fixtures_hold_every_secret() -> None:
    held = "\n".join(
        _texts(FIXTURES / name) if (FIXTURES / name).is_dir() else (FIXTURES / name).read_text()
        for name in SOURCES
    )
    assert [secret for secret in SECRETS if secret not in held] == []


@pytest.mark.parametrize("name", SOURCES)
@pytest.mark.parametrize("fixed", [False, True], ids=["as-imported", "fixed"])
def test_no_secret_in_any_written_file(catalogs, tmp_path: Path, name: str, fixed: bool) -> None:
    result = import_file(FIXTURES / name, catalogs)
    if fixed:
        result = result.with_all_fixes()
    assert result.secrets_left_out > 0
    collection = write_import(result, tmp_path / "out")
    written = _texts(collection.directory)
    assert "schema_version" in written
    shown = "\n".join([*result.summary, repr(result), *(spec.dumps() for _, spec in result.items)])
    assert [secret for secret in SECRETS if secret in written or secret in shown] == []


def test_left_out_keys_are_counted(catalogs) -> None:
    counts = {name: import_file(FIXTURES / name, catalogs).secrets_left_out for name in SOURCES}
    assert counts == {
        "postman_v21.json": 5,
        "postman_v20.json": 2,
        "bruno_collection.json": 4,
        "bruno_folder": 3,
        "insomnia_v4.json": 6,
        "insomnia_v5.yaml": 4,
        "curl_commands.txt": 2,
    }
    assert sum(counts.values()) == len(SECRETS)
