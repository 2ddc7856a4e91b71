"""Parity of the Discourse catalog with the official OpenAPI document (../shared), corrections excepted."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from explorer.core.catalog.loader import load_catalog
from explorer.core.catalog.model import Api, Catalog, Method, Param
from explorer.core.paths import resources_dir

# Authentication comes from the connection profile; the spec repeats these as header parameters.
AUTH_HEADERS = frozenset({"api-key", "api-username"})
VERBS = ("get", "post", "put", "delete", "patch")


@dataclass(frozen=True)
class SpecParam:
    """The facts of one spec parameter (or top-level body property) that the catalog must match."""

    name: str
    location: str
    required: bool
    enum: tuple[str, ...] | None
    type: str | None  # None when the spec leaves an array's item type open
    array: bool


@dataclass(frozen=True)
class SpecOperation:
    op_id: str
    verb: str
    path: str
    params: tuple[SpecParam, ...]


def _enum_text(value: Any) -> str:
    # Booleans are written the way they travel on the wire.
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _spec_param(name: str, location: str, schema: dict[str, Any], required: bool) -> SpecParam:
    ptype = schema.get("type", "string")
    if isinstance(ptype, list):  # OpenAPI 3.1 nullable: ["string", "null"]
        ptype = next(t for t in ptype if t != "null")
    array = ptype == "array"
    if array:
        ptype = (schema.get("items") or {}).get("type")
    if schema.get("format") == "binary":
        ptype = "file"
    enum = schema.get("enum")
    return SpecParam(
        name=name,
        location=location,
        required=required,
        enum=tuple(_enum_text(v) for v in enum) if enum is not None else None,
        type=ptype,
        array=array,
    )


def spec_operations(spec: dict[str, Any]) -> dict[str, SpecOperation]:
    """Every operation of an OpenAPI document, keyed by operationId, auth header parameters left out."""
    operations: dict[str, SpecOperation] = {}
    for path, item in spec.get("paths", {}).items():
        for verb in VERBS:
            op = item.get(verb)
            if op is None:
                continue
            params = [
                _spec_param(
                    p["name"], p["in"], p.get("schema", {}), bool(p.get("required")) or p["in"] == "path"
                )
                for p in op.get("parameters", [])
                if not (p["in"] == "header" and p["name"].lower() in AUTH_HEADERS)
            ]
            for content in (op.get("requestBody") or {}).get("content", {}).values():
                schema = content.get("schema", {})
                required = set(schema.get("required", []))
                params.extend(
                    _spec_param(name, "body", prop, name in required)
                    for name, prop in schema.get("properties", {}).items()
                )
            operations[op["operationId"]] = SpecOperation(
                op["operationId"], verb.upper(), path, tuple(params)
            )
    return operations


def _param_differences(spec: SpecParam, ours: Param) -> list[str]:
    diffs = []
    if spec.location != ours.location:
        diffs.append(f"in: spec {spec.location!r}, catalog {ours.location!r}")
    if spec.required != ours.required:
        diffs.append(f"required: spec {spec.required}, catalog {ours.required}")
    if spec.enum != ours.enum:
        diffs.append(f"enum: spec {list(spec.enum or [])}, catalog {list(ours.enum or [])}")
    if spec.array != ours.array:
        diffs.append(f"array: spec {spec.array}, catalog {ours.array}")
    if spec.type is not None and spec.type != ours.type:
        diffs.append(f"type: spec {spec.type!r}, catalog {ours.type!r}")
    return diffs


def _compare_method(spec: SpecOperation, method: Method) -> list[str]:
    problems = []
    if (spec.verb, spec.path) != (method.verb, method.path):
        problems.append(f"endpoint: spec {spec.verb} {spec.path}, catalog {method.verb} {method.path}")
    explained = " ".join(method.corrections)
    spec_names = set()
    for sp in spec.params:
        spec_names.add(sp.name)
        ours = method.param(sp.name)
        if ours is None:
            if sp.name not in explained:
                problems.append(f"missing parameter {sp.name!r} ({sp.location})")
            continue
        diffs = _param_differences(sp, ours)
        if diffs and not ours.correction:
            problems.append(f"parameter {sp.name!r} differs without a correction: {'; '.join(diffs)}")
        if ours.correction and not diffs:
            problems.append(f"parameter {sp.name!r} is marked as corrected but matches the spec")
    for ours in method.params:
        if ours.name not in spec_names and not ours.correction:
            problems.append(f"extra parameter {ours.name!r} ({ours.location}) not in the spec and not marked")
    if any(p.correction for p in method.params) and not method.corrections:
        problems.append("has corrected parameters but no entry in 'corrections'")
    return problems


def compare_catalog(spec_ops: dict[str, SpecOperation], catalog: Catalog) -> list[str]:
    """Every difference between the spec and the catalog's documented methods, as readable lines."""
    problems: list[str] = []
    documented = {m.id: m for m in catalog.methods if m.documented}
    for op_id, spec in spec_ops.items():
        method = documented.get(op_id)
        if method is None:
            problems.append(f"{op_id}: missing operation ({spec.verb} {spec.path})")
            continue
        problems.extend(f"{op_id}: {p}" for p in _compare_method(spec, method))
    for op_id, method in documented.items():
        if op_id not in spec_ops:
            problems.append(
                f"{op_id}: extra documented operation ({method.verb} {method.path}) not in the spec"
            )
    endpoints = {(s.verb, s.path): s.op_id for s in spec_ops.values()}
    for method in catalog.methods:
        if not method.documented and (method.verb, method.path) in endpoints:
            clash = endpoints[(method.verb, method.path)]
            problems.append(f"{method.id}: marked undocumented but the spec documents it as {clash}")
        if not method.documented and method.id in spec_ops:
            problems.append(f"{method.id}: undocumented method reuses a spec operationId")
    return problems


