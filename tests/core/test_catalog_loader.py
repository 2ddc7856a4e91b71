"""Catalog loader: valid files load with defaults; malformed ones fail with a message naming the spot."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.core.catalog.loader import CatalogError, load_catalog, parse_catalog
from explorer.core.catalog.model import Api

MINIMAL: dict[str, Any] = {
    "api": "discourse",
    "title": "Test",
    "version": "1",
    "groups": [{"id": "Topics", "title": "Topics"}],
    "methods": [
        {
            "id": "getThing",
            "verb": "get",
            "path": "/t/{id}.json",
            "group": "Topics",
            "summary": "Get a thing",
            "params": [
                {"name": "id", "in": "path", "type": "integer"},
                {"name": "flag", "in": "query", "type": "boolean", "enum": [True]},
            ],
        }
    ],
}


def _with(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    data = copy.deepcopy(MINIMAL)
    change(data)
    return data


def _method(data: dict[str, Any]) -> dict[str, Any]:
    return data["methods"][0]


def _param(data: dict[str, Any], index: int = 0) -> dict[str, Any]:
    return data["methods"][0]["params"][index]


def test_minimal_catalog_loads_with_defaults() -> None:
    catalog = parse_catalog(copy.deepcopy(MINIMAL), "mini.json")
    assert catalog.api is Api.DISCOURSE
    method = catalog.method("getThing")
    assert method is not None
    assert method.verb == "GET"  # verbs are normalised to upper case
    assert method.tags == ("Topics",)  # tags default to the group
    assert method.documented is True and method.auth == "optional" and method.body_encoding is None
    path_param, flag = method.params
    assert path_param.required is True  # path parameters are required without saying so
    assert flag.required is False and flag.enum == ("true",)  # JSON true is kept in wire spelling


BROKEN: dict[str, tuple[Callable[[dict[str, Any]], None], list[str]]] = {
    "bad 'in'": (
        lambda d: _param(d, 1).update({"in": "header"}),
        ["mini.json method #1 (getThing) parameter 'flag'", "'in' must be one of", "'header'"],
    ),
    "bad type": (
        lambda d: _param(d, 1).update({"type": "bool"}),
        ["(getThing) parameter 'flag'", "'type' must be one of", "'bool'"],
    ),
    "bad format": (
        lambda d: _param(d, 1).update({"format": "datetime"}),
        ["parameter 'flag'", "unknown format"],
    ),
    "enum not a list": (lambda d: _param(d, 1).update({"enum": "a,b"}), ["parameter 'flag'", "'enum'"]),
    "quoted boolean": (
        lambda d: _param(d, 1).update({"required": "false"}),
        ["parameter 'flag'", "'required' must be true or false", "'false'"],
    ),
    "optional path parameter": (
        lambda d: _param(d, 0).update({"required": False}),
        ["parameter 'id'", "path parameter is always required"],
    ),
    "minimum not a number": (
        lambda d: _param(d, 1).update({"minimum": "1"}),
        ["parameter 'flag'", "'minimum'"],
    ),
    "parameter without a name": (
        lambda d: _param(d, 1).pop("name"),
        ["(getThing)", "parameter without a name"],
    ),
    "parameter not an object": (
        lambda d: _method(d)["params"].append("page"),
        ["(getThing)", "a parameter must be an object"],
    ),
    "params not a list": (
        lambda d: _method(d).update({"params": {"id": 1}}),
        ["(getThing)", "'params' must be a list"],
    ),
    "placeholder without parameter": (
        lambda d: _method(d).update({"path": "/t/{slug}/{id}.json"}),
        ["(getThing)", "{slug} has no path parameter"],
    ),
    "unclosed placeholder": (
        lambda d: _method(d).update({"path": "/t/{id.json"}),
        ["(getThing)", "unclosed or empty placeholder"],
    ),
    "stray closing brace": (
        lambda d: _method(d).update({"path": "/t/id}.json"}),
        ["(getThing)", "'}' without"],
    ),
    "path without slash": (lambda d: _method(d).update({"path": "t/{id}.json"}), ["(getThing)", "'path'"]),
    "bad verb": (lambda d: _method(d).update({"verb": "FETCH"}), ["(getThing)", "'verb' must be one of"]),
    "undeclared group": (lambda d: _method(d).update({"group": "Posts"}), ["(getThing)", "group 'Posts'"]),
    "bad encoding": (
        lambda d: _method(d).update({"body_encoding": "xml"}),
        ["(getThing)", "'body_encoding'"],
    ),
    "bad auth": (
        lambda d: _method(d).update({"auth": "root"}),
        ["(getThing)", "'auth' must be one of", "'root'"],
    ),
    "tags not a list": (
        lambda d: _method(d).update({"tags": "Topics"}),
        ["(getThing)", "'tags' must be a list"],
    ),
    "notes not strings": (lambda d: _method(d).update({"notes": [1]}), ["(getThing)", "'notes'"]),
    "example not an object": (lambda d: _method(d).update({"example": [1]}), ["(getThing)", "'example'"]),
    "documented quoted": (lambda d: _method(d).update({"documented": "no"}), ["(getThing)", "'documented'"]),
    "method without id": (lambda d: _method(d).pop("id"), ["mini.json method #1", "without an 'id'"]),
    "parameter listed twice": (
        lambda d: _method(d)["params"].append({"name": "flag", "in": "query"}),
        ["(getThing)", "listed twice"],
    ),
    "name_from unknown": (
        lambda d: _param(d, 1).update({"name_from": "setting"}),
        ["(getThing)", "parameter 'flag'", "'name_from'", "'setting'"],
    ),
    "duplicate ids": (
        lambda d: d["methods"].append(copy.deepcopy(d["methods"][0])),
        ["mini.json", "duplicate method ids: getThing"],
    ),
    "methods not a list": (
        lambda d: d.update({"methods": {"getThing": {}}}),
        ["mini.json", "'methods' must be a list"],
    ),
    "groups not a list": (lambda d: d.update({"groups": "Topics"}), ["mini.json", "'groups' must be a list"]),
    "group without id": (lambda d: d["groups"].append({"title": "x"}), ["mini.json group #2", "string 'id'"]),
    "unknown api": (lambda d: d.update({"api": "reddit"}), ["mini.json", "unknown api 'reddit'"]),
    # Values of the wrong JSON type where a name is expected (they cannot even be looked up in a set).
    "location an object": (lambda d: _param(d).update({"in": {}}), ["parameter 'id'", "'in' must be one of"]),
    "type a list": (lambda d: _param(d).update({"type": ["integer"]}), ["parameter 'id'", "'type'"]),
    "format a list": (lambda d: _param(d).update({"format": []}), ["parameter 'id'", "unknown format"]),
    "name_from a list": (lambda d: _param(d, 1).update({"name_from": ["id"]}), ["'name_from' must be"]),
    "group a list": (lambda d: _method(d).update({"group": ["Topics"]}), ["(getThing)", "group ['Topics']"]),
    "encoding an object": (
        lambda d: _method(d).update({"body_encoding": {}}),
        ["(getThing)", "'body_encoding'"],
    ),
    "auth a list": (
        lambda d: _method(d).update({"auth": ["admin"]}),
        ["(getThing)", "'auth' must be one of"],
    ),
}


@pytest.mark.parametrize("label", sorted(BROKEN))
def test_malformed_catalog_names_the_problem(label: str) -> None:
    change, expected = BROKEN[label]
    with pytest.raises(CatalogError) as info:
        parse_catalog(_with(change), "mini.json")
    message = str(info.value)
    for part in expected:
        assert part in message, message


def test_top_level_must_be_an_object() -> None:
    with pytest.raises(CatalogError, match=r"^mini\.json: the top level must be an object$"):
        parse_catalog([], "mini.json")


def test_load_catalog_reports_json_syntax_with_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "api": "discourse",\n  "methods": [,]\n}\n', encoding="utf-8")
    with pytest.raises(CatalogError, match=r"broken\.json: line 3 column \d+"):
        load_catalog(path)


def test_load_catalog_reports_bytes_that_are_not_utf8_with_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes('{\n  "title": "Caf\u00e9"\n}\n'.encode("latin-1"))
    with pytest.raises(CatalogError, match=r"latin1\.json: line 2: not UTF-8 text"):
        load_catalog(path)


def test_load_catalog_reports_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=r"nothing\.json: cannot read"):
        load_catalog(tmp_path / "nothing.json")


def test_load_catalog_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "mini.json"
    path.write_text(json.dumps(MINIMAL), encoding="utf-8")
    catalog = load_catalog(path)
    assert [m.id for m in catalog.methods] == ["getThing"]


def test_disqus_methods_need_a_disqus_key_kind() -> None:
    data = _with(lambda d: d.update({"api": "disqus"}))
    with pytest.raises(CatalogError, match=r"'auth' must be one of \['forum', 'partner', 'user'\], not None"):
        parse_catalog(data, "mini.json")
    _method(data)["auth"] = "forum"
    assert parse_catalog(data, "mini.json").methods[0].auth == "forum"


def _spots(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON document, as a path of keys and indexes."""
    children: list[tuple[Any, Any]] = []
    if isinstance(node, dict):
        children = list(node.items())
    elif isinstance(node, list):
        children = list(enumerate(node))
    spots = [path] if path else []
    for key, child in children:
        spots += _spots(child, (*path, key))
    return spots


