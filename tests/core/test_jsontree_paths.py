"""JSONPath and jq paths, including keys that need quoting."""

from __future__ import annotations

import jq
import pytest

from explorer.core.jsontree.paths import jq_path, json_pointer, jsonpath

PATH = ("post_stream", "posts", 0, "id")


def test_plain_paths() -> None:
    assert jsonpath(PATH) == "$.post_stream.posts[0].id"
    assert jq_path(PATH) == ".post_stream.posts[0].id"
    assert jsonpath(()) == "$" and jq_path(()) == "."
    assert jq_path((3, "a")) == ".[3].a"
    assert json_pointer(("a/b", "m~n", 0)) == "/a~1b/m~0n/0"


def test_odd_keys_are_quoted() -> None:
    keys = ("user fields", "it's", 'say "hi"', "1st", "if", "é")
    assert jsonpath(keys) == "$['user fields']['it\\'s']['say \"hi\"']['1st'].if['é']"
    assert jq_path(keys) == '."user fields"."it\'s"."say \\"hi\\""."1st"."if"."é"'


@pytest.mark.parametrize(
    "keys",
    [PATH, ("user fields", 0), ("a-b", "c.d"), ('q"uote', "back\\slash"), ("if", "end"), (0, 1), ("é",)],
)
def test_jq_paths_select_the_value_in_jq(keys: tuple) -> None:
    document: object = "target"
    for key in reversed(keys):
        document = [None] * key + [document] if isinstance(key, int) else {key: document, "other": 1}
    assert jq.compile(jq_path(keys)).input_value(document).first() == "target"