def _report(problems: list[str]) -> str:
    return f"{len(problems)} difference(s) between catalog and spec:\n  " + "\n  ".join(problems)


@pytest.fixture(scope="module")
def spec_ops(shared_dir: Path) -> dict[str, SpecOperation]:
    spec = json.loads((shared_dir / "reference/discourse/openapi.json").read_text(encoding="utf-8"))
    return spec_operations(spec)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(resources_dir() / "catalogs" / "discourse.json")


def test_spec_has_93_operations(spec_ops: dict[str, SpecOperation]) -> None:
    assert len(spec_ops) == 93


def test_catalog_matches_spec(spec_ops: dict[str, SpecOperation], catalog: Catalog) -> None:
    problems = compare_catalog(spec_ops, catalog)
    assert not problems, _report(problems)


# --- the comparison itself must catch alterations ---------------------------------------------------------


def _replace_method(catalog: Catalog, method_id: str, **changes: Any) -> Catalog:
    methods = tuple(dataclasses.replace(m, **changes) if m.id == method_id else m for m in catalog.methods)
    return dataclasses.replace(catalog, methods=methods)


def _replace_param(catalog: Catalog, method_id: str, name: str, **changes: Any) -> Catalog:
    method = catalog.method(method_id)
    assert method is not None
    params = tuple(dataclasses.replace(p, **changes) if p.name == name else p for p in method.params)
    return _replace_method(catalog, method_id, params=params)


def _drop_param(catalog: Catalog, method_id: str, name: str) -> Catalog:
    method = catalog.method(method_id)
    assert method is not None
    return _replace_method(catalog, method_id, params=tuple(p for p in method.params if p.name != name))


ALTERATIONS = {
    "dropped parameter": (
        lambda c: _drop_param(c, "createTopicPostPM", "raw"),
        "createTopicPostPM: missing parameter 'raw'",
    ),
    "changed enum": (
        lambda c: _replace_param(c, "adminListUsersFlag", "flag", enum=("active", "new")),
        "adminListUsersFlag: parameter 'flag' differs",
    ),
    "dropped enum": (
        lambda c: _replace_param(c, "updateTopicStatus", "status", enum=None),
        "updateTopicStatus: parameter 'status' differs",
    ),
    "flipped required": (
        lambda c: _replace_param(c, "createBadge", "name", required=False),
        "createBadge: parameter 'name' differs",
    ),
    "moved location": (
        lambda c: _replace_param(c, "search", "q", location="body"),
        "search: parameter 'q' differs",
    ),
    "lost array-ness": (
        lambda c: _replace_param(c, "batchPresignMultipartParts", "part_numbers", array=False),
        "batchPresignMultipartParts: parameter 'part_numbers' differs",
    ),
    "changed verb": (lambda c: _replace_method(c, "getTopic", verb="POST"), "getTopic: endpoint"),
    "changed path": (lambda c: _replace_method(c, "getTopic", path="/t/{id}"), "getTopic: endpoint"),
    "missing operation": (
        lambda c: dataclasses.replace(c, methods=tuple(m for m in c.methods if m.id != "listTags")),
        "listTags: missing operation",
    ),
    "unmarked extra parameter": (
        lambda c: _replace_method(
            c, "getTag", params=(*c.method("getTag").params, Param(name="sneaky", location="query"))
        ),
        "getTag: extra parameter 'sneaky'",
    ),
    "correction marker removed": (
        lambda c: _replace_param(c, "getSpecificPostsFromTopic", "post_ids[]", correction=None),
        "getSpecificPostsFromTopic: parameter 'post_ids[]' differs",
    ),
    "added page unmarked": (
        lambda c: _replace_param(c, "listLatestTopics", "page", correction=None),
        "listLatestTopics: extra parameter 'page'",
    ),
    "undocumented flag on a spec operation": (
        lambda c: _replace_method(c, "getSite", documented=False),
        "getSite: missing operation",
    ),
}


