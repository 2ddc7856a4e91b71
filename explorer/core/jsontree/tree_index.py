"""Walks over the lazy node tree: expansion to depth N and finding a node by its key path."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Sequence

from explorer.core.jsontree.nodes import ARRAY, Key, Node

EnsureChildren = Callable[[Node], None]


def iter_expansion(root: Node, depth: int, ensure_children: EnsureChildren, limit: int) -> Iterator[Node]:
    """Containers to expand, breadth first, down to `depth` levels (root = level 0), at most `limit`.

    `ensure_children(node)` must give the node at least its first batch of children (the Qt model
    passes a method that inserts the rows properly); only fetched children are walked, so a huge
    array contributes one batch, never a million nodes.
    """
    queue: deque[tuple[Node, int]] = deque([(root, 0)])
    produced = 0
    while queue and produced < limit:
        node, level = queue.popleft()
        if not node.is_container or node.count == 0 or level >= depth:
            continue
        ensure_children(node)
        yield node
        produced += 1
        queue.extend((child, level + 1) for child in node.children if child.is_container)


def find_node(root: Node, keys: Sequence[Key], fetch_batch: Callable[[Node, int], int]) -> Node | None:
    """The node at `keys`, fetching batches through `fetch_batch(node, n)` as needed; None if absent."""
    node = root
    for key in keys:
        child = _child(node, key, fetch_batch)
        if child is None:
            return None
        node = child
    return node


def _child(node: Node, key: Key, fetch_batch: Callable[[Node, int], int]) -> Node | None:
    if isinstance(key, int):
        if node.kind != ARRAY or not 0 <= key < node.count:
            return None
        missing = key + 1 - len(node.children)
        if missing > 0:
            fetch_batch(node, missing)
        return node.children[key] if key < len(node.children) else None
    if node.kind == ARRAY:
        return None
    start = 0
    while True:
        for child in node.children[start:]:
            if child.key == key:
                return child
        start = len(node.children)
        if not node.can_fetch_more() or not fetch_batch(node, 500):
            return None
