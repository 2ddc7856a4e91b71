"""`explorer request`: build a catalog method's request from arguments and a profile, lint it, send it."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from explorer.cli.common import fail, findings_json, format_finding, write
from explorer.core.builder import build_request
from explorer.core.building.discourse_auth import CREDENTIAL_NAMES
from explorer.core.building.disqus_wire import KEY_NAMES
from explorer.core.catalog.loader import CatalogError, load_bundled_catalogs
from explorer.core.catalog.model import Api, Method
from explorer.core.curl import display_url, to_curl
from explorer.core.lint import Finding, has_errors, lint_request
from explorer.core.paths import AppPaths
from explorer.core.prepared import SECRET_PLACEHOLDER, PreparedRequest
from explorer.core.settings import Settings, load_settings

# Credential names `--auth` accepts, per API: the names the builder takes (the APIs' own names).
AUTH_NAMES = {Api.DISCOURSE: CREDENTIAL_NAMES, Api.DISQUS: KEY_NAMES}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="explorer request",
        description="Build the request for one catalog method, lint it, and send it (or, with --dry-run, "
        "only show it). Lint findings go to standard error. Exit status: 0 ok, 1 lint errors, an "
        "HTTP status of 400 or more, a Disqus envelope with succeeded false, or no response at all; "
        "2 invalid arguments.",
    )
    parser.add_argument("api", metavar="API", help="discourse or disqus")
    parser.add_argument("method", metavar="METHOD", help="the method id, as `explorer methods` lists it")
    parser.add_argument(
        "values",
        metavar="name=value",
        nargs="*",
        help="method arguments; repeat a name for an array (tags[]=a tags[]=b) or give a,b / [JSON]",
    )
    parser.add_argument("--profile", metavar="NAME", help="a saved credential profile (base URL and keys)")
    parser.add_argument("--base-url", metavar="URL", help="the site's address (overrides the profile's)")
    parser.add_argument(
        "--auth",
        metavar="NAME=VALUE",
        nargs="+",
        action="append",
        default=[],
        help="a credential by its API name (Discourse: "
        + ", ".join(AUTH_NAMES[Api.DISCOURSE])
        + "; Disqus: "
        + ", ".join(AUTH_NAMES[Api.DISQUS])
        + "); overrides the profile's",
    )
    parser.add_argument("--dry-run", action="store_true", help="build and lint, but do not send")
    parser.add_argument("--json", action="store_true", help="print JSON (see the README for the shape)")
    parser.add_argument(
        "--show-secrets",
        action="store_true",
        help="print keys as they are instead of <redacted> (in the --dry-run curl command and the JSON); "
        "anything printed can end up in shell history, logs or a screen share",
    )
    return parser


@dataclass
class _Inputs:
    """Arguments and credentials read from the command line, and every problem found on the way."""

    values: dict[str, Any] = field(default_factory=dict)
    auth: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    # Names that followed --auth but are not credentials: read as arguments, and said so if unknown.
    after_auth: set[str] = field(default_factory=set)


def _pair(text: str) -> tuple[str, str] | None:
    name, eq, value = text.partition("=")
    return (name.strip(), value) if eq and name.strip() else None


def _read_inputs(api: Api, raw_values: list[str], raw_auth: list[list[str]]) -> _Inputs:
    inputs = _Inputs()
    # argparse gives every word after --auth to --auth; a name=value that is not a credential name is a
    # method argument that happened to follow it.
    auth_words: list[str] = []
    for word in (word for group in raw_auth for word in group):
        pair = _pair(word)
        if pair is not None and pair[0] not in AUTH_NAMES[api]:
            inputs.after_auth.add(pair[0])
            raw_values = [*raw_values, word]
        else:
            auth_words.append(word)
    for word in raw_values:
        pair = _pair(word)
        if pair is None:
            inputs.errors.append(f"{word!r}: expected name=value")
            continue
        name, value = pair
        if name in inputs.values:
            previous = inputs.values[name]
            inputs.values[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            inputs.values[name] = value
    for word in auth_words:
        pair = _pair(word)
        if pair is None and word.strip() in AUTH_NAMES[api]:
            inputs.errors.append(f"--auth {word!r}: expected NAME=VALUE")
        elif pair is None:
            # Not echoed: any other word without `=` after --auth may well be a key pasted on its own.
            inputs.errors.append(
                f"--auth: expected NAME=VALUE, got a word without '=' ({len(word)} characters, "
                "not shown in case it is a key)"
            )
        else:
            inputs.auth[pair[0]] = pair[1]
    return inputs


def _field_error(name: str, message: str, inputs: _Inputs, api: Api) -> str:
    if name in inputs.after_auth and message.startswith("unknown argument"):
        message += f" (given after --auth, but not a credential: {', '.join(AUTH_NAMES[api])})"
    return f"{name}: {message}"


def _find_method(api: Api, method_id: str) -> Method | str:
    try:
        catalog = load_bundled_catalogs()[api]
    except CatalogError as exc:
        return f"cannot load the catalogs: {exc}"
    method = catalog.method(method_id)
    if method is not None:
        return method
    import difflib

    close = difflib.get_close_matches(method_id, [m.id for m in catalog.methods], n=3)
    hint = (
        f" (did you mean {', '.join(close)}?)"
        if close
        else " (see `explorer methods --api " + api.value + "`)"
    )
    return f"METHOD: {api.value} has no method {method_id!r}{hint}"


def request_json(
    request: PreparedRequest, findings: list[Finding] | None = None, *, reveal_secrets: bool = False
) -> dict[str, Any]:
    """The dry-run shape: method, url (with query), headers, body text or null, lint; secrets masked
    unless `reveal_secrets`."""
    shown = request if reveal_secrets else request.masked()
    headers = dict(shown.headers)
    if shown.body is not None and not any(k.lower() == "content-type" for k in headers):
        headers["Content-Type"] = shown.body.media_type()
    data: dict[str, Any] = {
        "method": shown.method,
        "url": display_url(shown, SECRET_PLACEHOLDER),
        "headers": headers,
        "body": shown.body.text() if shown.body is not None else None,
    }
    if findings is not None:
        data["lint"] = findings_json(findings)
    return data


def main(argv: list[str]) -> int:
    parser = build_parser()
    try:
        args = parser.parse_intermixed_args(argv)
    except SystemExit as exc:  # argparse has printed the usage and the problem
        return int(exc.code or 0)
    try:
        api = Api(args.api.lower())
    except ValueError:
        return fail("request", [f"API: unknown API {args.api!r} (use discourse or disqus)"])
    inputs = _read_inputs(api, args.values, args.auth)
    method = _find_method(api, args.method)
    if isinstance(method, str):
        return fail("request", [method, *inputs.errors])
    paths = AppPaths.default()
    # Read once, and only when used, so a warning about the settings file is printed once.
    settings = _load_settings(paths) if args.profile or not args.dry_run else Settings()
    base_url, credentials, unusable_profile = _target(args, api, inputs, paths, settings)
    # Built even when the command line already has errors, so every bad field is named in one run.
    result = build_request(method, inputs.values, base_url=base_url, credentials=credentials)
    errors = [
        *inputs.errors,
        *(
            _field_error(e.field, e.message, inputs, api)
            for e in result.errors
            # The profile was to supply the base URL; its own error already says why it did not.
            if not (unusable_profile and e.field == "base_url" and not args.base_url)
        ),
    ]
    if errors or result.request is None:
        return fail("request", errors or ["the request could not be built"])
    request = result.request
    findings = lint_request(request, method)
    for finding in findings:
        write(format_finding(finding), stream=sys.stderr)
    lint_status = 1 if has_errors(findings) else 0
    if args.dry_run:
        if args.json:
            shape = request_json(request, findings, reveal_secrets=args.show_secrets)
            write(json.dumps(shape, indent=2, ensure_ascii=False))
        else:
            write(to_curl(request, reveal_secrets=args.show_secrets))
        return lint_status
    status = send_and_report(request, findings, settings, as_json=args.json, reveal_secrets=args.show_secrets)
    return max(lint_status, status)


def _target(
    args: argparse.Namespace, api: Api, inputs: _Inputs, paths: AppPaths, settings: Settings
) -> tuple[str | None, dict[str, str], bool]:
    """(base URL, credentials, whether --profile failed): the profile's, overridden by the options."""
    base_url, credentials = args.base_url, dict(inputs.auth)
    if not args.profile:
        return base_url, credentials, False
    loaded = load_profile(args.profile, api, paths, settings)
    if isinstance(loaded, str):
        inputs.errors.append(f"--profile: {loaded}")
        return base_url, credentials, True
    for note in loaded.notes:
        write(f"note: {note}", stream=sys.stderr)
    return base_url or loaded.base_url, {**loaded.credentials, **inputs.auth}, False


