"""Turn a parsed curl command into a PreparedRequest, match it to a catalog method and lint it."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urljoin, urlsplit, urlunsplit

from explorer.core.building.encoding import base_url_problem
from explorer.core.catalog.loader import CatalogError, load_catalog
from explorer.core.catalog.model import Api, Catalog
from explorer.core.curl.match import MethodMatch, match_request
from explorer.core.curl.parse import DataArg, ParsedCurl, parse_command
from explorer.core.curl.tokens import CurlError
from explorer.core.http.masking import mask_text
from explorer.core.lint import Finding, lint_request
from explorer.core.paths import resources_dir
from explorer.core.prepared import SECRET_PLACEHOLDER, Body, FilePart, PreparedRequest
from explorer.core.text import character_name, position, undecodable, url_characters_problem

FORM_TYPE = "application/x-www-form-urlencoded"
JSON_TYPE = "application/json"


@dataclass(frozen=True, slots=True)
class ImportedCurl:
    """The request a curl command describes, the curl options that are not part of it, and what we found.

    `match` is the catalog method whose verb and path fit (None when nothing fits); `findings` are
    the linter's findings for the request.
    """

    request: PreparedRequest
    follow_redirects: bool = False
    insecure: bool = False
    http10: bool = False
    notes: tuple[str, ...] = ()
    match: MethodMatch | None = None
    findings: tuple[Finding, ...] = ()


def bundled_catalogs() -> dict[Api, Catalog]:
    """The shipped catalogs that load; a missing or broken one is left out (matching just finds less)."""
    found = {}
    for api in Api:
        try:
            found[api] = load_catalog(resources_dir() / "catalogs" / f"{api.value}.json")
        except CatalogError:
            continue
    return found


def import_curl(
    text: str,
    *,
    base_url: str | None = None,
    base_dir: Path | None = None,
    catalogs: Mapping[Api, Catalog] | None = None,
) -> ImportedCurl:
    """Import one curl command line; raises CurlError naming the problem and its position.

    `base_url` resolves an empty or relative URL (`curl -X POST "" …` as in some documentation).
    `base_dir` allows `-d @file` and `-F name=@file` to read files relative to it; without it such
    arguments are refused, because a pasted command's files are usually not on this machine.
    `catalogs` defaults to the bundled ones.
    """
    if not text.strip():
        raise CurlError("The cURL text is empty.")
    problem = undecodable(text)
    if problem is not None:
        raise CurlError(f"The cURL text cannot be read: {problem}.")
    if base_url:
        problem = base_url_problem(base_url)
        if problem is not None:
            raise CurlError(f"Base URL: {problem}.")
    parsed = parse_command(text)
    notes = list(parsed.notes)
    url, query, url_user = _url(parsed, base_url, notes)
    headers = _headers(parsed, url_user)
    body, headers, extra_query = _body(parsed, headers, base_dir, notes)
    method = _method(parsed, body is not None or bool(extra_query))
    query += extra_query
    if any(SECRET_PLACEHOLDER in v for _, v in (*headers, *query)) or _body_has_placeholder(body):
        notes.append(f"The command contains {SECRET_PLACEHOLDER} placeholders: fill in the real secrets.")
    request = PreparedRequest(method=method, url=url, query=tuple(query), headers=tuple(headers), body=body)
    known = bundled_catalogs() if catalogs is None else catalogs
    match = match_request(method, url, known) if url else None
    if match is not None:
        request = replace(request, api=match.api.value, method_id=match.method_id)
    findings = lint_request(request, match.method if match else None, catalog=known.get(Api.DISQUS))
    return ImportedCurl(
        request=request,
        follow_redirects=parsed.location,
        insecure=parsed.insecure,
        http10=parsed.http10,
        notes=tuple(notes),
        match=match,
        findings=tuple(findings),
    )


def _body_has_placeholder(body: Body | None) -> bool:
    """True when an exported command's masked secret (a form field, a JSON value, raw text) is still there."""
    if body is None:
        return False
    if body.kind == "json":
        return SECRET_PLACEHOLDER in json.dumps(body.json_value, ensure_ascii=False)
    # Fields are decoded already, so a placeholder written as %3Credacted%3E is found as well.
    texts = [value for _, value in body.fields] if body.kind in ("form", "multipart") else [unquote(body.raw)]
    return any(SECRET_PLACEHOLDER in text for text in texts)


