"""`{{name}}` variables: where their values come from, and a request specification with them filled in."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace

from explorer.core.lifecycle.spec import REFERENCE, ArgumentValue, BodySpec, Pair, RequestSpec
from explorer.core.lifecycle.spec import is_reference_only as is_reference_only
from explorer.core.prepared import SECRET_PLACEHOLDER

# The scopes in the order they are searched; the first that has a name wins.
SCOPE_ORDER = ("request", "collection", "profile", "captures")


def _empty() -> Mapping[str, str]:
    return {}


@dataclass(frozen=True)
class VariableScopes:
    """The values `{{name}}` can take: the request's own, the collection's, the profile's, then captures."""

    request: Mapping[str, str] = field(default_factory=_empty)
    collection: Mapping[str, str] = field(default_factory=_empty)
    profile: Mapping[str, str] = field(default_factory=_empty)
    captures: Mapping[str, str] = field(default_factory=_empty)

    def lookup(self, name: str) -> str | None:
        """The value of `name` from the first scope that has it, or None."""
        found = self.source(name)
        return None if found is None else getattr(self, found)[name]

    def source(self, name: str) -> str | None:
        """Which scope ("request", "collection", "profile", "captures") gives `name`, or None.

        A value that is the secret placeholder (a secret masked when its file was written) gives way to
        the next scope.
        """
        return next(
            (s for s in SCOPE_ORDER if getattr(self, s).get(name, SECRET_PLACEHOLDER) != SECRET_PLACEHOLDER),
            None,
        )

    def names(self) -> set[str]:
        return {name for scope in SCOPE_ORDER for name in getattr(self, scope)}

    def with_request(self, values: Mapping[str, str]) -> VariableScopes:
        """These scopes with `values` over the request scope (a specification's own variables)."""
        return replace(self, request={**self.request, **values}) if values else self


@dataclass(frozen=True)
class Resolution:
    """A specification with every reference replaced, or the fields that name unknown variables.

    `errors` is keyed like the request editor's fields: an argument name, "url", "params", "headers",
    "body". `used` maps each variable that was filled in to the scope it came from.
    """

    spec: RequestSpec
    errors: dict[str, str] = field(default_factory=dict)
    used: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def names_in_text(text: str) -> list[str]:
    """The variable names referenced in `text`, in order of appearance (repeats kept)."""
    return [match.group(1) for match in REFERENCE.finditer(text)]


def names_in(spec: RequestSpec) -> set[str]:
    """Every variable name a specification references where it would be sent (switched-off rows are not)."""
    return {name for _, text in _texts(spec) for name in names_in_text(text)}


def resolve_spec(spec: RequestSpec, scopes: VariableScopes) -> Resolution:
    """`spec` with each `{{name}}` replaced by its value; the specification's own `variables` come first.

    Nothing else changes: a reference inside a JSON string is escaped so the body stays valid JSON.
    """
    scopes = scopes.with_request(spec.variables)
    errors: dict[str, str] = {}
    used: dict[str, str] = {}

    def fill(text: str, where: str, *, quote: Callable[[str], str] | None = None) -> str:
        if "{{" not in text:
            return text

        def one(match: re.Match[str]) -> str:
            name = match.group(1)
            source = scopes.source(name)
            if source is None:
                errors.setdefault(where, f"unknown variable {{{{{name}}}}}")
                return match.group(0)
            used[name] = source
            value: str = getattr(scopes, source)[name]
            return quote(value) if quote is not None else value

        return REFERENCE.sub(one, text)

    arguments = {name: _fill_argument(value, name, fill) for name, value in spec.arguments.items()}
    resolved = replace(
        spec,
        url=fill(spec.url, "url"),
        arguments=arguments,
        params=_fill_pairs(spec.params, "params", fill),
        headers=_fill_pairs(spec.headers, "headers", fill),
        body=_fill_body(spec.body, fill),
    )
    return Resolution(resolved, errors, used)


Filler = Callable[..., str]


def _fill_argument(value: ArgumentValue, name: str, fill: Filler) -> ArgumentValue:
    if isinstance(value, str):
        return fill(value, name)
    if isinstance(value, list):
        # Lists built in code (not read from a file) may hold numbers: only text can hold a reference.
        return [fill(item, name) if isinstance(item, str) else item for item in value]
    return value


def _fill_pairs(pairs: tuple[Pair, ...], where: str, fill: Filler) -> tuple[Pair, ...]:
    # Switched-off rows are not sent, so an unknown variable in one is no error; they are kept as typed.
    return tuple(
        replace(p, name=fill(p.name, where), value=fill(p.value, where)) if p.enabled else p for p in pairs
    )


def _fill_body(body: BodySpec, fill: Filler) -> BodySpec:
    fields = _fill_pairs(body.fields, "body", fill)
    if body.kind == "json":
        text = _fill_json(body.text, fill)
    elif body.kind == "none":
        text = body.text  # not sent
    else:
        text = fill(body.text, "body")
    return replace(body, text=text, fields=fields)


def _fill_json(text: str, fill: Filler) -> str:
    """Fill references in JSON text; inside a string a value is escaped, outside it goes in as typed.

    So `{"title": "{{title}}"}` stays valid whatever the title holds, and `{"topic_id": {{topic_id}}}`
    sends a number, as Postman's bodies do.
    """
    if "{{" not in text:
        return text
    out: list[str] = []
    start = 0
    in_string = False
    index = 0
    while index < len(text):
        char = text[index]
        if in_string and char == "\\":
            index += 2
            continue
        if char == '"':
            in_string = not in_string
        elif char == "{" and text.startswith("{{", index):
            match = REFERENCE.match(text, index)
            if match is not None:
                out.append(text[start:index])
                quote = _json_inner if in_string else None
                out.append(fill(match.group(0), "body", quote=quote))
                start = index = match.end()
                continue
        index += 1
    out.append(text[start:])
    return "".join(out)


def _json_inner(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)[1:-1]


def _texts(spec: RequestSpec) -> Iterable[tuple[str, str]]:
    """(field key, text) for every place a reference may be."""
    yield "url", spec.url
    for name, value in spec.arguments.items():
        if isinstance(value, str):
            yield name, value
        elif isinstance(value, list):
            yield from ((name, item) for item in value if isinstance(item, str))
    for where, pairs in (("params", spec.params), ("headers", spec.headers), ("body", spec.body.fields)):
        for pair in (p for p in pairs if p.enabled):
            yield where, pair.name
            yield where, pair.value
    if spec.body.kind != "none":
        yield "body", spec.body.text
