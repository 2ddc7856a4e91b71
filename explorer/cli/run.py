"""`explorer run PATH`: send a saved request file as `explorer request` would, or a collection folder."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import replace
from functools import cache
from pathlib import Path

from explorer.cli.common import fail, load_catalogs_or_fail
from explorer.cli.report import Delivery, add_follow_redirects_option, finish
from explorer.cli.sandbox_target import (
    add_sandbox_option,
    check_sandbox_option,
    sandbox_profile_name,
    with_sandbox_session,
)
from explorer.cli.spec_file import read_spec
from explorer.cli.targets import (
    ProfileTarget,
    api_of_spec,
    load_cli_settings,
    load_profile,
    options_target,
    print_notes,
    with_options,
)
from explorer.core.collections.folder import CollectionError, find_collection
from explorer.core.collections.variables import VariableScopes
from explorer.core.lifecycle import RequestSpec, Target, prepare
from explorer.core.lifecycle.spec import VARIABLE_NAME
from explorer.core.paths import AppPaths
from explorer.core.settings import Settings

COMMAND = "run"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="explorer run",
        description="Prepare and send a request saved with `explorer request … --save FILE` (or from the "
        "window), or every request of a collection folder in order. Keys come from --profile, else the "
        "profile the file names, else the collection's; files hold none. {{name}} variables come from the "
        "request, the collection, the profile, then what earlier requests captured. One file: the output and "
        "exit status of `explorer request` (0 ok, 1 lint errors or a failed request, 2 an unreadable or "
        "invalid file, or invalid options). A folder: one line per request (status, time, lint), or one "
        "JSON object per line with --json; exit status 1 when any request failed.",
    )
    parser.add_argument(
        "file", metavar="PATH", type=Path, help="a request specification (JSON), or a collection folder"
    )
    parser.add_argument(
        "--profile",
        metavar="NAME",
        help="send through this profile instead of the file's or the collection's",
    )
    parser.add_argument(
        "--var",
        metavar="NAME=VALUE",
        action="append",
        default=[],
        help="a value for {{NAME}} in every request of this run (repeatable); it comes after the file's "
        "own variables and before the collection's, the profile's and captures; never written anywhere",
    )
    parser.add_argument("--base-url", metavar="URL", help="the site's address (overrides the profile's)")
    add_sandbox_option(parser)
    parser.add_argument(
        "--dry-run", action="store_true", help="prepare and lint, but do not send (one file only)"
    )
    parser.add_argument("--bail", action="store_true", help="stop a folder's run at the first failed request")
    parser.add_argument(
        "--json",
        action="store_true",
        help="print JSON (one file: the shapes of `explorer request`; a folder: one object per request "
        "per line)",
    )
    parser.add_argument(
        "--yes", action="store_true", help="send a write through a production profile without asking"
    )
    parser.add_argument(
        "--no-history", action="store_true", help="do not record this request in the request history"
    )
    add_follow_redirects_option(parser)
    parser.add_argument(
        "--show-secrets",
        action="store_true",
        help="print keys as they are instead of <redacted> (in the --dry-run curl command and the JSON; "
        "one file only)",
    )
    return parser


@with_sandbox_session
def main(argv: list[str]) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        check_sandbox_option(parser, args)
    except SystemExit as exc:  # argparse has printed the usage and the problem
        return int(exc.code or 0)
    variables = parse_vars(args.var)
    if isinstance(variables, list):
        return fail(COMMAND, variables)
    args.var = variables
    if args.file.is_dir():
        return _run_folder(args)
    spec = read_spec(args.file)
    if isinstance(spec, str):
        return fail(COMMAND, [spec])
    paths = AppPaths.default()

    # Read once, and only when used, so a warning about the settings file is printed once.
    @cache
    def get_settings() -> Settings:
        return load_cli_settings(paths)

    found = _collection_of(args.file)
    if isinstance(found, str):
        return fail(COMMAND, [found])
    collection_variables, collection_profile = found
    if args.profile:
        spec = replace(spec, profile=args.profile)
    elif args.sandbox:
        spec = replace(spec, profile=sandbox_profile_name(spec.api))
    elif spec.profile is None and collection_profile is not None:
        default, problem = _collection_default(spec, collection_profile, paths, get_settings())
        if problem is not None:
            return fail(COMMAND, [problem])
        spec = replace(spec, profile=default)
    if args.base_url and not spec.is_free_form:
        # A catalog request's own site (a `url` in the file) gives way to the one asked for.
        spec = replace(spec, url="")
    where = _target(spec, args.base_url, paths, get_settings)
    if isinstance(where, str):
        return fail(COMMAND, [where])
    target, profile = where
    profile_variables = profile.variables if profile is not None else {}
    if target is None and args.base_url and spec.is_free_form:
        # No API to make a target for: the path is joined to --base-url here instead.
        spec = replace(spec, url=_joined(args.base_url, spec.url))
    catalogs = load_catalogs_or_fail(COMMAND)
    if isinstance(catalogs, int):
        return catalogs
    scopes = VariableScopes(request=args.var, collection=collection_variables, profile=profile_variables)
    preparation = prepare(spec, catalogs, target, variables=scopes)
    if preparation.errors or preparation.request is None:
        problems = [f"{name}: {message}" for name, message in preparation.errors.items()]
        return fail(COMMAND, problems or ["the request could not be built"])
    delivery = Delivery(
        COMMAND,
        dry_run=args.dry_run,
        as_json=args.json,
        reveal_secrets=args.show_secrets,
        confirmed=args.yes,
        history=None if args.no_history else paths,
        follow_redirects=args.follow_redirects,
        timeout_s=profile.timeout_s if profile is not None else None,
        trusted=profile.trusted if profile is not None else None,
    )
    return finish(preparation, delivery, get_settings)


def _run_folder(args: argparse.Namespace) -> int:
    from explorer.cli.run_collection import run_folder

    if args.dry_run or args.show_secrets:
        return fail(COMMAND, ["--dry-run and --show-secrets work with one request file, not a folder"])
    paths = AppPaths.default()
    return run_folder(args.file, args, paths, load_cli_settings(paths))


def parse_vars(words: list[str]) -> dict[str, str] | list[str]:
    """`--var NAME=VALUE` words as a mapping (a later one wins), or the problems with them.

    A name that looks like a credential is allowed: the value only fills this run's requests, where the
    history and every output mask it like any key.
    """
    values: dict[str, str] = {}
    problems: list[str] = []
    for word in words:
        name, equals, value = word.partition("=")
        if not equals:
            # Not echoed: a word without `=` may well be a key pasted on its own.
            problems.append(
                f"--var: expected NAME=VALUE, got a word without '=' ({len(word)} characters, "
                "not shown in case it is a key)"
            )
        elif not VARIABLE_NAME.fullmatch(name.strip()):
            problems.append(
                f"--var {name.strip()!r}: not a variable name (letters, digits, _ . or -, not starting "
                "with a digit)"
            )
        else:
            values[name.strip()] = value
    return problems or values


def _collection_of(path: Path) -> tuple[dict[str, str], str | None] | str:
    """The variables and profile of the collection the file is in (none for a file in no collection), or
    a message when that collection's file is damaged."""
    try:
        found = find_collection(path)
    except CollectionError as exc:
        return str(exc)
    return (dict(found[0].variables), found[0].profile) if found is not None else ({}, None)


