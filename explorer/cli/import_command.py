"""`explorer import FILE --into DIR`: a Postman, Bruno or Insomnia collection, or cURL, as a collection."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from explorer.cli.common import fail, load_catalogs_or_fail, parse_args, write
from explorer.core.collections.disk import CollectionError
from explorer.core.imports import (
    FORMATS,
    MAX_FILE_BYTES,
    ImportFailure,
    ImportResult,
    import_file,
    import_text,
    write_import,
)

COMMAND = "import"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="explorer import",
        description=f"Import {FORMATS} into a new collection folder: each request becomes a saved request "
        "file, matched to a catalog method where its verb and path fit, and linted. Keys found in the file "
        "are never written: requests take them from the profile you send with. Exit status: 0 written, "
        "2 an unreadable file, a folder that is not empty, or invalid options.",
    )
    parser.add_argument(
        "file",
        metavar="FILE",
        help="the export file (JSON or YAML), a Bruno collection folder, a .bru file, or - to read "
        "pasted text (cURL, JSON or YAML) from standard input",
    )
    parser.add_argument(
        "--into",
        metavar="DIR",
        type=Path,
        required=True,
        help="the new collection folder (must not exist or be empty)",
    )
    parser.add_argument(
        "--fix-all",
        action="store_true",
        help="apply every available lint fix before writing (credentials moved from the query string or the "
        "body to the Api-Key and Api-Username headers, and so on)",
    )
    parser.add_argument(
        "--profile", metavar="NAME", help="the profile the collection is sent with by default"
    )
    parser.add_argument(
        "--base-url", metavar="URL", help="addresses under URL become paths on the profile's site"
    )
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    return parser


def main(argv: list[str]) -> int:
    args = parse_args(build_parser(), argv)
    if isinstance(args, int):
        return args
    catalogs = load_catalogs_or_fail(COMMAND)
    if isinstance(catalogs, int):
        return catalogs
    try:
        if args.file == "-":
            result = import_text(_stdin(), catalogs, base_url=args.base_url)
        else:
            result = import_file(Path(args.file), catalogs, base_url=args.base_url)
    except ImportFailure as exc:
        return fail(COMMAND, [_failure_line(args.file, str(exc))])
    if args.fix_all:
        result = result.with_all_fixes()
    try:
        write_import(result, args.into, profile=args.profile)
    except CollectionError as exc:
        return fail(COMMAND, [str(exc)])
    if args.json:
        write(json.dumps(summary_json(result, args.into), indent=2, ensure_ascii=False))
    else:
        write("\n".join([*result.summary, f"Written to {args.into}."]))
    return 0


def summary_json(result: ImportResult, directory: Path) -> dict[str, object]:
    """The documented `--json` shape."""
    return {
        "name": result.name,
        "source": result.source,
        "directory": str(directory),
        "requests": len(result.items),
        "matched": result.matched,
        "findings": result.findings,
        "fixable": result.fixable,
        "secrets_left_out": result.secrets_left_out,
        "variables": sorted(result.variables),
        "summary": result.summary,
    }


def _stdin() -> str:
    """Standard input, at most the size a file may have: `yes | explorer import -` must not read forever."""
    if sys.stdin is None:
        return ""
    raw = getattr(sys.stdin, "buffer", None)
    if raw is None:  # a text stream without bytes underneath (tests, embedding)
        text = sys.stdin.read(MAX_FILE_BYTES + 1)
    else:
        text = raw.read(MAX_FILE_BYTES + 1).decode("utf-8-sig", errors="replace")
    if len(text) > MAX_FILE_BYTES:
        raise ImportFailure("more than the 50 MB a collection can be")
    return text


def _failure_line(file: str, message: str) -> str:
    """The refusal naming the file once: the importer's messages often start with its name already."""
    if file == "-":
        return f"standard input: {message}"
    name = Path(file).name
    if message.startswith(file):
        return message
    if name and message.startswith(name):
        return file + message[len(name) :]
    return f"{file}: {message}"
