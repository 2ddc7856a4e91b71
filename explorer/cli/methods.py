"""`explorer methods`: list the catalog's methods as a table or as JSON for scripts."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from typing import Any

from explorer.cli.common import load_catalogs_or_fail, parse_args, write
from explorer.core.catalog.model import Api, Catalog, Method


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="explorer methods",
        description="List the methods the explorer knows. --json prints one JSON array with an object "
        "per method: {api, id, verb, path, documented, tags, params: [{name, in, required, type, enum, "
        "default}]}.",
    )
    parser.add_argument("--api", choices=[a.value for a in Api], help="only this API (default: both)")
    parser.add_argument("--json", action="store_true", help="print a JSON array instead of a table")
    return parser


def method_json(method: Method) -> dict[str, Any]:
    """The stable, documented shape of one method for `--json`."""
    return {
        "api": method.api.value,
        "id": method.id,
        "verb": method.verb,
        "path": method.path,
        "documented": method.documented,
        "tags": list(method.tags),
        "params": [
            {
                "name": p.name,
                "in": p.location,
                "required": p.required,
                "type": p.type,
                "enum": list(p.enum) if p.enum is not None else None,
                "default": p.default,
            }
            for p in method.params
        ],
    }


def table(catalogs: Sequence[Catalog]) -> str:
    """Aligned columns: API, verb, path, id, and a marker for undocumented endpoints."""
    rows = [
        (m.api.value, m.verb, m.path, m.id, "" if m.documented else "undocumented")
        for catalog in catalogs
        for m in catalog.methods
    ]
    header = ("API", "VERB", "PATH", "ID", "NOTE")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
    lines = []
    for row in [header, *rows]:
        cells = [row[i].ljust(widths[i]) for i in range(4)] + [row[4]]
        lines.append("  ".join(cells).rstrip())
    total = len(rows)
    undocumented = sum(1 for r in rows if r[4])
    lines.append(f"{total} methods ({undocumented} undocumented)")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    args = parse_args(build_parser(), argv)
    if isinstance(args, int):
        return args
    loaded = load_catalogs_or_fail("methods")
    if isinstance(loaded, int):
        return loaded
    catalogs = [loaded[api] for api in Api if args.api in (None, api.value)]
    if args.json:
        payload = [method_json(m) for catalog in catalogs for m in catalog.methods]
        write(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        write(table(catalogs))
    return 0