def _method(parsed: ParsedCurl, has_data: bool) -> str:
    if parsed.method:
        if not _TOKEN.fullmatch(parsed.method):
            bad = next((c for c in parsed.method if not _TOKEN.fullmatch(c)), " ")
            raise CurlError(
                f"The method given with -X contains {character_name(bad)}: a method is one word of letters "
                "(GET, POST, PUT, …)."
            )
        return parsed.method
    if parsed.head:
        return "HEAD"
    if parsed.get:
        return "GET"
    return "POST" if has_data else "GET"


def _url(
    parsed: ParsedCurl, base_url: str | None, notes: list[str]
) -> tuple[str, list[tuple[str, str]], str | None]:
    """(URL without query or user info, query pairs, `user:password` from the URL or None)."""
    assert parsed.url is not None
    raw = parsed.url.text.strip()
    if base_url and (not raw or raw.startswith(("/", "?"))):
        raw = urljoin(base_url.rstrip("/") + "/", raw.lstrip("/")) if raw else base_url
    elif not raw:
        notes.append("The command's URL is empty: enter the site's address before sending.")
        return "", [], None
    elif "://" not in raw and not raw.startswith("/"):
        raw = "http://" + raw  # what curl itself assumes
        notes.append(f"The URL has no scheme; curl assumes http://, so it was read as {mask_text(raw)}.")
    where = position(parsed.text, parsed.url.start)
    problem = url_characters_problem(raw)
    if problem is not None:
        raise CurlError(f"The URL at {where} {problem}.")
    try:
        parts = urlsplit(raw)
        parts.port  # noqa: B018 - urlsplit checks the port only when it is read
    except ValueError as exc:
        raise CurlError(f"The URL {mask_text(raw)!r} at {where} is malformed ({exc}).") from exc
    if parts.scheme and parts.scheme.lower() not in ("http", "https"):
        raise CurlError(
            f"Unsupported URL scheme {parts.scheme!r} at {where}: only http and https can be sent."
        )
    if parts.scheme and not parts.netloc:
        raise CurlError(f"The URL {mask_text(raw)!r} at {where} has no host.")
    query = parse_qsl(parts.query, keep_blank_values=True)
    netloc, user = parts.netloc, None
    if "@" in netloc:
        # curl sends `user:password@` as Basic auth; as a header it is masked like any other secret,
        # whereas left in the URL it would be shown and exported in plain text.
        userinfo, _, netloc = netloc.rpartition("@")
        user = unquote(userinfo)
        if parsed.user is None:
            notes.append("The user name and password in the URL are sent as an Authorization header.")
    return urlunsplit((parts.scheme, netloc, parts.path, "", "")), query, user


def _headers(parsed: ParsedCurl, url_user: str | None) -> list[tuple[str, str]]:
    headers: list[tuple[str, str]] = []
    for raw, start in parsed.headers:
        # The position is worked out only for a message: counting lines from the start for every header
        # made 100,000 -H options take a minute.
        def where(start: int = start) -> str:
            return position(parsed.text, start)

        if raw.startswith("@"):
            raise CurlError(
                f"-H {_first_word(raw)} at {where()} reads headers from a file; paste the headers instead."
            )
        colon, semi = raw.find(":"), raw.find(";")
        if colon > 0 and (semi < 0 or colon < semi):
            name, value = raw[:colon].strip(), raw[colon + 1 :].strip()
            if not value:
                # curl's `-H "Name:"` removes a header curl would add itself; nothing to send.
                continue
        elif semi > 0 and not raw[semi + 1 :].strip():
            name, value = raw[:semi].strip(), ""  # `-H "Name;"` sends the header with an empty value
        else:
            # Only the first word is quoted: `Api-Key SECRET` without its colon is a key after a space.
            raise CurlError(
                f"-H {_first_word(raw)!r} at {where()} is not a header: expected 'Name: value'."
            )
        if not name or any(c in name for c in " \t"):
            raise CurlError(f"-H {_first_word(raw)!r} at {where()} has an invalid header name.")
        bad = _HEADER_CONTROL.search(name + value)
        if bad is not None:
            # A CR or LF would start a header (or a request) of its own on the wire.
            raise CurlError(
                f"-H {_first_word(name)!r} at {where()} contains {character_name(bad[0])}, which a header "
                "cannot hold."
            )
        headers.append((name, value))
    present = {k.lower() for k, _ in headers}
    for name, value in parsed.extra_headers:
        if name.lower() not in present:
            headers.append((name, value))
            present.add(name.lower())
    credentials = parsed.user if parsed.user is not None else url_user  # -u wins, as in curl
    if credentials is not None and "authorization" not in present:
        user = credentials if ":" in credentials else credentials + ":"
        token = base64.b64encode(user.encode("utf-8")).decode("ascii")
        headers.append(("Authorization", f"Basic {token}"))
    if parsed.bearer is not None and "authorization" not in present:
        headers.append(("Authorization", f"Bearer {parsed.bearer}"))
    return headers


