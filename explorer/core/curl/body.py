"""The body of a parsed curl command: -d/--data pieces (files read), JSON or form told apart, -F multipart."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qsl, quote

from explorer.core.curl.parse import DataArg, ParsedCurl
from explorer.core.curl.tokens import CurlError
from explorer.core.http.masking import mask_text
from explorer.core.prepared import Body, FilePart
from explorer.core.text import position

FORM_TYPE = "application/x-www-form-urlencoded"
JSON_TYPE = "application/json"
# The most one `-d @file` / `-F name=@file` argument may read.
MAX_FILE_BYTES = 64 * 2**20


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


def request_body(
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