@pytest.mark.parametrize("label", sorted(ALTERATIONS))
def test_comparison_catches_alteration(
    spec_ops: dict[str, SpecOperation], catalog: Catalog, label: str
) -> None:
    alter, expected = ALTERATIONS[label]
    problems = compare_catalog(spec_ops, alter(catalog))
    assert any(p.startswith(expected) for p in problems), _report(problems)


# --- the same rules on a tiny hand-made spec, so they are exercised even without ../shared ---

TINY_SPEC = {
    "paths": {
        "/things/{id}.json": {
            "get": {
                "operationId": "getThing",
                "parameters": [
                    {"name": "Api-Key", "in": "header", "required": True, "schema": {"type": "string"}},
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}},
                    {"name": "mode", "in": "query", "schema": {"type": "string", "enum": ["a", "b"]}},
                ],
            },
            "put": {
                "operationId": "putThing",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {
                                "required": ["ids[]"],
                                "properties": {"ids[]": {"type": "integer"}, "flag": {"type": "boolean"}},
                            }
                        }
                    }
                },
            },
        }
    }
}


def _tiny_catalog(put_params: tuple[Param, ...], put_corrections: tuple[str, ...] = ()) -> Catalog:
    get = Method(
        api=Api.DISCOURSE,
        id="getThing",
        verb="GET",
        path="/things/{id}.json",
        group="g",
        summary="s",
        params=(Param("id", "path", "integer", True), Param("mode", "query", enum=("a", "b"))),
    )
    put = Method(
        api=Api.DISCOURSE,
        id="putThing",
        verb="PUT",
        path="/things/{id}.json",
        group="g",
        summary="s",
        params=put_params,
        corrections=put_corrections,
    )
    return Catalog(api=Api.DISCOURSE, title="t", version="1", groups=(), methods=(get, put))


def test_tiny_spec_matching_catalog_passes() -> None:
    ops = spec_operations(TINY_SPEC)
    catalog = _tiny_catalog(
        (
            Param("id", "path", "integer", True),
            Param("ids[]", "body", "integer", True),
            Param("flag", "body", "boolean"),
        )
    )
    assert compare_catalog(ops, catalog) == []


def test_tiny_spec_marked_correction_passes_and_unmarked_fails() -> None:
    ops = spec_operations(TINY_SPEC)
    moved = Param("ids[]", "query", "integer", True, array=True, correction="goes in the query")
    base = (Param("id", "path", "integer", True), Param("flag", "body", "boolean"))
    assert compare_catalog(ops, _tiny_catalog((*base, moved), ("ids[] moved to the query",))) == []
    # The same move without the marker fails, naming the fields that differ.
    unmarked = dataclasses.replace(moved, correction=None)
    problems = compare_catalog(ops, _tiny_catalog((*base, unmarked), ("ids[] moved to the query",)))
    assert problems == [
        "putThing: parameter 'ids[]' differs without a correction: in: spec 'body', catalog 'query'; "
        "array: spec False, catalog True"
    ]
    # A param correction without a method-level entry fails too.
    problems = compare_catalog(ops, _tiny_catalog((*base, moved)))
    assert problems == ["putThing: has corrected parameters but no entry in 'corrections'"]


def test_tiny_spec_dropped_param_needs_an_explanation() -> None:
    ops = spec_operations(TINY_SPEC)
    params = (Param("id", "path", "integer", True), Param("ids[]", "body", "integer", True))
    assert compare_catalog(ops, _tiny_catalog(params)) == ["putThing: missing parameter 'flag' (body)"]
    assert compare_catalog(ops, _tiny_catalog(params, ("flag is ignored by servers, left out",))) == []


def test_tiny_spec_ignores_auth_headers_only() -> None:
    ops = spec_operations(TINY_SPEC)
    assert [p.name for p in ops["getThing"].params] == ["id", "mode"]
