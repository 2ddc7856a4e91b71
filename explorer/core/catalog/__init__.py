"""API catalogs: the model of every method we know and the loader for our catalog files."""

from __future__ import annotations

from explorer.core.catalog.loader import CatalogError, load_bundled_catalogs, load_catalog
from explorer.core.catalog.model import Api, Catalog, Group, Method, Pagination, Param

__all__ = [
    "Api",
    "Catalog",
    "CatalogError",
    "Group",
    "Method",
    "Pagination",
    "Param",
    "load_bundled_catalogs",
    "load_catalog",
]