# An HTTP method: one RFC 9110 token.
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
# What a header line cannot hold (a tab inside a value is allowed).
_HEADER_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f]")
# The most one `-d @file` / `-F name=@file` argument may read.
MAX_FILE_BYTES = 64 * 2**20


def _first_word(raw: str, limit: int = 40) -> str:
    """The first word of what the user typed, masked and cut short, with … when more followed."""
    words = raw.split(None, 1)
    first = mask_text(words[0] if words else "")
    if len(first) > limit:
        first = first[:limit]
    return first + (" …" if len(words) > 1 or len(first) < len(words[0] if words else "") else "")


def _file_path(name: str, base_dir: Path | None) -> Path:
    """Where curl would read `name` when run in `base_dir` (only called once a base_dir is known)."""
    path = Path(name)
    return path if path.is_absolute() or base_dir is None else (base_dir / path).absolute()


def _read_file(parsed: ParsedCurl, arg: DataArg, name: str, base_dir: Path | None) -> bytes:
    where = position(parsed.text, arg.start)
    if base_dir is None:
        raise CurlError(
            f"{arg.shown} {arg.value} at {where} reads the file {name!r}; paste its content instead "
            "(files are only read when importing from the command line)."
        )
    path = _file_path(name, base_dir)
    try:
        # Bounded: `-d @/dev/zero` (or any endless device or huge file) would otherwise read forever.
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise CurlError(f"{arg.shown} at {where}: cannot read {name!r} ({exc.strerror or exc}).") from exc
    if len(data) > MAX_FILE_BYTES:
        raise CurlError(
            f"{arg.shown} at {where}: {name!r} is larger than {MAX_FILE_BYTES // 2**20} MB, the most a "
            "request body read from a file may hold (or it never ends, like /dev/zero)."
        )
    return data


def _data_piece(parsed: ParsedCurl, arg: DataArg, base_dir: Path | None) -> str:
    """One data argument as the bytes curl would put between the `&`s."""
    value = arg.value
    if arg.option in ("--data", "--data-binary", "--json") and value.startswith("@"):
        content = _read_file(parsed, arg, value[1:], base_dir).decode("utf-8", errors="replace")
        # curl strips line breaks from `-d @file` but keeps them for --data-binary and --json.
        return content.replace("\r", "").replace("\n", "") if arg.option == "--data" else content
    if arg.option != "--data-urlencode":
        return value
    # --data-urlencode: "content", "=content", "name=content", "@file" or "name@file".
    eq, at = value.find("="), value.find("@")
    if eq >= 0 and (at < 0 or eq < at):
        name, content = value[:eq], value[eq + 1 :]
    elif at >= 0:
        name = value[:at]
        content = _read_file(parsed, arg, value[at + 1 :], base_dir).decode("utf-8", errors="replace")
    else:
        name, content = "", value
    encoded = quote(content, safe="")
    return f"{name}={encoded}" if name else encoded


def _looks_like_form(data: str) -> bool:
    # Every `&`-separated piece must be a name=value pair (the name may be empty, as in `=value`).
    return all("=" in part for part in data.split("&")) if data else True


def _media(value: str | None) -> str:
    return (value or "").split(";")[0].strip().lower()


