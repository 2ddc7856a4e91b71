"""Pagination: the next page of a list method, every page fetched and merged, as the catalogs declare."""

from __future__ import annotations

from explorer.core.paging.fetch import (
    DEFAULT_MAX_ITEMS,
    DEFAULT_MAX_PAGES,
    FetchResult,
    PageRecord,
    fetch_all,
    merged_exchange,
)
from explorer.core.paging.merge import Merged, item_key, merge_pages
from explorer.core.paging.pages import Pager, next_page_spec, page_items, read_path

__all__ = [
    "DEFAULT_MAX_ITEMS",
    "DEFAULT_MAX_PAGES",
    "FetchResult",
    "Merged",
    "PageRecord",
    "Pager",
    "fetch_all",
    "item_key",
    "merge_pages",
    "merged_exchange",
    "next_page_spec",
    "page_items",
    "read_path",
]
