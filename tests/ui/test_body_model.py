"""The lazy tree model: Qt's model tester before and after expansions, batches, re-entrancy guard."""

from __future__ import annotations

from typing import Any

import simdjson
from PySide6.QtCore import QModelIndex

from explorer.core.jsontree.nodes import BATCH, Node
from explorer.ui.body.model import JsonTreeModel, NodeRole


def _model(value) -> JsonTreeModel:  # noqa: ANN001
    return JsonTreeModel(Node(value))


def test_model_tester_before_and_after_expansions(qtmodeltester: Any) -> None:
    parser = simdjson.Parser()
    doc = parser.parse(b'{"post_stream": {"stream": [' + b",".join(b"%d" % i for i in range(1200))
                       + b'], "posts": [{"id": 1, "cooked": "<p>x</p>"}]}, "title": "t", "empty": {}}')
    model = _model(doc)
    qtmodeltester.check(model)
    root = model.index(0, 0)
    model.fetchMore(root)
    qtmodeltester.check(model)
    post_stream = model.index(0, 0, root)
    model.fetchMore(post_stream)
    stream = model.index(0, 0, post_stream)
    while model.canFetchMore(stream):
        model.fetchMore(stream)
    qtmodeltester.check(model)
    assert model.rowCount(stream) == 1200
    assert model.index(1199, 1, stream).data() == "1199"


def test_columns_and_summaries() -> None:
    model = _model({"topic": {"id": 7, "tags": ["a", "b"]}, "ok": True})
    root = model.index(0, 0)
    assert root.data() == "$" and model.index(0, 1).data() == "{2 keys}"
    model.fetchMore(root)
    assert [model.index(r, 0, root).data() for r in range(2)] == ["topic", "ok"]
    assert model.index(1, 1, root).data() == "true" and model.index(1, 2, root).data() == "boolean"
    assert model.index(0, 2, root).data() == "object"
    assert model.data(model.index(0, 0, root), NodeRole).path() == ("topic",)


def test_batches_and_can_fetch_more() -> None:
    model = _model(list(range(BATCH * 2 + 3)))
    root = model.index(0, 0)
    assert model.hasChildren(root) and model.rowCount(root) == 0 and model.canFetchMore(root)
    model.fetchMore(root)
    assert model.rowCount(root) == BATCH
    model.fetchMore(root)
    model.fetchMore(root)
    assert model.rowCount(root) == BATCH * 2 + 3 and not model.canFetchMore(root)
    assert not model.hasChildren(model.index(0, 0, root))


def test_fetch_more_during_insertion_does_not_duplicate_rows() -> None:
    model = _model(list(range(1200)))
    root = model.index(0, 0)
    reentered: list[int] = []

    def about_to_insert(parent: QModelIndex, first: int, last: int) -> None:
        reentered.append(first)
        model.fetchMore(parent)  # what QAbstractItemModelTester and views do

    model.rowsAboutToBeInserted.connect(about_to_insert)
    while model.canFetchMore(root):
        model.fetchMore(root)
    assert model.rowCount(root) == 1200 and reentered == [0, 500, 1000]
    assert [model.index(r, 0, root).data() for r in (0, 500, 1199)] == ["0", "500", "1199"]


def test_ensure_children_reaches_a_deep_index() -> None:
    model = _model(list(range(5000)))
    model.ensure_children(model.root, 4321)
    assert model.rowCount(model.index(0, 0)) >= 4322
    assert model.root.children[4321].key == 4321
