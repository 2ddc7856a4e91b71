"""An imported request as a specification (a catalog method's when verb and path fit), linted and fixed."""

from __future__ import annotations

import json
import posixpath
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from explorer.core.catalog.model import Api, Catalog, Method
from explorer.core.curl.match import match_request
from explorer.core.imports.model import ImportedRequest
from explorer.core.lifecycle.freeform import spec_from_request
from explorer.core.lifecycle.matching import spec_for_request
from explorer.core.lifecycle.spec import REFERENCE, ArgumentValue, BodySpec, Pair, RequestSpec
from explorer.core.lint import Finding, lint_request
from explorer.core.prepared import SECRET_PLACEHOLDER, Body, FilePart, PreparedRequest

# Stands for the profile's site while matching and linting; never written anywhere.
SITE = "https://imported-site.invalid"
# Fixes applied one after another until none is left; a linter rule that kept offering one would stop here.
_MAX_FIXES = 8


@dataclass(frozen=True)
class Wire:
    """The request as it would be sent, each `{{reference}}` replaced by a number no text holds.

    Numbers fit wherever a value goes (an integer path parameter, a JSON value), so the catalog matcher
    and the linter see an ordinary request; `restore` turns the numbers back into references.
    """

    request: PreparedRequest
    tokens: Mapping[str, str]  # number -> "{{name}}"

    def restore(self, text: str) -> str:
        for token, reference in self.tokens.items():
            text = text.replace(token, reference)
        return text


def to_wire(item: ImportedRequest) -> Wire:
    texts = [item.url, item.body.text]
    texts += [t for p in (*item.query, *item.headers, *item.body.fields) for t in (p.name, p.value)]
    joined = "\n".join(texts)
    references = dict.fromkeys(m.group(0) for text in texts for m in REFERENCE.finditer(text))
    tokens: dict[str, str] = {}
    number = 739100001
    for reference in references:
        while str(number) in joined:
            number += 1
        tokens[reference] = str(number)
        number += 1

    def swap(text: str) -> str:
        for reference, token in tokens.items():
            text = text.replace(reference, token)
        return text

    url = swap(item.url)
    request = PreparedRequest(
        method=item.verb,
        url=SITE + url if url.startswith("/") else url,
        query=tuple((swap(p.name), swap(p.value)) for p in item.query if p.enabled),
        headers=tuple((p.name, swap(p.value)) for p in item.headers if p.enabled and p.name.strip()),
        body=_wire_body(item.body, swap),
    )
    # Restored as written by us: `{{ name }}` comes back as `{{name}}`.
    normal = {token: "{{" + REFERENCE.sub(r"\1", ref) + "}}" for ref, token in tokens.items()}
    return Wire(request, normal)


def _wire_body(body: BodySpec, swap: Callable[[str], str]) -> Body | None:
    if body.is_empty:
        return None
    if body.kind == "json":
        text = swap(body.text)
        try:
            return Body(kind="json", json_value=json.loads(text), content_type=body.content_type)
        except (ValueError, RecursionError):
            return Body(kind="raw", raw=body.text, content_type=body.content_type or "application/json")
    fields = tuple((f.name, swap(f.value)) for f in body.fields if f.enabled and not f.is_file)
    if body.kind == "form":
        return Body(kind="form", fields=fields, content_type=body.content_type)
    if body.kind == "multipart":
        files = tuple(
            FilePart(f.name, posixpath.basename(f.value.replace("\\", "/")) or "file", b"", path=f.value)
            for f in body.fields
            if f.enabled and f.is_file
        )
        return Body(kind="multipart", fields=fields, files=files)
    return Body(kind="raw", raw=swap(body.text), content_type=body.content_type)


def matched_method(wire: Wire, catalogs: Mapping[Api, Catalog]) -> Method | None:
    match = match_request(wire.request.method, wire.request.url, catalogs)
    return match.method if match is not None else None


def findings(wire: Wire, catalogs: Mapping[Api, Catalog]) -> list[Finding]:
    """The linter's findings for the request as the file would send it."""
    found = lint_request(wire.request, matched_method(wire, catalogs), catalog=catalogs.get(Api.DISQUS))
    if wire.request.header("Api-Key") == SECRET_PLACEHOLDER:
        # The placeholder means the profile's key, which comes with the profile's acting user.
        found = [f for f in found if f.code != "discourse-missing-username"]
    return found


def to_spec(item: ImportedRequest, catalogs: Mapping[Api, Catalog]) -> RequestSpec:
    """The specification written for `item`: a catalog method's form when it rebuilds the same request."""
    wire = to_wire(item)
    spec = _on_site(spec_for_request(wire.request, catalogs, base_url=SITE), wire)
    if spec.method_id is None and matched_method(wire, catalogs) is not None:
        spec = _on_site(_as_form(wire.request, catalogs) or spec, wire)
    spec = _restored(spec, wire)
    if spec.method_id is not None and item.blanks:
        # An empty path parameter is an empty field of the method's form, which says it is required.
        empty = {"{{" + name + "}}" for name in item.blanks}
        spec = replace(spec, arguments={k: "" if v in empty else v for k, v in spec.arguments.items()})
    kept = [p for p in item.query if not p.enabled and p.value.strip()]
    kept_headers = [p for p in item.headers if not p.enabled and p.value.strip()]
    if spec.method_id is None and item.body.kind in ("form", "multipart"):
        spec = replace(spec, body=_form_body(spec.body, item.body))
    return replace(
        spec,
        title=item.name,
        params=spec.params + tuple(kept),
        headers=spec.headers + tuple(kept_headers),
        variables=dict(item.variables),
    )


