"""JavaScript that sends a request with fetch (Node 18 or later, as an ES module)."""

from __future__ import annotations

from explorer.core.codegen.curl_args import implied_content_type
from explorer.core.codegen.literals import JAVASCRIPT, Writer
from explorer.core.codegen.secrets import Sealed


def fetch_code(sealed: Sealed) -> str:
    """An ES module (top-level await): save it as request.mjs and run `node request.mjs`."""
    request = sealed.request
    write = Writer(JAVASCRIPT, sealed)
    body = request.body
    lines = ["// Node 18 or later: save as request.mjs and run `node request.mjs`."]
    if body is not None and body.kind == "multipart" and body.files:
        lines.append('import { readFile } from "node:fs/promises";')
    lines.append("")
    if request.query:
        lines.append(f"const url = new URL({write.text(request.url)});")
        lines.append(f"for (const [name, value] of {write.pairs(request.query)}) {{")
        lines.append("  url.searchParams.append(name, value);")
        lines.append("}")
    else:
        lines.append(f"const url = {write.text(request.url)};")
    headers = list(request.headers)
    if body is not None and not any(k.lower() == "content-type" for k, _ in headers):
        implied = implied_content_type(body)
        if implied:
            headers.append(("Content-Type", implied))
    options = [f"method: {write.text(request.method.upper())}"]
    if headers:
        # An array of pairs keeps a repeated header; fetch takes it as it takes an object.
        options.append(f"headers: {write.pairs(headers, 1)}")
    if body is not None:
        if body.kind == "json":
            options.append(f"body: JSON.stringify({write.value(body.json_value, 1)})")
        elif body.kind == "form":
            options.append(f"body: new URLSearchParams({write.pairs(body.fields, 1)})")
        elif body.kind == "multipart":
            lines.append("const form = new FormData();")
            lines += [f"form.append({write.text(k)}, {write.text(v)});" for k, v in body.fields]
            for part in body.files:
                blob = (
                    f"new Blob([await readFile({write.text(part.path or part.filename)})], "
                    f"{{ type: {write.text(part.content_type)} }})"
                )
                lines.append(f"form.append({write.text(part.name)}, {blob}, {write.text(part.filename)});")
            options.append("body: form")  # fetch writes the multipart Content-Type with its boundary
        else:
            options.append(f"body: {write.text(body.raw)}")
    lines.append("const response = await fetch(url, {")
    lines += [f"  {option}," for option in options]
    lines += ["});", "console.log(response.status);", "console.log(await response.text());"]
    return "\n".join(lines) + "\n"
