"""Postman collections v2.0 and v2.1: folders, URLs as text or parts, bodies, variables and auth."""

from __future__ import annotations

import json
import re
from typing import Any

from explorer.core.imports.collector import Auth, Collector
from explorer.core.imports.model import ImportFailure, ParsedCollection
from explorer.core.imports.shape import obj, part, seq, text
from explorer.core.lifecycle.spec import BodySpec, Pair

_SCHEMA = re.compile(r"schema\.(?:getpostman|postman)\.com/json/collection/v(?P<version>[\d.]+)/")
SUPPORTED = {"2.0.0": "Postman collection v2.0", "2.1.0": "Postman collection v2.1"}


def looks_like(data: object) -> bool:
    return isinstance(data, dict) and (
        isinstance(data.get("info"), dict) and "item" in data or ("requests" in data and "order" in data)
    )


def parse(data: dict[str, Any]) -> ParsedCollection:
    if "info" not in data and "requests" in data:
        raise ImportFailure(
            "this is a Postman collection v1, which is not supported: export it again from Postman "
            "as Collection v2.1"
        )
    info = obj(data.get("info"), "info")
    schema = text(info.get("schema"), "info.schema")
    found = _SCHEMA.search(schema)
    if found is None:
        raise ImportFailure(f"info.schema: {schema!r} is not a Postman collection schema")
    version = found["version"]
    if version not in SUPPORTED:
        raise ImportFailure(
            f"Postman collection version {version} is not supported (v2.0 and v2.1 are): "
            "export it again from Postman as Collection v2.1"
        )
    collector = Collector(text(info.get("name"), "info.name") or "Postman collection", SUPPORTED[version])
    auth = _auth(data.get("auth"), "auth", None)
    _items(collector, seq(data.get("item"), "item"), (), auth, "item")
    variables = {}
    for index, row in enumerate(seq(data.get("variable"), "variable", default=[])):
        row = obj(row, f"variable[{index}]")
        name = text(row.get("key", row.get("id")), f"variable[{index}].key")
        if name and not row.get("disabled"):
            variables[name] = text(row.get("value"), f"variable[{index}].value")
    return collector.finish(variables)


def _items(
    collector: Collector, items: list[Any], folder: tuple[str, ...], auth: Auth | None, where: str
) -> None:
    for index, raw in enumerate(items):
        here = f"{where}[{index}]"
        item = obj(raw, here)
        name = text(item.get("name"), f"{here}.name")
        if "item" in item:  # a folder (item-group)
            inner = _auth(item.get("auth"), f"{here}.auth", auth)
            _items(
                collector,
                seq(item["item"], f"{here}.item"),
                (*folder, name or "Folder"),
                inner,
                f"{here}.item",
            )
            continue
        if "request" not in item:
            raise ImportFailure(f"{here}: neither a request nor a folder (no 'request' or 'item')")
        _request(collector, item, folder, auth, here)


def _request(
    collector: Collector, item: dict[str, Any], folder: tuple[str, ...], auth: Auth | None, here: str
) -> None:
    request = item["request"]
    if isinstance(request, str):  # the schema allows a bare URL
        request = {"url": request, "method": "GET"}
    request = obj(request, f"{here}.request")
    url, query, path_values = _url(request.get("url", ""), f"{here}.request.url")
    headers = _headers(request.get("header"), f"{here}.request.header")
    body = _body(
        request.get("body"), f"{here}.request.body", headers, collector, text(item.get("name"), here)
    )
    collector.add(
        folder=folder,
        name=text(item.get("name"), f"{here}.name"),
        verb=text(request.get("method"), f"{here}.request.method", "GET"),
        url=url,
        query=query,
        headers=headers,
        body=body,
        path_values=path_values,
        auth=_auth(request.get("auth"), f"{here}.request.auth", auth),
        has_script=_has_script(item.get("event")),
    )


def _url(value: Any, where: str) -> tuple[str, list[Pair] | None, dict[str, str]]:
    """(the address, its query (None: read from the address), path variable values)."""
    if isinstance(value, str):
        return value, None, {}
    url = obj(value, where)
    raw = text(url.get("raw"), f"{where}.raw")
    if not raw:
        host = url.get("host", "")
        path = url.get("path", "")
        host_text = (
            ".".join(text(h, f"{where}.host") for h in host)
            if isinstance(host, list)
            else text(host, f"{where}.host")
        )
        path_text = (
            "/".join(text(p, f"{where}.path") for p in path)
            if isinstance(path, list)
            else text(path, f"{where}.path")
        )
        protocol = text(url.get("protocol"), f"{where}.protocol")
        raw = (f"{protocol}://" if protocol else "") + host_text + "/" + path_text.lstrip("/")
    query = None
    if "query" in url:
        query = []
        for i, row in enumerate(seq(url["query"], f"{where}.query", default=[])):
            row = obj(row, f"{where}.query[{i}]")
            name = text(row.get("key"), f"{where}.query[{i}].key")
            query.append(
                Pair(name, text(row.get("value"), f"{where}.query[{i}].value"), not row.get("disabled"))
            )
    values = {}
    for i, row in enumerate(seq(url.get("variable"), f"{where}.variable", default=[])):
        row = obj(row, f"{where}.variable[{i}]")
        values[text(row.get("key", row.get("id")), f"{where}.variable[{i}].key")] = text(
            row.get("value"), f"{where}.variable[{i}].value"
        )
    return raw, query, values


