"""`explorer request`: describe a request (a catalog method, or a URL), prepare it, and send or save it."""

from __future__ import annotations

import argparse
import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from explorer.cli import all_pages
from explorer.cli.common import fail, load_catalogs
from explorer.cli.export_code import HELP as EXPORT_HELP
from explorer.cli.export_code import print_export
from explorer.cli.report import Delivery, add_follow_redirects_option, finish
from explorer.cli.request_inputs import (
    ANY_AUTH_NAME,
    AUTH_NAMES,
    Inputs,
    field_error,
    foreign_credentials,
    read_data,
    read_headers,
    read_inputs,
)
from explorer.cli.sandbox_target import (
    add_sandbox_option,
    check_sandbox_option,
    sandbox_profile_name,
    with_sandbox_session,
)
from explorer.cli.targets import (
    ProfileTarget,
    load_cli_settings,
    load_profile,
    options_target,
    print_notes,
    with_options,
)
from explorer.core.catalog.loader import CatalogError
from explorer.core.catalog.model import Api, Catalog, Method
from explorer.core.codegen import FORMAT_IDS
from explorer.core.lifecycle import Pair, RequestSpec, Target, prepare, spec_for_request
from explorer.core.lifecycle.freeform import spec_from_request, split_url
from explorer.core.lifecycle.spec import VERBS
from explorer.core.paths import AppPaths
from explorer.core.prepared import PreparedRequest
from explorer.core.settings import Settings
from explorer.core.text import url_characters_problem

COMMAND = "request"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="explorer request",
        description="Build the request for one catalog method (or, with --url, any URL), lint it, and send "
        "it; --dry-run only shows it, --save writes it to a file for `explorer run`. Lint findings go to "
        "standard error. Exit status: 0 ok, 1 lint errors, an HTTP status of 400 or more, a Disqus "
        "envelope with succeeded false, or no response at all; 2 invalid arguments.",
    )
    parser.add_argument("api", metavar="API", nargs="?", help="discourse or disqus (optional with --url)")
    parser.add_argument(
        "method", metavar="METHOD", nargs="?", help="the method id, as `explorer methods` lists it"
    )
    parser.add_argument(
        "values",
        metavar="name=value",
        nargs="*",
        help="method arguments; repeat a name for an array (tags[]=a tags[]=b) or give a,b / [JSON]; "
        "with --url, query parameters",
    )
    parser.add_argument("--profile", metavar="NAME", help="a saved credential profile (base URL and keys)")
    parser.add_argument("--base-url", metavar="URL", help="the site's address (overrides the profile's)")
    add_sandbox_option(parser)
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
    parser.add_argument(
        "--url",
        metavar="URL",
        help="send a free-form request to URL (absolute, or a path on the --profile or --base-url site); "
        "read as a catalog method when verb and path fit one",
    )
    parser.add_argument("-X", "--request", dest="verb", metavar="VERB", help="the verb of a --url request")
    parser.add_argument(
        "-H",
        "--header",
        dest="headers",
        metavar="'Name: value'",
        action="append",
        default=[],
        help="an extra header (repeatable)",
    )
    parser.add_argument(
        "-d",
        "--data",
        metavar="DATA",
        help="the body of a --url request: JSON text, a=1&b=2 (a form), or @FILE; the verb becomes POST",
    )
    parser.add_argument("--dry-run", action="store_true", help="build and lint, but do not send")
    parser.add_argument("--json", action="store_true", help="print JSON (see the README for the shape)")
    parser.add_argument(
        "--save",
        metavar="FILE",
        type=Path,
        help="write the request specification to FILE (never a key) instead of sending it",
    )
    parser.add_argument("--send", action="store_true", help="with --save: send the request as well")
    parser.add_argument(
        "--yes", action="store_true", help="send a write through a production profile without asking"
    )
    parser.add_argument(
        "--no-history", action="store_true", help="do not record this request in the request history"
    )
    add_follow_redirects_option(parser)
    parser.add_argument("--export", metavar="FORMAT", choices=FORMAT_IDS, help=EXPORT_HELP)
    parser.add_argument(
        "--show-secrets",
        action="store_true",
        help="print keys as they are instead of <redacted> (in the --dry-run curl command and the JSON); "
        "anything printed can end up in shell history, logs or a screen share",
    )
    all_pages.add_options(parser)
    return parser


def _catalogs() -> Mapping[Api, Catalog]:
    return _catalogs_with(str(AppPaths.default().custom_methods_file))


@cache
def _catalogs_with(custom_methods_file: str) -> Mapping[Api, Catalog]:
    """Read once per command (and per home: tests run many commands in one process)."""
    return load_catalogs(COMMAND)