def _load_settings(paths: AppPaths) -> Settings:
    """The app's settings; problems with the file are notes (defaults are used), never a failure."""
    settings, warnings = load_settings(paths)
    for warning in warnings:
        write(f"note: {warning}", stream=sys.stderr)
    return settings


@dataclass(frozen=True)
class LoadedProfile:
    """What a saved profile contributes to a request, and notes for the user (e.g. a missing secret)."""

    base_url: str
    credentials: Mapping[str, str]
    notes: tuple[str, ...] = ()


def load_profile(name: str, api: Api, paths: AppPaths, settings: Settings) -> LoadedProfile | str:
    """The base URL and credentials of the saved profile called `name` (or with that id), or a message."""
    from explorer.core.profiles import ProfileError, ProfileStore, SecretStoreError, open_secret_store

    try:
        store = ProfileStore(paths, open_secret_store(settings.secret_storage, paths.fallback_secrets_file))
        profile = store.get_by_name(name) or store.get(name)
        if profile is None:
            known = ", ".join(repr(p.name) for p in store.list()) or "none saved yet"
            # A profile skipped for a bad field is the likeliest reason a saved name is not found.
            skipped = "".join(f"; {problem}" for problem in store.problems)
            return f"no profile called {name!r} (profiles: {known}){skipped}"
        if profile.api != api:
            return f"profile {profile.name!r} is for {profile.api.value}, not {api.value}"
        missing = store.missing_secrets(profile)
        credentials = store.credentials(profile)
    except (ProfileError, SecretStoreError) as exc:
        return str(exc)
    notes = tuple(
        f"profile {profile.name!r} has no stored {secret}; pass it with --auth {secret}=VALUE"
        for secret in missing
    )
    return LoadedProfile(profile.base_url, credentials, notes)


