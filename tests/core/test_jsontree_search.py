"""Search: keys and values, incremental steps, cancellation, deep documents."""

from __future__ import annotations

from explorer.core.jsontree.parse import parse_document
from explorer.core.jsontree.search import Search, SearchHit

BODY = b'{"user": {"Name": "Bob", "tags": ["admin", "name-tag"]}, "count": 12, "name": null}'


def test_finds_keys_and_values_in_document_order() -> None:
    root = parse_document(BODY).root
    assert Search(root, "name").run() == [
        SearchHit(("user", "Name"), in_key=True),
        SearchHit(("user", "tags", 1), in_key=False),
        SearchHit(("name",), in_key=True),
    ]
    assert Search(root, "Name", case_sensitive=True).run() == [SearchHit(("user", "Name"), True)]
    assert Search(root, "12").run() == [SearchHit(("count",), False)]
    assert Search(root, "null", keys=False).run() == [SearchHit(("name",), False)]
    assert Search(root, "name", values=False).run()[1] == SearchHit(("name",), True)


def test_steps_are_bounded_and_resume() -> None:
    root = parse_document(('[' + ",".join(f'"v{i}"' for i in range(1000)) + ']').encode()).root
    search = Search(root, "v99")
    first = search.step(100)
    assert search.visited == 100 and not search.finished
    assert first == [SearchHit((99,), False)]
    while not search.finished:
        search.step(100)
    assert [hit.path for hit in search.hits] == [(99,)] + [(i,) for i in range(990, 1000)]


def test_cancel_stops_the_walk() -> None:
    root = parse_document(b"[" + b",".join([b'"x"'] * 5000) + b"]").root
    search = Search(root, "x")
    search.step(10)
    search.cancel()
    assert search.finished and search.step(1000) == [] and len(search.hits) == 10


def test_deep_documents_and_scalar_roots() -> None:
    root = parse_document(b'[' * 10_000 + b'"needle"' + b']' * 10_000).root
    hits = Search(root, "needle").run()
    assert len(hits) == 1 and hits[0].path == (0,) * 10_000
    assert Search(parse_document(b'"needle"').root, "need").run() == [SearchHit((), False)]
    assert Search(root, "").finished
