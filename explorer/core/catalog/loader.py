"""Load and validate catalog JSON files; errors name the file, the method and the field."""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from pathlib import Path
from typing import Any

from explorer.core.catalog.model import (
    BODY_ENCODINGS,
    PAGINATION_KINDS,
    PARAM_FORMATS,
    PARAM_LOCATIONS,
    PARAM_TYPES,
    Api,
    Catalog,
    Group,
    Method,
    Pagination,
    Param,
)
from explorer.core.paths import resources_dir

VERBS = frozenset({"GET", "POST", "PUT", "DELETE", "PATCH"})
# Who may call a method, per API (see Method.auth).
AUTH_LEVELS = {
    Api.DISCOURSE: frozenset({"none", "optional", "user", "admin"}),
    Api.DISQUS: frozenset({"user", "forum", "partner"}),
}


class CatalogError(ValueError):
    """A catalog file is unreadable or breaks the catalog format."""


def _fail(where: str, message: str) -> None:
    raise CatalogError(f"{where}: {message}")


def _flag(raw: dict[str, Any], key: str, default: bool, where: str) -> bool:
    # bool("false") is True, so a quoted boolean must be refused rather than coerced.
    value = raw.get(key, default)
    if not isinstance(value, bool):
        _fail(where, f"{key!r} must be true or false, not {value!r}")
    return value


def _one_of(value: Any, allowed: Collection[str]) -> bool:
    # Checked as text first: a list or object from a damaged file cannot even be looked up in a set.
    return isinstance(value, str) and value in allowed


def _list(raw: dict[str, Any], key: str, where: str) -> list[Any]:
    value = raw.get(key, [])
    if not isinstance(value, list):
        _fail(where, f"{key!r} must be a list")
    return value


