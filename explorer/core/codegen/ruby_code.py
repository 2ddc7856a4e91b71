"""Ruby that sends a request: with the discourse_api gem where it has a method for the call, else net/http."""

from __future__ import annotations

import re
from typing import Any

from explorer.core.codegen.curl_args import FORM_TYPE, implied_content_type
from explorer.core.codegen.library_calls import DISCOURSE_API_GEM, find_call
from explorer.core.codegen.literals import RUBY, Writer
from explorer.core.codegen.secrets import Sealed

# net/http's request class for each verb.
_CLASSES = {
    "GET": "Get",
    "POST": "Post",
    "PUT": "Put",
    "PATCH": "Patch",
    "DELETE": "Delete",
    "HEAD": "Head",
    "OPTIONS": "Options",
}


def ruby_code(sealed: Sealed) -> str:
    """The gem's method when it has one (the API key from the client's settings), else net/http."""
    call = find_call(sealed.request, DISCOURSE_API_GEM, "The discourse_api gem")
    if isinstance(call, str):
        return net_http_code(sealed, note=f"{call}: the same request with net/http.")
    write = Writer(RUBY, sealed)
    key = sealed.request.header("Api-Key") or ""
    arguments = [write.value(v) for v in call.positional]
    if call.keywords:
        arguments.append(_hash(write, call.keywords))
    lines = [
        'require "json"',
        'require "discourse_api"',
        "",
        f"client = DiscourseApi::Client.new({write.text(call.host)})",
        f"client.api_key = {write.text(key)}",
    ]
    if call.api_username is not None:
        lines.append(f"client.api_username = {write.text(call.api_username)}")
    lines += [
        f"# {call.method.name} raises DiscourseApi::Error (or a subclass) for an answer of 400 or more.",
        f"result = client.{call.method.name}({', '.join(arguments)})",
        "puts JSON.pretty_generate(result)",
    ]
    return "\n".join(lines) + "\n"


def net_http_code(sealed: Sealed, *, note: str | None = None) -> str:
    """A script with Ruby's standard library only; prints the status and the body."""
    request = sealed.request
    write = Writer(RUBY, sealed)
    verb = request.method.upper()
    lines = ['require "json"', 'require "net/http"', 'require "uri"', ""]
    if note:
        lines.append(f"# {note}")
    lines.append(f"uri = URI({write.text(request.url)})")
    if request.query:
        lines.append(f"uri.query = URI.encode_www_form({write.pairs(request.query)})")
    if verb in _CLASSES:
        lines.append(f"request = Net::HTTP::{_CLASSES[verb]}.new(uri)")
    else:  # a verb net/http has no class for
        has_body = "true" if request.body is not None else "false"
        lines.append(f"request = Net::HTTPGenericRequest.new({write.text(verb)}, {has_body}, true, uri)")
    body = request.body
    headers = list(request.headers)
    if body is not None and not any(k.lower() == "content-type" for k, _ in headers):
        implied = implied_content_type(body)
        if implied or body.kind == "form":  # net/http sends no type for a body set as text
            headers.append(("Content-Type", implied or FORM_TYPE))
    lines += [f"request[{write.text(k)}] = {write.text(v)}" for k, v in headers]
    if body is not None:
        if body.kind == "json":
            lines.append(f"request.body = JSON.generate({write.value(body.json_value)})")
        elif body.kind == "form":
            lines.append(f"request.body = URI.encode_www_form({write.pairs(body.fields)})")
        elif body.kind == "multipart":
            parts = [f"[{write.text(k)}, {write.text(v)}]" for k, v in body.fields]
            parts += [
                f'[{write.text(p.name)}, File.open({write.text(p.path or p.filename)}, "rb"), '
                f"{{filename: {write.text(p.filename)}, content_type: {write.text(p.content_type)}}}]"
                for p in body.files
            ]
            inner = "".join(f"  {part},\n" for part in parts)
            lines.append(f'request.set_form([\n{inner}], "multipart/form-data")')
        else:
            lines.append(f"request.body = {write.text(body.raw)}")
    lines += [
        'response = Net::HTTP.start(uri.hostname, uri.port, use_ssl: uri.scheme == "https") do |http|',
        "  http.request(request)",
        "end",
        "puts response.code",
        "puts response.body",
    ]
    return "\n".join(lines) + "\n"


def _hash(write: Writer, pairs: tuple[tuple[str, Any], ...]) -> str:
    """Keyword arguments as a Ruby hash: symbol keys where the name allows (page: 1), else "name" => value."""
    items = [
        f"{k}: {write.value(v)}"
        if re.fullmatch(r"[a-z_][A-Za-z0-9_]*", k)
        else f"{write.text(k)} => {write.value(v)}"
        for k, v in pairs
    ]
    return "{" + ", ".join(items) + "}"