# MINIMAL with every optional key present, so each one gets damaged too.
FUZZ_BASE = _with(
    lambda d: (
        _method(d).update(
            {"auth": "admin", "body_encoding": "json", "tags": ["Topics"], "documented": True, "notes": []}
        ),
        _method(d)["params"].append(
            {"name": "value", "in": "body", "name_from": "flag", "format": "date-time", "required": False}
        ),
    )
)
_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=3), inner, max_size=2),
    max_leaves=4,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_spots(FUZZ_BASE)), _JSON_VALUES), min_size=1, max_size=3))
def test_any_damage_loads_or_raises_catalog_error(damage: list[tuple[tuple[Any, ...], Any]]) -> None:
    data = copy.deepcopy(FUZZ_BASE)
    for path, value in damage:
        target: Any = data
        for key in path[:-1]:
            target = target[key] if isinstance(target, dict | list) and _has(target, key) else None
        if isinstance(target, dict | list) and _has(target, path[-1]):
            target[path[-1]] = value
    try:
        parse_catalog(data, "mini.json")
    except CatalogError as exc:
        assert str(exc).startswith("mini.json")


def _has(container: dict[str, Any] | list[Any], key: Any) -> bool:
    if isinstance(container, dict):
        return key in container
    return isinstance(key, int) and key < len(container)
