"""The request specification: what the user is editing, as plain data that never holds a secret."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from explorer.core import jsonfile
from explorer.core.prepared import SECRET_PLACEHOLDER, is_secret_name

SCHEMA_VERSION = 1
# Body kinds of a free-form request; "none" sends no body.
BODY_KINDS = ("none", "json", "form", "multipart", "raw")
VERBS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
# What may stand between {{ and }}: a reference like {{topic_id}} or {{site.user-name}}.
VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
# A reference: {{name}}, spaces inside the braces allowed ({{ topic_id }}), as Postman and Bruno write them.
REFERENCE = re.compile(r"\{\{\s*(" + VARIABLE_NAME.pattern + r")\s*\}\}")

# Argument values a specification can hold: what the form and the CLI produce (files are paths).
ArgumentValue = str | int | float | bool | list[str] | None


class SpecError(ValueError):
    """A specification file or document cannot be read; the message names the field and the problem."""


@dataclass(frozen=True, slots=True)
class Pair:
    """One row of a Params, Headers or form-fields table; unchecked rows are kept but not sent.

    `is_file` marks a multipart row whose value is the path of a file to upload.
    """

    name: str
    value: str
    enabled: bool = True
    is_file: bool = False

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "value": self.value, "enabled": self.enabled}
        if self.is_file:
            data["is_file"] = True
        return data


@dataclass(frozen=True, slots=True)
class BodySpec:
    """The body the user typed: a kind, its text (JSON or raw), its fields (form or multipart)."""

    kind: str = "none"
    text: str = ""
    content_type: str | None = None
    fields: tuple[Pair, ...] = ()

    @property
    def is_empty(self) -> bool:
        return (
            self.kind == "none"
            or (self.kind in ("json", "raw") and not self.text.strip())
            or (self.kind in ("form", "multipart") and not any(f.enabled for f in self.fields))
        )

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind}
        if self.text:
            data["text"] = self.text
        if self.content_type:
            data["content_type"] = self.content_type
        if self.fields:
            data["fields"] = [f.as_json() for f in self.fields]
        return data


@dataclass(frozen=True, slots=True)
class Capture:
    """A value kept from a response: variable `name` is read from its JSON at `path` (`$.topic_id`)."""

    name: str
    path: str

    def as_json(self) -> dict[str, str]:
        return {"name": self.name, "path": self.path}


@dataclass(frozen=True, slots=True)
class RequestSpec:
    """One request as the user described it.

    A catalog request has `api` and `method_id` and its `arguments` (and `url` only when it goes to another
    site than the profile's: then `url` is that site's base URL); a free-form request has neither method nor
    arguments but a `verb`, a `url` (absolute, or a path joined to the profile's base URL) and `params`.
    Both may carry extra `headers` and a `body` that replaces the generated one. `profile` is a
    profile *name*; `fixes` are the codes of lint findings whose fixes were applied. Secret values never
    leave through `as_json()`: they are written as the placeholder, and the placeholder means "take it from
    the profile" when the specification is prepared again. `variables` are this request's own values for
    `{{name}}` references; `captures` name values read from its response for the requests run after it.
    """

    api: str | None = None
    method_id: str | None = None
    arguments: Mapping[str, ArgumentValue] = field(default_factory=dict)
    verb: str = "GET"
    url: str = ""
    params: tuple[Pair, ...] = ()
    headers: tuple[Pair, ...] = ()
    body: BodySpec = field(default_factory=BodySpec)
    profile: str | None = None
    fixes: tuple[str, ...] = ()
    title: str = ""
    variables: Mapping[str, str] = field(default_factory=dict)
    captures: tuple[Capture, ...] = ()

    @property
    def is_free_form(self) -> bool:
        return self.method_id is None

    @property
    def method_key(self) -> str | None:
        return f"{self.api}:{self.method_id}" if self.api and self.method_id else None

    def with_fix(self, code: str) -> RequestSpec:
        return self if code in self.fixes else replace(self, fixes=(*self.fixes, code))

    def label(self) -> str:
        """A short name for tabs and lists."""
        if self.title:
            return self.title
        if self.method_id:
            return self.method_id
        return f"{self.verb} {self.url}".strip() if self.url else "New request"

    # -- JSON --------------------------------------------------------------------------------------------

    def as_json(self) -> dict[str, Any]:
        """A JSON-ready dict with a stable key order; secret values are replaced by the placeholder."""
        data: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
        if self.title:
            data["title"] = self.title
        data["api"] = self.api
        data["method"] = self.method_id
        if self.method_id is None:
            data["verb"] = self.verb
            data["url"] = self.url
            data["params"] = [_masked_pair(p).as_json() for p in self.params]
        else:
            if self.url:
                data["url"] = self.url
            data["arguments"] = {k: _masked_argument(k, v) for k, v in sorted(self.arguments.items())}
            if self.params:
                data["params"] = [_masked_pair(p).as_json() for p in self.params]
        data["headers"] = [_masked_pair(p).as_json() for p in self.headers]
        data["body"] = _masked_body(self.body).as_json()
        data["profile"] = self.profile
        data["fixes"] = list(self.fixes)
        if self.variables:
            data["variables"] = {k: _masked_argument(k, v) for k, v in sorted(self.variables.items())}
        if self.captures:
            data["captures"] = [c.as_json() for c in self.captures]
        return data

    def dumps(self) -> str:
        return json.dumps(self.as_json(), indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, data: object) -> RequestSpec:
        """Read a specification; SpecError names the field that is wrong."""
        if not isinstance(data, dict):
            raise SpecError("a request specification must be a JSON object")
        version = data.get("schema_version")
        if version != SCHEMA_VERSION:
            raise SpecError(f"schema_version: expected {SCHEMA_VERSION}, found {version!r}")
        method_id = _optional_text(data, "method")
        api = _optional_text(data, "api")
        if method_id is not None and api is None:
            raise SpecError("api: required when method is given")
        verb = _text(data, "verb", "GET").upper()
        if verb not in VERBS:
            raise SpecError(f"verb: {verb!r} is not one of {', '.join(VERBS)}")
        return cls(
            api=api,
            method_id=method_id,
            arguments=_arguments(data.get("arguments", {})),
            verb=verb,
            url=_text(data, "url", ""),
            params=_pairs(data.get("params", []), "params"),
            headers=_pairs(data.get("headers", []), "headers"),
            body=_body(data.get("body", {"kind": "none"})),
            profile=_optional_text(data, "profile"),
            fixes=tuple(_strings(data.get("fixes", []), "fixes")),
            title=_text(data, "title", ""),
            variables=_variables(data.get("variables", {})),
            captures=_captures(data.get("captures", [])),
        )

    @classmethod
    def loads(cls, text: str) -> RequestSpec:
        try:
            # jsonfile: nesting thousands deep is a damaged file (json.loads raises RecursionError).
            data = jsonfile.loads(text)
        except ValueError as exc:
            raise SpecError(f"not JSON: {exc}") from None
        return cls.from_json(data)


# -- masking ---------------------------------------------------------------------------------------------


def is_reference_only(text: str) -> bool:
    """True when `text` is references and nothing else ("{{api_key}}"): it names a value, it holds none."""
    return "{{" in text and not REFERENCE.sub("", text).strip()


def _masked_pair(pair: Pair) -> Pair:
    secret = pair.value and is_secret_name(pair.name) and not is_reference_only(pair.value)
    return replace(pair, value=SECRET_PLACEHOLDER) if secret else pair


def _masked_argument(name: str, value: ArgumentValue) -> ArgumentValue:
    if isinstance(value, str) and is_reference_only(value):
        return value  # a secret filled in at send time, from a variable that is never written down
    return SECRET_PLACEHOLDER if value not in (None, "") and is_secret_name(name) else value


def _masked_body(body: BodySpec) -> BodySpec:
    from explorer.core.prepared import Body

    fields = tuple(_masked_pair(f) for f in body.fields)
    text = body.text
    if text and body.kind == "json":
        try:
            # jsonfile: text nested too deeply to parse is masked as text, not a RecursionError.
            parsed = None if "{{" in text else jsonfile.loads(text)
        except ValueError:
            parsed = None
        if parsed is not None:
            masked = Body(kind="json", json_value=parsed).masked().json_value
            if masked != parsed:
                text = json.dumps(masked, indent=2, ensure_ascii=False)
        else:
            # Not JSON yet (typed halfway, or `{{topic_id}}` outside a string): the members are masked
            # where they stand, and a value that is only a reference is kept.
            text = _JSON_TEXT_MEMBER.sub(_masked_member, text)
    elif text:
        text = Body(kind="raw", raw=text).masked().raw
    return replace(body, fields=fields, text=text)


# A `"name": "text"` member anywhere in JSON text, valid or not.
_JSON_TEXT_MEMBER = re.compile(r'"(?P<name>(?:[^"\\]|\\.)*)"(?P<colon>\s*:\s*)"(?P<value>(?:[^"\\]|\\.)*)"')


def _masked_member(match: re.Match[str]) -> str:
    value = match.group("value")
    if not value or not is_secret_name(match.group("name")) or is_reference_only(value):
        return match.group(0)
    return f'"{match.group("name")}"{match.group("colon")}"{SECRET_PLACEHOLDER}"'


# -- reading ---------------------------------------------------------------------------------------------


def _text(data: Mapping[str, Any], key: str, default: str) -> str:
    value = data.get(key, default)
    if not isinstance(value, str):
        raise SpecError(f"{key}: expected text, found {type(value).__name__}")
    return value


def _optional_text(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise SpecError(f"{key}: expected non-empty text or null")
    return value


def _strings(value: object, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SpecError(f"{where}: expected a list of text")
    return list(value)


def _arguments(value: object) -> dict[str, ArgumentValue]:
    if not isinstance(value, dict):
        raise SpecError("arguments: expected an object of name: value")
    out: dict[str, ArgumentValue] = {}
    for name, item in value.items():
        if isinstance(item, list):
            out[name] = [str(v) for v in item]
        elif item is None or isinstance(item, str | int | float | bool):
            out[name] = item
        else:
            raise SpecError(f"arguments.{name}: expected text, a number, true/false, a list or null")
    return out


def _pairs(value: object, where: str) -> tuple[Pair, ...]:
    if not isinstance(value, list):
        raise SpecError(f"{where}: expected a list of {{name, value, enabled}} rows")
    rows: list[Pair] = []
    for index, row in enumerate(value):
        if not isinstance(row, dict) or not isinstance(row.get("name"), str):
            raise SpecError(f"{where}[{index}]: expected an object with a text name")
        item = row.get("value", "")
        if not isinstance(item, str):
            raise SpecError(f"{where}[{index}].value: expected text")
        rows.append(Pair(row["name"], item, bool(row.get("enabled", True)), bool(row.get("is_file", False))))
    return tuple(rows)


def _body(value: object) -> BodySpec:
    if not isinstance(value, dict):
        raise SpecError("body: expected an object with a kind")
    kind = value.get("kind", "none")
    if kind not in BODY_KINDS:
        raise SpecError(f"body.kind: {kind!r} is not one of {', '.join(BODY_KINDS)}")
    content_type = value.get("content_type")
    if content_type is not None and not isinstance(content_type, str):
        raise SpecError("body.content_type: expected text")
    text = value.get("text", "")
    if not isinstance(text, str):
        raise SpecError("body.text: expected text")
    return BodySpec(kind, text, content_type, _pairs(value.get("fields", []), "body.fields"))


def _variables(value: object) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise SpecError("variables: expected an object of name: text")
    for name in value:
        if not VARIABLE_NAME.fullmatch(name):
            raise SpecError(f"variables: {name!r} is not a variable name (letters, digits, _ . -)")
    return dict(value)


def _captures(value: object) -> tuple[Capture, ...]:
    if not isinstance(value, list):
        raise SpecError("captures: expected a list of {name, path} objects")
    out: list[Capture] = []
    for index, row in enumerate(value):
        if (
            not isinstance(row, dict)
            or not isinstance(row.get("name"), str)
            or not isinstance(row.get("path"), str)
        ):
            raise SpecError(f"captures[{index}]: expected an object with a text name and path")
        if not VARIABLE_NAME.fullmatch(row["name"]):
            raise SpecError(f"captures[{index}].name: {row['name']!r} is not a variable name")
        if not row["path"].startswith("$"):
            raise SpecError(f"captures[{index}].path: expected a JSON path starting with $, like $.topic_id")
        out.append(Capture(row["name"], row["path"]))
    return tuple(out)


def enabled(pairs: Iterable[Pair]) -> list[tuple[str, str]]:
    """The (name, value) pairs of the rows that are switched on and named."""
    return [(p.name, p.value) for p in pairs if p.enabled and p.name.strip()]