def _collection_default(
    spec: RequestSpec, name: str, paths: AppPaths, settings: Settings
) -> tuple[str | None, str | None]:
    """(profile, problem): the collection's profile when it is one of the request's API; no profile when
    it is of the other API (the request goes as if none were named); a problem when none has that name."""
    loaded = load_profile(name, None, paths, settings)
    if isinstance(loaded, str):
        return None, f"profile: collection.json names the profile {name!r}: {loaded}"
    return (name if spec.api is None or loaded.target.api.value == spec.api else None), None


def _target(
    spec: RequestSpec, base_url: str | None, paths: AppPaths, settings: Callable[[], Settings]
) -> tuple[Target | None, ProfileTarget | None] | str:
    """The file's (or --profile's) profile with --base-url applied, and that profile (its variables,
    timeout and trusted certificate); a target of the options alone; None when the request names no API
    and no profile; or a message."""
    try:
        api = api_of_spec(spec.api)
    except ValueError as exc:
        return str(exc)
    if spec.profile is not None:
        loaded = load_profile(spec.profile, api, paths, settings())
        if isinstance(loaded, str):
            return f"profile: {loaded}"
        print_notes(loaded.notes)
        return with_options(loaded.target, base_url, {}), loaded
    if api is None:
        return None, None
    return options_target(api, base_url, {}), None


def _joined(base_url: str, url: str) -> str:
    if "://" in url:
        return url
    return base_url.rstrip("/") + (url if url.startswith("/") else "/" + url)
