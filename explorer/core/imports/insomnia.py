"""Insomnia exports: format 4 (JSON resources with parent ids) and format 5 (a YAML tree)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from explorer.core.imports.collector import Auth, Collector
from explorer.core.imports.model import ImportFailure, ParsedCollection
from explorer.core.imports.shape import obj, part, seq, text
from explorer.core.imports.urls import insomnia_references
from explorer.core.lifecycle.spec import BodySpec, Pair

V5_COLLECTION = "collection.insomnia.rest/5.0"
# Kinds of Insomnia request this app cannot send (it speaks HTTP to REST APIs only).
_OTHER_REQUESTS = {"grpc_request": "gRPC", "websocket_request": "WebSocket", "socketio_request": "Socket.IO"}


def looks_like_v4(data: object) -> bool:
    return isinstance(data, dict) and data.get("_type") == "export" and "resources" in data


def looks_like_v5(data: object) -> bool:
    return isinstance(data, dict) and str(data.get("type", "")).partition("/")[0].endswith(".insomnia.rest")


# -- format 4 ----------------------------------------------------------------------------------------------


def parse_v4(data: dict[str, Any]) -> ParsedCollection:
    version = data.get("__export_format")
    if version not in (3, 4):
        raise ImportFailure(f"Insomnia export format {version!r} is not supported (formats 4 and 5 are)")
    resources = [obj(r, f"resources[{i}]") for i, r in enumerate(seq(data.get("resources"), "resources"))]
    by_parent: dict[str, list[dict[str, Any]]] = {}
    for resource in resources:
        by_parent.setdefault(str(resource.get("parentId")), []).append(resource)
    workspaces = [r for r in resources if r.get("_type") == "workspace"]
    if not any(r.get("_type") == "request" for r in resources):
        raise ImportFailure("this Insomnia export holds no requests")
    name = text(workspaces[0].get("name"), "workspace name") if workspaces else "Insomnia collection"
    collector = Collector(name or "Insomnia collection", "Insomnia export (format 4)")
    variables: dict[str, str] = {}
    roots = [str(w.get("_id")) for w in workspaces] or [
        str(r.get("parentId")) for r in resources if r.get("_type") in ("request", "request_group")
    ][:1]
    others = [r for r in resources if str(r.get("_type")) in _OTHER_REQUESTS]
    if others:
        kinds = " and ".join(sorted({_OTHER_REQUESTS[str(r.get("_type"))] for r in others}))
        collector.notes.append(f"{len(others)} {kinds} request(s) left out: only HTTP requests are imported.")
    for index, root in enumerate(roots):
        top: tuple[str, ...] = (text(workspaces[index].get("name"), "name"),) if len(workspaces) > 1 else ()
        _v4_children(collector, by_parent, root, top, None)
        for env in (e for e in by_parent.get(root, []) if e.get("_type") == "environment"):
            variables.update(_flatten(env.get("data")))
            subs = [s for s in by_parent.get(str(env.get("_id")), []) if s.get("_type") == "environment"]
            if subs:
                variables.update(_flatten(sorted(subs, key=_sort_key)[0].get("data")))
    return collector.finish(variables)


def _sort_key(resource: Mapping[str, Any]) -> float:
    value = resource.get(
        "metaSortKey",
        resource.get("meta", {}).get("sortKey") if isinstance(resource.get("meta"), dict) else None,
    )
    return float(value) if isinstance(value, int | float) else 0.0


def _v4_children(
    collector: Collector,
    by_parent: dict[str, list[dict[str, Any]]],
    parent: str,
    folder: tuple[str, ...],
    auth: Auth | None,
) -> None:
    for resource in sorted(by_parent.get(parent, []), key=_sort_key):
        kind = resource.get("_type")
        where = f"resource {resource.get('_id')}"
        if kind == "request_group":
            inner = _auth(resource.get("authentication"), f"{where}.authentication", auth)
            name = text(resource.get("name"), f"{where}.name") or "Folder"
            _v4_children(collector, by_parent, str(resource.get("_id")), (*folder, name), inner)
        elif kind == "request":
            _request(collector, resource, folder, auth, where)


# -- format 5 ----------------------------------------------------------------------------------------------


def parse_v5(data: dict[str, Any]) -> ParsedCollection:
    kind = text(data.get("type"), "type")
    if kind != V5_COLLECTION:
        if kind.startswith("collection.insomnia.rest/"):
            raise ImportFailure(
                f"Insomnia collection version {kind.partition('/')[2]} is not supported (5.0 is)"
            )
        raise ImportFailure(
            f"this Insomnia file is a {kind.partition('.')[0]} export, which holds no requests to import"
        )
    collector = Collector(
        text(data.get("name"), "name") or "Insomnia collection", "Insomnia export (format 5)"
    )
    _v5_items(collector, seq(data.get("collection"), "collection", default=[]), (), None, "collection")
    variables: dict[str, str] = {}
    environments = data.get("environments")
    if isinstance(environments, dict):
        variables.update(_flatten(environments.get("data")))
        subs = seq(environments.get("subEnvironments"), "environments.subEnvironments", default=[])
        if subs:
            variables.update(_flatten(obj(subs[0], "environments.subEnvironments[0]").get("data")))
    return collector.finish(variables)


def _v5_items(
    collector: Collector, items: list[Any], folder: tuple[str, ...], auth: Auth | None, where: str
) -> None:
    entries = [obj(item, f"{where}[{i}]") for i, item in enumerate(items)]
    for index, item in sorted(enumerate(entries), key=lambda pair: _sort_key(pair[1])):
        here = f"{where}[{index}]"
        if "children" in item:
            inner = _auth(item.get("authentication"), f"{here}.authentication", auth)
            name = text(item.get("name"), f"{here}.name") or "Folder"
            _v5_items(
                collector,
                seq(item["children"], f"{here}.children", default=[]),
                (*folder, name),
                inner,
                f"{here}.children",
            )
        elif str(part(item, "meta").get("id", "")).startswith(("ws-req", "greq")):
            collector.notes.append(f"{text(item.get('name'), here)}: a WebSocket or gRPC request, left out.")
        elif "url" in item or "method" in item:
            _request(collector, item, folder, auth, here)


# -- shared ------------------------------------------------------------------------------------------------


def _request(
    collector: Collector, resource: dict[str, Any], folder: tuple[str, ...], auth: Auth | None, where: str
) -> None:
    headers = _pairs(resource.get("headers"), f"{where}.headers")
    query = _pairs(resource.get("parameters"), f"{where}.parameters")
    path_values = {p.name: p.value for p in _pairs(resource.get("pathParameters"), f"{where}.pathParameters")}
    collector.add(
        folder=folder,
        name=text(resource.get("name"), f"{where}.name"),
        verb=text(resource.get("method"), f"{where}.method", "GET"),
        url=insomnia_references(text(resource.get("url"), f"{where}.url")),
        query=query or None,
        headers=headers,
        body=_body(resource.get("body"), f"{where}.body"),
        path_values=path_values,
        auth=_auth(resource.get("authentication"), f"{where}.authentication", auth),
    )


def _pairs(value: Any, where: str) -> list[Pair]:
    out = []
    for i, row in enumerate(seq(value, where, default=[])):
        row = obj(row, f"{where}[{i}]")
        name = insomnia_references(text(row.get("name"), f"{where}[{i}].name"))
        out.append(
            Pair(
                name,
                insomnia_references(text(row.get("value"), f"{where}[{i}].value")),
                not row.get("disabled"),
            )
        )
    return out


def _body(value: Any, where: str) -> BodySpec:
    if not value:
        return BodySpec()
    body = obj(value, where)
    mime = text(body.get("mimeType"), f"{where}.mimeType").split(";")[0].strip().lower()
    content = insomnia_references(text(body.get("text"), f"{where}.text"))
    if mime in ("application/x-www-form-urlencoded", "multipart/form-data"):
        fields = []
        for i, row in enumerate(seq(body.get("params"), f"{where}.params", default=[])):
            row = obj(row, f"{where}.params[{i}]")
            is_file = row.get("type") == "file"
            value_text = text(row.get("fileName") if is_file else row.get("value"), f"{where}.params[{i}]")
            name = text(row.get("name"), f"{where}.params[{i}].name")
            fields.append(Pair(name, insomnia_references(value_text), not row.get("disabled"), is_file))
        return BodySpec("form" if mime.startswith("application/") else "multipart", "", None, tuple(fields))
    if mime == "application/json" or mime.endswith("+json") or mime == "application/graphql":
        return BodySpec("json", content)
    if not content:
        return BodySpec()
    return BodySpec("raw", content, mime or "text/plain")


def _auth(value: Any, where: str, inherited: Auth | None) -> Auth | None:
    if not isinstance(value, dict) or not value.get("type"):
        return inherited
    if value.get("disabled"):
        return Auth("none")
    kind = text(value.get("type"), f"{where}.type")

    def get(key: str) -> str:
        return insomnia_references(text(value.get(key), f"{where}.{key}"))

    if kind == "bearer":
        return Auth("bearer", get("token"))
    if kind == "basic":
        return Auth("basic", get("password"), get("username"))
    if kind == "apikey":
        return Auth("apikey", get("value"), get("key"), value.get("addTo") == "queryParams")
    if kind == "none":
        return Auth("none")
    return Auth(kind)


def _flatten(data: Any, prefix: str = "") -> dict[str, str]:
    """Environment data as name -> text; nested objects become dotted names (`_.site.url` → `site.url`)."""
    out: dict[str, str] = {}
    if not isinstance(data, dict):
        return out
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        elif isinstance(value, list):
            out[name] = json.dumps(value)
        else:
            out[name] = insomnia_references(text(value, name))
    return out
