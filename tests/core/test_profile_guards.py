"""Production and read-only profiles: the flags and the colour survive the profiles file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.core.catalog.model import Api
from explorer.core.paths import AppPaths
from explorer.core.profiles import MemorySecretStore, Profile, ProfileStore, ProfileValidationError
from explorer.core.profiles.model import PRODUCTION_COLOUR


def _live(**kw: object) -> Profile:
    return Profile(
        name="Live forum", api=Api.DISCOURSE, base_url="https://forum.example.com", **kw  # type: ignore[arg-type]
    )


def test_the_store_writes_and_reads_back_production_read_only_and_colour(tmp_path: Path) -> None:
    paths = AppPaths.under(tmp_path)
    store = ProfileStore(paths, MemorySecretStore())
    saved = store.save(_live(production=True, read_only=True, colour="#7d3c98"))
    on_disk = json.loads(paths.profiles_file.read_text(encoding="utf-8"))["profiles"][0]
    assert (on_disk["production"], on_disk["read_only"], on_disk["colour"]) == (True, True, "#7d3c98")

    again = ProfileStore(paths, MemorySecretStore()).get(saved.id)
    assert again is not None
    assert (again.production, again.read_only, again.colour) == (True, True, "#7d3c98")
    assert again.refuses("POST") and not again.refuses("GET")
    assert again.confirms("DELETE") and not again.confirms("GET")


def test_ordinary_profiles_store_no_flags(tmp_path: Path) -> None:
    paths = AppPaths.under(tmp_path)
    store = ProfileStore(paths, MemorySecretStore())
    store.save(_live())
    on_disk = json.loads(paths.profiles_file.read_text(encoding="utf-8"))["profiles"][0]
    assert not {"production", "read_only", "colour"} & set(on_disk)
    again = ProfileStore(paths, MemorySecretStore()).list()[0]
    assert (again.production, again.read_only, again.colour) == (False, False, None)
    assert PRODUCTION_COLOUR.startswith("#")


@pytest.mark.parametrize(
    ("kw", "field"),
    [({"colour": "red"}, "colour"), ({"sandbox": True, "production": True}, "production")],
)
def test_bad_guard_values_are_refused(kw: dict[str, object], field: str) -> None:
    with pytest.raises(ProfileValidationError) as info:
        _live(**kw)
    assert field in dict(info.value.errors)
