"""Value coercion and validation shared by the form, the CLI and the builder."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from explorer.core.builder import coerce_value, validate_value
from explorer.core.building.values import ValueProblem, is_unset
from explorer.core.catalog.model import Param
from explorer.core.prepared import FilePart


def p(**kw) -> Param:
    kw.setdefault("name", "x")
    kw.setdefault("location", "query")
    return Param(**kw)


@pytest.mark.parametrize("value", [None, "", [], ()])
def test_unset_values(value):
    assert is_unset(value)
    assert coerce_value(p(type="integer"), value) is None
    assert validate_value(p(type="integer"), value) is None
    assert validate_value(p(type="integer", required=True), value) == "required"


def test_zero_and_false_are_set_values():
    assert not is_unset(0)
    assert not is_unset(False)
    assert coerce_value(p(type="integer"), 0) == 0
    assert coerce_value(p(type="boolean"), False) is False


@pytest.mark.parametrize(("text", "expected"), [("12", 12), (" -3 ", -3), (7, 7), (4.0, 4)])
def test_integers(text, expected):
    assert coerce_value(p(type="integer"), text) == expected


@pytest.mark.parametrize("text", ["1.5", "abc", "1e3", True, 2.5])
def test_integer_rejects(text):
    message = validate_value(p(type="integer"), text)
    assert message is not None and "whole number" in message


def test_integer_range():
    param = p(type="integer", minimum=1, maximum=100)
    assert coerce_value(param, "100") == 100
    assert validate_value(param, "0") == "must be at least 1, got 0"
    assert validate_value(param, "101") == "must be at most 100, got 101"


def test_numbers():
    assert coerce_value(p(type="number"), "1.5") == 1.5
    assert coerce_value(p(type="number"), "3") == 3
    assert "number" in validate_value(p(type="number"), "abc")
    assert "finite" in validate_value(p(type="number"), "nan")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("true", True),
        ("TRUE", True),
        ("1", True),
        ("Yes", True),
        ("false", False),
        ("0", False),
        ("no", False),
    ],
)
def test_booleans(text, expected):
    assert coerce_value(p(type="boolean"), text) is expected


def test_boolean_rejects_other_words():
    assert "true or false" in validate_value(p(type="boolean"), "maybe")


def test_enum_error_lists_allowed_values():
    param = p(enum=("latest", "top", "new"))
    assert coerce_value(param, "top") == "top"
    assert validate_value(param, "hot") == "'hot' is not allowed; choose from latest, top, new"


def test_integer_enum_compares_text():
    param = p(type="integer", enum=("0", "1", "2"))
    assert coerce_value(param, "2") == 2
    assert "choose from 0, 1, 2" in validate_value(param, "5")


def test_multi_enum_from_list_and_text():
    param = p(enum=("new", "spam", "killed"), multi_enum=True)
    assert coerce_value(param, "new,spam") == "new,spam"
    assert coerce_value(param, ["spam", "killed"]) == "spam,killed"
    assert coerce_value(param, " spam , spam ") == "spam"
    message = validate_value(param, "spam,approved,bogus")
    assert message == "'approved', 'bogus' not allowed; choose from new, spam, killed"


def test_arrays_from_list_csv_and_json_text():
    param = p(type="integer", array=True)
    assert coerce_value(param, [1, "2"]) == [1, 2]
    assert coerce_value(param, "1, 2,3") == [1, 2, 3]
    assert coerce_value(param, "[4, 5]") == [4, 5]
    assert validate_value(param, "1,x") == "item 2: expected a whole number, got 'x'"


def test_array_recognised_by_rails_name():
    assert coerce_value(p(name="ids[]", type="integer"), "1,2") == [1, 2]


def test_array_of_enum_checks_each_item():
    param = p(array=True, enum=("a", "b"))
    assert coerce_value(param, "a,b") == ["a", "b"]
    assert validate_value(param, "a,c") == "item 2: 'c' is not allowed; choose from a, b"


def test_objects_from_dict_or_json():
    param = p(type="object")
    assert coerce_value(param, {"a": 1}) == {"a": 1}
    assert coerce_value(param, '{"1": true}') == {"1": True}
    assert validate_value(param, "[1]") == "expected a JSON object ({...})"


def test_bad_json_names_line_and_column():
    message = validate_value(p(type="object"), '{\n  "a": 1,\n  "b": }')
    assert message is not None
    assert message.startswith("invalid JSON at line 3 column 8")


def test_array_of_objects_from_json_text():
    param = p(type="object", array=True)
    assert coerce_value(param, '[{"part_number": 1}]') == [{"part_number": 1}]
    assert coerce_value(param, '{"part_number": 1}') == [{"part_number": 1}]


@pytest.mark.parametrize("text", ["2024-05-01T10:00:00Z", "2024-05-01T10:00:00+02:00", "2024-05-01"])
def test_iso_datetime_accepted(text):
    assert coerce_value(p(format="date-time"), text) == text


@pytest.mark.parametrize("text", ["yesterday", "2024-13-01T00:00:00", "01/05/2024"])
def test_iso_datetime_rejected(text):
    assert "ISO 8601" in validate_value(p(format="date-time"), text)


def test_iso_date():
    assert coerce_value(p(format="date"), "2024-02-29") == "2024-02-29"
    assert "YYYY-MM-DD" in validate_value(p(format="date"), "2023-02-29")
    assert coerce_value(p(format="date"), datetime(2024, 1, 2, 3, 4)) == "2024-01-02"


def test_disqus_datetime_exact_format():
    param = p(format="disqus-datetime")
    assert coerce_value(param, "2009-03-30T15:41") == "2009-03-30T15:41"
    for bad in ("2010-05-01 12:00", "2010-05-01T12:00:00", "2010-5-1T12:00", "2010-05-01T12:00Z"):
        assert "expected YYYY-MM-DDTHH:MM in UTC" in validate_value(param, bad), bad
    impossible = validate_value(param, "2010-13-01T10:00")
    assert "not a real date" in impossible and "YYYY-MM-DDTHH:MM" in impossible
    assert "not a real date" in validate_value(param, "2010-01-01T24:00")


def test_disqus_datetime_from_datetime_objects_converts_to_utc():
    param = p(format="disqus-datetime")
    assert coerce_value(param, datetime(2010, 5, 1, 12, 30, 59)) == "2010-05-01T12:30"
    cest = timezone(timedelta(hours=2))
    assert coerce_value(param, datetime(2010, 5, 1, 12, 30, tzinfo=cest)) == "2010-05-01T10:30"
    assert coerce_value(param, datetime(2010, 5, 1, 12, 30, tzinfo=UTC)) == "2010-05-01T12:30"


def test_files_from_path_pair_and_filepart(tmp_path: Path):
    param = p(name="file", location="body", type="file")
    path = tmp_path / "logo.png"
    path.write_bytes(b"\x89PNG data")
    from_path = coerce_value(param, str(path))
    assert from_path == FilePart("file", "logo.png", b"\x89PNG data", "image/png")
    assert from_path.path == str(path)  # the cURL export points at the file itself
    assert coerce_value(param, ("notes.txt", b"hi")) == FilePart("file", "notes.txt", b"hi", "text/plain")
    renamed = coerce_value(param, FilePart("other", "a.bin", b"1"))
    assert renamed.name == "file" and renamed.data == b"1"


def test_binary_format_is_a_file(tmp_path: Path):
    path = tmp_path / "a.txt"
    path.write_text("x")
    assert coerce_value(p(name="f", format="binary"), str(path)).data == b"x"


def test_missing_or_unreadable_file(tmp_path: Path):
    param = p(name="file", type="file")
    assert validate_value(param, str(tmp_path / "nope.png")).startswith("no such file")
    assert validate_value(param, str(tmp_path)).startswith("no such file")
    assert validate_value(param, 42) == "expected a file path or a (filename, bytes) pair"


def test_coerce_raises_value_problem():
    with pytest.raises(ValueProblem, match="whole number"):
        coerce_value(p(type="integer"), "x")


def test_string_rejects_structures():
    assert validate_value(p(), {"a": 1}) == "expected text, got dict"
    assert coerce_value(p(), 5) == "5"


def test_array_of_files_keeps_a_path_with_commas_whole(tmp_path: Path):
    path = tmp_path / "a,b.txt"
    path.write_text("x")
    parts = coerce_value(p(name="files", type="file", array=True), str(path))
    assert [part.filename for part in parts] == ["a,b.txt"]
