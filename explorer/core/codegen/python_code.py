"""Python that sends a request: with httpx, or with pydiscourse where it has a method for the call."""

from __future__ import annotations

import keyword
from typing import Any

from explorer.core.codegen.curl_args import implied_content_type
from explorer.core.codegen.library_calls import PYDISCOURSE, Call, find_call
from explorer.core.codegen.literals import INDENT, PYTHON, Writer
from explorer.core.codegen.secrets import Sealed


def httpx_code(sealed: Sealed, *, note: str | None = None) -> str:
    """A script that sends the request with httpx and prints the status and the body."""
    request = sealed.request
    write = Writer(PYTHON, sealed)
    arguments = [write.text(request.method.upper()), write.text(request.url)]
    if request.query:
        arguments.append(f"params={write.pairs(request.query, 1)}")
    headers = list(request.headers)
    body = request.body
    if body is not None and body.kind != "json" and not any(k.lower() == "content-type" for k, _ in headers):
        implied = implied_content_type(body)  # json= sets its own
        if implied:
            headers.append(("Content-Type", implied))
    if headers:
        arguments.append(f"headers={_headers(write, headers)}")
    if body is not None:
        if body.kind == "json":
            arguments.append(f"json={write.value(body.json_value, 1)}")
        elif body.kind in ("form", "multipart"):
            if body.fields:
                arguments.append(f"data={write.value(_grouped(body.fields), 1)}")
            if body.kind == "multipart":
                # The full path: the script runs from any directory.
                files = [
                    f"({write.text(p.name)}, ({write.text(p.filename)}, "
                    f'open({write.text(p.path or p.filename)}, "rb"), {write.text(p.content_type)}))'
                    for p in body.files
                ]
                arguments.append("files=[\n" + "".join(f"{INDENT * 2}{f},\n" for f in files) + f"{INDENT}]")
        else:
            arguments.append(f"content={write.text(body.raw)}")
    lines = _imports(sealed, "import httpx")
    if note:
        lines += [f"# {note}"]
    lines += ["response = httpx.request("]
    lines += [f"{INDENT}{argument}," for argument in arguments]
    lines += [")", "print(response.status_code)", "print(response.text)"]
    return "\n".join(lines) + "\n"


def pydiscourse_code(sealed: Sealed) -> str:
    """A script calling pydiscourse's DiscourseClient; httpx (with a comment saying why) when it has no
    method for this call."""
    call = find_call(sealed.request, PYDISCOURSE, "pydiscourse")
    if isinstance(call, str):
        return httpx_code(sealed, note=f"{call}: the same request with httpx.")
    write = Writer(PYTHON, sealed)
    key = sealed.request.header("Api-Key") or ""
    arguments = [write.value(v, 1) for v in call.positional] + _keywords(write, call)
    lines = _imports(sealed, "from pydiscourse import DiscourseClient", json_module=True)
    lines += [
        "client = DiscourseClient(",
        f"{INDENT}{write.text(call.host)},",
        f"{INDENT}api_username={write.value(call.api_username)},",
        f"{INDENT}api_key={write.text(key)},",
        ")",
        f"# {call.method.name} raises DiscourseClientError for an answer of 400 or more.",
    ]
    if len(", ".join(arguments)) <= 70:
        lines.append(f"result = client.{call.method.name}({', '.join(arguments)})")
    else:
        lines += [f"result = client.{call.method.name}("] + [f"{INDENT}{a}," for a in arguments] + [")"]
    lines.append("print(json.dumps(result, indent=2, ensure_ascii=False))")
    return "\n".join(lines) + "\n"


def _keywords(write: Writer, call: Call) -> list[str]:
    plain = [(k, v) for k, v in call.keywords if k.isidentifier() and not keyword.iskeyword(k)]
    other = [(k, v) for k, v in call.keywords if (k, v) not in plain]
    out = [f"{k}={write.value(v, 1)}" for k, v in plain]
    if other:
        out.append("**" + write.value(dict(other), 1))
    return out


def _imports(sealed: Sealed, library: str, *, json_module: bool = False) -> list[str]:
    standard = [name for name, wanted in (("json", json_module), ("os", bool(sealed.variables))) if wanted]
    lines = [f"import {name}" for name in standard]
    return [*lines, *([""] if lines else []), library, ""]


def _headers(write: Writer, headers: list[tuple[str, str]]) -> str:
    names = [k.lower() for k, _ in headers]
    if len(set(names)) < len(names):
        return write.pairs(headers, 1)  # a repeated header keeps both values
    return write.value(dict(headers), 1)


def _grouped(pairs: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    """Form fields as httpx's `data` mapping: a repeated name becomes a list of its values."""
    out: dict[str, Any] = {}
    for name, value in pairs:
        if name in out:
            out[name] = [*out[name], value] if isinstance(out[name], list) else [out[name], value]
        else:
            out[name] = value
    return out