@dataclass
class _Context:
    """What both kinds of request share: parsed options, settings read once, the profile's target."""

    args: argparse.Namespace
    paths: AppPaths
    settings: Settings | None = None
    profile: ProfileTarget | None = None
    # --profile was given but could not be used; its own message says why.
    profile_failed: bool = False

    def get_settings(self) -> Settings:
        # Read once, and only when used, so a warning about the settings file is printed once.
        if self.settings is None:
            self.settings = load_cli_settings(self.paths)
        return self.settings

    def load_profile(self, api: Api | None, errors: list[str]) -> None:
        # --sandbox is the built-in sandbox profile of the request's API (Discourse for a URL without one).
        name = sandbox_profile_name(api) if self.args.sandbox else self.args.profile
        if not name:
            return
        loaded = load_profile(name, api, self.paths, self.get_settings())
        if isinstance(loaded, str):
            errors.append(f"{'--sandbox' if self.args.sandbox else '--profile'}: {loaded}")
            self.profile_failed = True
        else:
            print_notes(loaded.notes)
            self.profile = loaded

    def target(self, api: Api, inputs: Inputs, site: str | None = None) -> Target:
        """The profile's target with the options applied, or the options alone (then `site`, when given,
        is where --auth keys may go: the site a full --url names)."""
        if self.profile is not None:
            return with_options(self.profile.target, self.args.base_url, inputs.auth)
        return options_target(api, site or self.args.base_url, inputs.auth)

    def delivery(self) -> Delivery:
        args = self.args
        return Delivery(
            COMMAND,
            dry_run=args.dry_run,
            as_json=args.json,
            reveal_secrets=args.show_secrets,
            confirmed=args.yes,
            save_to=args.save,
            send_too=args.send,
            history=None if args.no_history else self.paths,
            follow_redirects=args.follow_redirects,
            timeout_s=self.profile.timeout_s if self.profile is not None else None,
            trusted=self.profile.trusted if self.profile is not None else None,
        )


@with_sandbox_session
def main(argv: list[str]) -> int:
    parser = build_parser()
    try:
        args = parser.parse_intermixed_args(argv)
        check_sandbox_option(parser, args)
        if args.url is None and (args.api is None or args.method is None):
            parser.error("the following arguments are required: API, METHOD (or --url URL)")
        if args.send and args.save is None:
            parser.error("--send goes with --save (without --save the request is sent anyway)")
        if args.export and (args.save or args.json or args.dry_run or args.all_pages):
            parser.error(
                "--export prints code instead of sending; it does not go with --save, --json, --dry-run "
                "or --all-pages"
            )
    except SystemExit as exc:  # argparse has printed the usage and the problem
        return int(exc.code or 0)
    context = _Context(args, AppPaths.default())
    if args.url is not None:
        return _free_form(context)
    if args.verb or args.data is not None:
        return fail(COMMAND, ["-X and -d go with --url; a catalog method has its own verb and body"])
    return _catalog_method(context)


def _catalog_method(context: _Context) -> int:
    args = context.args
    try:
        api = Api(args.api.lower())
    except ValueError:
        return fail(COMMAND, [f"API: unknown API {args.api!r} (use discourse or disqus)"])
    inputs = read_inputs(AUTH_NAMES[api], args.values, args.auth)
    headers = read_headers(args.headers, inputs.errors)
    method = _find_method(api, args.method)
    if isinstance(method, str):
        return fail(COMMAND, [method, *inputs.errors])
    context.load_profile(api, inputs.errors)
    spec = RequestSpec(
        api=api.value,
        method_id=method.id,
        arguments=inputs.values,
        headers=_pairs(headers),
        profile=context.profile.target.profile_name if context.profile is not None else None,
    )
    # Prepared even when the command line already has errors, so every bad field is named in one run.
    target = context.target(api, inputs)
    preparation = prepare(spec, _catalogs(), target)
    errors = [
        *inputs.errors,
        *(
            field_error(name, message, inputs, api)
            for name, message in preparation.errors.items()
            # The profile was to supply the base URL; its own error already says why it did not.
            if not (context.profile_failed and name == "base_url" and not args.base_url)
        ),
    ]
    if errors or preparation.request is None:
        return fail(COMMAND, errors or ["the request could not be built"])
    if args.all_pages:
        return all_pages.run(preparation, target, _catalogs(), args, context.delivery(), context.get_settings)
    if args.export:
        return print_export(preparation, args.export, target, include_secrets=args.show_secrets)
    return finish(preparation, context.delivery(), context.get_settings)


