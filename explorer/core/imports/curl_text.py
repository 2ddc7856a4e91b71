"""Pasted cURL commands (one or several) as an imported collection, through the cURL importer."""

from __future__ import annotations

import json
from collections.abc import Mapping

from explorer.core.catalog.model import Api, Catalog
from explorer.core.curl import CurlError, import_curl
from explorer.core.imports.collector import Collector
from explorer.core.imports.model import ImportFailure, ParsedCollection
from explorer.core.lifecycle.spec import BodySpec, Pair
from explorer.core.prepared import Body

# Characters that continue a command on the next line: POSIX shells, Windows cmd, PowerShell.
_CONTINUATION = ("\\", "^", "`")


def split_commands(text: str) -> list[str]:
    """The curl commands in pasted text: each starts on a line beginning with `curl`."""
    commands: list[list[str]] = []
    continued = False
    for line in text.replace("\r\n", "\n").split("\n"):
        stripped = line.strip()
        starts = not continued and (stripped.startswith("curl ") or stripped == "curl")
        if (starts or not commands) and (stripped or commands):
            commands.append([])
        if commands:
            commands[-1].append(line)
        continued = stripped.endswith(_CONTINUATION)
    return ["\n".join(lines).strip() for lines in commands if "\n".join(lines).strip()]


def parse_curl_text(
    text: str, catalogs: Mapping[Api, Catalog], *, name: str = "Pasted cURL"
) -> ParsedCollection:
    commands = split_commands(text)
    if not commands:
        raise ImportFailure("the cURL text is empty")
    collector = Collector(name, "cURL")
    for number, command in enumerate(commands, start=1):
        try:
            imported = import_curl(command, catalogs=catalogs)
        except CurlError as exc:
            which = f"command {number}: " if len(commands) > 1 else ""
            raise ImportFailure(f"cURL {which or 'command: '}{exc}") from None
        request = imported.request
        title = request.method_id or f"{request.method} {request.url.rsplit('/', 1)[-1] or request.url}"
        collector.add(
            folder=(),
            name=title,
            verb=request.method,
            url=request.url,
            query=[Pair(k, v) for k, v in request.query],
            headers=[Pair(k, v) for k, v in request.headers],
            body=_body_spec(request.body),
        )
        collector.notes.extend(note for note in imported.notes if note not in collector.notes)
    return collector.finish({})


def _body_spec(body: Body | None) -> BodySpec:
    if body is None:
        return BodySpec()
    if body.kind == "json":
        return BodySpec("json", json.dumps(body.json_value, indent=2, ensure_ascii=False))
    if body.kind == "form":
        return BodySpec("form", "", None, tuple(Pair(k, v) for k, v in body.fields))
    if body.kind == "multipart":
        files = tuple(Pair(f.name, f.path or f.filename, True, True) for f in body.files)
        return BodySpec("multipart", "", None, tuple(Pair(k, v) for k, v in body.fields) + files)
    return BodySpec("raw", body.raw, body.content_type)
