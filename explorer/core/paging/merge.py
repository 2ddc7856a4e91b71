"""Merge the pages of a list into one array: the items in page order, each item once."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from explorer.core.catalog.model import Pagination
from explorer.core.paging.pages import page_items


def item_key(item: object, fields: Sequence[str]) -> tuple[object, ...] | None:
    """What identifies `item` (the values of `fields`), or None when it lacks one (then it is never a
    duplicate: an item the catalog cannot identify is kept)."""
    if not isinstance(item, Mapping):
        return None
    values = []
    for name in fields:
        value = item.get(name)
        if value is None or isinstance(value, dict | list):
            return None
        # "12" and 12 are the same item (Disqus ids are strings, some clients turn them into numbers).
        values.append(str(value))
    return tuple(values)


@dataclass
class Merged:
    """Items gathered from pages so far; `add` returns how many of a page's items were new."""

    key: tuple[str, ...] = ("id",)
    items: list[object] = field(default_factory=list)
    duplicates: int = 0
    _seen: set[tuple[object, ...]] = field(default_factory=set)

    def add(self, items: Iterable[object], room: int | None = None) -> int:
        """Append the items not seen before, at most `room` of them; the number appended."""
        added = 0
        for item in items:
            if room is not None and added >= room:
                break
            key = item_key(item, self.key)
            if key is not None:
                if key in self._seen:
                    self.duplicates += 1
                    continue
                self._seen.add(key)
            self.items.append(item)
            added += 1
        return added


def merge_pages(documents: Iterable[object], pagination: Pagination) -> Merged:
    """The items of every page (parsed responses, in order) as one array, de-duplicated by the catalog's
    key; a page without an array where the catalog says contributes nothing."""
    merged = Merged(key=pagination.key)
    for document in documents:
        merged.add(page_items(document, pagination) or ())
    return merged
