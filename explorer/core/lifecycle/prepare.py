"""Prepare a request specification: build it, apply its lint fixes by code, lint it, and guard the profile."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from explorer.core.builder import build_request
from explorer.core.catalog.model import Api, Catalog, Method
from explorer.core.collections import variables as _variables
from explorer.core.lifecycle.freeform import body_problem, build_free_form, same_site, wire_key
from explorer.core.lifecycle.spec import ArgumentValue, RequestSpec, enabled
from explorer.core.lifecycle.target import CREDENTIAL_PLACES, Target
from explorer.core.lint import Finding, lint_request
from explorer.core.prepared import SECRET_PLACEHOLDER, PreparedRequest
from explorer.core.profiles.model import is_write

if TYPE_CHECKING:
    from explorer.core.collections.variables import VariableScopes


@dataclass(frozen=True)
class Preparation:
    """What a specification becomes: the request to send, or why not.

    `errors` maps a field (an argument name, or "url", "body", "headers", "auth", "base_url", "method")
    to its message; `findings` are the linter's, errors first; `refusal` is set when the profile refuses
    the request outright (read-only and a write); `confirmation` is the question to ask before a write to a
    production site. `credential_sources` says, for each credential that will be sent, whether it comes
    from the profile or from the request itself.
    """

    spec: RequestSpec
    request: PreparedRequest | None
    method: Method | None = None
    errors: Mapping[str, str] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()
    refusal: str | None = None
    confirmation: str | None = None
    credential_sources: tuple[tuple[str, str], ...] = ()

    @property
    def ok(self) -> bool:
        """Ready to send (it may still need the user's confirmation)."""
        return self.request is not None and not self.errors and self.refusal is None

    @property
    def blocking(self) -> tuple[Finding, ...]:
        """Findings that say the request will fail on the real server (the user is asked before sending)."""
        return tuple(f for f in self.findings if f.severity.value == "error")


def find_method(spec: RequestSpec, catalogs: Mapping[Api, Catalog]) -> Method | str | None:
    """The catalog method a specification names, None for a free-form one, or a message when unknown."""
    if spec.method_id is None:
        return None
    try:
        api = Api(spec.api or "")
    except ValueError:
        return f"unknown API {spec.api!r} (known: {', '.join(a.value for a in catalogs)})"
    catalog = catalogs.get(api)
    method = catalog.method(spec.method_id) if catalog is not None else None
    return method if method is not None else f"{api.value} has no method {spec.method_id!r}"


def prepare(
    spec: RequestSpec,
    catalogs: Mapping[Api, Catalog],
    target: Target | None,
    *,
    variables: VariableScopes | None = None,
) -> Preparation:
    """Turn `spec` into the request that would be sent now through `target` (None: no profile).

    Every `{{name}}` is filled in first from the specification's own variables, then `variables`; an unknown
    one is an error of the field that holds it, and nothing is sent. `Preparation.spec` stays `spec` as
    written (references and all), so saving it keeps them; the request carries the values.
    """
    method = find_method(spec, catalogs)
    if isinstance(method, str):
        return Preparation(spec, None, errors={"method": method})
    written = spec
    # Through the module: the variables module reads the specification types from this package.
    resolution = _variables.resolve_spec(spec, variables or _variables.VariableScopes())
    if resolution.errors:
        return Preparation(written, None, method, errors=resolution.errors)
    spec = resolution.spec
    errors: dict[str, str] = {}
    if method is None:
        request = build_free_form(spec, target, errors)
    else:
        request = _build_method(spec, method, target, errors)
    if request is None or errors:
        return Preparation(written, None, method, errors=errors)
    request = apply_fixes(request, method, spec.fixes)
    findings = tuple(lint_request(request, method))
    return Preparation(
        written,
        request,
        method,
        findings=findings,
        refusal=_refusal(request, target),
        confirmation=_confirmation(request, target),
        credential_sources=_credential_sources(spec, target, request),
    )


def apply_fixes(request: PreparedRequest, method: Method | None, codes: tuple[str, ...]) -> PreparedRequest:
    """Apply, in order, the fix of each finding code that the request still has (fixes are idempotent)."""
    for code in codes:
        found = next((f for f in lint_request(request, method) if f.code == code), None)
        if found is not None and found.fix is not None:
            request = found.fix.apply(request)
    return request


def _overridden_credentials(spec: RequestSpec, target: Target | None) -> set[str]:
    """Credential names the request sets itself (a header or argument of the same wire name)."""
    if target is None:
        return set()
    places = CREDENTIAL_PLACES.get(target.api, {})
    own = {wire_key(name) for name, value in enabled(spec.headers) if value != SECRET_PLACEHOLDER}
    own |= {wire_key(name) for name, value in spec.arguments.items() if value not in (None, "")}
    own |= {wire_key(name) for name, value in enabled(spec.params) if value != SECRET_PLACEHOLDER}
    # Either spelling counts: a query api_key (legacy Discourse) sets the same credential as Api-Key.
    return {
        name for name, place in places.items() if {wire_key(name), wire_key(place.partition(":")[2])} & own
    }


def _credential_sources(
    spec: RequestSpec, target: Target | None, request: PreparedRequest | None = None
) -> tuple[tuple[str, str], ...]:
    overridden = _overridden_credentials(spec, target)
    sources: list[tuple[str, str]] = []
    places = CREDENTIAL_PLACES.get(target.api, {}) if target is not None else {}
    if target is not None and request is not None and not same_site(request.url, target.base_url):
        note = "the request; the profile's keys stay with its own site"
        return tuple((places[name].partition(":")[2], note) for name in sorted(overridden))
    if target is not None:
        for name, place in CREDENTIAL_PLACES.get(target.api, {}).items():
            wire = place.partition(":")[2]
            if name in overridden:
                sources.append((wire, "request"))
            elif name in target.credentials and not overridden:
                sources.append((wire, f"profile {target.profile_name}" if target.profile_name else "options"))
    return tuple(sources)


def _build_method(
    spec: RequestSpec, method: Method, target: Target | None, errors: dict[str, str]
) -> PreparedRequest | None:
    values: dict[str, ArgumentValue] = {k: v for k, v in spec.arguments.items() if v != SECRET_PLACEHOLDER}
    credentials = target.builder_credentials() if target is not None else {}
    base_url = spec.url or (target.base_url if target is not None else None)
    if spec.url and target is not None and not same_site(spec.url, target.base_url):
        credentials = dict(target.defaults)  # never the profile's keys to another site
    elif _overridden_credentials(spec, target):
        # The request brings its own credentials: the profile's would mix two identities, so none are added.
        credentials = dict(target.defaults) if target is not None else {}
    raw_body, raw_type = _override_body(spec, errors)
    headers = [(k, v) for k, v in enabled(spec.headers) if v != SECRET_PLACEHOLDER]
    if raw_body is not None:
        # A Content-Type header typed beside an overriding body describes that body.
        typed = next((v for k, v in headers if k.lower() == "content-type"), None)
        raw_type = spec.body.content_type or typed or raw_type
        headers = [(k, v) for k, v in headers if k.lower() != "content-type"]
    result = build_request(
        method,
        values,
        base_url=base_url,
        credentials=credentials,
        extra_headers=headers,
        raw_body=raw_body,
        raw_content_type=raw_type,
    )
    for error in result.errors:
        errors.setdefault(error.field, error.message)
    if result.request is None or errors:
        return None
    # Params typed beside a method's form (or imported with it) go after the method's own query.
    extra = [(k, v) for k, v in enabled(spec.params) if v != SECRET_PLACEHOLDER]
    return replace(result.request, query=(*result.request.query, *extra)) if extra else result.request


def _override_body(spec: RequestSpec, errors: dict[str, str]) -> tuple[str | None, str | None]:
    """(raw body text, its content type) when the Body tab replaces the body built from the arguments."""
    body = spec.body
    if body.is_empty:
        return None, None
    problem = body_problem(body)
    if problem is not None:
        errors["body"] = problem
        return None, None
    if body.kind == "json":
        return body.text, body.content_type or "application/json"
    if body.kind == "raw":
        return body.text, body.content_type
    if body.kind == "form":
        fields = enabled(f for f in body.fields if not f.is_file)
        return urlencode(fields), body.content_type or "application/x-www-form-urlencoded"
    errors["body"] = "files of a catalog method go in the Arguments tab; the Body tab takes JSON, form or raw"
    return None, None


def _refusal(request: PreparedRequest, target: Target | None) -> str | None:
    if target is not None and target.read_only and is_write(request.method):
        return (
            f"Profile {target.profile_name} is read-only: {request.method} would change {target.base_url}, "
            "so it is not sent."
        )
    return None


def _confirmation(request: PreparedRequest, target: Target | None) -> str | None:
    if target is not None and target.production and is_write(request.method):
        return (
            f"{request.method} changes the production site {target.base_url} "
            f"(profile {target.profile_name}). Send it?"
        )
    return None