def _headers(value: Any, where: str) -> list[Pair]:
    if value is None:
        return []
    if isinstance(value, str):  # v2.0 allows "Name: value" lines
        rows = [line.partition(":") for line in value.splitlines() if ":" in line]
        return [Pair(name.strip(), rest.strip()) for name, _, rest in rows]
    out = []
    for i, row in enumerate(seq(value, where)):
        row = obj(row, f"{where}[{i}]")
        out.append(
            Pair(
                text(row.get("key"), f"{where}[{i}].key"),
                text(row.get("value"), f"{where}[{i}].value"),
                not row.get("disabled", False),
            )
        )
    return out


def _body(value: Any, where: str, headers: list[Pair], collector: Collector, name: str) -> BodySpec:
    if value is None or value == {}:
        return BodySpec()
    body = obj(value, where)
    mode = text(body.get("mode"), f"{where}.mode")
    if body.get("disabled"):
        return BodySpec()
    if mode == "raw":
        raw = text(body.get("raw"), f"{where}.raw")
        language = part(part(body, "options"), "raw").get("language")
        typed = next((h.value for h in headers if h.name.lower() == "content-type" and h.enabled), "")
        if language == "json" or "json" in typed.lower() or _is_json(raw):
            return BodySpec("json", raw)
        return BodySpec("raw", raw, typed or None)
    if mode in ("urlencoded", "formdata"):
        rows = []
        for i, row in enumerate(seq(body.get(mode), f"{where}.{mode}", default=[])):
            row = obj(row, f"{where}.{mode}[{i}]")
            is_file = row.get("type") == "file"
            src = row.get("src")
            value_text = (
                (src[0] if isinstance(src, list) and src else text(src, f"{where}.{mode}[{i}].src"))
                if is_file
                else text(row.get("value"), f"{where}.{mode}[{i}].value")
            )
            rows.append(
                Pair(
                    text(row.get("key"), f"{where}.{mode}[{i}].key"),
                    str(value_text),
                    not row.get("disabled", False),
                    is_file,
                )
            )
        return BodySpec("form" if mode == "urlencoded" else "multipart", "", None, tuple(rows))
    if mode in ("file", "graphql"):
        collector.notes.append(f"{name}: a {mode} body cannot be imported; its body was left empty.")
        return BodySpec()
    if not mode:
        return BodySpec()
    raise ImportFailure(f"{where}.mode: unknown body mode {mode!r}")


def _is_json(raw: str) -> bool:
    stripped = raw.strip()
    if not stripped.startswith(("{", "[")):
        return False
    try:
        json.loads(re.sub(r"\{\{[^{}]*\}\}", "0", stripped))
    except ValueError:
        return False
    return True


def _auth(value: Any, where: str, inherited: Auth | None) -> Auth | None:
    """The auth of this level: its own, or the inherited one when it has none (or says "inherit")."""
    if value is None:
        return inherited
    auth = obj(value, where)
    kind = text(auth.get("type"), f"{where}.type")
    if kind in ("", "inherit"):
        return inherited
    if kind == "noauth":
        return Auth("none")
    settings = _settings(auth.get(kind), f"{where}.{kind}")
    if kind == "apikey":
        return Auth(
            "apikey", settings.get("value", ""), settings.get("key", ""), settings.get("in") == "query"
        )
    if kind == "bearer":
        return Auth("bearer", settings.get("token", ""))
    if kind == "basic":
        return Auth("basic", settings.get("password", ""), settings.get("username", ""))
    return Auth(kind)


def _settings(value: Any, where: str) -> dict[str, str]:
    """v2.1 writes auth settings as [{key, value}], v2.0 as an object."""
    if value is None:
        return {}
    if isinstance(value, list):
        rows = (obj(row, f"{where}[{i}]") for i, row in enumerate(value))
        return {text(r.get("key"), where): text(r.get("value"), where) for r in rows}
    return {
        k: text(v, f"{where}.{k}") for k, v in obj(value, where).items() if not isinstance(v, dict | list)
    }


def _has_script(events: Any) -> bool:
    if not isinstance(events, list):
        return False
    for event in events:
        script = event.get("script") if isinstance(event, dict) else None
        exec_ = script.get("exec") if isinstance(script, dict) else None
        lines = exec_ if isinstance(exec_, list) else [exec_] if isinstance(exec_, str) else []
        if any(isinstance(line, str) and line.strip() for line in lines):
            return True
    return False