def _disqus_failed(body: str) -> bool:
    """A Disqus 1.1 envelope saying `succeeded: false`, which some 1.1 servers send with HTTP 200."""
    try:
        envelope = json.loads(body)
    except ValueError:
        return False
    return isinstance(envelope, dict) and envelope.get("succeeded") is False


def send_and_report(
    request: PreparedRequest,
    findings: list[Finding],
    settings: Settings,
    *,
    as_json: bool,
    reveal_secrets: bool = False,
) -> int:
    """Send `request` with the app's HTTP settings and print the answer; 1 for no answer or status >= 400.

    Unless `reveal_secrets`, everything printed is masked: the request, the response headers (a
    redirect's Location carries a Disqus key), and any key the server echoed in the body or an error
    (Disqus names a key it cannot read in its error message).
    """
    from explorer.core.explain import explain_for_display, explain_result
    from explorer.core.http import Executor, request_secrets, scrub

    sent = Executor(**settings.executor_options()).execute_sync(request)
    try:
        body = sent.text() if sent.status is not None else ""
    finally:
        sent.discard_body_file()
    result = sent if reveal_secrets else sent.masked()
    secrets = () if reveal_secrets else request_secrets(request)
    body = scrub(body, secrets)
    failed = (
        result.status is None
        or result.status >= 400
        or bool(result.error)
        or (request.api == "disqus" and _disqus_failed(body))
    )
    if as_json:
        payload = {
            "request": request_json(request, reveal_secrets=reveal_secrets),
            "status": result.status,
            "reason": result.reason,
            "headers": headers_object(result.headers),
            "body": body if result.status is not None else None,
            "error": result.error,
            "elapsed_s": round(result.elapsed_s, 3),
            "lint": findings_json(findings),
        }
        write(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        if result.status is not None:
            write(f"HTTP {result.status} {result.reason}".rstrip(), stream=sys.stderr)
            write(_pretty(body, result.is_json))
    if result.error:
        write(f"explorer request: {result.error}", stream=sys.stderr)
    elif failed:
        # The body read above (its temporary file is gone by now); the display variant masks echoed keys.
        read = replace(sent, body=body.encode("utf-8")[:1_000_000], body_path=None)
        diagnosis = explain_result(read) if reveal_secrets else explain_for_display(read)
        write(f"{diagnosis.title}: {diagnosis.summary}", stream=sys.stderr)
    return 1 if failed else 0


def _pretty(body: str, is_json: bool) -> str:
    if not is_json:
        return body
    try:
        return json.dumps(json.loads(body), indent=2, ensure_ascii=False)
    except ValueError:
        return body


def headers_object(pairs: tuple[tuple[str, str], ...] | list[tuple[str, str]]) -> Mapping[str, str]:
    """Headers as a JSON object; repeated names are joined with ", " as HTTP allows."""
    out: dict[str, str] = {}
    for name, value in pairs:
        out[name] = f"{out[name]}, {value}" if name in out else value
    return out
