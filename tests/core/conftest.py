"""Fixtures the core tests share: the bundled catalogs, loaded once per test module."""

from __future__ import annotations

import pytest

from explorer.core.catalog.loader import load_bundled_catalogs
from explorer.core.catalog.model import Api, Catalog


@pytest.fixture(scope="module")
def catalogs() -> dict[Api, Catalog]:
    return load_bundled_catalogs()
