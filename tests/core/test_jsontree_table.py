"""The table layer: arrays of objects found anywhere, columns from keys, sort, filter, export, memory."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import simdjson

from explorer.core.jsontree.envelope import disqus_envelope
from explorer.core.jsontree.parse import ExactNumber, parse_document
from explorer.core.jsontree.table import (
    MISSING,
    VALUE_COLUMN,
    RowFilter,
    Table,
    cell_value,
    column_name,
    display_text,
    enclosing_array,
    find_arrays,
    largest,
    plain_text,
    sort_rows,
)
from explorer.core.jsontree.table_columns import ColumnMemory
from explorer.core.jsontree.table_export import delimited_text, export_csv, export_json, json_text
from explorer.core.paths import AppPaths

LATEST = {
    "users": [{"id": 1, "username": "sam"}, {"id": 2, "username": "alex"}],
    "primary_groups": [],
    "topic_list": {
        "can_create_topic": True,
        "tags": ["api", "bots"],
        "topics": [
            {"id": 10, "title": "Beta", "views": 5, "posters": [{"user_id": 1}], "user": {"username": "sam"}},
            {"id": 11, "title": "alpha", "views": 50, "user": {"username": "alex", "name": None}},
            {"id": 12, "title": "Gamma", "views": 7, "posters": [], "user": None},
        ],
    },
}


def _simdjson(value: object) -> object:
    """The same document as pysimdjson's lazy proxies (what bodies above 1 MiB become)."""
    parser = simdjson.Parser()
    root = parser.parse(json.dumps(value).encode())
    _KEEP.append(parser)
    return root


_KEEP: list[object] = []


@pytest.fixture(params=["python", "simdjson"])
def latest(request: pytest.FixtureRequest) -> object:
    return LATEST if request.param == "python" else _simdjson(LATEST)


def test_arrays_of_objects_are_found_through_objects_in_document_order(latest: object) -> None:
    arrays = find_arrays(latest)
    assert [(info.where, info.count) for info in arrays] == [("$.users", 2), ("$.topic_list.topics", 3)]
    assert arrays[1].label == "$.topic_list.topics (3 rows)"
    assert largest(arrays) == arrays[1]
    # Empty arrays and arrays of strings are not tables; rows' own arrays are not walked into.
    assert all("posters" not in info.where for info in arrays)


def test_a_root_array_is_a_table_and_a_walk_is_bounded() -> None:
    assert [info.where for info in find_arrays([{"a": 1}, None, {"a": 2}])] == ["$"]
    assert find_arrays([{"a": 1}, 3]) == []
    small = {str(i): {"rows": [{"x": i}]} for i in range(100)}
    assert len(find_arrays(small)) == 100
    # A map past the limit is not walked to its end: the look costs milliseconds, whatever the size.
    assert find_arrays({str(i): {"rows": [{"x": i}]} for i in range(50_000)}, limit=1000) == []


def test_the_array_around_a_tree_selection_is_found_even_inside_a_row(latest: object) -> None:
    inside = enclosing_array(latest, ("topic_list", "topics", 0, "posters", 0, "user_id"))
    assert inside is not None and inside.where == "$.topic_list.topics[0].posters" and inside.count == 1
    row = enclosing_array(latest, ("topic_list", "topics", 2, "title"))
    assert row is not None and row.where == "$.topic_list.topics"
    assert enclosing_array(latest, ("topic_list", "tags", 0)) is None