def _strings(raw: dict[str, Any], key: str, where: str, default: list[str] | None = None) -> tuple[str, ...]:
    value = raw.get(key, default if default is not None else [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        _fail(where, f"{key!r} must be a list of strings")
    return tuple(value)


def _number(raw: dict[str, Any], key: str, where: str) -> float | None:
    value = raw.get(key)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
        _fail(where, f"{key!r} must be a number, not {value!r}")
    return value


def _param(raw: Any, where: str) -> Param:
    if not isinstance(raw, dict):
        _fail(where, "a parameter must be an object")
    name = raw.get("name")
    if not isinstance(name, str) or not name:
        _fail(where, "parameter without a name")
    where = f"{where} parameter {name!r}"
    location = raw.get("in")
    if not _one_of(location, PARAM_LOCATIONS):
        _fail(where, f"'in' must be one of {sorted(PARAM_LOCATIONS)}, not {location!r}")
    ptype = raw.get("type", "string")
    if not _one_of(ptype, PARAM_TYPES):
        _fail(where, f"'type' must be one of {sorted(PARAM_TYPES)}, not {ptype!r}")
    fmt = raw.get("format")
    if fmt is not None and not _one_of(fmt, PARAM_FORMATS):
        _fail(where, f"unknown format {fmt!r}")
    enum = raw.get("enum")
    if enum is not None and (not isinstance(enum, list) or not enum):
        _fail(where, "'enum' must be a non-empty list")
    name_from = raw.get("name_from")
    if name_from is not None and not isinstance(name_from, str):
        _fail(where, f"'name_from' must be a parameter name, not {name_from!r}")
    if location == "path" and raw.get("required") is False:
        _fail(where, "a path parameter is always required")
    return Param(
        name=name,
        location=location,
        type=ptype,
        required=_flag(raw, "required", location == "path", where),
        array=_flag(raw, "array", False, where),
        enum=tuple(_enum_text(v) for v in enum) if enum is not None else None,
        multi_enum=_flag(raw, "multi_enum", False, where),
        default=raw.get("default"),
        format=fmt,
        description=str(raw.get("description", "")),
        example=raw.get("example"),
        minimum=_number(raw, "minimum", where),
        maximum=_number(raw, "maximum", where),
        correction=raw.get("correction"),
        name_from=name_from,
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
    if not _one_of(group, groups):
        _fail(where, f"group {group!r} is not declared in 'groups'")
    encoding = raw.get("body_encoding")
    if encoding is not None and not _one_of(encoding, BODY_ENCODINGS):
        _fail(where, f"'body_encoding' must be one of {sorted(BODY_ENCODINGS)}")
    auth = raw.get("auth", "optional" if api is Api.DISCOURSE else None)
    if not _one_of(auth, AUTH_LEVELS[api]):
        _fail(where, f"'auth' must be one of {sorted(AUTH_LEVELS[api])}, not {auth!r}")
    example = raw.get("example", {})
    if not isinstance(example, dict):
        _fail(where, "'example' must be an object of argument values")
    params = tuple(_param(p, where) for p in _list(raw, "params", where))
    names = [(p.location, p.name) for p in params]
    if len(set(names)) != len(names):
        _fail(where, "a parameter is listed twice")
    for p in params:
        if p.name_from is not None and p.name_from not in {q.name for q in params if q is not p}:
            _fail(where, f"parameter {p.name!r}: 'name_from' refers to unknown parameter {p.name_from!r}")
    for placeholder in _placeholders(path, where):
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
        tags=_strings(raw, "tags", where, default=[group]),
        documented=_flag(raw, "documented", True, where),
        params=params,
        body_encoding=encoding,
        auth=auth,
        response=str(raw.get("response", "")),
        notes=_strings(raw, "notes", where),
        corrections=_strings(raw, "corrections", where),
        example=dict(example),
        pagination=_pagination(raw.get("pagination"), where, {p.name for p in params}),
    )


def _pagination(raw: Any, where: str, params: set[str]) -> Pagination | None:
    """A method's optional "pagination" object (its `then` is checked against the catalog later)."""
    if raw is None:
        return None
    where = f"{where} pagination"
    if not isinstance(raw, dict):
        _fail(where, "must be an object")
    kind = raw.get("kind")
    if not _one_of(kind, PAGINATION_KINDS):
        _fail(where, f"'kind' must be one of {sorted(PAGINATION_KINDS)}, not {kind!r}")
    texts: dict[str, str | None] = {}
    for key in ("items", "param", "more", "total", "limit_param", "cursor_field", "ids", "then"):
        value = raw.get(key)
        if value is not None and (not isinstance(value, str) or not value):
            _fail(where, f"{key!r} must be non-empty text, not {value!r}")
        texts[key] = value
    for key in ("items", "more", "total", "ids"):
        value = texts[key]
        if value is not None and not (value == "$" or value.startswith("$.")):
            _fail(where, f"{key!r} must be a JSON path like $.topic_list.topics, not {value!r}")
    if texts["items"] is None or texts["param"] is None:
        _fail(where, "'items' and 'param' are required")
    for name in re.findall(r"\{([^{}]*)\}", texts["items"] or ""):
        if name not in params:
            _fail(where, f"'items' refers to {{{name}}}, which is not a parameter of the method")
    if kind == "ids" and (texts["ids"] is None or texts["then"] is None):
        _fail(where, "an 'ids' pagination needs 'ids' and 'then'")
    numbers: dict[str, int] = {}
    for key, default, least in (("first", 0, 0), ("limit", None, 1), ("chunk", 20, 1)):
        value = raw.get(key, default)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < least):
            _fail(where, f"{key!r} must be a whole number of at least {least}, not {value!r}")
        if value is not None:
            numbers[key] = value
    key_fields = _strings(raw, "key", where, default=["id"])
    if not key_fields:
        _fail(where, "'key' must name at least one field")
    return Pagination(
        kind=kind,
        items=texts["items"] or "$",
        param=texts["param"] or "",
        first=numbers["first"],
        more=texts["more"],
        total=texts["total"],
        limit_param=texts["limit_param"],
        limit=numbers.get("limit"),
        cursor_field=texts["cursor_field"] or "id",
        key=key_fields,
        ids=texts["ids"],
        then=texts["then"],
        chunk=numbers["chunk"],
    )


def _placeholders(path: str, where: str) -> list[str]:
    out, rest = [], path
    while "{" in rest:
        start = rest.index("{")
        end = rest.find("}", start)
        if end < 0 or not rest[start + 1 : end]:
            _fail(where, f"'path' has an unclosed or empty placeholder: {path!r}")
        out.append(rest[start + 1 : end])
        rest = rest[end + 1 :]
    if "}" in rest:
        _fail(where, f"'path' has a '}}' without its '{{': {path!r}")
    return out


def _enum_text(value: Any) -> str:
    # JSON true/false are written the way they travel on the wire, not as Python's True/False.
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _group(raw: Any, where: str) -> Group:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not raw["id"]:
        _fail(where, "a group must be an object with a string 'id'")
    title = str(raw.get("title", raw["id"]))
    return Group(id=raw["id"], title=title, description=str(raw.get("description", "")))


def parse_catalog(data: Any, source: str = "<catalog>") -> Catalog:
    """Build a Catalog from decoded JSON, raising CatalogError naming what is wrong."""
    if not isinstance(data, dict):
        _fail(source, "the top level must be an object")
    try:
        api = Api(data.get("api"))
    except ValueError:
        _fail(source, f"unknown api {data.get('api')!r}")
    groups = tuple(_group(g, f"{source} group #{i + 1}") for i, g in enumerate(_list(data, "groups", source)))
    group_ids = {g.id for g in groups}
    methods = tuple(
        _method(api, m, f"{source} method #{i + 1}", group_ids)
        for i, m in enumerate(_list(data, "methods", source))
    )
    ids = [m.id for m in methods]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        _fail(source, f"duplicate method ids: {', '.join(dupes)}")
    for m in methods:
        then = m.pagination.then if m.pagination is not None else None
        if then is not None and then not in ids:
            _fail(source, f"method {m.id}: pagination 'then' names unknown method {then!r}")
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
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        raise CatalogError(f"{path}: line {line}: not UTF-8 text ({exc.reason})") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogError(f"{path}: line {exc.lineno} column {exc.colno}: {exc.msg}") from exc
    return parse_catalog(data, str(path.name))


def load_bundled_catalogs() -> dict[Api, Catalog]:
    """The catalogs shipped in resources/catalogs, keyed by API."""
    folder = resources_dir() / "catalogs"
    return {api: load_catalog(folder / f"{api.value}.json") for api in Api}
