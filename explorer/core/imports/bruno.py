"""Bruno collections: the JSON export, and a folder of .bru files with bruno.json and environments."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from explorer.core.imports.bru import BruFile, Row, parse_bru
from explorer.core.imports.collector import Auth, Collector
from explorer.core.imports.model import MAX_FILE_BYTES, ImportFailure, ParsedCollection
from explorer.core.imports.shape import obj, part, seq, text
from explorer.core.lifecycle.spec import BodySpec, Pair

VERB_BLOCKS = ("get", "post", "put", "patch", "delete", "options", "head", "trace", "connect")
_RAW_TYPES = {"text": "text/plain", "xml": "application/xml", "sparql": "application/sparql-query"}
_SKIPPED_DIRS = frozenset({"environments", "node_modules", ".git"})


def looks_like(data: object) -> bool:
    return (
        isinstance(data, dict)
        and isinstance(data.get("items"), list)
        and "version" in data
        and "name" in data
    )


# -- the JSON export ---------------------------------------------------------------------------------------


def parse_json(data: dict[str, Any]) -> ParsedCollection:
    version = text(data.get("version"), "version")
    if version != "1":
        raise ImportFailure(f"Bruno collection version {version!r} is not supported (version 1 is)")
    collector = Collector(text(data.get("name"), "name") or "Bruno collection", "Bruno collection")
    root_request = part(part(data, "root"), "request")
    auth = _json_auth(root_request.get("auth"), "root.request.auth", None)
    headers = _json_pairs(root_request.get("headers"), "root.request.headers")
    _json_items(collector, seq(data["items"], "items"), (), auth, headers, "items")
    variables = _json_variables(root_request.get("vars"), "root.request.vars")
    environments = seq(data.get("environments"), "environments", default=[])
    if environments:
        env = obj(environments[0], "environments[0]")
        for i, row in enumerate(seq(env.get("variables"), "environments[0].variables", default=[])):
            row = obj(row, f"environments[0].variables[{i}]")
            if row.get("enabled", True):
                name = text(row.get("name"), f"environments[0].variables[{i}].name")
                value = text(row.get("value"), f"environments[0].variables[{i}].value")
                # A variable Bruno marks secret is a secret whatever its name.
                variables[name] = "" if row.get("secret") else value
                if row.get("secret") and value:
                    collector.scrubber.credential(value)
        _environment_note(
            collector, [text(obj(e, "environments").get("name"), "environments") for e in environments]
        )
    return collector.finish(variables)


def _json_items(
    collector: Collector,
    items: list[Any],
    folder: tuple[str, ...],
    auth: Auth | None,
    headers: list[Pair],
    where: str,
) -> None:
    ordered = sorted(enumerate(items), key=lambda pair: _seq(pair[1]))
    for index, raw in ordered:
        here = f"{where}[{index}]"
        item = obj(raw, here)
        name = text(item.get("name"), f"{here}.name")
        if item.get("type") == "folder":
            request = part(part(item, "root"), "request")
            inner_auth = _json_auth(request.get("auth"), f"{here}.root.request.auth", auth)
            inner_headers = headers + _json_pairs(request.get("headers"), f"{here}.root.request.headers")
            _json_items(
                collector,
                seq(item.get("items"), f"{here}.items", default=[]),
                (*folder, name),
                inner_auth,
                inner_headers,
                f"{here}.items",
            )
        elif item.get("type") in ("http-request", "graphql-request"):
            _json_request(collector, item, folder, auth, headers, here)
        else:
            raise ImportFailure(
                f"{here}.type: expected folder, http-request or graphql-request, found {item.get('type')!r}"
            )


def _seq(item: Any) -> tuple[int, int]:
    # Folders keep their place; requests are ordered by their sequence number, as Bruno shows them.
    if not isinstance(item, dict) or item.get("type") == "folder":
        return (0, 0)
    value = item.get("seq")
    return (1, value if isinstance(value, int) else 0)


def _json_request(
    collector: Collector,
    item: dict[str, Any],
    folder: tuple[str, ...],
    auth: Auth | None,
    headers: list[Pair],
    here: str,
) -> None:
    request = obj(item.get("request"), f"{here}.request")
    params = _json_pairs(request.get("params"), f"{here}.request.params", with_type=True)
    query = [p for p, kind in params if kind != "path"]
    path_values = {p.name: p.value for p, kind in params if kind == "path"}
    body = obj(request.get("body") or {"mode": "none"}, f"{here}.request.body")
    collector.add(
        folder=folder,
        name=text(item.get("name"), f"{here}.name"),
        verb=text(request.get("method"), f"{here}.request.method", "GET"),
        url=text(request.get("url"), f"{here}.request.url"),
        query=query if params else None,
        headers=headers + _json_pairs(request.get("headers"), f"{here}.request.headers"),
        body=_json_body(body, f"{here}.request.body"),
        path_values=path_values,
        variables=_json_variables(request.get("vars"), f"{here}.request.vars"),
        auth=_json_auth(request.get("auth"), f"{here}.request.auth", auth),
        has_script=_has_script(request),
    )


def _json_pairs(value: Any, where: str, *, with_type: bool = False) -> Any:
    out = []
    for i, row in enumerate(seq(value, where, default=[])):
        row = obj(row, f"{where}[{i}]")
        pair = Pair(
            text(row.get("name"), f"{where}[{i}].name"),
            text(row.get("value"), f"{where}[{i}].value"),
            bool(row.get("enabled", True)),
        )
        out.append((pair, row.get("type")) if with_type else pair)
    return out


def _json_variables(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    rows = value.get("req") or value.get("request") or []
    return {p.name: p.value for p in _json_pairs(rows, f"{where}.req") if p.enabled and p.name}


def _json_body(body: dict[str, Any], where: str) -> BodySpec:
    mode = text(body.get("mode"), f"{where}.mode", "none")
    if mode == "none":
        return BodySpec()
    if mode == "json":
        return BodySpec("json", text(body.get("json"), f"{where}.json"))
    if mode in _RAW_TYPES:
        return BodySpec("raw", text(body.get(mode), f"{where}.{mode}"), _RAW_TYPES[mode])
    if mode == "formUrlEncoded":
        return BodySpec(
            "form", "", None, tuple(_json_pairs(body.get("formUrlEncoded"), f"{where}.formUrlEncoded"))
        )
    if mode == "multipartForm":
        rows = []
        for i, row in enumerate(seq(body.get("multipartForm"), f"{where}.multipartForm", default=[])):
            row = obj(row, f"{where}.multipartForm[{i}]")
            value = row.get("value")
            is_file = row.get("type") == "file"
            if is_file and isinstance(value, list):
                value = value[0] if value else ""
            rows.append(
                Pair(
                    text(row.get("name"), where),
                    text(value, f"{where}.multipartForm[{i}].value"),
                    bool(row.get("enabled", True)),
                    is_file,
                )
            )
        return BodySpec("multipart", "", None, tuple(rows))
    if mode == "graphql":
        graphql = part(body, "graphql")
        return BodySpec("json", json.dumps({"query": text(graphql.get("query"), where)}, indent=2))
    raise ImportFailure(f"{where}.mode: unknown body mode {mode!r}")


def _json_auth(value: Any, where: str, inherited: Auth | None) -> Auth | None:
    if not isinstance(value, dict):
        return inherited
    mode = text(value.get("mode"), f"{where}.mode", "inherit")
    settings = part(value, mode)
    return _auth(
        mode, {k: text(v, where) for k, v in settings.items() if not isinstance(v, dict | list)}, inherited
    )


def _auth(mode: str, settings: dict[str, str], inherited: Auth | None) -> Auth | None:
    if mode == "inherit":
        return inherited
    if mode == "none":
        return Auth("none")
    if mode == "bearer":
        return Auth("bearer", settings.get("token", ""))
    if mode == "basic":
        return Auth("basic", settings.get("password", ""), settings.get("username", ""))
    if mode == "apikey":
        return Auth(
            "apikey",
            settings.get("value", ""),
            settings.get("key", ""),
            settings.get("placement") == "queryparams",
        )
    return Auth(mode)


def _has_script(request: dict[str, Any]) -> bool:
    script = request.get("script")
    found = isinstance(script, dict) and any(isinstance(v, str) and v.strip() for v in script.values())
    tests = request.get("tests")
    return found or (isinstance(tests, str) and bool(tests.strip()))


def _environment_note(collector: Collector, names: list[str]) -> None:
    if len(names) > 1:
        others = ", ".join(f"“{n}”" for n in names[1:])
        collector.notes.append(f"Variables come from the environment “{names[0]}”; not imported: {others}.")


# -- a folder of .bru files ----------------------------------------------------------------------------------


def _read(path: Path, root: Path) -> BruFile:
    where = str(path.relative_to(root.parent))
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ImportFailure(f"{where} is larger than 50 MB, which no request file is")
        data = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailure(f"{where}: byte {exc.start} is not UTF-8 text") from None
    except OSError as exc:
        raise ImportFailure(f"{where}: cannot be read: {exc.strerror or exc}") from None
    return parse_bru(data, where)


def parse_folder(root: Path) -> ParsedCollection:
    """A Bruno collection folder: bruno.json names it, collection.bru holds shared settings."""
    name = root.name
    config = root / "bruno.json"
    if config.is_file():
        try:
            data = json.loads(config.read_text(encoding="utf-8-sig"))
        except (OSError, ValueError) as exc:
            raise ImportFailure(f"bruno.json cannot be read: {exc}") from None
        name = text(obj(data, "bruno.json").get("name"), "bruno.json: name") or name
    if not config.is_file() and not any(root.rglob("*.bru")):
        raise ImportFailure(f"{root} holds no bruno.json and no .bru files: it is not a Bruno collection")
    collector = Collector(name, "Bruno collection folder")
    shared = _read(root / "collection.bru", root) if (root / "collection.bru").is_file() else BruFile()
    auth = _bru_auth(shared, shared.value("auth", "mode", "none"), None)
    variables = _rows(shared, "vars:pre-request")
    _folder(collector, root, root, (), auth, _pairs(shared, "headers"))
    environments = sorted((root / "environments").glob("*.bru")) if (root / "environments").is_dir() else []
    if environments:
        env = _read(environments[0], root)
        variables.update(_rows(env, "vars"))
        for row in env.rows.get("vars:secret", []):
            variables[row.key] = ""
        _environment_note(collector, [p.stem for p in environments])
    return collector.finish(variables)


def _folder(
    collector: Collector,
    root: Path,
    here: Path,
    folder: tuple[str, ...],
    auth: Auth | None,
    headers: list[Pair],
) -> None:
    requests: list[tuple[int, str, BruFile]] = []
    for path in sorted(here.glob("*.bru")):
        if path.name in ("collection.bru", "folder.bru"):
            continue
        parsed = _read(path, root)
        number = parsed.value("meta", "seq", "0")
        requests.append((int(number) if number.isdigit() else 0, path.stem, parsed))
    subfolders = []
    for path in sorted(
        p for p in here.iterdir() if p.is_dir() and p.name not in _SKIPPED_DIRS and not p.name.startswith(".")
    ):
        meta = _read(path / "folder.bru", root) if (path / "folder.bru").is_file() else BruFile()
        number = meta.value("meta", "seq", "0")
        subfolders.append((int(number) if number.isdigit() else 0, path.name, path, meta))
    for _, name, path, meta in sorted(subfolders, key=lambda f: (f[0], f[1])):
        inner = _bru_auth(meta, meta.value("auth", "mode", "inherit"), auth)
        _folder(
            collector,
            root,
            path,
            (*folder, meta.value("meta", "name", name)),
            inner,
            headers + _pairs(meta, "headers"),
        )
    for _, stem, parsed in sorted(requests, key=lambda r: (r[0], r[1])):
        add_request(collector, parsed, folder, auth, headers, stem)


def add_request(
    collector: Collector,
    bru: BruFile,
    folder: tuple[str, ...],
    auth: Auth | None,
    headers: list[Pair],
    stem: str,
) -> None:
    verb = next((v for v in VERB_BLOCKS if v in bru.rows), None)
    if verb is None:
        collector.notes.append(
            f"{stem}.bru has no get, post, put, patch or delete block, so it was left out."
        )
        return
    mode = bru.value(verb, "body", "none")
    query = (
        _pairs(bru, "params:query")
        if "params:query" in bru.rows
        else (_pairs(bru, "query") if "query" in bru.rows else None)
    )
    collector.add(
        folder=folder,
        name=bru.value("meta", "name", stem),
        verb=verb,
        url=bru.value(verb, "url"),
        query=query,
        headers=headers + _pairs(bru, "headers"),
        body=_bru_body(bru, mode),
        path_values=_rows(bru, "params:path"),
        variables=_rows(bru, "vars:pre-request"),
        auth=_bru_auth(bru, bru.value(verb, "auth", "inherit"), auth),
        has_script=any(name.startswith("script:") or name == "tests" for name in bru.texts),
    )


def _bru_body(bru: BruFile, mode: str) -> BodySpec:
    if mode in ("json", "text", "xml", "sparql"):
        content = bru.texts.get(f"body:{mode}", bru.texts.get("body", "") if mode == "json" else "")
        return BodySpec("json", content) if mode == "json" else BodySpec("raw", content, _RAW_TYPES[mode])
    if mode in ("formUrlEncoded", "form-urlencoded"):
        return BodySpec("form", "", None, tuple(_pairs(bru, "body:form-urlencoded")))
    if mode in ("multipartForm", "multipart-form"):
        fields = []
        for row in bru.rows.get("body:multipart-form", []):
            value = row.value
            is_file = value.startswith("@file(") and value.endswith(")")
            if is_file:
                value = value[len("@file(") : -1].split("|")[0]
            fields.append(Pair(row.key, value, row.enabled, is_file))
        return BodySpec("multipart", "", None, tuple(fields))
    return BodySpec()


def _bru_auth(bru: BruFile, mode: str, inherited: Auth | None) -> Auth | None:
    block = f"auth:{mode}"
    settings = {r.key: r.value for r in bru.rows.get(block, []) if r.enabled}
    return _auth(mode, settings, inherited)


def _pairs(bru: BruFile, block: str) -> list[Pair]:
    return [Pair(r.key, r.value, r.enabled) for r in bru.rows.get(block, [])]


def _rows(bru: BruFile, block: str) -> dict[str, str]:
    rows: list[Row] = bru.rows.get(block, [])
    return {r.key: r.value for r in rows if r.enabled}