def _body(
    parsed: ParsedCurl, headers: list[tuple[str, str]], base_dir: Path | None, notes: list[str]
) -> tuple[Body | None, list[tuple[str, str]], list[tuple[str, str]]]:
    """(body, headers without the Content-Type the body now carries, query pairs added by -G)."""
    if parsed.data and parsed.forms:
        first = parsed.forms[0]
        raise CurlError(
            f"{first.shown} at {position(parsed.text, first.start)} cannot be combined with -d/--data: "
            "a body is either form data or multipart."
        )
    content_type = next((v for k, v in reversed(headers) if k.lower() == "content-type"), None)
    rest = [(k, v) for k, v in headers if k.lower() != "content-type"]
    if parsed.forms:
        if content_type and _media(content_type) != "multipart/form-data":
            notes.append(
                f"-F always sends multipart/form-data; the Content-Type {content_type!r} was dropped."
            )
        # The multipart boundary is generated when sending, so a pasted Content-Type is not kept.
        return _multipart(parsed, base_dir), rest, []
    if not parsed.data:
        return None, headers, []
    data = "&".join(_data_piece(parsed, arg, base_dir) for arg in parsed.data)
    if parsed.get:
        return None, headers, parse_qsl(data, keep_blank_values=True)
    media = _media(content_type)
    if media == JSON_TYPE or media.endswith("+json"):
        try:
            value = json.loads(data)
        except json.JSONDecodeError as exc:
            notes.append(
                f"The body is not valid JSON ({exc.msg} at character {exc.pos}); it is kept as text."
            )
            return Body("raw", raw=data, content_type=content_type), rest, []
        kept = None if content_type is None or content_type.strip().lower() == JSON_TYPE else content_type
        return Body("json", json_value=value, content_type=kept), rest, []
    looks_json = data.lstrip()[:1] in ("{", "[")
    if media in ("", FORM_TYPE) and not looks_json and _looks_like_form(data):
        kept = None if content_type is None or content_type.strip().lower() == FORM_TYPE else content_type
        fields = tuple(parse_qsl(data, keep_blank_values=True))
        return Body("form", fields=fields, content_type=kept), rest, []
    if content_type is None and looks_json:
        notes.append(
            "The data looks like JSON but no 'Content-Type: application/json' header is given, so curl "
            "sends it as a form and the server will not read it as JSON."
        )
    return Body("raw", raw=data, content_type=content_type or FORM_TYPE), rest, []


def _split_form_value(value: str) -> tuple[str, dict[str, str]]:
    """curl's `-F` value syntax: an optionally double-quoted value, then `;type=…;filename=…` attributes."""
    attrs: dict[str, str] = {}
    if value.startswith('"'):
        out, i = [], 1
        while i < len(value) and value[i] != '"':
            if value[i] == "\\" and i + 1 < len(value):
                i += 1
            out.append(value[i])
            i += 1
        main, tail = "".join(out), value[i + 1 :]
    else:
        main, _, tail = value.partition(";")
        tail = ";" + tail if tail else ""
    for item in _form_items(tail):
        key, eq, val = item.partition("=")
        if eq and key.strip() in ("type", "filename", "headers", "encoder"):
            attrs[key.strip()] = _form_unquote(val.strip())
        elif item.strip():
            main += ";" + item  # a semicolon that belongs to the value itself
    return main, attrs


def _form_items(tail: str) -> list[str]:
    """The `;`-separated items of a -F value's tail; `key="a;b"` keeps its quoted semicolon, as in curl."""
    items: list[str] = []
    current: list[str] = []
    quoted = escaped = False
    for char in tail:
        if quoted:
            current.append(char)
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                quoted = False
        elif char == ";":
            items.append("".join(current))
            current = []
        else:
            quoted = char == '"' and "".join(current).rstrip().endswith("=")
            current.append(char)
    items.append("".join(current))
    return items


def _form_unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value.strip('"')


def _multipart(parsed: ParsedCurl, base_dir: Path | None) -> Body:
    fields: list[tuple[str, str]] = []
    files: list[FilePart] = []
    for arg in parsed.forms:
        name, eq, value = arg.value.partition("=")
        if not eq or not name:
            where = position(parsed.text, arg.start)
            raise CurlError(
                f"{arg.shown} {mask_text(arg.value)!r} at {where} is not a form field: expected name=value."
            )
        if arg.option == "--form-string":
            fields.append((name, value))
            continue
        if value.startswith("@"):
            path_text, attrs = _split_form_value(value[1:])
            data = _read_file(parsed, arg, path_text, base_dir)
            files.append(
                FilePart(
                    name=name,
                    filename=attrs.get("filename", Path(path_text).name),
                    data=data,
                    content_type=attrs.get("type", "application/octet-stream"),
                    path=str(_file_path(path_text, base_dir)),
                )
            )
        elif value.startswith("<"):
            path_text, _ = _split_form_value(value[1:])
            fields.append(
                (name, _read_file(parsed, arg, path_text, base_dir).decode("utf-8", errors="replace"))
            )
        else:
            text, _ = _split_form_value(value)
            fields.append((name, text))
    return Body("multipart", fields=tuple(fields), files=tuple(files))
