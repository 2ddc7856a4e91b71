"""Turn a free-form request (an endpoint seen in a browser's network tab) into a custom catalog method."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from explorer.core.building.discourse_auth import CREDENTIAL_NAMES
from explorer.core.building.disqus_wire import RESERVED_ARGUMENTS
from explorer.core.catalog.custom import CUSTOM_GROUP, CustomMethodError
from explorer.core.catalog.loader import VERBS
from explorer.core.catalog.model import Api, Catalog, Method, Param
from explorer.core.lifecycle.freeform import spec_from_request, split_url
from explorer.core.lifecycle.prepare import find_method, prepare
from explorer.core.lifecycle.spec import ArgumentValue, RequestSpec, enabled
from explorer.core.lifecycle.target import Target
from explorer.core.prepared import is_secret_name

# A path segment that is an id: digits, maybe with an extension (`123`, `123.json`).
_ID_SEGMENT = re.compile(r"(?P<id>\d+)(?P<ext>\.[A-Za-z0-9]+)?")
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
# Headers a method never needs to remember: the builder or the profile sets them.
_OWN_HEADERS = frozenset({"content-type", "accept", "content-length", "host"})


@dataclass(frozen=True)
class CustomMethodDraft:
    """The method a request becomes, the arguments that send the same request again, and what was left
    out (headers, a raw body) in plain words."""

    method: Method
    arguments: dict[str, ArgumentValue] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


def _skipped_names(api: Api) -> set[str]:
    """Query and body names that are credentials or builder-owned: the profile and the builder add them."""
    if api is Api.DISQUS:
        return set(RESERVED_ARGUMENTS)
    return set(CREDENTIAL_NAMES)


def relative_path(url: str, base_url: str | None, notes: list[str]) -> str:
    """The request's path relative to the profile's base URL (a subfolder install's prefix removed)."""
    parts = urlsplit(url.strip())
    if not (parts.scheme and parts.netloc):
        path = parts.path.strip()
        return path if path.startswith("/") else "/" + path
    base = urlsplit((base_url or "").strip().rstrip("/"))
    if (parts.scheme, parts.netloc) == (base.scheme, base.netloc) and (
        parts.path == base.path or parts.path.startswith(base.path + "/")
    ):
        return parts.path[len(base.path) :] or "/"
    notes.append(
        f"The URL is not under the profile's base URL ({base_url or 'none'}): only its path {parts.path} "
        "was kept, so the method goes to whichever site the profile names."
    )
    return parts.path or "/"


def _placeholder_name(previous: str | None, used: set[str]) -> str:
    stem = re.sub(r"[^A-Za-z0-9_]", "_", previous or "").strip("_").lower()
    base = f"{stem}_id" if stem and not stem[0].isdigit() else "id"
    name, counter = base, 2
    while name in used:
        name, counter = f"{base}_{counter}", counter + 1
    used.add(name)
    return name


def template_path(path: str, *, placeholders: bool) -> tuple[str, list[Param], dict[str, ArgumentValue]]:
    """(the path with {placeholders}, its path parameters, their values in the request).

    `{name}` typed in the URL is a placeholder already; with `placeholders`, digit segments become one,
    named after the segment before them (`/t/123.json` -> `/t/{t_id}.json`).
    """
    used = set(_PLACEHOLDER.findall(path))
    params = [Param(name, "path", required=True) for name in dict.fromkeys(_PLACEHOLDER.findall(path))]
    values: dict[str, ArgumentValue] = {}
    segments = path.split("/")
    previous: str | None = None
    for index, segment in enumerate(segments):
        found = _ID_SEGMENT.fullmatch(segment) if placeholders else None
        if found is not None:
            name = _placeholder_name(previous, used)
            segments[index] = "{" + name + "}" + (found["ext"] or "")
            params.append(Param(name, "path", required=True, example=found["id"]))
            values[name] = found["id"]
        elif segment:
            previous = segment
    return "/".join(segments), params, values


def _body_params(
    spec: RequestSpec, skipped: set[str], taken: set[str], notes: list[str]
) -> tuple[list[Param], dict[str, ArgumentValue], str | None]:
    body = spec.body
    params: list[Param] = []
    values: dict[str, ArgumentValue] = {}
    if body.is_empty:
        return params, values, None
    if body.kind in ("form", "multipart"):
        for row in body.fields:
            name = row.name.strip()
            if not row.enabled or not name or name in skipped or is_secret_name(name) or name in taken:
                continue
            taken.add(name)
            if row.is_file:
                params.append(Param(name, "body", type="file", format="binary"))
            else:
                params.append(Param(name, "body", example=row.value))
                values[name] = row.value
        return params, values, body.kind
    if body.kind == "json":
        try:
            document = json.loads(body.text)
        except ValueError:
            document = None
        if not isinstance(document, dict):
            notes.append("The JSON body is not an object, so it cannot become parameters: it was left out.")
            return params, values, None
        for name, value in document.items():
            if name in skipped or is_secret_name(name) or name in taken:
                continue
            taken.add(name)
            if isinstance(value, dict):
                params.append(Param(name, "body", type="object", example=value))
                values[name] = json.dumps(value, ensure_ascii=False)
            elif isinstance(value, list):
                if not all(_is_scalar(v) for v in value):
                    notes.append(f"{name}: a list of objects cannot become a parameter; it was left out.")
                    taken.discard(name)
                    continue
                items = [_text(v) for v in value]
                params.append(Param(name, "body", array=True, example=items or None))
                values[name] = items
            else:
                params.append(Param(name, "body", example=_text(value) or None))
                values[name] = _text(value)
        return params, values, "json"
    notes.append("A raw body cannot become parameters: it was left out.")
    return params, values, None


def _is_scalar(value: object) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _text(value: object) -> str:
    """A JSON scalar as the form shows it (true/false as JSON spells them, null as empty)."""
    if value is None:
        return ""
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def method_from_free_form(
    spec: RequestSpec,
    *,
    api: Api,
    method_id: str,
    base_url: str | None,
    description: str = "",
    placeholders: bool = True,
) -> CustomMethodDraft:
    """The custom method `spec` describes: verb and path (relative to `base_url`), its query parameters
    and form or JSON body fields as string parameters, credentials left to the profile.

    CustomMethodError (field "verb", "url" or "name") when it cannot be a method.
    """
    if not spec.is_free_form:
        raise CustomMethodError("url", "only a free-form request can become a custom method")
    verb = spec.verb.upper()
    if verb not in VERBS:
        raise CustomMethodError("verb", f"a method's verb is one of {', '.join(sorted(VERBS))}, not {verb}")
    if not spec.url.strip():
        raise CustomMethodError("url", "the request has no URL")
    notes: list[str] = []
    address, url_query = split_url(spec.url)
    relative = relative_path(address, base_url, notes)
    path, params, arguments = template_path(relative, placeholders=placeholders)
    skipped = _skipped_names(api)
    taken = {p.name for p in params}
    repeated: dict[str, list[str]] = {}
    for name, value in url_query + enabled(spec.params):
        name = name.strip()
        if name in skipped or is_secret_name(name):
            continue
        repeated.setdefault(name, []).append(value)
    for name, found in repeated.items():
        if name in taken:
            continue
        taken.add(name)
        many = len(found) > 1
        params.append(Param(name, "query", array=many, example=found if many else found[0] or None))
        arguments[name] = found if many else found[0]
    body_params, body_values, encoding = _body_params(spec, skipped, taken, notes)
    params += body_params
    arguments.update(body_values)
    dropped = [
        p.name
        for p in spec.headers
        if p.enabled and p.name.strip() and p.name.strip().lower() not in _OWN_HEADERS
        and not is_secret_name(p.name) and p.name.strip().lower().replace("-", "_") not in skipped
    ]
    if dropped:
        notes.append(f"Headers are not part of a method: {', '.join(dropped)} left out.")
    method = Method(
        api=api,
        id=method_id.strip(),
        verb=verb,
        path=path,
        group=CUSTOM_GROUP.id,
        summary=method_id.strip(),
        description=description.strip(),
        tags=(CUSTOM_GROUP.id,),
        documented=False,
        params=tuple(params),
        body_encoding=encoding,
        auth=_auth(api, spec),
        example={k: v for k, v in arguments.items() if v not in (None, "")},
    )
    return CustomMethodDraft(method, arguments, tuple(notes))


def _auth(api: Api, spec: RequestSpec) -> str:
    """Who may call it: Disqus names the key a method needs (the one the request carried, else the user
    key); a Discourse endpoint works anonymously or with whatever the profile has."""
    if api is not Api.DISQUS:
        return "optional"
    names = {n.lower() for n, _ in enabled(spec.params)} | {
        n.lower() for n, _ in enabled(spec.body.fields)
    }
    for key, level in (("forum_api_key", "forum"), ("partner_api_key", "partner")):
        if key in names:
            return level
    return "user"


def free_form_equivalent(
    spec: RequestSpec, catalogs: Mapping[Api, Catalog], target: Target | None
) -> RequestSpec:
    """The free-form request that sends what the catalog specification `spec` sends (its method is about
    to be deleted). The profile's credentials are left out: they are added again when it is sent."""
    bare = replace(target, credentials={}) if target is not None else None
    prepared = prepare(spec, catalogs, bare)
    if prepared.request is not None:
        free = spec_from_request(
            prepared.request, profile=spec.profile, base_url=target.base_url if target else None
        )
        return replace(free, title=spec.title)
    # Not buildable as it stands (a required argument missing): keep the verb and the path to fill in.
    method = find_method(spec, catalogs)
    if isinstance(method, Method):
        return RequestSpec(
            api=spec.api,
            verb=method.verb,
            url=method.path,
            headers=spec.headers,
            body=spec.body,
            profile=spec.profile,
            title=spec.title,
        )
    return replace(spec, method_id=None, arguments={})

