"""What the importer tests share: the sample export files and finding a request by its title path."""

from __future__ import annotations

from pathlib import Path

from explorer.core.imports import ImportResult
from explorer.core.lifecycle import RequestSpec

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"


def spec_at(result: ImportResult, path: str) -> RequestSpec:
    """The imported request at `path` ("Folder/Title")."""
    return dict(result.items)[path]