def _find_method(api: Api, method_id: str) -> Method | str:
    try:
        catalog = _catalogs()[api]
    except CatalogError as exc:
        return f"cannot load the catalogs: {exc}"
    method = catalog.method(method_id)
    if method is not None:
        return method
    close = difflib.get_close_matches(method_id, [m.id for m in catalog.methods], n=3)
    hint = f" (did you mean {', '.join(close)}?)" if close else f" (see `explorer methods --api {api.value}`)"
    return f"METHOD: {api.value} has no method {method_id!r}{hint}"


def _pairs(pairs: list[tuple[str, str]]) -> tuple[Pair, ...]:
    return tuple(Pair(name, value) for name, value in pairs)


# -- free-form requests (--url) ----------------------------------------------------------------------------


def _free_form(context: _Context) -> int:
    args = context.args
    errors: list[str] = []
    words = [w for w in (args.api, args.method) if w is not None] + list(args.values)
    api: Api | None = None
    if words and words[0].lower() in {a.value for a in Api}:
        api = Api(words.pop(0).lower())
    for word in words:
        if "=" not in word:
            return fail(COMMAND, [f"{word!r}: give either METHOD or --url, not both"])
    # Any API's credential name is read as one, so a name of the other API is named as such, not sent.
    inputs = read_inputs(ANY_AUTH_NAME, words, args.auth)
    context.load_profile(api, inputs.errors)
    if context.profile is not None:
        api = api or context.profile.target.api
    verb = (args.verb or ("POST" if args.data is not None else "GET")).upper()
    if verb not in VERBS:
        inputs.errors.append(f"-X: {verb!r} is not one of {', '.join(VERBS)}")
    headers = read_headers(args.headers, inputs.errors)
    typed_type = next((v for k, v in headers if k.lower() == "content-type"), None)
    body = read_data(args.data, typed_type, inputs.errors)
    site = args.base_url or (context.profile.target.base_url if context.profile is not None else None)
    url = _absolute_url(args.url, site, inputs.errors)
    if inputs.errors or url is None:
        return fail(COMMAND, inputs.errors)
    address, query = split_url(url)
    request = PreparedRequest(
        method=verb,
        url=address,
        query=tuple(query + inputs.pairs),
        headers=tuple((k, v) for k, v in headers if k.lower() != "content-type"),
        body=body,
        api=api.value if api is not None else None,
    )
    catalogs = {api: _catalogs()[api]} if api is not None else _catalogs()
    # A path kept relative to the profile's site moves with the profile when the saved file is run.
    relative_to = site if context.profile is not None else None
    profile_name = context.profile.target.profile_name if context.profile is not None else None
    if typed_type is not None and body is not None and typed_type != _default_type(body.kind):
        # A catalog method's form would send its own Content-Type; keep the typed one as it is.
        spec = spec_from_request(request, profile=profile_name, base_url=relative_to)
    else:
        spec = spec_for_request(request, catalogs, profile=profile_name, base_url=relative_to)
    if api is None and spec.api is not None:
        api = Api(spec.api)
    if api is None:
        if inputs.auth:
            errors.append(
                "--auth: say which API the credentials are for: put discourse or disqus before the "
                "name=value words, or use --profile"
            )
        target = None
    else:
        errors += foreign_credentials(api, inputs)
        # Without a profile, --auth keys are for the site the full URL names (the lifecycle sends keys only
        # to the target's own site).
        target = context.target(api, inputs, _origin(url))
    if errors:
        return fail(COMMAND, errors)
    preparation = prepare(spec, _catalogs(), target)
    if preparation.errors or preparation.request is None:
        problems = [field_error(k, v, inputs, api) for k, v in preparation.errors.items()]
        return fail(COMMAND, problems or ["the request could not be built"])
    if args.all_pages:
        return all_pages.run(preparation, target, _catalogs(), args, context.delivery(), context.get_settings)
    if args.export:
        return print_export(preparation, args.export, target, include_secrets=args.show_secrets)
    return finish(preparation, context.delivery(), context.get_settings)


def _absolute_url(url: str, site: str | None, errors: list[str]) -> str | None:
    """`url` when it is absolute; a path joined to the site's address; None (and an error) otherwise."""
    text = url.strip()
    problem = url_characters_problem(text)
    if problem is not None:
        errors.append(f"--url: the URL {problem}")
        return None
    parts = urlsplit(text)
    if parts.scheme and parts.netloc:
        return text
    if parts.scheme or parts.netloc:
        errors.append(f"--url: {text!r} is not a full URL (expected https://host/path or /path)")
        return None
    if not site:
        errors.append("--url: a path needs --profile or --base-url to say which site it is on")
        return None
    return site.rstrip("/") + (text if text.startswith("/") else "/" + text)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "", "", ""))


def _default_type(kind: str) -> str | None:
    return {"json": "application/json", "form": "application/x-www-form-urlencoded"}.get(kind)
