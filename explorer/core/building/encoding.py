"""Put coerced values on the wire: Rails-style query/form pairs, JSON bodies and multipart bodies."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from explorer.core.building.urls import wire_text
from explorer.core.building.values import is_array
from explorer.core.catalog.model import Param
from explorer.core.prepared import Body, FilePart

BODY_ENCODINGS = ("json", "form", "multipart")
Pairs = list[tuple[str, str]]
TextOf = Callable[[Any], str]


def base_name(param: Param) -> str:
    """The name without a trailing `[]`, used as the JSON key and as the root of Rails pairs."""
    return param.name[:-2] if param.name.endswith("[]") else param.name


def rails_pairs(name: str, value: Any, text_of: TextOf = wire_text) -> Pairs:
    """Rails parameter syntax: lists as repeated `name[]=`, dicts as `name[key]=`, nested to any depth."""
    if isinstance(value, dict):
        out: Pairs = []
        for key, item in value.items():
            out += rails_pairs(f"{name}[{key}]", item, text_of)
        return out
    if isinstance(value, list | tuple):
        out = []
        for item in value:
            out += rails_pairs(f"{name}[]", item, text_of)
        return out
    return [(name, text_of(value))]


def param_pairs(param: Param, value: Any, text_of: TextOf = wire_text) -> Pairs:
    """Query or form pairs for one parameter; an array name that already ends in `[]` is not doubled."""
    if is_array(param) and isinstance(value, list):
        return rails_pairs(base_name(param), value, text_of)
    return rails_pairs(param.name, value, text_of)


def json_body(items: Sequence[tuple[Param, Any]]) -> Body:
    """A JSON object keyed by parameter name (arrays under their bare name: JSON carries lists itself)."""
    document: dict[str, Any] = {}
    for param, value in items:
        document[base_name(param) if is_array(param) else param.name] = value
    return Body(kind="json", json_value=document)


def form_body(items: Sequence[tuple[Param, Any]], text_of: TextOf = wire_text) -> Body:
    fields: Pairs = []
    for param, value in items:
        fields += param_pairs(param, value, text_of)
    return Body(kind="form", fields=tuple(fields))


def multipart_body(items: Sequence[tuple[Param, Any]], text_of: TextOf = wire_text) -> Body:
    """Text fields as Rails pairs, files as file parts (an array of files repeats `name[]`)."""
    fields: Pairs = []
    files: list[FilePart] = []
    for param, value in items:
        if param.is_upload:
            parts = value if isinstance(value, list) else [value]
            name = base_name(param) + "[]" if is_array(param) else param.name
            files += [replace(part, name=name) for part in parts]
        else:
            fields += param_pairs(param, value, text_of)
    return Body(kind="multipart", fields=tuple(fields), files=tuple(files))


def encode_body(items: Sequence[tuple[Param, Any]], encoding: str, text_of: TextOf = wire_text) -> Body:
    """The body in `encoding` ("json", "form" or "multipart"); the caller has checked files fit it."""
    if encoding == "json":
        return json_body(items)
    if encoding == "form":
        return form_body(items, text_of)
    return multipart_body(items, text_of)