def _form_body(body: BodySpec, original: BodySpec) -> BodySpec:
    """A free-form request's form as the file had it: the fields it switched off are kept off (also when
    nothing else is left once the credentials moved to headers), and a file it left unchosen stays empty
    rather than the stand-in name the request was built with."""
    off = tuple(f for f in original.fields if not f.enabled and f.value.strip())
    if body.kind not in ("form", "multipart"):
        return replace(body, kind=original.kind, fields=off) if off and body.kind == "none" else body
    files = iter(f for f in original.fields if f.enabled and f.is_file)
    fields = tuple(replace(f, value=next(files, f).value) if f.is_file else f for f in body.fields)
    return replace(body, fields=fields + off)


def _on_site(spec: RequestSpec, wire: Wire) -> RequestSpec:
    """`spec`, unless it reads a path on the profile's site as a method under a sub-folder of it.

    The matcher reads `/admin/groups.json` as `/groups.json` on a site served from `/admin`; for a path
    that the file put on the site variable that is wrong, and the form would keep the stand-in address.
    Such a request stays free-form, sent to the path the file gave on the profile's site.
    """
    if spec.url.startswith(SITE):
        return spec_from_request(wire.request, base_url=SITE)
    return spec


def _as_form(request: PreparedRequest, catalogs: Mapping[Api, Catalog]) -> RequestSpec | None:
    """The method's form for a request that fits it once read the way the form reads it, or None.

    Rails reads a form and a JSON object of strings alike (the catalog's form sends JSON), and a
    parameter left empty in the file (Bruno lists every optional one so) is one left empty in the form.
    """
    body = request.body
    if body is not None and body.kind == "form":
        names = [name for name, _ in body.fields]
        if len(set(names)) != len(names):
            return None
        body = Body(kind="json", json_value={k: v for k, v in body.fields if v != ""})
    elif body is not None and body.kind == "json" and isinstance(body.json_value, dict):
        body = replace(body, json_value={k: v for k, v in body.json_value.items() if v != ""})
    query = tuple((k, v) for k, v in request.query if v != "")
    looser = replace(
        request, query=query, body=body if body is None or body.kind != "json" or body.json_value else None
    )
    spec = spec_for_request(looser, catalogs, base_url=SITE)
    return spec if spec.method_id is not None else None


def _restored(spec: RequestSpec, wire: Wire) -> RequestSpec:
    if not wire.tokens:
        return spec
    back = wire.restore

    def argument(value: ArgumentValue) -> ArgumentValue:
        if isinstance(value, str):
            return back(value)
        if isinstance(value, list):
            return [back(v) for v in value]
        if isinstance(value, int) and not isinstance(value, bool) and str(value) in wire.tokens:
            return wire.tokens[str(value)]
        return value

    def pairs(rows: tuple[Pair, ...]) -> tuple[Pair, ...]:
        return tuple(replace(p, name=back(p.name), value=back(p.value)) for p in rows)

    body = replace(spec.body, text=back(spec.body.text), fields=pairs(spec.body.fields))
    return replace(
        spec,
        url=back(spec.url),
        arguments={name: argument(value) for name, value in spec.arguments.items()},
        params=pairs(spec.params),
        headers=pairs(spec.headers),
        body=body,
    )


def with_fixes(item: ImportedRequest, catalogs: Mapping[Api, Catalog]) -> tuple[ImportedRequest, list[str]]:
    """`item` with every available lint fix applied, and the codes of the fixes that were applied."""
    wire = to_wire(item)
    request = wire.request
    applied: list[str] = []
    for _ in range(_MAX_FIXES):
        fixable = next((f for f in findings(replace(wire, request=request), catalogs) if f.fix), None)
        if fixable is None or fixable.fix is None:
            break
        request = fixable.fix.apply(request)
        applied.append(fixable.code)
    if not applied:
        return item, []
    return _from_wire(request, wire, item), applied


def _from_wire(request: PreparedRequest, wire: Wire, item: ImportedRequest) -> ImportedRequest:
    back = wire.restore
    url = request.url[len(SITE) :] if request.url.startswith(SITE + "/") else request.url
    query = tuple(Pair(back(k), back(v)) for k, v in request.query)
    headers = tuple(Pair(k, back(v)) for k, v in request.headers)
    body = item.body
    if request.body != wire.request.body:
        body = _body_spec(request.body, back, item.body)
    return replace(
        item,
        url=back(url),
        query=query + tuple(p for p in item.query if not p.enabled),
        headers=headers + tuple(p for p in item.headers if not p.enabled),
        body=body,
    )


def _body_spec(body: Body | None, back: Callable[[str], str], original: BodySpec) -> BodySpec:
    # Fields the file switched off are kept switched off, even when fixing emptied the rest of the body
    # (a form that held only the moved credentials and two unticked values).
    off = tuple(f for f in original.fields if not f.enabled)
    if body is None:
        return BodySpec(original.kind, "", original.content_type, off) if off else BodySpec()
    if body.kind == "json":
        return BodySpec(
            "json", back(json.dumps(body.json_value, indent=2, ensure_ascii=False)), body.content_type
        )
    if body.kind in ("form", "multipart"):
        fields = tuple(Pair(k, back(v)) for k, v in body.fields)
        # A file the export left unchosen stays empty (the form asks for one), not the stand-in name.
        files = tuple(Pair(f.name, f.path or "", True, True) for f in body.files)
        return BodySpec(body.kind, "", body.content_type, fields + files + off)
    return BodySpec("raw", back(body.raw), body.content_type)
