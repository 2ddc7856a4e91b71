"""Load and validate catalog JSON files; errors name the file, the method and the field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from explorer.core.catalog.model import (
    BODY_ENCODINGS,
    PARAM_FORMATS,
    PARAM_LOCATIONS,
    PARAM_TYPES,
    Api,
    Catalog,
    Group,
    Method,
    Param,
)
from explorer.core.paths import resources_dir

VERBS = frozenset({"GET", "POST", "PUT", "DELETE", "PATCH"})


class CatalogError(ValueError):
    """A catalog file is unreadable or breaks the catalog format."""


def _fail(where: str, message: str) -> None:
    raise CatalogError(f"{where}: {message}")


def _param(raw: Any, where: str) -> Param:
    if not isinstance(raw, dict):
        _fail(where, "a parameter must be an object")
    name = raw.get("name")
    if not isinstance(name, str) or not name:
        _fail(where, "parameter without a name")
    where = f"{where} parameter {name!r}"
    location = raw.get("in")
    if location not in PARAM_LOCATIONS:
        _fail(where, f"'in' must be one of {sorted(PARAM_LOCATIONS)}, not {location!r}")
    ptype = raw.get("type", "string")
    if ptype not in PARAM_TYPES:
        _fail(where, f"'type' must be one of {sorted(PARAM_TYPES)}, not {ptype!r}")
    fmt = raw.get("format")
    if fmt is not None and fmt not in PARAM_FORMATS:
        _fail(where, f"unknown format {fmt!r}")
    enum = raw.get("enum")
    if enum is not None and (not isinstance(enum, list) or not enum):
        _fail(where, "'enum' must be a non-empty list")
    return Param(
        name=name,
        location=location,
        type=ptype,
        required=bool(raw.get("required", location == "path")),
        array=bool(raw.get("array", False)),
        enum=tuple(str(v) for v in enum) if enum is not None else None,
        multi_enum=bool(raw.get("multi_enum", False)),
        default=raw.get("default"),
        format=fmt,
        description=str(raw.get("description", "")),
        example=raw.get("example"),
        minimum=raw.get("minimum"),
        maximum=raw.get("maximum"),
        correction=raw.get("correction"),
        name_from=raw.get("name_from"),
    )


def _method(api: Api, raw: Any, where: str, groups: set[str]) -> Method:
    if not isinstance(raw, dict):
        _fail(where, "a method must be an object")
    method_id = raw.get("id")
    if not isinstance(method_id, str) or not method_id:
        _fail(where, "method without an 'id'")
    where = f"{where} ({method_id})"
    verb = str(raw.get("verb", "")).upper()
    if verb not in VERBS:
        _fail(where, f"'verb' must be one of {sorted(VERBS)}")
    path = raw.get("path")
    if not isinstance(path, str) or not path.startswith("/"):
        _fail(where, "'path' must start with '/'")
    group = raw.get("group")
    if group not in groups:
        _fail(where, f"group {group!r} is not declared in 'groups'")
    encoding = raw.get("body_encoding")
    if encoding is not None and encoding not in BODY_ENCODINGS:
        _fail(where, f"'body_encoding' must be one of {sorted(BODY_ENCODINGS)}")
    params = tuple(_param(p, where) for p in raw.get("params", []))
    names = [(p.location, p.name) for p in params]
    if len(set(names)) != len(names):
        _fail(where, "a parameter is listed twice")
    for p in params:
        if p.name_from is not None and p.name_from not in {q.name for q in params if q is not p}:
            _fail(where, f"parameter {p.name!r}: 'name_from' refers to unknown parameter {p.name_from!r}")
    for placeholder in _placeholders(path):
        if ("path", placeholder) not in names:
            _fail(where, f"path placeholder {{{placeholder}}} has no path parameter")
    return Method(
        api=api,
        id=method_id,
        verb=verb,
        path=path,
        group=group,
        summary=str(raw.get("summary", "")),
        description=str(raw.get("description", "")),
        tags=tuple(raw.get("tags", [group])),
        documented=bool(raw.get("documented", True)),
        params=params,
        body_encoding=encoding,
        auth=str(raw.get("auth", "optional")),
        response=str(raw.get("response", "")),
        notes=tuple(raw.get("notes", [])),
        corrections=tuple(raw.get("corrections", [])),
        example=dict(raw.get("example", {})),
    )


def _placeholders(path: str) -> list[str]:
    out, rest = [], path
    while "{" in rest:
        start = rest.index("{")
        end = rest.index("}", start)
        out.append(rest[start + 1 : end])
        rest = rest[end + 1 :]
    return out


def parse_catalog(data: Any, source: str = "<catalog>") -> Catalog:
    """Build a Catalog from decoded JSON, raising CatalogError naming what is wrong."""
    if not isinstance(data, dict):
        _fail(source, "the top level must be an object")
    try:
        api = Api(data.get("api"))
    except ValueError:
        _fail(source, f"unknown api {data.get('api')!r}")
    groups = tuple(
        Group(id=g["id"], title=g.get("title", g["id"]), description=g.get("description", ""))
        for g in data.get("groups", [])
    )
    group_ids = {g.id for g in groups}
    methods = tuple(
        _method(api, m, f"{source} method #{i + 1}", group_ids) for i, m in enumerate(data.get("methods", []))
    )
    ids = [m.id for m in methods]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        _fail(source, f"duplicate method ids: {', '.join(dupes)}")
    return Catalog(
        api=api,
        title=str(data.get("title", api.value)),
        version=str(data.get("version", "")),
        groups=groups,
        methods=methods,
        description=str(data.get("description", "")),
    )


def load_catalog(path: Path) -> Catalog:
    """Read one catalog file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read ({exc.strerror})") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogError(f"{path}: line {exc.lineno} column {exc.colno}: {exc.msg}") from exc
    return parse_catalog(data, str(path.name))


def load_bundled_catalogs() -> dict[Api, Catalog]:
    """The catalogs shipped in resources/catalogs, keyed by API."""
    folder = resources_dir() / "catalogs"
    return {api: load_catalog(folder / f"{api.value}.json") for api in Api}