def test_columns_come_from_the_keys_with_nested_objects_flattened(latest: object) -> None:
    table = Table(find_arrays(latest)[1].value, ("topic_list", "topics"))
    columns = table.columns()
    assert columns == [("id",), ("title",), ("views",), ("posters",), ("user", "username"), ("user", "name")]
    assert [column_name(c) for c in columns][-2:] == ["user.username", "user.name"]
    assert table.where == "$.topic_list.topics"
    rows = table.rows()
    assert cell_value(rows[1], ("user", "username")) == "alex"
    assert cell_value(rows[2], ("user", "username")) is MISSING  # user is null: nothing below it
    assert cell_value(rows[1], ("posters",)) is MISSING
    assert display_text(cell_value(rows[0], ("posters",))).replace(" ", "") == '[{"user_id":1}]'
    assert display_text(cell_value(rows[1], ("user", "name"))) == "null"
    assert display_text(MISSING) == "" and plain_text(None) == "" and plain_text(MISSING) == ""


def test_an_array_of_plain_values_has_one_value_column() -> None:
    table = Table([{"a": 1}, "text", 3])
    assert table.columns() == [("a",), VALUE_COLUMN] and column_name(VALUE_COLUMN) == "(value)"
    assert cell_value("text", VALUE_COLUMN) == "text"


def test_lazy_rows_are_materialised_in_slices_and_on_demand() -> None:
    rows = [{"id": i} for i in range(12_000)]
    table = Table(_simdjson(rows))
    assert not table.complete
    assert cell_value(table.row(7_000), ("id",)) == 7000  # reaching far fills up to it
    assert not table.fill_step(1_000)
    while not table.fill_step():
        pass
    assert table.complete and len(table.rows()) == 12_000


def test_sort_orders_numbers_by_value_text_case_insensitively_and_empty_last(latest: object) -> None:
    table = Table(find_arrays(latest)[1].value)
    assert sort_rows(table, ("views",)) == [0, 2, 1]
    assert sort_rows(table, ("views",), descending=True) == [1, 2, 0]
    assert sort_rows(table, ("title",)) == [1, 0, 2]
    # A null or absent value goes last whichever the direction; equal keys keep their order.
    assert sort_rows(table, ("user", "username")) == [1, 0, 2]
    assert sort_rows(table, ("user", "username"), descending=True) == [0, 1, 2]
    assert sort_rows(table, ("views",), rows=[2, 1]) == [2, 1]


def test_sort_keeps_exact_numbers_numeric_and_mixed_kinds_apart() -> None:
    table = Table([{"n": ExactNumber("10")}, {"n": ExactNumber("9.5")}, {"n": "x"}, {"n": True}, {"n": [1]}])
    assert sort_rows(table, ("n",)) == [3, 1, 0, 2, 4]


def test_filter_matches_shown_columns_case_insensitively_a_slice_at_a_time() -> None:
    rows = [{"id": i, "name": "Alpha" if i % 3 == 0 else "beta", "hidden": "ALPHA"} for i in range(10_000)]
    table = Table(rows)
    search = RowFilter(table, [("id",), ("name",)], "alph")
    assert not search.step(100)
    assert search.matches == list(range(0, 100, 3))
    assert search.run() == list(range(0, 10_000, 3))
    assert RowFilter(table, [("id",)], "9999").run() == [9999]
    assert RowFilter(table, [("name",)], "beta", rows=[3, 2, 1]).run() == [2, 1]


def test_csv_and_tab_separated_text_quote_what_needs_it(latest: object) -> None:
    table = Table(find_arrays(latest)[1].value)
    text = delimited_text(table, [1, 0], [("id",), ("title",), ("user", "username"), ("posters",)])
    assert list(csv.reader(text.splitlines())) == [
        ["id", "title", "user.username", "posters"], ["11", "alpha", "alex", ""], ["10", "Beta", "sam",
                                                                                 '[{"user_id":1}]']]
    tricky = Table([{"a": "tab\there", "b": 'say "hi"\nbye'}])
    tsv = delimited_text(tricky, [0], [("a",), ("b",)], header=False, dialect="excel-tab")
    assert list(csv.reader(tsv.splitlines(keepends=True), dialect="excel-tab")) == [["tab\there",
                                                                                     'say "hi"\nbye']]


