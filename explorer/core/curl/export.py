"""Write a PreparedRequest as a copy-pasteable POSIX-shell curl command, secrets masked unless asked."""

from __future__ import annotations

import json
import shlex
from pathlib import PurePath
from urllib.parse import urlencode

from explorer.core.prepared import SECRET_PLACEHOLDER, Body, FilePart, PreparedRequest, is_secret_name

FORM_TYPE = "application/x-www-form-urlencoded"


def to_curl(
    request: PreparedRequest,
    *,
    reveal_secrets: bool = False,
    follow_redirects: bool = False,
    insecure: bool = False,
    http10: bool = False,
    multiline: bool = True,
    placeholder: str = SECRET_PLACEHOLDER,
) -> str:
    """The curl command for `request`.

    Secret headers and parameters (see `is_secret_name`) show `placeholder` unless `reveal_secrets`.
    Multipart files appear as `-F name=@/full/path` when the part knows where it was read from, else as
    `-F name=@filename` (the command then expects the file beside it).
    Importing the result with `import_curl` gives back the same method, URL, query, headers and body.
    """
    shown = request if reveal_secrets else request.masked(placeholder)
    head: list[str] = ["curl"]
    body = shown.body
    verb = shown.method.upper()
    if verb == "HEAD" and body is None:
        head.append("-I")
    elif verb != ("POST" if body is not None else "GET"):
        head += ["-X", verb]
    head.append(shlex.quote(display_url(shown, placeholder)))
    groups = [head]
    has_content_type = any(k.lower() == "content-type" for k, _ in shown.headers)
    for name, value in shown.headers:
        groups.append(["-H", shlex.quote(f"{name}: {value}" if value else f"{name};")])
    if body is not None:
        if not has_content_type:
            implied = _implied_content_type(body)
            if implied:
                groups.append(["-H", shlex.quote(f"Content-Type: {implied}")])
        groups += _body_args(body)
    groups += [
        [flag] for flag, wanted in (("-L", follow_redirects), ("-k", insecure), ("-0", http10)) if wanted
    ]
    return _join(groups, multiline)


def display_url(request: PreparedRequest, placeholder: str = SECRET_PLACEHOLDER) -> str:
    """The full URL; a masked value stays a readable placeholder instead of being percent-encoded."""
    if not request.query:
        return request.url
    pairs = [
        urlencode([(k, v)]) if v != placeholder or not is_secret_name(k) else f"{urlencode([(k, '')])}{v}"
        for k, v in request.query
    ]
    return f"{request.url}{'&' if '?' in request.url else '?'}{'&'.join(pairs)}"


def _implied_content_type(body: Body) -> str | None:
    """The Content-Type header curl needs to send `body` as we mean it (curl's -d default is a form)."""
    if body.kind == "multipart":
        return None  # curl -F writes it, with the boundary
    if body.kind == "form":
        return body.content_type if body.content_type and body.content_type.lower() != FORM_TYPE else None
    return body.media_type()


def _body_args(body: Body) -> list[list[str]]:
    if body.kind == "json":
        return [["--data-raw", shlex.quote(json.dumps(body.json_value, ensure_ascii=False))]]
    if body.kind == "form":
        return [["--data-raw", shlex.quote(urlencode(list(body.fields)))]]
    if body.kind == "multipart":
        # --form-string never reads files, whatever the value starts with (@, <) or contains (;type=).
        groups = [["--form-string", shlex.quote(f"{name}={value}")] for name, value in body.fields]
        return groups + [["-F", shlex.quote(_file_spec(part))] for part in body.files]
    return [["--data-raw", shlex.quote(body.raw)]]


def _file_spec(part: FilePart) -> str:
    """`name=@file[;filename=…][;type=…]`: the full local path when known, so the command runs anywhere."""
    if part.path:
        spec = f"{part.name}=@{_form_quote(part.path)}"
        if PurePath(part.path).name != part.filename:
            spec += f";filename={_form_quote(part.filename)}"  # curl would send the path's base name
    else:
        spec = f"{part.name}=@{_form_quote(part.filename)}"
    if part.content_type and part.content_type != "application/octet-stream":
        spec += f";type={part.content_type}"
    return spec


def _form_quote(text: str) -> str:
    """A file name or path as curl's -F reads it: double-quoted when it holds curl's separators or
    leading/trailing spaces (curl trims those from unquoted words)."""
    if any(c in text for c in ';,"\\') or text != text.strip():
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def _join(groups: list[list[str]], multiline: bool) -> str:
    """One option (with its value) per line, joined by backslash-newlines, or all on one line."""
    return (" \\\n  " if multiline else " ").join(" ".join(group) for group in groups)
