"""The curl command line of a request as words (unquoted), shared by every shell's writer."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import PurePath
from urllib.parse import urlencode

from explorer.core.prepared import Body, FilePart, PreparedRequest

FORM_TYPE = "application/x-www-form-urlencoded"

# Turns (name, value) pairs into a form body's text; the default is urlencode.
FormEncoder = Callable[[Sequence[tuple[str, str]]], str]


def curl_groups(
    request: PreparedRequest,
    url: str,
    *,
    encode_form: FormEncoder = lambda pairs: urlencode(list(pairs)),
    follow_redirects: bool = False,
    insecure: bool = False,
    http10: bool = False,
) -> list[list[str]]:
    """The words of the curl command, one group per option with its value; the first group is `curl`,
    the verb option when needed, and `url`.

    Importing the quoted command with `import_curl` gives back the same method, URL, query, headers and body.
    """
    head: list[str] = ["curl"]
    body = request.body
    verb = request.method.upper()
    if verb == "HEAD" and body is None:
        head.append("-I")
    elif verb != ("POST" if body is not None else "GET"):
        head += ["-X", verb]
    head.append(url)
    groups = [head]
    has_content_type = any(k.lower() == "content-type" for k, _ in request.headers)
    for name, value in request.headers:
        groups.append(["-H", f"{name}: {value}" if value else f"{name};"])
    if body is not None:
        if not has_content_type:
            implied = implied_content_type(body)
            if implied:
                groups.append(["-H", f"Content-Type: {implied}"])
        groups += _body_args(body, encode_form)
    groups += [
        [flag] for flag, wanted in (("-L", follow_redirects), ("-k", insecure), ("-0", http10)) if wanted
    ]
    return groups


def implied_content_type(body: Body) -> str | None:
    """The Content-Type header a client must set to send `body` as we mean it (None: the client's own
    default is right: curl's -d and most libraries' form encoders write a form, multipart writers add
    the boundary)."""
    if body.kind == "multipart":
        return None
    if body.kind == "form":
        return body.content_type if body.content_type and body.content_type.lower() != FORM_TYPE else None
    return body.media_type()


def _body_args(body: Body, encode_form: FormEncoder) -> list[list[str]]:
    if body.kind == "json":
        return [["--data-raw", json.dumps(body.json_value, ensure_ascii=False)]]
    if body.kind == "form":
        return [["--data-raw", encode_form(body.fields)]]
    if body.kind == "multipart":
        # --form-string never reads files, whatever the value starts with (@, <) or contains (;type=).
        groups = [["--form-string", f"{name}={value}"] for name, value in body.fields]
        return groups + [["-F", file_spec(part)] for part in body.files]
    return [["--data-raw", body.raw]]


def file_spec(part: FilePart) -> str:
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
