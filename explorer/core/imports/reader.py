"""Import a file or pasted text: recognise its format, parse it whole, then match, lint and summarise."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from explorer.core.catalog.model import Api, Catalog
from explorer.core.imports import bruno, insomnia, postman
from explorer.core.imports.curl_text import parse_curl_text
from explorer.core.imports.model import MAX_FILE_BYTES, ImportFailure, ParsedCollection
from explorer.core.imports.result import ImportResult, build_result
from explorer.core.jsonfile import loads as json_loads
from explorer.core.text import format_size

FORMATS = (
    "a Postman collection (v2.0 or v2.1), a Bruno collection, an Insomnia export (format 4 or 5) or cURL"
)


def import_file(
    path: Path | str, catalogs: Mapping[Api, Catalog], *, base_url: str | None = None
) -> ImportResult:
    """Import a collection file (or a Bruno collection folder); ImportFailure says what is wrong.

    Nothing is written: the result is whole or the import fails. `base_url`, when given (the profile's
    site), turns absolute addresses under it into paths on the profile's site.
    """
    source = Path(path)
    if source.is_dir():
        return _finish(bruno.parse_folder(source), catalogs, base_url)
    if source.name == "bruno.json" and source.is_file():
        return _finish(bruno.parse_folder(source.parent), catalogs, base_url)
    try:
        size = source.stat().st_size
    except FileNotFoundError:
        raise ImportFailure(f"{source} does not exist") from None
    except OSError as exc:
        raise ImportFailure(f"{source} cannot be read: {exc.strerror or exc}") from None
    if size > MAX_FILE_BYTES:
        raise ImportFailure(
            f"{source.name} is {format_size(size)}, more than the 50 MB a collection can be "
            "(was it exported with its responses?)"
        )
    try:
        raw = source.read_bytes()
    except OSError as exc:
        raise ImportFailure(f"{source} cannot be read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailure(
            f"{source.name}: byte {exc.start} is not UTF-8 text; is this a collection file?"
        ) from None
    if source.suffix.lower() == ".bru":
        return _finish(_single_bru(text, source), catalogs, base_url)
    try:
        return import_text(
            text, catalogs, base_url=base_url, yaml_first=source.suffix.lower() in (".yaml", ".yml")
        )
    except ImportFailure as exc:
        raise ImportFailure(f"{source.name}: {exc}") from None


def import_curl_text(
    text: str, catalogs: Mapping[Api, Catalog], *, base_url: str | None = None
) -> ImportResult:
    """Import one or more pasted cURL commands."""
    return _finish(parse_curl_text(text, catalogs), catalogs, base_url)


def import_text(
    text: str, catalogs: Mapping[Api, Catalog], *, base_url: str | None = None, yaml_first: bool = False
) -> ImportResult:
    """Import pasted or read text in any supported format (JSON, YAML or cURL)."""
    if not text.strip():
        raise ImportFailure("the file is empty")
    if text.lstrip().startswith("curl"):
        return import_curl_text(text, catalogs, base_url=base_url)
    data = _parse(text, yaml_first)
    return _finish(_dispatch(data), catalogs, base_url)


def _parse(text: str, yaml_first: bool) -> Any:
    stripped = text.lstrip()
    if not yaml_first and stripped[:1] in "{[":
        try:
            return json_loads(text)
        except json.JSONDecodeError as exc:
            raise ImportFailure(
                f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
            ) from None
    import yaml  # type: ignore[import-untyped]  # only YAML needs it: JSON imports do not load it

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "cannot be read"
        raise ImportFailure(f"neither JSON nor valid YAML: {problem}{where}") from None
    except RecursionError:
        raise ImportFailure("the YAML is nested too deeply to be a collection") from None


def _dispatch(data: Any) -> ParsedCollection:
    try:
        return _parsed(data)
    except RecursionError:
        raise ImportFailure("its folders are nested too deeply to be a collection") from None


def _parsed(data: Any) -> ParsedCollection:
    if postman.looks_like(data):
        return postman.parse(data)
    if insomnia.looks_like_v4(data):
        return insomnia.parse_v4(data)
    if insomnia.looks_like_v5(data):
        return insomnia.parse_v5(data)
    if bruno.looks_like(data):
        return bruno.parse_json(data)
    if isinstance(data, dict) and "_postman_variable_scope" in data:
        raise ImportFailure(
            "this is a Postman environment, not a collection: import the collection, then set these "
            "values as the collection's or the profile's variables"
        )
    raise ImportFailure(f"not a collection this app can import (expected {FORMATS})")


def _single_bru(text: str, source: Path) -> ParsedCollection:
    """One .bru file: a collection of one request (its folder's settings are not read)."""
    from explorer.core.imports.bru import parse_bru
    from explorer.core.imports.collector import Collector

    collector = Collector(source.stem, "Bruno request file")
    bruno.add_request(collector, parse_bru(text, source.name), (), None, [], source.stem)
    return collector.finish({})


def _finish(parsed: ParsedCollection, catalogs: Mapping[Api, Catalog], base_url: str | None) -> ImportResult:
    if not parsed.requests:
        raise ImportFailure("it holds no requests to import")
    if base_url:
        parsed = _on_site(parsed, base_url.rstrip("/"))
    return build_result(parsed, catalogs)


def _on_site(parsed: ParsedCollection, base: str) -> ParsedCollection:
    """Absolute addresses under `base` become paths on the profile's site."""
    moved = 0
    requests = []
    for item in parsed.requests:
        if (item.url + "/").startswith(base + "/"):
            item = replace(item, url=item.url[len(base) :] or "/")
            moved += 1
        requests.append(item)
    if not moved:
        return parsed
    return replace(parsed, requests=requests, site=parsed.site or ("", base))
