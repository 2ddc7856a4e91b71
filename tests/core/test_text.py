"""Text checks: 1-based positions, and bytes that were not UTF-8 found wherever they hide in a value."""

from __future__ import annotations

from explorer.core.text import format_size, position, undecodable, undecodable_in


def test_position_is_one_based_and_counts_lines() -> None:
    text = "curl \\\n  -H 'X: y'"
    assert position(text, 0) == "line 1, column 1"
    assert position(text, text.index("-H")) == "line 2, column 3"


def test_undecodable_names_the_byte_and_its_place() -> None:
    assert undecodable("plain ascii and café") is None
    assert undecodable("ab\ncd\udce9") == "byte 0xe9 at line 2, column 3 is not UTF-8 text"
    # A surrogate that did not come from a stray byte is just as unsendable.
    assert undecodable("x\ud800") == "a lone surrogate U+D800 at line 1, column 2 is not valid text"


def test_undecodable_in_walks_lists_and_dicts_keys_included() -> None:
    assert undecodable_in({"a": [1, "ok", {"b": None}]}) is None
    assert undecodable_in(["ok", ["deep\udcff"]]) is not None
    assert undecodable_in({"k\udcff": "value"}) is not None
    assert undecodable_in(42) is None


def test_format_size_is_the_one_way_sizes_are_written() -> None:
    assert [format_size(n) for n in (0, 412, 1023, 1024, 1536, 5 * 2**20, 3 * 2**30, 5000 * 2**30)] == [
        "0 B", "412 B", "1,023 B", "1.0 KB", "1.5 KB", "5.0 MB", "3.0 GB", "5,000.0 GB"
    ]
