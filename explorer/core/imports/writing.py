"""Write an import as a collection folder, all at once (Contract 2's write_new_collection)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from explorer.core.imports.result import ImportResult

if TYPE_CHECKING:
    from explorer.core.collections.folder import Collection


def write_import(result: ImportResult, directory: Path | str, *, profile: str | None = None) -> Collection:
    """Write `result` into the new folder `directory`; CollectionError (nothing written) when it cannot be.

    The specifications hold no secret: credentials are the placeholder that means "the profile's",
    and other secrets are `{{references}}` to empty variables.
    """
    from explorer.core.collections.folder import write_new_collection

    return write_new_collection(
        Path(directory), result.name, dict(result.variables), result.items, profile=profile
    )
