"""Turn a PreparedRequest body into the bytes and Content-Type that go on the wire."""

from __future__ import annotations

import json
import os
from urllib.parse import urlencode

from explorer.core.prepared import Body, is_secret_name


def encode_body(body: Body | None) -> tuple[bytes | None, str | None]:
    """(content, content type) for `body`; (None, None) when there is no body.

    We encode every kind ourselves instead of using httpx's `data=`/`files=`: that keeps the field order
    the user sees, allows repeated names (`tags[]`), and sends multipart even without a file part
    (httpx silently falls back to urlencoded when `files` is empty).
    """
    if body is None:
        return None, None
    if body.kind == "json":
        return json.dumps(body.json_value, ensure_ascii=False).encode("utf-8"), body.media_type()
    if body.kind == "form":
        return urlencode(list(body.fields)).encode("ascii"), body.media_type()
    if body.kind == "multipart":
        boundary = os.urandom(16).hex()
        return encode_multipart(body, boundary), f"multipart/form-data; boundary={boundary}"
    return body.raw.encode("utf-8"), body.media_type()


def _quote(value: str) -> str:
    # The HTML form-submission rules: escape the characters that would break the quoted header value.
    return value.replace("\\", "\\\\").replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


def encode_multipart(body: Body, boundary: str) -> bytes:
    """A multipart/form-data body with the text fields first, then the files, each in their given order."""
    dash = f"--{boundary}".encode("ascii")
    chunks: list[bytes] = []
    for name, value in body.fields:
        chunks += [
            dash,
            b"\r\n",
            f'Content-Disposition: form-data; name="{_quote(name)}"\r\n\r\n'.encode(),
            value.encode("utf-8"),
            b"\r\n",
        ]
    for part in body.files:
        disposition = f'form-data; name="{_quote(part.name)}"; filename="{_quote(part.filename)}"'
        chunks += [
            dash,
            b"\r\n",
            f"Content-Disposition: {disposition}\r\n".encode(),
            f"Content-Type: {part.content_type}\r\n\r\n".encode(),
            part.data,
            b"\r\n",
        ]
    chunks += [dash, b"--\r\n"]
    return b"".join(chunks)


def body_has_secrets(body: Body | None) -> bool:
    """True when the body carries a credential by name (Disqus keys in a POST form, `api_key` in JSON)."""
    if body is None:
        return False
    if body.kind in ("form", "multipart"):
        return any(is_secret_name(k) for k, _ in body.fields)
    if body.kind == "json" and isinstance(body.json_value, dict):
        return any(is_secret_name(str(k)) for k in body.json_value)
    return False