def test_json_export_nests_columns_again_and_keeps_exact_numbers(latest: object) -> None:
    table = Table(find_arrays(latest)[1].value)
    text = json_text(table, [0, 2], [("id",), ("user", "username"), ("posters",)])
    assert json.loads(text) == [{"id": 10, "user": {"username": "sam"}, "posters": [{"user_id": 1}]},
                                {"id": 12, "user": None, "posters": []}]
    exact = parse_document(b'[{"price": 1.50, "big": 123456789012345678901234567890}]').root
    assert json_text(Table(exact), [0], [("price",), ("big",)]) == (
        '[\n{"price": 1.50, "big": 123456789012345678901234567890}\n]\n')
    assert json_text(Table([1, "a"]), [1, 0], [VALUE_COLUMN]) == '[\n"a",\n1\n]\n'
    assert json_text(table, [], [("id",)]) == "[]\n"


def test_exports_are_written_whole_and_read_back(tmp_path: Path, latest: object) -> None:
    table = Table(find_arrays(latest)[1].value)
    columns = [("id",), ("title",)]
    export_csv(tmp_path / "t.csv", table, [0, 1, 2], columns)
    with (tmp_path / "t.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle)) == [["id", "title"], ["10", "Beta"], ["11", "alpha"], ["12", "Gamma"]]
    export_json(tmp_path / "t.json", table, [2], columns)
    assert json.loads((tmp_path / "t.json").read_text(encoding="utf-8")) == [{"id": 12, "title": "Gamma"}]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.csv", "t.json"]  # no temporary left behind


def test_column_memory_is_per_method_and_array_and_survives_a_restart(tmp_path: Path) -> None:
    path = AppPaths.under(tmp_path).table_columns_file
    memory = ColumnMemory(path)
    assert memory.columns("discourse:listLatestTopics", "$.topic_list.topics") is None
    chosen = [("title",), ("user", "name")]
    memory.remember_columns("discourse:listLatestTopics", "$.topic_list.topics", chosen)
    memory.remember_array("discourse:listLatestTopics", "$.topic_list.topics")
    again = ColumnMemory(path)
    assert again.columns("discourse:listLatestTopics", "$.topic_list.topics") == chosen
    assert again.array("discourse:listLatestTopics") == "$.topic_list.topics"
    assert again.columns("discourse:listLatestTopics", "$.users") is None
    assert again.columns("discourse:getTopic", "$.topic_list.topics") is None
    again.forget_columns("discourse:listLatestTopics", "$.topic_list.topics")
    assert ColumnMemory(path).columns("discourse:listLatestTopics", "$.topic_list.topics") is None


def test_a_damaged_column_file_is_set_aside_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "table-columns.json"
    path.write_text("{not json", encoding="utf-8")
    memory = ColumnMemory(path)
    assert memory.array("m") is None
    memory.remember_array("m", "$")
    assert json.loads(path.read_text(encoding="utf-8"))["methods"] == {"m": {"array": "$"}}
    assert any(p.name.startswith("table-columns.json.broken-") for p in tmp_path.iterdir())


def test_the_disqus_envelope_is_recognised_by_its_exact_keys() -> None:
    envelope = disqus_envelope({"message": [{"id": "1"}], "code": "ok", "succeeded": True})
    assert envelope is not None and envelope.ok and envelope.payload == [{"id": "1"}]
    assert envelope.badge_text() == "code ok · succeeded true"
    failed = disqus_envelope(_simdjson({"succeeded": False, "code": "input-invalid", "message": "bad key"}))
    assert failed is not None and not failed.ok and failed.payload == "bad key"
    assert disqus_envelope({"message": "x", "code": "ok", "succeeded": True, "extra": 1}) is None
    assert disqus_envelope({"errors": ["x"], "error_type": "invalid_access"}) is None
    assert disqus_envelope({"code": 0, "response": []}) is None
    assert disqus_envelope([1]) is None
