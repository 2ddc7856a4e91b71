"""Lazy nodes: batches, summaries, cell text and key paths."""

from __future__ import annotations

import simdjson

from explorer.core.jsontree.nodes import BATCH, CELL_LIMIT, Node, cell_text, summary
from explorer.core.jsontree.parse import ExactNumber


def test_summaries_count_keys_and_items() -> None:
    assert summary({str(i): i for i in range(12)}) == "{12 keys}"
    assert summary({"a": 1}) == "{1 key}"
    assert summary(list(range(600))) == "[600 items]"
    assert summary([None]) == "[1 item]"
    assert summary(True) == "true" and summary(None) == "null" and summary(ExactNumber("1.50")) == "1.50"


def test_long_strings_are_cut_in_cells_with_their_length() -> None:
    text = "x" * (CELL_LIMIT + 50)
    cell = cell_text(text)
    assert cell.startswith("x" * CELL_LIMIT) and cell.endswith(f"… ({len(text):,} chars)")
    assert cell_text("a\nb\tc") == "a\\nb\\tc"


def test_children_are_created_in_batches_on_demand() -> None:
    root = Node({"items": list(range(1200)), "name": "n"})
    assert root.children == [] and root.count == 2
    items = root.fetch()[0]
    assert items.kind == "array" and items.count == 1200 and items.children == []
    first = items.fetch()
    assert len(first) == BATCH and items.can_fetch_more()
    assert items.pending() == BATCH
    items.fetch()
    assert items.pending() == 200
    items.fetch()
    assert not items.can_fetch_more() and [c.key for c in items.children[-2:]] == [1198, 1199]
    assert items.children[700].row == 700 and items.fetch() == []


def test_simdjson_proxies_stay_lazy_below_fetched_nodes() -> None:
    parser = simdjson.Parser()
    root = Node(parser.parse(b'{"post_stream": {"stream": [1, 2, 3], "posts": [{"id": 9}]}}'))
    post_stream = root.fetch()[0]
    assert summary(post_stream.value) == "{2 keys}"
    stream, posts = post_stream.fetch()
    assert isinstance(stream.value, simdjson.Array)  # not converted to a list
    assert posts.fetch()[0].fetch()[0].path() == ("post_stream", "posts", 0, "id")
